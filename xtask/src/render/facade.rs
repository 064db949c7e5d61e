//! The facade's manifest (a feature per provider) and its re-exports.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::{
    crate_ident, doc_attrs,
    field_reads::{first_present, text_of, time_of},
    marker, package_section,
};
use crate::runtime_paths::{ONE_PAGE, PAGING};
use crate::{
    codegen::Generated,
    load::SpecError,
    model::Spec,
    type_index::{Shape, TypeIndex, shape},
};

/// `crates/workspaces-sdk/Cargo.toml`: one optional dependency and one
/// feature per provider, all on by default.
pub fn facade_manifest(specs: &[&Spec], releases: &crate::releases::Releases) -> String {
    let providers = specs
        .iter()
        .map(|s| s.sdk.provider.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let package = package_section(
        "workspaces-sdk",
        releases.version("workspaces-sdk"),
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
            "{} = {{ path = \"../providers/{}\", version = \"={}\", optional = true, default-features = false }}",
            spec.sdk.crate_name,
            spec.id,
            releases.version(&spec.sdk.crate_name),
        )
        .unwrap();
    }
    // Every provider, then TLS and schemars (no provider at all: those alone).
    let ids = specs
        .iter()
        .map(|s| format!("{:?}", s.id))
        .chain([
            "\"rustls\"".to_owned(),
            "\"http2\"".to_owned(),
            "\"schemars\"".to_owned(),
        ])
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
default = [{ids}]
{features}## TLS by rustls (no OpenSSL), with the aws-lc cryptography.
rustls = [\"workspaces-sdk-runtime/rustls\", {rustls}]
## TLS by rustls with the `ring` cryptography: no aws-lc build.
rustls-ring = [\"workspaces-sdk-runtime/rustls-ring\", {ring}]
## TLS by the platform's native library.
native-tls = [\"workspaces-sdk-runtime/native-tls\", {native}]
## HTTP/2 where the server offers it; without it, HTTP/1.1 only (no h2 build).
http2 = [\"workspaces-sdk-runtime/http2\", {http2}]
## `schemars::JsonSchema` on every provider's generated types.
schemars = [{schemars}]
## `drift`: each response checked against the provider's description as
## written, by a JSON Schema validator.
drift = [\"dep:jsonschema\"]

[dependencies]
workspaces-sdk-runtime.workspace = true
serde.workspace = true
serde_json.workspace = true
chrono.workspace = true
uuid.workspace = true
futures-util = {{ version = \"0.3.31\", default-features = false, features = [\"std\"] }}
jsonschema = {{ version = \"0.59\", default-features = false, optional = true }}
{dependencies}",
        marker = marker("#", "every spec in openapi/"),
        rustls = tls("rustls"),
        ring = tls("rustls-ring"),
        native = tls("native-tls"),
        http2 = tls("http2"),
        schemars = tls("schemars"),
    )
}

/// The name of a provider's variant in the facade's enums (`SeaTable`).
pub(crate) fn provider_variant(spec: &Spec) -> syn::Ident {
    let name: String = spec.sdk.provider.chars().filter(char::is_ascii_alphanumeric).collect();
    let name = match name.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => crate::rust_names::capitalized(&name),
        _ => crate::open_enums::pascal(&spec.id),
    };
    format_ident!("{name}")
}

/// One provider's part of the facade module.
struct ProviderItems {
    cfg: TokenStream,
    id: String,
    krate: syn::Ident,
    variant: syn::Ident,
    name: String,
    method: syn::Ident,
    item_type: TokenStream,
    /// The arm of each accessor of `Details` (id, name, kind, owner,
    /// createdAt) for this provider's variant.
    reads: Vec<TokenStream>,
    list: TokenStream,
    /// Whether the same workspace may come twice (`x-workspaces` `unique`).
    unique: bool,
}

/// `crates/workspaces-sdk/src/generated.rs`: one re-export per provider, and
/// the providers as one set: `Provider`, `Client`, `Details`, each provider's
/// listing as a `ListWorkspaces`, `From` its workspace to `Workspace`, and
/// `Details`' reads of each normalized field off the generated type where
/// `x-workspaces` points.
pub fn facade_module(specs: &[&Spec], generated: &[&Generated], unlisted: &[&Spec]) -> Result<String, SpecError> {
    let unlisted_doc = match unlisted {
        [] => quote!(),
        _ => {
            let crates: Vec<String> = unlisted.iter().map(|s| format!("`{}`", s.sdk.crate_name)).collect();
            doc_attrs(&format!(
                "\nNot here: {}, client crates whose specs name no workspace listing (`x-workspaces`).",
                crates.join(", ")
            ))
        }
    };
    let providers: Vec<ProviderItems> = specs
        .iter()
        .zip(generated)
        .map(|(spec, g)| provider_items(spec, g))
        .collect::<Result<_, _>>()?;
    let cfgs: Vec<&TokenStream> = providers.iter().map(|p| &p.cfg).collect();
    let ids: Vec<syn::Ident> = providers.iter().map(|p| format_ident!("{}", p.id)).collect();
    let methods: Vec<&syn::Ident> = providers.iter().map(|p| &p.method).collect();
    let krates: Vec<&syn::Ident> = providers.iter().map(|p| &p.krate).collect();
    let variants: Vec<&syn::Ident> = providers.iter().map(|p| &p.variant).collect();
    let item_types: Vec<&TokenStream> = providers.iter().map(|p| &p.item_type).collect();
    let read = |field: usize| providers.iter().map(move |p| &p.reads[field]);
    let (id_reads, name_reads, kind_reads) = (read(0), read(1), read(2));
    let (owner_reads, created_at_reads) = (read(3), read(4));
    let lists = providers.iter().map(|p| &p.list);
    let infos = specs.iter().zip(&providers).map(|(spec, p)| {
        let (id, name, unique) = (&spec.id, &spec.sdk.provider, p.unique);
        let variable = spec
            .credential_variable()
            .ok_or_else(|| spec.listing_needs_credential())?;
        let default_base_url = match &spec.default_server {
            Some(url) => quote!(Some(#url)),
            None => quote!(None),
        };
        let openapi = format!("../{}", facade_description_path(spec));
        let variables = spec.auth.credential_variables(&spec.id);
        Ok(quote! {
            &ProviderInfo {
                id: #id,
                name: #name,
                credential_variable: #variable,
                credential_variables: &[#(#variables),*],
                default_base_url: #default_base_url,
                unique: #unique,
                openapi: include_str!(#openapi),
            }
        })
    });
    let infos: Vec<TokenStream> = infos.collect::<Result<_, SpecError>>()?;
    let variant_docs = specs
        .iter()
        .map(|spec| doc_attrs(&format!("{}, from `{}`.", spec.sdk.provider, super::spec_path(spec))));
    let client_docs = providers.iter().map(|p| doc_attrs(&format!("A {} client.", p.name)));
    let detail_docs = providers.iter().map(|p| doc_attrs(&format!("A {} workspace.", p.name)));
    let file = quote! {
        use crate::{ListWorkspaces, ProviderInfo, Workspace, WorkspacePages, Workspaces, listing};

        #(
            #cfgs
            // A link to the provider crate's own docs: inlined, its re-export
            // of `reqwest` would copy reqwest's items into these.
            #[doc(no_inline)]
            pub use #krates as #ids;
        )*

        /// A provider whose workspaces this build lists (one per cargo feature).
        #unlisted_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Provider {
            #( #variant_docs #cfgs #variants, )*
        }

        impl Provider {
            /// Every provider of this build.
            pub const ALL: &'static [Provider] = &[ #( #cfgs Provider::#variants, )* ];

            pub(crate) fn info(self) -> &'static ProviderInfo {
                match self {
                    #( #cfgs Self::#variants => #infos, )*
                }
            }
        }

        /// A client of any provider: the provider's own client, inside.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Client {
            #( #client_docs #cfgs #variants(#krates::Client), )*
        }

        impl Client {
            /// The provider this client talks to.
            pub fn provider(&self) -> Provider {
                match self {
                    #( #cfgs Self::#variants(_) => Provider::#variants, )*
                }
            }

            pub(crate) fn connect(
                provider: Provider,
                base_url: &str,
                credential: crate::Credential,
                config: crate::Config,
            ) -> Result<Self, crate::ConfigError> {
                match provider {
                    #( #cfgs Provider::#variants => #krates::Client::with_config(base_url, credential, config).map(Self::#variants), )*
                }
            }

            /// The listing's pages, owning a clone of the provider's client (a
            /// few shared handles), so that they outlive `self`.
            pub(crate) fn list_pages(&self, paging: #PAGING) -> WorkspacePages<'static> {
                match self {
                    #( #cfgs Self::#variants(client) => client.#methods().into_owned().workspace_pages_with(paging), )*
                }
            }

            /// The listing's workspaces, as [`Self::list_pages`] owns them.
            pub(crate) fn list_items(&self, paging: #PAGING) -> Workspaces<'static> {
                match self {
                    #( #cfgs Self::#variants(client) => client.#methods().into_owned().workspaces_with(paging), )*
                }
            }
        }

        /// A provider's own workspace, with every field its spec documents.
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum Details {
            #( #detail_docs #cfgs #variants(#item_types), )*
        }

        impl Details {
            /// Whose workspace this is.
            pub(crate) fn provider(&self) -> Provider {
                match self {
                    #( #cfgs Self::#variants(_) => Provider::#variants, )*
                }
            }

            pub(crate) fn id(&self) -> ::std::borrow::Cow<'_, str> {
                match self { #( #id_reads, )* }
            }

            pub(crate) fn name(&self) -> ::std::borrow::Cow<'_, str> {
                match self { #( #name_reads, )* }
            }

            pub(crate) fn kind(&self) -> Option<::std::borrow::Cow<'_, str>> {
                match self { #( #kind_reads, )* }
            }

            pub(crate) fn owner(&self) -> Option<::std::borrow::Cow<'_, str>> {
                match self { #( #owner_reads, )* }
            }

            pub(crate) fn created_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
                match self { #( #created_at_reads, )* }
            }

            /// `provider`'s own workspace, from its JSON.
            pub(crate) fn from_json(provider: Provider, value: serde_json::Value) -> Result<Self, serde_json::Error> {
                match provider {
                    #( #cfgs Provider::#variants => serde_json::from_value(value).map(Self::#variants), )*
                }
            }
        }

        #(
            #cfgs
            impl From<#item_types> for Workspace {
                fn from(item: #item_types) -> Self {
                    Workspace::from(Details::#variants(item))
                }
            }
        )*

        #(
            #cfgs
            impl From<#krates::Client> for Client {
                fn from(client: #krates::Client) -> Self {
                    Self::#variants(client)
                }
            }
        )*

        #( #lists )*
    };
    let mut out = marker("//", "every spec in openapi/");
    out += "//! One module per provider, each behind the cargo feature of the same name,\n\
            //! and the providers as one set.\n\n";
    out += &super::rust(file, "openapi/".as_ref(), "the facade module")?;
    Ok(out)
}

/// The facade's items for one provider: its `From` its workspace type and
/// its listing as a `ListWorkspaces`.
fn provider_items(spec: &Spec, g: &Generated) -> Result<ProviderItems, SpecError> {
    let id = spec.id.clone();
    let krate = format_ident!("{}", crate_ident(&spec.sdk.crate_name));
    let variant = provider_variant(spec);
    let name = spec.sdk.provider.clone();
    let cfg = quote!(#[cfg(feature = #id)]);
    let listing = spec.listing()?;
    let error_at = |pointer: String, message: String| SpecError {
        file: spec.file.clone(),
        pointer,
        message,
    };
    let error = |message: String| error_at(listing.pointer.clone(), message);
    let op = g.listing().ok_or_else(|| error("no plan of this operation".into()))?;
    let types = super::listing::listing(g, op, &listing.items).map_err(&error)?;
    let index = TypeIndex::new(&g.file);
    if index.structure(&types.item_type).is_none() {
        let printed = types.item_type.to_token_stream().to_string().replace(' ', "");
        return Err(error(format!("the items are `{printed}`, not objects")));
    }
    let item_type = crate::type_index::qualify(&types.item_type, &krate).to_token_stream();
    let open_enums: Vec<String> = spec.open_enums.iter().map(|open| open.rust_name.clone()).collect();

    let mut reads_of_fields = Vec::new();
    for (field, pointers) in &listing.fields {
        let at = format!("{}/fields/{field}", listing.pointer);
        let mut reads = Vec::new();
        for pointer in pointers {
            let path = index
                .walk(&types.item_type, pointer)
                .map_err(|e| error_at(at.clone(), format!("`{pointer}`: {e}")))?;
            if field == "id" && matches!(shape(&path.ty), Shape::Option(_)) {
                return Err(error_at(at, format!("`{pointer}` is optional: an id must be required")));
            }
            let fields = &path.fields;
            let place = quote!(item #(.#fields)*);
            let read = match field.as_str() {
                "createdAt" => time_of(&path.ty),
                _ => text_of(&index, &open_enums, &path.ty),
            };
            reads.push((
                place,
                read.map_err(|e| error_at(at.clone(), format!("`{pointer}`: {e}")))?,
            ));
        }
        let value = first_present(&reads, matches!(field.as_str(), "id" | "name"));
        let item = match reads.is_empty() {
            true => quote!(_),
            false => quote!(item),
        };
        reads_of_fields.push(quote!(#cfg Self::#variant(#item) => #value));
    }
    if reads_of_fields.len() != 5 {
        return Err(error("`fields` must map id, name, kind, owner and createdAt".into()));
    }
    let items = &types.items;
    let pages = match op.paging.is_some() {
        true => quote!(self.pages_with(paging)),
        false => {
            let recover = types.recover(Some(&krate));
            quote!({
                let _ = paging;
                #ONE_PAGE(self.send(), #recover)
            })
        }
    };
    let builder = format_ident!("{}", op.builder);
    let doc = doc_attrs(&format!(
        "The {name} listing (`{}`), normalized, with the filters set on it.",
        op.id()
    ));
    let list = quote! {
        #cfg
        impl<'a> ListWorkspaces<'a> for #krate::builder::#builder<'a> {
            #doc
            fn workspace_pages_with(self, paging: #PAGING) -> WorkspacePages<'a> {
                listing::normalized(Provider::#variant, #pages, |page| page #(.#items)*, Workspace::from)
            }

            fn workspaces_with(self, paging: #PAGING) -> Workspaces<'a> {
                listing::normalized_items(Provider::#variant, #pages, |page| page #(.#items)*, Workspace::from)
            }
        }
    };
    Ok(ProviderItems {
        cfg,
        id,
        krate,
        variant,
        name,
        method: format_ident!("{}", op.method),
        item_type,
        reads: reads_of_fields,
        list,
        unique: listing.unique,
    })
}

/// Where the facade keeps a provider's description as written, in JSON,
/// relative to the facade's folder (read by its drift checks).
pub fn facade_description_path(spec: &Spec) -> String {
    format!("openapi/{}.json", spec.id)
}

/// A provider's description as written (`Spec::written`, before any
/// rewrite), in JSON, marked as generated.
pub fn facade_description(spec: &Spec) -> String {
    let mut document = serde_json::Map::new();
    document.insert(
        "x-generated".into(),
        format!(
            "@generated by `cargo xtask generate` from {}, as written. Do not edit: change the spec.",
            super::spec_path(spec)
        )
        .into(),
    );
    if let serde_json::Value::Object(fields) = &spec.written {
        document.extend(
            fields
                .iter()
                .filter(|(key, _)| *key != "x-generated")
                .map(|(k, v)| (k.clone(), v.clone())),
        );
    }
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(document)).unwrap_or_default();
    text.push('\n');
    text
}
