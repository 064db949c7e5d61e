//! What each operation's `dispatch()` does through the runtime rather than
//! progenitor's client crate: it reads its response with `json_response` and
//! `stream_response` (in place of `ResponseValue::from_response` and
//! `ResponseValue::stream`), so the body the attempt already read is decoded
//! where it lies and the headers are moved, not copied; it builds its request
//! in place, not through reqwest's `RequestBuilder` (which moves the whole
//! request at every step), and sets an optional query parameter only when it
//! has a value; its header map allocates nothing unless a header parameter is
//! set; and its URL is the client's parsed base URL with the operation's path
//! after it, not a string that reqwest parses again, scheme and host included.

use std::collections::BTreeSet;

use syn::{Expr, Pat, Stmt, visit_mut::VisitMut};

use crate::runtime_paths::{JSON_RESPONSE, QUERY, QUERY_IF_SET, REPLACE_HEADERS, STREAM_RESPONSE};
use crate::type_index::last_segment;

/// Builds the request of every builder's `dispatch()` in place: progenitor's
/// `client.client.get(url).header(..).query(..).headers(header_map).build()?`
/// becomes a `reqwest::Request` changed step by step, each optional query
/// parameter set only when it has a value. A chain with a step not listed
/// here (a body, say) is left as progenitor wrote it.
pub(super) fn build_requests_in_place(file: &mut syn::File) -> usize {
    super::rewrite_each_dispatch(
        file,
        |builder| Some(optional_fields(&builder.fields)),
        |function, optional, _| build_in_place(&mut function.block.stmts, optional),
    )
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

/// Replaces `let mut request = <builder chain>.build()?;` in `stmts` by the
/// same request built in place; whether it did.
fn build_in_place(stmts: &mut Vec<Stmt>, optional: &BTreeSet<String>) -> bool {
    let Some((index, attrs, (method, url, steps))) = stmts.iter().enumerate().find_map(|(index, stmt)| {
        let Stmt::Local(local) = stmt else { return None };
        let Pat::Ident(binding) = &local.pat else { return None };
        let init = local.init.as_ref()?;
        if binding.ident != "request" || init.diverge.is_some() {
            return None;
        }
        Some((index, local.attrs.clone(), chain(&init.expr)?))
    }) else {
        return false;
    };
    let mut built: Vec<Stmt> = vec![syn::parse_quote! {
        #(#attrs)*
        let mut request = ::reqwest::Request::new(::reqwest::Method::#method, #url);
    }];
    for step in steps {
        built.push(match step {
            Step::Header(name, value) => syn::parse_quote!(request.headers_mut().append(#name, #value);),
            Step::Headers(map) => syn::parse_quote!(#REPLACE_HEADERS(&mut request, #map);),
            Step::Query(name, field) => {
                let set = match field.get_ident().is_some_and(|f| optional.contains(&f.to_string())) {
                    true => QUERY_IF_SET,
                    false => QUERY,
                };
                syn::parse_quote!(#set(&mut request, #name, &#field).map_err(Error::InvalidRequest)?;)
            }
        });
    }
    stmts.splice(index..=index, built);
    true
}

/// One step of a request builder chain.
enum Step {
    Header(Expr, Expr),
    Headers(Expr),
    Query(Expr, syn::Path),
}

/// The method, URL and steps of `client.client.<method>(url)<steps>.build()?`,
/// if every step is one of [`Step`].
fn chain(expr: &Expr) -> Option<(syn::Ident, Expr, Vec<Step>)> {
    let Expr::Try(built) = expr else { return None };
    let Expr::MethodCall(build) = &*built.expr else {
        return None;
    };
    if build.method != "build" || !build.args.is_empty() {
        return None;
    }
    let mut steps = Vec::new();
    let mut at = &*build.receiver;
    loop {
        let Expr::MethodCall(call) = at else { return None };
        let arguments: Vec<&Expr> = call.args.iter().collect();
        match (call.method.to_string().as_str(), arguments.as_slice()) {
            ("header", [name, value]) => steps.push(Step::Header((*name).clone(), (*value).clone())),
            ("headers", [map]) => steps.push(Step::Headers((*map).clone())),
            ("query", [parameter]) => {
                let (name, field) = query_parameter(parameter)?;
                steps.push(Step::Query(name, field));
            }
            (verb @ ("get" | "post" | "put" | "patch" | "delete" | "head"), [url])
                if *call.receiver == syn::parse_quote!(client.client) =>
            {
                steps.reverse();
                let method = syn::Ident::new(&verb.to_uppercase(), call.method.span());
                return Some((method, (*url).clone(), steps));
            }
            _ => return None,
        }
        at = &call.receiver;
    }
}

/// `("name", field)` of `&progenitor_client::QueryParam::new("name", &field)`.
fn query_parameter(parameter: &Expr) -> Option<(Expr, syn::Path)> {
    let Expr::Reference(parameter) = parameter else {
        return None;
    };
    let Expr::Call(new) = &*parameter.expr else { return None };
    let Expr::Path(function) = &*new.func else { return None };
    if function.path.segments.last().is_none_or(|s| s.ident != "new") {
        return None;
    }
    let (Some(name), Some(Expr::Reference(value)), 2) = (new.args.first(), new.args.get(1), new.args.len()) else {
        return None;
    };
    let Expr::Path(field) = &*value.expr else { return None };
    Some((name.clone(), field.path.clone()))
}

/// Builds each operation's URL from the client's parsed base URL:
/// `format!("{}/things/{}", client.baseurl, encode_path(..))` becomes
/// `client.baseurl.url(format_args!("/things/{}", encode_path(..)))`.
pub(super) fn build_urls_from_the_parsed_base_url(file: &mut syn::File) -> usize {
    let mut urls = BaseUrls(0);
    urls.visit_file_mut(file);
    urls.0
}

struct BaseUrls(usize);

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
        self.0 += 1;
    }
}

/// Rewrites every response read and header map of `file`.
pub(super) fn read_responses_through_the_runtime(file: &mut syn::File) -> usize {
    let mut reads = Reads(0);
    reads.visit_file_mut(file);
    reads.0
}

struct Reads(usize);

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
            ["ResponseValue", "from_response"] => *call.func = syn::parse_quote!(#JSON_RESPONSE),
            ["ResponseValue", "stream"] => *call.func = syn::parse_quote!(#STREAM_RESPONSE),
            [.., "HeaderMap", "with_capacity"] => *expr = syn::parse_quote!(::reqwest::header::HeaderMap::new()),
            _ => return,
        }
        self.0 += 1;
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn requests_are_built_in_place_and_optional_query_parameters_set_only_with_a_value() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct ListThings<'a> {
                    client: Cow<'a, Client>,
                    cursor: Result<Option<::std::string::String>, String>,
                    page: Result<::std::num::NonZeroU64, String>,
                }
                impl<'a> ListThings<'a> {
                    pub(crate) async fn dispatch(self) {
                        #[allow(unused_mut)]
                        let mut request = client
                            .client
                            .get(url)
                            .header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static("application/json"))
                            .query(&progenitor_client::QueryParam::new("cursor", &cursor))
                            .query(&progenitor_client::QueryParam::new("page", &page))
                            .headers(header_map)
                            .build()?;
                        let info = OperationInfo { operation_id: "list_things" };
                    }
                }
            }
        };
        build_requests_in_place(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        let expected = [
            "#[allow(unused_mut)]letmutrequest=::reqwest::Request::new(::reqwest::Method::GET,url);",
            "request.headers_mut().append(::reqwest::header::ACCEPT,::reqwest::header::HeaderValue::from_static(\"application/json\"));",
            "workspaces_sdk_runtime::plumbing::query_if_set(&mutrequest,\"cursor\",&cursor).map_err(Error::InvalidRequest)?;",
            "workspaces_sdk_runtime::plumbing::query(&mutrequest,\"page\",&page).map_err(Error::InvalidRequest)?;",
            "workspaces_sdk_runtime::plumbing::replace_headers(&mutrequest,header_map);",
            "letinfo=",
        ]
        .concat();
        assert!(text.contains(&expected), "in place, in the chain's order: {text}");
        assert!(!text.contains(".build()"), "{text}");
    }

    #[test]
    fn a_chain_with_a_step_not_known_is_left_as_progenitor_wrote_it() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct CreateThing<'a> {
                    client: Cow<'a, Client>,
                }
                impl<'a> CreateThing<'a> {
                    pub(crate) async fn dispatch(self) {
                        let mut request = client.client.post(url).json(&body).headers(header_map).build()?;
                    }
                }
            }
        };
        let before = file.to_token_stream().to_string();
        build_requests_in_place(&mut file);
        assert_eq!(file.to_token_stream().to_string(), before);
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
            text.contains("200u16=>workspaces_sdk_runtime::plumbing::json_response(response).await"),
            "{text}"
        );
        assert!(
            text.contains("Error::ErrorResponse(workspaces_sdk_runtime::plumbing::stream_response(response))"),
            "{text}"
        );
        assert!(!text.contains("ResponseValue::"), "{text}");
    }
}
