//! The facade's manifest (a feature per provider) and its re-exports.

use std::fmt::Write as _;

use crate::spec::Spec;

use super::{crate_ident, marker, package_section};

/// `crates/workspaces-sdk/Cargo.toml`: one optional dependency and one
/// feature per provider, all on by default.
pub fn facade_manifest(specs: &[Spec], version: &str) -> String {
    let providers = specs
        .iter()
        .map(|s| s.sdk.provider.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let package = package_section(
        "workspaces-sdk",
        &format!("Rust clients for the workspaces APIs of {providers}, one feature per provider."),
        &["workspaces", "sdk", "api", "client", "openapi"].map(String::from),
    );
    let mut features = String::new();
    let mut dependencies = String::new();
    for spec in specs {
        writeln!(
            features,
            "## The {} client, module `{}`.\n{} = [\"dep:{}\"]",
            spec.sdk.provider, spec.id, spec.id, spec.sdk.crate_name
        )
        .unwrap();
        writeln!(
            dependencies,
            "{} = {{ path = \"../providers/{}\", version = \"={version}\", optional = true, default-features = false }}",
            spec.sdk.crate_name,
            spec.id,
        )
        .unwrap();
    }
    let ids = specs
        .iter()
        .map(|s| format!("{:?}", s.id))
        .collect::<Vec<_>>()
        .join(", ");
    let tls = |feature: &str| {
        specs
            .iter()
            .map(|s| format!("\"{}?/{feature}\"", s.sdk.crate_name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "{marker}\
{package}
[features]
default = [{ids}, \"rustls\"]
{features}## TLS by rustls (no OpenSSL).
rustls = [\"workspaces-sdk-runtime/rustls\", {rustls}]
## TLS by the platform's native library.
native-tls = [\"workspaces-sdk-runtime/native-tls\", {native}]

[dependencies]
workspaces-sdk-runtime.workspace = true
{dependencies}",
        marker = marker("#", "every spec in openapi/"),
        rustls = tls("rustls"),
        native = tls("native-tls"),
    )
}

/// `crates/workspaces-sdk/src/generated.rs`: one re-export per provider.
pub fn facade_module(specs: &[Spec]) -> String {
    let mut out = marker("//", "every spec in openapi/");
    out += "//! One module per provider, each behind the cargo feature of the same name.\n";
    for spec in specs {
        write!(
            out,
            "\n#[cfg(feature = {id:?})]\n#[doc(inline)]\npub use {krate} as {id};\n",
            id = spec.id,
            krate = crate_ident(&spec.sdk.crate_name)
        )
        .unwrap();
    }
    out
}
