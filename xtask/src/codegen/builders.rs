//! The builders of requests: each setter documented with its parameter's
//! description in the spec, a setter of a list that takes any iterable of
//! anything that converts into the list's items (`.ids(["a", "b"])`), and a
//! builder that can own its client (`into_owned()`), so that a request and
//! its stream can outlive the client's borrow.

use syn::{ImplItem, Item, visit_mut::VisitMut};

use super::plan::OperationPlan;
use crate::runtime_paths::{CALL_OPTIONS, RETRY};
use crate::type_index::type_name;
use crate::{
    model::Location,
    type_index::{Shape, module_items_mut, shape},
};

/// A setter's rustdoc is its parameter's description in the spec.
pub(super) fn document_setters(file: &mut syn::File, plans: &[OperationPlan]) -> usize {
    let mut documented = 0;
    for item in module_items_mut(file, "builder").into_iter().flatten() {
        let Item::Impl(block) = item else { continue };
        let Some(builder) = type_name(&block.self_ty) else {
            continue;
        };
        let Some(plan) = plans.iter().find(|plan| plan.builder == builder) else {
            continue;
        };
        for item in &mut block.items {
            let ImplItem::Fn(f) = item else { continue };
            let Some(setter) = plan.setters.iter().find(|s| f.sig.ident == s.method) else {
                continue;
            };
            let description = setter.parameter().map(|p| p.description.as_str()).unwrap_or_default();
            let doc = match setter.location {
                Location::Body => "Sets the request body.".to_owned(),
                location => format!(
                    "Sets the {} parameter `{}`. {description}",
                    location.as_str(),
                    setter.parameter
                ),
            };
            let doc = doc.trim_end();
            f.attrs.retain(|a| !a.path().is_ident("doc"));
            f.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
            documented += 1;
        }
    }
    documented
}

/// progenitor's setter of a list takes `V: TryInto<Vec<T>>`: only a `Vec<T>`
/// itself. Each such setter takes `V: IntoIterator` whose items are
/// `Into<T>` instead, and cannot fail.
pub(super) fn setters_take_any_list(file: &mut syn::File) -> usize {
    let mut changed = 0;
    for item in module_items_mut(file, "builder").into_iter().flatten() {
        let Item::Impl(block) = item else { continue };
        for item in &mut block.items {
            let ImplItem::Fn(setter) = item else { continue };
            let Some(element) = list_element(setter) else { continue };
            let Some((field, optional)) = assigned_field(setter) else {
                continue;
            };
            let value = match optional {
                true => quote::quote!(Ok(Some(value.into_iter().map(::std::convert::Into::into).collect()))),
                false => quote::quote!(Ok(value.into_iter().map(::std::convert::Into::into).collect())),
            };
            setter.sig.generics.where_clause = Some(syn::parse_quote! {
                where V: ::std::iter::IntoIterator, V::Item: ::std::convert::Into<#element>
            });
            setter.block = syn::parse_quote!({
                self.#field = #value;
                self
            });
            changed += 1;
        }
    }
    changed
}

/// `T` of a setter bounded `V: TryInto<Vec<T>>`.
fn list_element(setter: &syn::ImplItemFn) -> Option<syn::Type> {
    let ty = super::index::setter_type(setter)?;
    match shape(&ty) {
        Shape::Vec(element) => Some(element.clone()),
        _ => None,
    }
}

/// The field a setter assigns (`self.ids = ...`), and whether it wraps the
/// value in `Some`.
fn assigned_field(setter: &syn::ImplItemFn) -> Option<(syn::Ident, bool)> {
    setter.block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Expr(syn::Expr::Assign(assign), _) = stmt else {
            return None;
        };
        let syn::Expr::Field(field) = assign.left.as_ref() else {
            return None;
        };
        let syn::Member::Named(name) = &field.member else {
            return None;
        };
        let mut wraps = WrapsInSome(false);
        syn::visit::Visit::visit_expr(&mut wraps, &assign.right);
        Some((name.clone(), wraps.0))
    })
}

/// Whether an expression names `Some` (as in `.map(Some)`).
struct WrapsInSome(bool);

impl<'ast> syn::visit::Visit<'ast> for WrapsInSome {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.0 |= path.is_ident("Some");
        syn::visit::visit_path(self, path);
    }
}

/// A builder borrows its client (`&'a Client`), so neither it nor its
/// stream can outlive that borrow: no `tokio::spawn`, no returning it from a
/// function that owns the client. The client is held as a `Cow<'a, Client>`
/// instead, and `into_owned()` gives the same request holding a clone of the
/// client, `'static`.
pub(super) fn builders_can_own_their_client(file: &mut syn::File) -> usize {
    let Some(items) = module_items_mut(file, "builder") else {
        return 0;
    };
    let mut builders = Vec::new();
    for item in items.iter_mut() {
        match item {
            Item::Struct(builder) => {
                let mut others = Vec::new();
                let mut has_client = false;
                for field in builder.fields.iter_mut() {
                    let Some(ident) = &field.ident else { continue };
                    if ident == "client" {
                        field.ty = syn::parse_quote!(::std::borrow::Cow<'a, super::Client>);
                        has_client = true;
                    } else {
                        others.push(ident.clone());
                    }
                }
                if has_client {
                    builders.push((builder.ident.clone(), others));
                }
            }
            Item::Impl(block) => {
                for item in &mut block.items {
                    if let ImplItem::Fn(f) = item
                        && f.sig.ident == "new"
                    {
                        BorrowTheClient.visit_block_mut(&mut f.block);
                    }
                }
            }
            _ => {}
        }
    }
    let owned = builders.len();
    for (builder, fields) in builders {
        items.push(syn::parse_quote! {
            impl #builder<'_> {
                /// This request holding its own clone of the client: it, and its
                /// stream, can outlive the client's borrow (to be spawned in a task,
                /// or returned from a function that owns the client).
                pub fn into_owned(self) -> #builder<'static> {
                    #builder {
                        client: ::std::borrow::Cow::Owned(self.client.into_owned()),
                        #( #fields: self.#fields, )*
                    }
                }
            }
        });
    }
    owned
}

/// Every builder carries the options of its call (`pub(crate)
/// call_options`, boxed and only when set: a builder is cloned for each
/// attempt, and its call's future holds it), set by `with_timeout`,
/// `with_retry`, `with_deadline` and `with_header`, which the glue's
/// `send()` hands to the runtime; `dispatch()` leaves them out of its
/// destructuring. A setter of a parameter named like one of these methods is
/// not shadowed: the methods are then left out.
pub(super) fn builders_take_call_options(file: &mut syn::File) -> usize {
    let Some(items) = module_items_mut(file, "builder") else {
        return 0;
    };
    let (mut builders, mut with_methods) = (Vec::new(), Vec::new());
    for item in items.iter() {
        let Item::Struct(builder) = item else { continue };
        let names: Vec<String> = builder
            .fields
            .iter()
            .filter_map(|f| f.ident.as_ref())
            .map(|i| i.to_string())
            .collect();
        if names.iter().any(|n| n == "client") {
            builders.push(builder.ident.clone());
            if ["with_timeout", "with_retry", "with_deadline", "with_header"]
                .iter()
                .all(|n| !names.iter().any(|m| m == n))
            {
                with_methods.push(builder.ident.clone());
            }
        }
    }
    for item in items.iter_mut() {
        match item {
            Item::Struct(builder) if builders.contains(&builder.ident) => {
                if let syn::Fields::Named(fields) = &mut builder.fields {
                    fields
                        .named
                        .push(syn::parse_quote!(pub(crate) call_options: ::std::option::Option<::std::boxed::Box<#CALL_OPTIONS>>));
                }
            }
            Item::Impl(block) if type_name(&block.self_ty).is_some_and(|b| builders.iter().any(|i| i == &b)) => {
                for item in &mut block.items {
                    let ImplItem::Fn(f) = item else { continue };
                    if f.sig.ident == "new" {
                        AddTheOptions.visit_block_mut(&mut f.block);
                    } else if f.sig.ident == "dispatch" {
                        LeaveTheOptionsOut.visit_block_mut(&mut f.block);
                    }
                }
            }
            _ => {}
        }
    }
    let optioned = builders.len();
    for builder in with_methods {
        items.push(syn::parse_quote! {
            impl #builder<'_> {
                /// Gives up on each of this call's attempts after `timeout`, body
                /// included, instead of the client's timeout. A call that is retried
                /// may take several times this: [`Self::with_deadline`] bounds the
                /// whole call.
                pub fn with_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                    self.call_options.get_or_insert_default().timeout = Some(timeout);
                    self
                }

                /// Gives up on this call after `deadline`, every attempt and every
                /// wait before a retry included: an attempt under way then fails as
                /// a timeout, and no retry starts that would end after it.
                pub fn with_deadline(mut self, deadline: ::std::time::Duration) -> Self {
                    self.call_options.get_or_insert_default().deadline = Some(deadline);
                    self
                }

                /// Retries this call as `retry` says, instead of the client's policy
                /// (`Retry::disabled()`: sent once).
                pub fn with_retry(mut self, retry: #RETRY) -> Self {
                    self.call_options.get_or_insert_default().retry = Some(retry);
                    self
                }

                /// Sends the header `name: value` with every attempt of this call
                /// (a trace or correlation id, say), over the client's default headers
                /// and the spec's header defaults. A header that carries the client's
                /// credential, or one HTTP does not allow, fails the call with
                /// `ErrorKind::InvalidRequest` before anything is sent.
                pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                    self.call_options.get_or_insert_default().add_header(name.into(), value.into());
                    self
                }
            }
        });
    }
    optioned
}

/// The fields of the page number and page size of each page-number listing's
/// builder (`(builder, [field, ...])`) become `pub(crate)`, so that its
/// listing starts at the request's own page and keeps its own page size.
/// Returns how many fields it opened.
pub(super) fn paging_fields_readable(file: &mut syn::File, fields: &[(String, Vec<String>)]) -> usize {
    let Some(items) = module_items_mut(file, "builder") else {
        return 0;
    };
    let mut opened = 0;
    for item in items.iter_mut() {
        let Item::Struct(builder) = item else { continue };
        let Some((_, wanted)) = fields.iter().find(|(name, _)| builder.ident == name) else {
            continue;
        };
        for field in builder.fields.iter_mut() {
            if field
                .ident
                .as_ref()
                .is_some_and(|ident| wanted.iter().any(|w| ident == w))
            {
                field.vis = syn::parse_quote!(pub(crate));
                opened += 1;
            }
        }
    }
    opened
}

/// `Self { client, .. }` in `new()` gets `options: Default::default()`.
struct AddTheOptions;

impl VisitMut for AddTheOptions {
    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        if expr.path.is_ident("Self") {
            expr.fields
                .push(syn::parse_quote!(call_options: ::std::default::Default::default()));
        }
    }
}

/// `let Self { client, .. } = self;` in `dispatch()` ignores the options.
struct LeaveTheOptionsOut;

impl VisitMut for LeaveTheOptionsOut {
    fn visit_pat_struct_mut(&mut self, pattern: &mut syn::PatStruct) {
        if pattern.path.is_ident("Self") && pattern.rest.is_none() {
            if !pattern.fields.empty_or_trailing() {
                pattern.fields.push_punct(Default::default());
            }
            pattern.rest = Some(syn::PatRest {
                attrs: Vec::new(),
                dot2_token: Default::default(),
            });
        }
    }
}

/// `Self { client: client, .. }` becomes `Self { client: Cow::Borrowed(client), .. }`.
struct BorrowTheClient;

impl VisitMut for BorrowTheClient {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        if matches!(&field.member, syn::Member::Named(name) if name == "client") {
            field.expr = syn::parse_quote!(::std::borrow::Cow::Borrowed(client));
            field.colon_token = Some(Default::default());
        }
    }
}

#[cfg(test)]
mod document_setters_tests {
    use super::*;
    use crate::codegen::plan::{OperationPlan, Setter};

    #[test]
    fn a_setter_s_doc_is_its_parameter_s_description() {
        let spec = crate::model::tests_support::minimal_spec();
        let parameter = crate::model::Parameter {
            name: "cursor".into(),
            location: Location::Query,
            required: false,
            description: "Where the page starts.".into(),
            schema: None,
            bounds: None,
            header_default: None,
        };
        let setter = |method: &str, location, declared| Setter {
            method: method.into(),
            parameter: method.into(),
            location,
            ty: syn::parse_quote!(String),
            declared,
        };
        let plan = OperationPlan {
            operation: spec.operations[0].clone(),
            hook_id: "list_things".into(),
            method: "list_things".into(),
            builder: "ListThings".into(),
            setters: vec![
                setter("cursor", Location::Query, Some((0, parameter))),
                setter("body", Location::Body, None),
            ],
            success: syn::parse_quote!(()),
            error: syn::parse_quote!(()),
            success_by_status: false,
            error_by_status: false,
            statuses: Vec::new(),
            splits: Vec::new(),
            paging: None,
            lists_workspaces: false,
            in_mock: true,
            public: false,
        };
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListThings<'a> {
                    /// `cursor`.
                    pub fn cursor<V>(self, value: V) -> Self { self }
                    pub fn body<V>(self, value: V) -> Self { self }
                    pub fn other(self) -> Self { self }
                }
            }
        };
        assert_eq!(document_setters(&mut file, &[plan]), 2);
        let printed = prettyplease::unparse(&file);
        assert!(
            printed.contains("///Sets the query parameter `cursor`. Where the page starts.\n"),
            "{printed}"
        );
        assert!(printed.contains("///Sets the request body.\n"), "{printed}");
        assert!(!printed.contains("`cursor`.\n"), "progenitor's doc goes: {printed}");
    }
}

#[cfg(test)]
mod paging_fields_tests {
    use super::*;

    #[test]
    fn the_page_and_size_fields_of_a_listing_become_readable_in_the_crate() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct ListThings<'a> {
                    pub(crate) client: &'a super::Client,
                    page: Result<Option<::std::num::NonZeroU64>, String>,
                    page_size: Result<Option<::std::num::NonZeroU64>, String>,
                    search: Result<Option<String>, String>,
                }
                pub struct Other { page: Result<Option<u64>, String> }
            }
        };
        let fields = [("ListThings".to_owned(), vec!["page".to_owned(), "page_size".to_owned()])];
        assert_eq!(paging_fields_readable(&mut file, &fields), 2);
        let printed = prettyplease::unparse(&file);
        assert!(printed.contains("pub(crate) page: Result"), "{printed}");
        assert!(printed.contains("pub(crate) page_size: Result"), "{printed}");
        assert!(printed.contains("        search: Result"), "{printed}");
        assert!(
            printed.contains("pub struct Other {\n        page: Result"),
            "{printed}"
        );
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn a_list_setter_takes_any_iterable_of_its_items() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListThings<'a> {
                    pub fn ids<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                    {
                        self.ids = value.try_into().map(Some).map_err(|_| "conversion failed".to_string());
                        self
                    }
                    pub fn tags<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<Vec<types::Tag>>,
                    {
                        self.tags = value.try_into().map_err(|_| "conversion failed".to_string());
                        self
                    }
                    pub fn name<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<::std::string::String>,
                    {
                        self.name = value.try_into().map(Some).map_err(|_| "conversion failed".to_string());
                        self
                    }
                }
            }
        };
        setters_take_any_list(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("whereV:::std::iter::IntoIterator,V::Item:::std::convert::Into<::std::string::String>"),
            "{text}"
        );
        assert!(
            text.contains("self.ids=Ok(Some(value.into_iter().map(::std::convert::Into::into).collect()));"),
            "{text}"
        );
        assert!(
            text.contains("self.tags=Ok(value.into_iter().map(::std::convert::Into::into).collect());"),
            "a required list: {text}"
        );
        assert!(
            text.contains("V:std::convert::TryInto<::std::string::String>"),
            "a setter of one value is left as it is: {text}"
        );
    }

    #[test]
    fn a_builder_holds_its_client_as_a_cow_and_can_own_it() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                #[derive(Debug, Clone)]
                pub struct ListThings<'a> {
                    pub(crate) client: &'a super::Client,
                    cursor: Result<Option<String>, String>,
                }
                impl<'a> ListThings<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, cursor: Ok(None) }
                    }
                }
            }
        };
        builders_can_own_their_client(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("pub(crate)client:::std::borrow::Cow<'a,super::Client>,"),
            "{text}"
        );
        assert!(
            text.contains("Self{client:::std::borrow::Cow::Borrowed(client),cursor:Ok(None)}"),
            "{text}"
        );
        assert!(
            text.contains(
                "pubfninto_owned(self)->ListThings<'static>{ListThings{client:::std::borrow::Cow::Owned(self.client.into_owned()),cursor:self.cursor,}}"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_builder_carries_its_call_s_options_and_dispatch_leaves_them_out() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct ListThings<'a> {
                    pub(crate) client: &'a super::Client,
                    cursor: Result<Option<String>, String>,
                }
                impl<'a> ListThings<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, cursor: Ok(None) }
                    }
                    pub(crate) async fn dispatch(self) -> Result<(), ()> {
                        let Self { client, cursor } = self;
                        Ok(())
                    }
                }
                pub struct WithTimeout<'a> {
                    pub(crate) client: &'a super::Client,
                    with_timeout: Result<Option<u64>, String>,
                }
            }
        };
        builders_take_call_options(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains(
                "pub(crate)call_options:::std::option::Option<::std::boxed::Box<workspaces_sdk_runtime::plumbing::CallOptions>>"
            ),
            "{text}"
        );
        assert!(
            text.contains("Self{client:client,cursor:Ok(None),call_options:::std::default::Default::default()}"),
            "{text}"
        );
        assert!(text.contains("letSelf{client,cursor,..}=self;"), "{text}");
        assert_eq!(
            text.matches(
                "call_options:::std::option::Option<::std::boxed::Box<workspaces_sdk_runtime::plumbing::CallOptions>>"
            )
            .count(),
            2,
            "{text}"
        );
        assert!(text.contains("implListThings<'_>{"), "{text}");
        assert!(
            text.contains("self.call_options.get_or_insert_default().timeout=Some(timeout);"),
            "set options are boxed when first set: {text}"
        );
        assert_eq!(
            text.matches("pubfnwith_timeout").count(),
            1,
            "a parameter's setter is not shadowed: {text}"
        );
    }
}
