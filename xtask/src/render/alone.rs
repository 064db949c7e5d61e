//! What progenitor alone generates for each spec (`progenitor_call::
//! progenitor_alone_code`), as modules of the benchmarks
//! (`tests/benches/sdk/progenitor_alone/`): the client a user gets without
//! this project, measured beside the SDK's.

use crate::model::Spec;

/// A spec's progenitor-alone client, as a module.
pub fn progenitor_alone_module(spec: &Spec, code: &str) -> String {
    format!(
        "{}//! What progenitor alone generates for `{}` (builder interface, default\n\
         //! settings, its output unchanged; the open-enum idiom read as a plain\n\
         //! string): the baseline of the benchmarks.\n\
         #![allow(clippy::all, dead_code, unused_imports, missing_docs, mismatched_lifetime_syntaxes)]\n\
         {code}\n",
        super::marker("//", &super::spec_path(spec)),
        super::spec_path(spec),
    )
}

/// The module of every spec progenitor alone generates.
pub fn progenitor_alone_index(specs: &[&Spec]) -> String {
    let mut out = super::marker("//", "openapi/");
    out += "//! What progenitor alone generates for each spec it can, one module a spec.\n";
    for spec in specs {
        out += &format!("pub mod {};\n", spec.id);
    }
    out
}
