//! The enum of each class of statuses whose bodies differ (see
//! `responses`): one variant per documented status, decoded by the status
//! received through the runtime's `ByStatus`.

use quote::{format_ident, quote};

use crate::rewrite::{
    by_status::{Split, VariantBody},
    statuses::StatusKey,
};
use crate::runtime_paths::{BY_STATUS, JSON_BODY, TEXT_BODY};

/// The enum and its impls, to stand in the `types` module, whose item names
/// are `types`; an error names a schema that has no generated type.
pub fn items(split: &Split, types: &[String]) -> Result<Vec<syn::Item>, String> {
    let name = format_ident!("{}", split.enum_name);
    if types.contains(&split.enum_name) {
        return Err(format!(
            "operation `{}`: the generated types already have a `{}`",
            split.operation_id, split.enum_name
        ));
    }
    let class = if split.success { "success" } else { "error" };
    let doc = format!(
        "The {class} responses of `{}`, one variant per documented status: the body's type depends on the status.",
        split.operation_id
    );
    let mut variants = Vec::new();
    let mut exact = Vec::new();
    let mut ranges = Vec::new();
    let mut default = None;
    let mut statuses = Vec::new();
    for variant in &split.variants {
        let ident = format_ident!("{}", variant.name);
        let status = &variant.status;
        let description = if variant.description.is_empty() {
            format!("Status `{status}`.")
        } else {
            format!("Status `{status}`: {}", variant.description)
        };
        let decode = match &variant.body {
            VariantBody::Empty => {
                variants.push(quote! { #[doc = #description] #ident, });
                quote! { ::std::result::Result::Ok(Self::#ident) }
            }
            VariantBody::Text => {
                variants.push(quote! { #[doc = #description] #ident(::std::string::String), });
                quote! { #TEXT_BODY(body).map(Self::#ident) }
            }
            VariantBody::Json(schema) => {
                let type_name = crate::rust_names::type_name(schema);
                if !types.contains(&type_name) {
                    return Err(format!(
                        "operation `{}`, status {status}: schema `{schema}` has no generated type `{type_name}`",
                        split.operation_id
                    ));
                }
                let ty = format_ident!("{type_name}");
                variants.push(quote! { #[doc = #description] #ident(#ty), });
                quote! { #JSON_BODY(body).map(Self::#ident) }
            }
        };
        match StatusKey::parse(status) {
            Some(StatusKey::Default) => default = Some(decode),
            Some(StatusKey::Range(digit)) => {
                let low = u16::from(digit) * 100;
                let high = low + 99;
                ranges.push(quote! { #low..=#high => #decode, });
            }
            Some(StatusKey::Code(code)) => exact.push(quote! { #code => #decode, }),
            None => return Err(format!("status `{status}` is not a status code")),
        }
        statuses.push(quote! { Self::#ident { .. } => #status, });
    }
    let fallback = match default {
        Some(decode) => quote! { _ => #decode, },
        None => quote! {
            other => ::std::result::Result::Err(::std::format!("status {other} is not documented")),
        },
    };
    let file: syn::File = syn::parse_quote! {
        #[doc = #doc]
        #[derive(::serde::Serialize, Clone, Debug, PartialEq)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The status as the spec documents it (`"404"`, `"4XX"`, `"default"`).
            pub fn documented_status(&self) -> &'static str {
                match self {
                    #(#statuses)*
                }
            }
        }

        impl #BY_STATUS for #name {
            fn from_status(
                status: ::reqwest::StatusCode,
                body: &[u8],
            ) -> ::std::result::Result<Self, ::std::string::String> {
                match status.as_u16() {
                    #(#exact)*
                    #(#ranges)*
                    #fallback
                }
            }
        }
    };
    Ok(file.items)
}
