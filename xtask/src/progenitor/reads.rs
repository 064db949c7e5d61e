//! What each operation's `dispatch()` does through the runtime rather than
//! progenitor's client crate: it reads its response with `json_response` and
//! `stream_response` (in place of `ResponseValue::from_response` and
//! `ResponseValue::stream`), so the body the attempt already read is decoded
//! where it lies and the headers are moved, not copied; it sets an optional
//! query parameter with `query_if_set`, only when it has a value; its
//! header map allocates nothing unless a header parameter is set; and its URL
//! is the client's parsed base URL with the operation's path after it, not a
//! string that reqwest parses again, scheme and host included.

use std::collections::BTreeSet;

use syn::{Expr, Item, visit_mut::VisitMut};

use crate::type_index::last_segment;

/// Sets each optional query parameter of every builder's `dispatch()` only
/// when it has a value.
pub(super) fn set_optional_queries_only_when_set(file: &mut syn::File) {
    let Some(items) = crate::type_index::module_items_mut(file, "builder") else {
        return;
    };
    let optional: Vec<(String, BTreeSet<String>)> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some((s.ident.to_string(), optional_fields(&s.fields))),
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Some((name, _)) = last_segment(&block.self_ty) else {
            continue;
        };
        let Some((_, fields)) = optional.iter().find(|(struct_name, _)| name == struct_name) else {
            continue;
        };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member
                && function.sig.ident == "dispatch"
            {
                OptionalQueries(fields).visit_block_mut(&mut function.block);
            }
        }
    }
}

/// The fields of a builder that hold an optional value (`Result<Option<T>, String>`).
fn optional_fields(fields: &syn::Fields) -> BTreeSet<String> {
    let is_optional = |ty: &syn::Type| {
        last_segment(ty)
            .and_then(|(_, arguments)| arguments.first().and_then(|inner| last_segment(inner)))
            .is_some_and(|(inner, _)| inner == "Option")
    };
    fields
        .iter()
        .filter(|field| is_optional(&field.ty))
        .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
        .collect()
}

struct OptionalQueries<'a>(&'a BTreeSet<String>);

impl VisitMut for OptionalQueries<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else { return };
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        // `.query(&progenitor_client::QueryParam::new("name", &field))`
        let Some(Expr::Reference(argument)) = call.args.first() else {
            return;
        };
        let Expr::Call(new) = &*argument.expr else { return };
        let (Some(name), Some(Expr::Reference(value))) = (new.args.first(), new.args.get(1)) else {
            return;
        };
        let Expr::Path(field) = &*value.expr else { return };
        if !field
            .path
            .get_ident()
            .is_some_and(|ident| self.0.contains(&ident.to_string()))
        {
            return;
        }
        let (request, name, field) = (&call.receiver, name.clone(), field.clone());
        *expr = syn::parse_quote!(workspaces_sdk_runtime::query_if_set(#request, #name, &#field));
    }
}

/// Builds each operation's URL from the client's parsed base URL:
/// `format!("{}/things/{}", client.baseurl, encode_path(..))` becomes
/// `client.baseurl.url(format_args!("/things/{}", encode_path(..)))`.
pub(super) fn build_urls_from_the_parsed_base_url(file: &mut syn::File) {
    BaseUrls.visit_file_mut(file);
}

struct BaseUrls;

impl VisitMut for BaseUrls {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::Macro(format) = expr else { return };
        if !format.mac.path.is_ident("format") {
            return;
        }
        let Ok(arguments) = format
            .mac
            .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        else {
            return;
        };
        let mut arguments = arguments.into_iter();
        let (Some(Expr::Lit(template)), Some(base)) = (arguments.next(), arguments.next()) else {
            return;
        };
        let syn::Lit::Str(template) = &template.lit else { return };
        let Some(path) = template.value().strip_prefix("{}").map(str::to_owned) else {
            return;
        };
        if base != syn::parse_quote!(client.baseurl) {
            return;
        }
        let path = syn::LitStr::new(&path, template.span());
        let rest: Vec<Expr> = arguments.collect();
        *expr = syn::parse_quote!(client.baseurl.url(format_args!(#path #(, #rest)*)));
    }
}

/// Rewrites every response read and header map of `file`.
pub(super) fn read_responses_through_the_runtime(file: &mut syn::File) {
    Reads.visit_file_mut(file);
}

struct Reads;

impl VisitMut for Reads {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::Call(call) = expr else {
            return;
        };
        let Expr::Path(function) = &*call.func else {
            return;
        };
        let names: Vec<String> = function.path.segments.iter().map(|s| s.ident.to_string()).collect();
        match names.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["ResponseValue", "from_response"] => *call.func = syn::parse_quote!(workspaces_sdk_runtime::json_response),
            ["ResponseValue", "stream"] => *call.func = syn::parse_quote!(workspaces_sdk_runtime::stream_response),
            [.., "HeaderMap", "with_capacity"] => *expr = syn::parse_quote!(::reqwest::header::HeaderMap::new()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn optional_query_parameters_are_set_only_with_a_value() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct ListThings<'a> {
                    client: Cow<'a, Client>,
                    cursor: Result<Option<::std::string::String>, String>,
                    page: Result<::std::num::NonZeroU64, String>,
                }
                impl<'a> ListThings<'a> {
                    pub(crate) async fn dispatch(self) {
                        let request = client
                            .client
                            .get(url)
                            .query(&progenitor_client::QueryParam::new("cursor", &cursor))
                            .query(&progenitor_client::QueryParam::new("page", &page))
                            .build()?;
                    }
                }
            }
        };
        set_optional_queries_only_when_set(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains(
                "workspaces_sdk_runtime::query_if_set(client.client.get(url),\"cursor\",&cursor).query(&progenitor_client::QueryParam::new(\"page\",&page)).build()?"
            ),
            "only the optional parameter: {text}"
        );
    }

    #[test]
    fn urls_are_built_from_the_parsed_base_url() {
        let mut file: syn::File = syn::parse_quote! {
            async fn dispatch() {
                let url = format!("{}/workspaces", client.baseurl,);
                let url = format!(
                    "{}/workspaces/{}/items",
                    client.baseurl,
                    encode_path(&id.to_string()),
                );
                let other = format!("{}: {}", name, client.baseurl);
            }
        };
        build_urls_from_the_parsed_base_url(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("leturl=client.baseurl.url(format_args!(\"/workspaces\"));"),
            "{text}"
        );
        assert!(
            text.contains(
                "leturl=client.baseurl.url(format_args!(\"/workspaces/{}/items\",encode_path(&id.to_string())));"
            ),
            "{text}"
        );
        assert!(
            text.contains("letother=format!(\"{}:{}\",name,client.baseurl);"),
            "only a URL under the base URL: {text}"
        );
    }

    #[test]
    fn responses_are_read_by_the_runtime_and_header_maps_start_empty() {
        let mut file: syn::File = syn::parse_quote! {
            async fn dispatch() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                match response.status().as_u16() {
                    200u16 => ResponseValue::from_response(response).await,
                    400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        };
        read_responses_through_the_runtime(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("letmutheader_map=::reqwest::header::HeaderMap::new();"),
            "{text}"
        );
        assert!(
            text.contains("200u16=>workspaces_sdk_runtime::json_response(response).await"),
            "{text}"
        );
        assert!(
            text.contains("Error::ErrorResponse(workspaces_sdk_runtime::stream_response(response))"),
            "{text}"
        );
        assert!(!text.contains("ResponseValue::"), "{text}");
    }
}
