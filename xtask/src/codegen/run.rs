//! progenitor's run on a spec as the generator reads it: the client's
//! tokens, the typed mock's tokens, and the crates typify's types need.
//! A panic inside progenitor (a layout the probe missed) becomes a
//! [`SpecError`] naming the file.

use progenitor::{GenerationSettings, Generator};

use crate::{
    load::SpecError,
    model::Spec,
    progenitor_call::{settings_of, without_panicking},
};

/// The settings every generation of `spec` uses. Its named string enums are
/// replaced by open enums, found at `<types_path>::<Name>`.
fn settings(spec: &Spec, types_path: &str) -> GenerationSettings {
    settings_of(&spec.raw, types_path)
}

fn error(spec: &Spec, message: String) -> SpecError {
    SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message,
    }
}

/// Runs progenitor with its panics (for a layout the vetting step missed)
/// turned into a [`SpecError`] naming the file.
fn catching_panics<T>(spec: &Spec, run: impl FnOnce() -> T) -> Result<T, SpecError> {
    without_panicking(run)
        .map_err(|message| error(spec, format!("progenitor failed on this spec (it panicked: {message})")))
}

/// progenitor's client module for `spec` (its copy `openapi`), its types
/// at `crate::types`, and the crates those types need.
pub fn client_tokens(spec: &Spec) -> Result<(proc_macro2::TokenStream, Dependencies), SpecError> {
    catching_panics(spec, || {
        let mut generator = Generator::new(&settings(spec, "crate::types"));
        let tokens = generator.generate_tokens(&spec.openapi)?;
        let types = generator.get_type_space();
        let dependencies = Dependencies {
            chrono: types.uses_chrono(),
            uuid: types.uses_uuid(),
            regress: types.uses_regress(),
        };
        Ok((tokens, dependencies))
    })?
    .map_err(|e: progenitor::Error| error(spec, format!("progenitor cannot generate a client: {e}")))
}

/// progenitor's typed httpmock helpers for `spec` (its copy `mock_openapi`),
/// naming the client crate's types from outside it (`<crate_ident>::types`).
pub fn mock_tokens(spec: &Spec, crate_ident: &str) -> Result<proc_macro2::TokenStream, SpecError> {
    catching_panics(spec, || {
        Generator::new(&settings(spec, &format!("{crate_ident}::types"))).httpmock(&spec.mock_openapi, crate_ident)
    })?
    .map_err(|e| error(spec, format!("progenitor cannot generate the mock: {e}")))
}

/// Parses progenitor's tokens, after the passes over them, as a file.
pub fn parse(spec: &Spec, tokens: proc_macro2::TokenStream, what: &str) -> Result<syn::File, SpecError> {
    syn::parse2(tokens).map_err(|e| error(spec, format!("progenitor produced {what} that does not parse: {e}")))
}

/// The crates a generated module needs beside those every provider crate
/// depends on, as typify answers for the types it generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dependencies {
    pub chrono: bool,
    pub uuid: bool,
    pub regress: bool,
}

impl Dependencies {
    /// The crates that the paths of `file` name (`::chrono::DateTime`).
    pub fn named_in(file: &syn::File) -> Self {
        struct Names(Dependencies);
        impl<'ast> syn::visit::Visit<'ast> for Names {
            fn visit_path(&mut self, path: &'ast syn::Path) {
                match path.segments.first().map(|s| s.ident.to_string()).as_deref() {
                    Some("chrono") => self.0.chrono = true,
                    Some("uuid") => self.0.uuid = true,
                    Some("regress") => self.0.regress = true,
                    _ => {}
                }
                syn::visit::visit_path(self, path);
            }
        }
        let mut names = Names(Self::default());
        syn::visit::Visit::visit_file(&mut names, file);
        names.0
    }

    /// The crates, by name.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        [("chrono", self.chrono), ("uuid", self.uuid), ("regress", self.regress)]
            .into_iter()
            .filter_map(|(name, used)| used.then_some(name))
    }
}
