//! The facade's manifest (a feature per provider) and its re-exports.

use std::fmt::Write as _;

use crate::{
    progenitor_run::Generated,
    spec::{Spec, SpecError},
};

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
serde.workspace = true
serde_json.workspace = true
chrono.workspace = true
futures-util = {{ version = \"0.3.31\", default-features = false, features = [\"std\"] }}
{dependencies}",
        marker = marker("#", "every spec in openapi/"),
        rustls = tls("rustls"),
        native = tls("native-tls"),
    )
}

/// The name of a provider's variant in the facade's enums (`SeaTable`).
fn provider_variant(spec: &Spec) -> String {
    let name: String = spec.sdk.provider.chars().filter(char::is_ascii_alphanumeric).collect();
    match name.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => first.to_ascii_uppercase().to_string() + &name[1..],
        _ => {
            let mut id = spec.id.clone();
            id[..1].make_ascii_uppercase();
            id
        }
    }
}

/// `crates/workspaces-sdk/src/generated.rs`: one re-export per provider, and
/// the providers as one set: `Provider`, `Client`, `Details`, each provider's
/// listing as a `ListWorkspaces`, and `From` its workspace to `Workspace`.
pub fn facade_module(specs: &[Spec], generated: &[Generated]) -> Result<String, SpecError> {
    let mut out = marker("//", "every spec in openapi/");
    out += "//! One module per provider, each behind the cargo feature of the same name,\n\
            //! and the providers as one set.\n\n\
            use crate::{ListWorkspaces, ProviderInfo, Workspace, WorkspacePages, listing, workspace::Fields};\n";
    let mut variants = String::new();
    let mut all = String::new();
    let mut infos = String::new();
    let mut clients = String::new();
    let mut client_providers = String::new();
    let mut connects = String::new();
    let mut lists = String::new();
    let mut details = String::new();
    let mut impls = String::new();
    for (spec, g) in specs.iter().zip(generated) {
        let id = &spec.id;
        let krate = crate_ident(&spec.sdk.crate_name);
        let variant = provider_variant(spec);
        let name = &spec.sdk.provider;
        let cfg = format!("#[cfg(feature = {id:?})]");
        write!(out, "\n{cfg}\n#[doc(inline)]\npub use {krate} as {id};\n").unwrap();
        let listing = &spec.workspaces;
        let error_at = |pointer: String, message: String| SpecError {
            file: spec.file.clone(),
            pointer,
            message,
        };
        let error = |message: String| error_at(listing.pointer.clone(), message);
        let op = g
            .operations
            .iter()
            .find(|op| op.operation_id == listing.operation_id)
            .ok_or_else(|| error("no such operation".into()))?;
        let types = super::provider::listing(g, op, &listing.items).map_err(&error)?;
        if !types.item_type.starts_with("types::") {
            return Err(error(format!("the items are `{}`, not objects", types.item_type)));
        }
        let item_type = format!("{krate}::{}", types.item_type);
        let mut fields = String::new();
        for (field, pointers) in &listing.fields {
            let at = format!("{}/fields/{field}", listing.pointer);
            for pointer in pointers {
                let (_, ty) = super::provider::field_path(&g.file, &types.item_type, pointer)
                    .map_err(|e| error_at(at.clone(), format!("`{pointer}`: {e}")))?;
                if field == "id" && ty.starts_with("::std::option::Option<") {
                    let message = format!("`{pointer}` is optional: an id must be required");
                    return Err(error_at(at, message));
                }
            }
            let rust_field = if field == "createdAt" { "created_at" } else { field };
            writeln!(fields, "{rust_field}: &{pointers:?},").unwrap();
        }
        let pages = match spec.pagination.iter().any(|p| p.operation_id == listing.operation_id) {
            true => "self.pages_with(paging)".to_owned(),
            false => "{ let _ = paging; listing::one_page(async move { self.send().await.map(|r| r.into_inner()) }) }"
                .to_owned(),
        };
        let default_base_url = match &spec.default_server {
            Some(url) => format!("Some({url:?})"),
            None => "None".into(),
        };
        write!(
            variants,
            "/// {name}, from `{spec_path}`.\n{cfg}\n{variant},\n",
            spec_path = super::spec_path(spec)
        )
        .unwrap();
        write!(all, "{cfg}\nProvider::{variant},\n").unwrap();
        write!(
            infos,
            "{cfg}\nSelf::{variant} => &ProviderInfo {{ id: {id:?}, name: {name:?}, \
             credential_variable: {variable:?}, default_base_url: {default_base_url}, unique: {unique}, \
             fields: Fields {{ {fields} }} }},\n",
            variable = super::credential_variable(spec),
            unique = listing.unique,
        )
        .unwrap();
        write!(clients, "/// A {name} client.\n{cfg}\n{variant}({krate}::Client),\n").unwrap();
        write!(client_providers, "{cfg}\nSelf::{variant}(_) => Provider::{variant},\n").unwrap();
        write!(
            connects,
            "{cfg}\nProvider::{variant} => {krate}::Client::with_config(base_url, credential, config).map(Self::{variant}),\n"
        )
        .unwrap();
        write!(
            lists,
            "{cfg}\nSelf::{variant}(client) => client.{method}().workspace_pages_with(paging),\n",
            method = op.method
        )
        .unwrap();
        write!(details, "/// A {name} workspace.\n{cfg}\n{variant}({item_type}),\n").unwrap();
        write!(
            impls,
            "
{cfg}
impl From<{item_type}> for Workspace {{
    /// Reads the normalized fields off a {name} workspace.
    fn from(item: {item_type}) -> Self {{
        Workspace::normalize(Provider::{variant}, item, Details::{variant})
    }}
}}

{cfg}
impl From<{krate}::Client> for Client {{
    fn from(client: {krate}::Client) -> Self {{
        Self::{variant}(client)
    }}
}}

{cfg}
impl<'a> ListWorkspaces<'a> for {krate}::builder::{builder}<'a> {{
    /// The {name} listing (`{operation}`), normalized, with the filters set on it.
    fn workspace_pages_with(self, paging: workspaces_sdk_runtime::Paging) -> WorkspacePages<'a> {{
        listing::normalized(Provider::{variant}, {pages}, |page| page{items}, Workspace::from)
    }}
}}
",
            builder = op.builder,
            operation = op.operation_id,
            items = types.items,
        )
        .unwrap();
    }
    write!(
        out,
        "
/// A provider whose workspaces this build lists (one per cargo feature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Provider {{
{variants}}}

impl Provider {{
    /// Every provider of this build.
    pub const ALL: &'static [Provider] = &[{all}];

    pub(crate) fn info(self) -> &'static ProviderInfo {{
        match self {{
{infos}        }}
    }}
}}

/// A client of any provider: the provider's own client, inside.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Client {{
{clients}}}

impl Client {{
    /// The provider this client talks to.
    pub fn provider(&self) -> Provider {{
        match self {{
{client_providers}        }}
    }}

    pub(crate) fn connect(
        provider: Provider,
        base_url: &str,
        credential: crate::Credential,
        config: crate::Config,
    ) -> Result<Self, crate::ConfigError> {{
        match provider {{
{connects}        }}
    }}

    pub(crate) fn list_pages(&self, paging: workspaces_sdk_runtime::Paging) -> WorkspacePages<'_> {{
        match self {{
{lists}        }}
    }}
}}

/// A provider's own workspace, with every field its spec documents.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Details {{
{details}}}
{impls}"
    )
    .unwrap();
    Ok(out)
}
