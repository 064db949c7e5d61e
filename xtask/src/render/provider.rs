//! A provider's crate: manifest, README, the `lib.rs` seam (constructors,
//! hooks, `send()`, the streams of paginated listings) and progenitor's module.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_comment, marker, optional_dependencies, package_section, spec_path};
use crate::runtime_paths::{
    API, AUTH, BOUND, CLIENT_MACRO, FLOW, HEADER_DEFAULT, OPERATION, PLACE, REEXPORTED, SEND_MACRO, TOKEN_URL,
};
use crate::{
    codegen::{Generated, OperationPlan},
    load::SpecError,
    model::{Place, Scheme, Spec},
    type_index::{Shape, shape},
};

/// The quickstart as a whole program: the doc test with its hidden lines shown.
pub(crate) fn program(doc_test: &str) -> String {
    let mut out = String::from("#[tokio::main]\n");
    for line in doc_test.lines() {
        match line.strip_prefix("# ") {
            Some(hidden) if hidden.starts_with("async fn quickstart()") => {
                out += &hidden.replacen("async fn quickstart()", "async fn main()", 1);
                out += "\n";
            }
            Some("}") => out += "}\n",
            Some(hidden) => out += &format!("    {hidden}\n"),
            None => out += &format!("    {line}\n"),
        }
    }
    out
}

pub(crate) fn auth_sentence(spec: &Spec) -> String {
    let auth = &spec.auth;
    match auth.schemes.as_slice() {
        [] => auth.sentence(),
        [
            Scheme {
                name: scheme,
                place: Place::Header { name, prefix },
            },
        ] if auth.public_operations.is_empty()
            && auth.not_met.is_empty()
            && auth.alternatives.is_empty()
            && auth.token_urls.is_empty() =>
        {
            format!(
                "The credential goes on the wire as the `{name}` header{} (scheme `{scheme}` of the spec), marked \
                 sensitive; it never appears in `Debug` output or error messages.",
                match prefix.is_empty() {
                    true => String::new(),
                    false => format!(", as `{prefix}<credential>`"),
                },
            )
        }
        _ => format!(
            "{} Every credential is marked sensitive; none appears in `Debug` output or error messages.",
            auth.sentence()
        ),
    }
}

pub(crate) fn server_sentence(spec: &Spec) -> String {
    match &spec.default_server {
        Some(url) => format!(
            "`Client::new` talks to `{url}`; `Client::with_base_url` talks to any other server of the same API."
        ),
        None => "The spec has no default server: give the base URL to `Client::with_base_url`.".to_owned(),
    }
}

/// `crates/providers/<id>/Cargo.toml`.
pub fn provider_manifest(spec: &Spec, generated: &Generated, version: &str) -> String {
    let optional = optional_dependencies(generated.dependencies);
    format!(
        "{marker}\
{package}
[package.metadata.workspaces-sdk]
spec = {spec:?}
# The provider's API version, the spec's `info.version`.
api-version = {api_version:?}
generator = \"progenitor {progenitor}\"

[features]
default = [\"rustls\", \"http2\", \"schemars\"]
## TLS by rustls (no OpenSSL), with the aws-lc cryptography.
rustls = [\"workspaces-sdk-runtime/rustls\"]
## TLS by rustls with the `ring` cryptography: no aws-lc build.
rustls-ring = [\"workspaces-sdk-runtime/rustls-ring\"]
## TLS by the platform's native library.
native-tls = [\"workspaces-sdk-runtime/native-tls\"]
## HTTP/2 where the server offers it; without it, HTTP/1.1 only (no h2 build).
http2 = [\"workspaces-sdk-runtime/http2\"]
## `schemars::JsonSchema` on every generated type.
schemars = [\"dep:schemars\"]

[dependencies]
workspaces-sdk-runtime.workspace = true
progenitor-client.workspace = true
reqwest.workspace = true
serde.workspace = true
serde_json.workspace = true
schemars = {{ workspace = true, optional = true }}
{optional}
[dev-dependencies]
# The doc examples of streams read them with `TryStreamExt`.
futures-util = {{ version = \"0.3.31\", default-features = false, features = [\"std\"] }}
",
        marker = marker("#", &spec_path(spec)),
        package = package_section(&spec.sdk.crate_name, version, &spec.sdk.description, &spec.sdk.keywords),
        api_version = spec.openapi.info.version,
        spec = spec_path(spec),
        progenitor = crate::PROGENITOR_VERSION,
    )
}

/// `crates/providers/<id>/README.md`.
pub fn provider_readme(spec: &Spec, generated: &Generated, version: &str) -> String {
    let info = &spec.openapi.info;
    let operations: String = generated
        .plans
        .iter()
        .map(|op| format!("- `client.{}()`: operation `{}`\n", op.method, op.id()))
        .collect();
    format!(
        "{marker}
# {name}

{summary}

{description}
## Quickstart

```toml
[dependencies]
{name} = \"{version}\"
tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}
```

```rust,no_run
{quickstart}```

{auth}

{server}

## Operations

{operations}
## Features

- `rustls` (default): TLS by rustls with the aws-lc cryptography.
- `rustls-ring`: TLS by rustls with `ring` (no aws-lc build); use it with
  `default-features = false`.
- `native-tls`: TLS by the platform's library (OpenSSL on Linux).
- `http2` (default): HTTP/2 where the server offers it; without it, HTTP/1.1
  only, and a smaller build.
- `schemars` (default): `schemars::JsonSchema` on every generated type.

This crate is generated by `cargo xtask generate` from
[`{spec}`](https://github.com/workspaces-sdk/workspaces-sdk/blob/main/{spec}) (API version {api_version})
with progenitor {progenitor}. {membership}
",
        marker = marker("<!--", &spec_path(spec)).trim_end().to_owned() + " -->",
        name = spec.sdk.crate_name,
        summary = spec.sdk.description,
        description = info.description.as_deref().unwrap_or_default(),
        quickstart = program(&crate::codegen::plan::quickstart(spec, &generated.plans[0])),
        auth = auth_sentence(spec),
        server = server_sentence(spec),
        spec = spec_path(spec),
        api_version = info.version,
        progenitor = crate::PROGENITOR_VERSION,
        membership = match spec.workspaces {
            Some(_) =>
                "It is one of the clients of\n[workspaces-sdk](https://github.com/workspaces-sdk/workspaces-sdk).",
            None =>
                "Its spec names no workspace listing (`x-workspaces`), so the\n[workspaces-sdk](https://github.com/workspaces-sdk/workspaces-sdk) facade does not include it.",
        },
    )
}

/// `crates/providers/<id>/src/lib.rs`: the seam between progenitor's module
/// and the runtime crate: the crate's docs, its `Api`, and the runtime's
/// glue macros invoked with what differs between providers.
pub fn provider_lib(spec: &Spec, generated: &Generated, custom: bool) -> Result<String, SpecError> {
    let info = &spec.openapi.info;
    let mut out = marker("//", &spec_path(spec));
    out += &doc_comment(
        "//! ",
        &format!(
            "{}\n\n{}",
            spec.sdk.description,
            info.description.as_deref().unwrap_or_default()
        ),
    );
    out += "//!\n//! # Quickstart\n//!\n//! ```no_run\n";
    out += &doc_comment("//! ", &crate::codegen::plan::quickstart(spec, &generated.plans[0]));
    out += "//! ```\n//!\n";
    out += &doc_comment("//! ", &auth_sentence(spec));
    out += "//!\n";
    out += &doc_comment("//! ", &server_sentence(spec));
    out += "\n";
    out += &super::rust(lib_items(spec, generated, custom)?, &spec.file, "the crate's lib.rs")?;
    Ok(out)
}

/// The items of a provider's `lib.rs`.
/// Where a provider crate's own hand-written code starts, relative to the
/// crate: kept across regeneration, and included by the generated `lib.rs`
/// when it exists.
pub const CUSTOM_ENTRY: &str = "custom/mod.rs";

fn lib_items(spec: &Spec, generated: &Generated, custom: bool) -> Result<TokenStream, SpecError> {
    let provider = &spec.sdk.provider;
    let credential = match spec.auth.credential_variables(&spec.id).split_first() {
        Some((variable, [])) => quote!(credential_variable = #variable),
        Some((variable, others)) => quote!(credential_variable = #variable, or_variables = [#(#others),*]),
        None => quote!(no_credential),
    };
    let (default_server, client) = match &spec.default_server {
        Some(url) => (
            quote! {
                /// The server a client talks to unless given a base URL: the first server of the spec.
                pub const DEFAULT_BASE_URL: &str = #url;
            },
            quote!(#CLIENT_MACRO!(API, #credential, default_base_url = DEFAULT_BASE_URL);),
        ),
        None => (quote!(), quote!(#CLIENT_MACRO!(API, #credential);)),
    };
    let auth_of = |Scheme { name, place }: &Scheme| {
        let place = match place {
            Place::Header { name, prefix } => quote!(Header { name: #name, prefix: #prefix }),
            Place::Basic => quote!(Basic),
            Place::Query(name) => quote!(Query(#name)),
            Place::Cookie(name) => quote!(Cookie(#name)),
        };
        quote!(#AUTH { scheme: #name, place: #PLACE::#place })
    };
    let auth = spec.auth.schemes.iter().map(auth_of);
    let alternatives = match spec.auth.alternatives.is_empty() {
        true => quote!(),
        false => {
            let alternatives = spec.auth.alternatives.iter().map(auth_of);
            quote!(.or(&[#(#alternatives),*]))
        }
    };
    let token_urls = match spec.auth.token_urls.is_empty() {
        true => quote!(),
        false => {
            let urls = spec.auth.token_urls.iter().map(|(flow, url)| {
                let flow = format_ident!("{flow:?}");
                quote!(#TOKEN_URL { flow: #FLOW::#flow, url: #url })
            });
            quote!(.token_urls(&[#(#urls),*]))
        }
    };
    let custom = match custom {
        true => {
            let path = format!("../{CUSTOM_ENTRY}");
            quote! {
                /// The provider's own code, written by hand in `custom/` beside `src/` and
                /// kept across regeneration; what it makes public is at the crate's root.
                #[path = #path]
                pub mod custom;
                #[allow(unused_imports)]
                pub use custom::*;
            }
        }
        false => quote!(),
    };
    let sends = generated.plans.iter().map(operation_send);
    let streams = super::listing::operation_streams(spec, generated)?;
    let reexported = REEXPORTED.iter().map(|name| format_ident!("{name}"));
    let runtime = format_ident!("{}", crate::runtime_paths::CRATE);
    Ok(quote! {
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        mod generated;

        pub use generated::*;
        pub use #runtime::{#(#reexported),*};

        #custom

        #default_server

        static API: #API = #API::new(
            #provider,
            concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            &[#(#auth),*],
        )#alternatives #token_urls;

        #client
        #(#sends)*
        #streams
    })
}

/// An operation's `send()`: the runtime's `send!` with its builder, its
/// [`operation`](operation_descriptor), its body types and how its error
/// body is read.
fn operation_send(op: &OperationPlan) -> TokenStream {
    let builder = format_ident!("{}", op.builder);
    let operation = operation_descriptor(op);
    let (success, error) = (&op.success, super::listing::caller_error_type(op));
    let read = if op.error_by_status {
        quote!(by_status)
    } else if shape(&op.error) == Shape::ByteStream {
        quote!(text)
    } else {
        quote!(typed)
    };
    let by_status = op.success_by_status.then(|| quote!(, success_by_status));
    quote!(#SEND_MACRO!(#builder, #operation, #success, #error, #read #by_status);)
}

/// What an operation's call reads at run time: its `operationId`, whether it
/// is public, its header defaults and the bounds of its query parameters.
fn operation_descriptor(op: &OperationPlan) -> TokenStream {
    let id = op.id();
    let public = op.public.then(|| quote!(.public()));
    let parameters = &op.operation.parameters;
    let defaults: Vec<TokenStream> = parameters
        .iter()
        .filter_map(|p| {
            let (header, value) = (p.name.to_ascii_lowercase(), p.header_default.as_ref()?);
            Some(quote!(#HEADER_DEFAULT::new(#header, #value)))
        })
        .collect();
    let defaults = (!defaults.is_empty()).then(|| quote!(.header_defaults(&[#(#defaults),*])));
    let bounds: Vec<TokenStream> = parameters
        .iter()
        .filter_map(|p| {
            let (parameter, bounds) = (&p.name, p.bounds?);
            let minimum = bounds.minimum.map(|n| {
                let n = proc_macro2::Literal::f64_unsuffixed(n);
                quote!(.at_least(#n))
            });
            let maximum = bounds.maximum.map(|n| {
                let n = proc_macro2::Literal::f64_unsuffixed(n);
                quote!(.at_most(#n))
            });
            Some(quote!(#BOUND::new(#parameter) #minimum #maximum))
        })
        .collect();
    let bounds = (!bounds.is_empty()).then(|| quote!(.bounds(&[#(#bounds),*])));
    quote!(#OPERATION::new(#id) #public #defaults #bounds)
}

/// `crates/providers/<id>/src/generated.rs`: progenitor's module.
pub fn provider_module(spec: &Spec, generated: &Generated) -> String {
    let mut out = marker("//", &spec_path(spec));
    out += "//! The client module progenitor generates from the spec.\n\n";
    out += &prettyplease::unparse(&generated.file);
    out
}
