//! `crates/cli/src/generated.rs`: what the command line's mock server answers
//! for each provider, read off its spec: every operation with a JSON success
//! example, how the credential comes, and how long listings are split; and
//! the filter flags of `workspaces list`, one per query parameter of each
//! provider's listing, with the code that hands their values to its setters.

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::marker;
use crate::{
    codegen::{Generated, PagingStyle},
    load::{self, SpecError},
    model::{CursorKind, EndMark, Location, PaginationStyle, Place, Spec},
    type_index::{Shape, integer_primitive, shape},
};

/// `crates/cli/src/generated.rs`: the mock server's table and the filters.
pub fn cli_module(specs: &[&Spec], generated: &[&Generated]) -> Result<String, SpecError> {
    let mocks = cli_mocks(specs)?;
    let filters = filters(specs, generated)?;
    let code = super::rust(quote!(#mocks #filters), "openapi/".as_ref(), "the command line's table")?;
    let mut out = marker("//", "every spec in openapi/");
    out += "//! What the mock server answers for each provider, from the examples of its spec,\n\
            //! and the filter flags of `workspaces list` from the parameters of its listing.\n\n";
    out += &code;
    Ok(out)
}

/// The mock server's table of every provider.
fn cli_mocks(specs: &[&Spec]) -> Result<TokenStream, SpecError> {
    let mocks =
        specs.iter().map(|spec| {
            let routes = spec.operations.iter().filter_map(|operation| {
            let path = &operation.path;
            let json = |status: &str| {
                operation
                    .examples
                    .iter()
                    .find(|e| e.status == status && load::is_json(&e.media_type))
                    .map(|e| e.value.to_string())
            };
            let success = json("200")?;
            let unauthorized = match json("401") {
                Some(body) => quote!(Some(#body)),
                None => quote!(None),
            };
            let paging = match &operation.pagination {
                None => quote!(None),
                Some(p) => {
                    let items = &p.items;
                    let marks = |pointer: &Option<String>| match pointer {
                        Some(pointer) => quote!(Some(#pointer)),
                        None => quote!(None),
                    };
                    let (has_more, total) = (marks(&p.has_more), marks(&p.total));
                    let chained = |page: &crate::model::CursorPage| {
                        let end_pointer = &page.end.pointer;
                        let end = match page.end.mark {
                            EndMark::Null => quote!(crate::mock::PageEnd::Null),
                            EndMark::Absent => quote!(crate::mock::PageEnd::Absent),
                            EndMark::Empty => quote!(crate::mock::PageEnd::Empty),
                        };
                        let objects = page.objects.iter().map(|(pointer, instance)| {
                            let instance = instance.to_string();
                            quote!((#pointer, #instance))
                        });
                        quote!(end: (#end_pointer, #end), objects: &[#(#objects),*])
                    };
                    let style = match &p.style {
                        PaginationStyle::Cursor { parameter, next_cursor, page } => {
                            let integer = page.kind == CursorKind::Integer;
                            let chained = chained(page);
                            quote! {
                                crate::mock::MockStyle::Cursor {
                                    parameter: #parameter, next_cursor: #next_cursor, integer: #integer, #chained,
                                }
                            }
                        }
                        PaginationStyle::Page { page, size, .. } => quote! {
                            crate::mock::MockStyle::Page { page: #page, size: #size }
                        },
                        PaginationStyle::Offset { offset, size, .. } => quote! {
                            crate::mock::MockStyle::Offset { offset: #offset, size: #size }
                        },
                        PaginationStyle::NextLink { next_link, page } => {
                            let chained = chained(page);
                            quote!(crate::mock::MockStyle::NextLink { next_link: #next_link, #chained })
                        }
                        PaginationStyle::LinkHeader => quote!(crate::mock::MockStyle::LinkHeader),
                    };
                    quote! {
                        Some(crate::mock::MockPaging { style: #style, items: #items, has_more: #has_more, total: #total })
                    }
                }
            };
            let filters = match &operation.item_filters {
                None => quote!(None),
                Some(filters) => {
                    let items = &filters.items;
                    let by_property = filters.by_property.iter().map(|(parameter, property)| quote!((#parameter, #property)));
                    let ignored = &filters.others;
                    quote! {
                        Some(crate::mock::MockFilters { items: #items, by_property: &[#(#by_property),*], ignored: &[#(#ignored),*] })
                    }
                }
            };
            let method = operation.method.to_uppercase();
            Some(quote! {
                Route { method: #method, path: #path, success: #success, unauthorized: #unauthorized, paging: #paging, filters: #filters }
            })
        });
            let id = &spec.id;
            let auth = match spec.auth.schemes.first().map(|scheme| &scheme.place) {
                Some(Place::Header { name, prefix }) => quote!(MockAuth::Header { name: #name, prefix: #prefix }),
                Some(Place::Basic) => quote!(MockAuth::Basic),
                Some(Place::Query(name)) => quote!(MockAuth::Query(#name)),
                Some(Place::Cookie(name)) => quote!(MockAuth::Cookie(#name)),
                None => return Err(spec.listing_needs_credential()),
            };
            Ok(quote! {
                Mock { provider: #id, auth: #auth, routes: &[#(#routes),*] }
            })
        });
    let mocks: Vec<TokenStream> = mocks.collect::<Result<_, _>>()?;
    Ok(quote! {
        use crate::mock::{Mock, MockAuth, Route};

        impl Mock {
            /// Each provider's mock, by provider id.
            pub(crate) const ALL: &'static [Mock] = &[#(#mocks),*];
        }
    })
}

/// A query parameter of a listing, as a filter flag.
struct FilterParameter<'a> {
    setter: &'a crate::codegen::Setter,
    kind: TokenStream,
    help: String,
    /// How its value reaches the request (`None`: by `Paging`).
    apply: Option<TokenStream>,
}

/// `Filter::ALL` and `filtered`: each provider's listing with the filters given.
fn filters(specs: &[&Spec], generated: &[&Generated]) -> Result<TokenStream, SpecError> {
    let mut table = Vec::new();
    let mut arms = Vec::new();
    for (spec, g) in specs.iter().zip(generated) {
        let op = g.listing().ok_or_else(|| {
            spec.listing().err().unwrap_or_else(|| SpecError {
                file: spec.file.clone(),
                pointer: "/paths".into(),
                message: "no plan of the operation `x-workspaces` names".into(),
            })
        })?;
        let parameters = filter_parameters(spec, g, op);
        let (id, name) = (&spec.id, &spec.sdk.provider);
        for p in &parameters {
            let (parameter, kind, help) = (&p.setter.parameter, &p.kind, &p.help);
            let flag = parameter.to_kebab_case();
            table.push(quote! {
                Filter { provider: #id, provider_name: #name, parameter: #parameter, flag: #flag, help: #help, kind: #kind }
            });
        }
        let variant = super::facade::provider_variant(spec);
        let method = format_ident!("{}", op.method);
        let applies = parameters.iter().filter_map(|p| p.apply.as_ref());
        arms.push(quote! {
            Client::#variant(client) => {
                let request = client.#method();
                #(#applies)*
                request.workspace_pages_with(paging)
            }
        });
    }
    let unused = match table.is_empty() {
        true => quote!(let _ = filters;),
        false => quote!(),
    };
    Ok(quote! {
        use workspaces_sdk::{Client, ListWorkspaces, Paging, WorkspacePages};

        use crate::{exit::Failure, filters::{Filter, FilterKind, Filters}};

        impl Filter {
            /// Each provider's filters: the query parameters of its listing.
            pub(crate) const ALL: &'static [Filter] = &[#(#table),*];
        }

        /// The listing of `client`, with the filters given for its provider.
        pub(crate) fn filtered<'a>(client: &'a Client, filters: &Filters, paging: Paging) -> Result<WorkspacePages<'a>, Failure> {
            #unused
            Ok(match client {
                #(#arms)*
                other => other.workspace_pages_with(paging),
            })
        }
    })
}

/// The query parameters of a listing that a user sets: all but the ones the
/// pagination walk sets itself (the page number, the cursor).
fn filter_parameters<'a>(
    spec: &Spec,
    generated: &Generated,
    op: &'a crate::codegen::OperationPlan,
) -> Vec<FilterParameter<'a>> {
    // A generated type without `FromStr` (an integer enum, say) is read from
    // the flag's text as JSON.
    let from_json = |ty: &syn::Type| {
        match shape(ty) {
        Shape::Generated(name) => !crate::type_index::module_items(&generated.file, "types")
            .iter()
            .any(|item| matches!(item, syn::Item::Impl(block)
                if block.trait_.as_ref().is_some_and(|(_, path, _)| path.segments.last().is_some_and(|s| s.ident == "FromStr"))
                    && crate::type_index::last_segment(&block.self_ty).is_some_and(|(ident, _)| *ident == name))),
        _ => false,
    }
    };
    // The page size stays a flag (the walk's `Paging::page_size`); the
    // cursor and the page number are the walk's alone.
    let (walked, size) = match op.paging.as_ref().map(|p| &p.style) {
        Some(PagingStyle::Cursor { cursor, .. }) => (vec![cursor], None),
        Some(style @ (PagingStyle::Page { .. } | PagingStyle::Offset { .. })) => {
            let (position, size) = style.positional().expect("a positional style");
            (vec![position], Some(size))
        }
        Some(PagingStyle::NextLink { .. } | PagingStyle::LinkHeader) | None => (Vec::new(), None),
    };
    let id = &spec.id;
    let types_path: syn::Path = {
        let module = format_ident!("{id}");
        syn::parse_quote!(workspaces_sdk::#module)
    };
    let mut setters: Vec<_> = op
        .setters
        .iter()
        .filter(|setter| setter.location == Location::Query && !walked.contains(setter))
        .collect();
    // In the spec's order.
    setters.sort_by_key(|setter| setter.declared.as_ref().map(|(position, _)| *position));
    setters
        .into_iter()
        .map(|setter| {
            let parameter = &setter.parameter;
            let in_spec = setter.parameter();
            let schema = setter.schema();
            let bound = in_spec.and_then(|p| p.bounds);
            let limit = |n: Option<f64>| match n {
                Some(n) => {
                    let n = proc_macro2::Literal::i64_unsuffixed(n as i64);
                    quote!(Some(#n))
                }
                None => quote!(None),
            };
            let (min, max) = (limit(bound.and_then(|b| b.minimum)), limit(bound.and_then(|b| b.maximum)));
            let documented: Vec<String> = schema
                .and_then(|s| s.get("enum"))
                .and_then(serde_json::Value::as_array)
                .map(|values| values.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            let method = format_ident!("{}", setter.method);
            let ty = crate::type_index::qualify_with(&setter.ty, &types_path);
            let given = quote!(filters.value(#id, #parameter));
            let (kind, apply) = match shape(&setter.ty) {
                _ if size == Some(setter) => (quote!(FilterKind::PageSize { min: #min, max: #max }), None),
                Shape::Vec(item) => {
                    let parse_all = match from_json(item) {
                        true => quote!(parse_all_json),
                        false => quote!(parse_all),
                    };
                    let item = crate::type_index::qualify_with(item, &types_path);
                    (
                        quote!(FilterKind::List),
                        Some(quote! {
                            let request = match filters.values(#id, #parameter) {
                                Some(values) => request.#method(crate::filters::#parse_all::<#item>(#parameter, values)?),
                                None => request,
                            };
                        }),
                    )
                }
                shape => {
                    let kind = if matches!(&setter.ty, syn::Type::Path(p) if p.path.is_ident("bool")) {
                        quote!(FilterKind::Switch)
                    } else if shape == Shape::DateTime {
                        quote!(FilterKind::Time)
                    } else if integer_primitive(&setter.ty).is_some() {
                        quote!(FilterKind::Integer { min: #min, max: #max })
                    } else if !documented.is_empty() {
                        quote!(FilterKind::Choice(&[#(#documented),*]))
                    } else {
                        quote!(FilterKind::Text)
                    };
                    let parse = match from_json(&setter.ty) {
                        true => quote!(parse_json),
                        false => quote!(parse),
                    };
                    let apply = quote! {
                        let request = match #given {
                            Some(value) => request.#method(crate::filters::#parse::<#ty>(#parameter, value)?),
                            None => request,
                        };
                    };
                    (kind, Some(apply))
                }
            };
            let description = in_spec
                .map(|p| p.description.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            let default = schema
                .and_then(|s| s.get("default"))
                .map(|d| format!(" Default: {}.", d.as_str().map_or(d.to_string(), str::to_owned)))
                .unwrap_or_default();
            let values = match documented.is_empty() {
                true => String::new(),
                false => format!(" One of: {}.", documented.join(", ")),
            };
            let help = format!("{description}{values}{default}").trim().to_owned();
            let help = if help.is_empty() { format!("The query parameter `{parameter}`.") } else { help };
            FilterParameter {
                setter,
                kind,
                help,
                apply,
            }
        })
        .collect()
}
