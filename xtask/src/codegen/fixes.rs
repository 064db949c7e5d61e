//! Passes over progenitor's output (each listed in `passes.rs`, and each
//! returning how many sites it changed): where the generated glue takes over
//! (constructor, `send()`), the open enums and status enums in `types`, and
//! the mock's matching of values. The builders' own are in `builders.rs`.

use syn::{ImplItem, Item, visit_mut::VisitMut};

use crate::runtime_paths::{BASE_URL, CONTEXT};
use crate::type_index::module_items_mut;

/// progenitor's mock matches a parameter against its `Display` text, which
/// for a timestamp is not what the client sends (`2024-02-29 23:59:58 UTC`
/// against `2024-02-29T23:59:58Z`), and which an object does not have: the
/// mock renders values as serde does, and matches an object query parameter
/// field by field, as the client sends it.
pub(super) fn put_values_on_the_wire_as_the_client_does(file: &mut syn::File) -> usize {
    fn value_to_string(expr: &syn::Expr) -> Option<&syn::Expr> {
        match expr {
            syn::Expr::MethodCall(call)
                if call.method == "to_string"
                    && call.args.is_empty()
                    && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("value") || p.path.is_ident("item")) =>
            {
                Some(&call.receiver)
            }
            _ => None,
        }
    }
    struct Fix(usize);
    impl VisitMut for Fix {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::MethodCall(call) = expr
                && call.method == "query_param"
                && let [name, value] = call.args.iter().collect::<Vec<_>>()[..]
                && let Some(receiver) = value_to_string(value)
                && matches!(receiver, syn::Expr::Path(p) if p.path.is_ident("value"))
            {
                let when = &call.receiver;
                *expr = syn::parse_quote!(super::query_matches(#when, #name, &#receiver));
                self.0 += 1;
                return;
            }
            if let Some(receiver) = value_to_string(expr) {
                let receiver = receiver.clone();
                *expr = syn::parse_quote!(super::wire_value(&#receiver));
                self.0 += 1;
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    let mut fix = Fix(0);
    fix.visit_file_mut(file);
    file.items.push(syn::parse_quote! {
        /// A parameter's value as the client puts it on the wire: as serde
        /// writes it (a string as it is, anything else as its JSON text).
        #[allow(dead_code)]
        fn wire_value<T: ::serde::Serialize + ?Sized>(value: &T) -> String {
            match ::serde_json::to_value(value) {
                Ok(::serde_json::Value::String(text)) => text,
                Ok(other) => other.to_string(),
                Err(_) => String::new(),
            }
        }
    });
    file.items.push(syn::parse_quote! {
        /// A query parameter matched as the client sends it: an object as
        /// one parameter per field, anything else as its wire value.
        #[allow(dead_code)]
        fn query_matches<T: ::serde::Serialize + ?Sized>(when: ::httpmock::When, name: &str, value: &T) -> ::httpmock::When {
            match ::serde_json::to_value(value) {
                Ok(::serde_json::Value::Object(fields)) => fields
                    .iter()
                    .fold(when, |when, (field, value)| when.query_param(field, wire_value(value))),
                _ => when.query_param(name, wire_value(value)),
            }
        }
    });
    fix.0
}

/// progenitor's mock answers some bodies (an enum's) from a `value` taken by
/// value, and hands it to `json_body_obj`, which takes a reference: it does
/// not compile. Such a `value` is taken by reference, as every other body is.
pub(super) fn mock_bodies_by_reference(file: &mut syn::File) -> usize {
    struct Fix(usize);
    impl VisitMut for Fix {
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            if hands_value_to_json_body_obj(&f.block) {
                for input in &mut f.sig.inputs {
                    if let syn::FnArg::Typed(arg) = input
                        && matches!(&*arg.pat, syn::Pat::Ident(p) if p.ident == "value")
                        && !matches!(&*arg.ty, syn::Type::Reference(_))
                    {
                        let ty = &arg.ty;
                        *arg.ty = syn::parse_quote!(&#ty);
                        self.0 += 1;
                    }
                }
            }
            syn::visit_mut::visit_impl_item_fn_mut(self, f);
        }
    }
    let mut fix = Fix(0);
    fix.visit_file_mut(file);
    fix.0
}

/// Whether `block` calls `json_body_obj(value)` with the bare `value`.
fn hands_value_to_json_body_obj(block: &syn::Block) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            self.0 |= call.method == "json_body_obj"
                && matches!(call.args.first(), Some(syn::Expr::Path(p)) if p.path.is_ident("value"));
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_block(&mut finder, block);
    finder.0
}

/// progenitor's mock matches an array query parameter against the array's
/// `to_string()`, which does not compile: each item is matched instead.
pub(super) fn match_array_query_parameters_item_by_item(file: &mut syn::File) -> usize {
    struct Fix(usize);
    impl VisitMut for Fix {
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            // An optional array: `value: T where T: Into<Option<&Vec<_>>>`.
            let optional = super::index::bound_argument(f, None).is_some_and(|ty| names_a_vec(&ty));
            // A required one: `value: &Vec<_>`.
            let required = f.sig.inputs.iter().any(|input| {
                matches!(input, syn::FnArg::Typed(arg)
                    if matches!(&*arg.pat, syn::Pat::Ident(p) if p.ident == "value") && names_a_vec(&arg.ty))
            });
            match query_param_name(&f.block) {
                Some(name) if optional => {
                    f.block = syn::parse_quote!({
                        if let Some(value) = value.into() {
                            Self(value.iter().fold(self.0, |when, item| when.query_param(#name, item.to_string())))
                        } else {
                            Self(self.0.query_param_missing(#name))
                        }
                    });
                    self.0 += 1;
                }
                Some(name) if required => {
                    f.block = syn::parse_quote!({
                        Self(value.iter().fold(self.0, |when, item| when.query_param(#name, item.to_string())))
                    });
                    self.0 += 1;
                }
                _ => {}
            }
            syn::visit_mut::visit_impl_item_fn_mut(self, f);
        }
    }
    let mut fix = Fix(0);
    fix.visit_file_mut(file);
    fix.0
}

/// Whether a type is or holds a `Vec` (`Option<&'a Vec<String>>`).
fn names_a_vec(ty: &syn::Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
            self.0 |= segment.ident == "Vec";
            syn::visit::visit_path_segment(self, segment);
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
}

/// The parameter name of the first `.query_param("name", ...)` call in a block.
fn query_param_name(block: &syn::Block) -> Option<String> {
    struct Finder(Option<String>);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if self.0.is_none()
                && call.method == "query_param"
                && let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                })) = call.args.first()
            {
                self.0 = Some(name.value());
            }
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut finder = Finder(None);
    syn::visit::Visit::visit_block(&mut finder, block);
    finder.0
}

/// progenitor adds `api-version: <info.version>` to every request, a header
/// no provider here documents: the statement that adds it is not emitted
/// (a header the spec itself declares, even of that name, stays).
pub(super) fn drop_the_api_version_header(file: &mut syn::File) -> usize {
    struct Fix(usize);
    impl VisitMut for Fix {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let before = block.stmts.len();
            block.stmts.retain(|stmt| !appends_the_api_version(stmt));
            self.0 += before - block.stmts.len();
            if block.stmts.len() < before {
                // The header map may have no other header to hold now.
                for stmt in &mut block.stmts {
                    if let syn::Stmt::Local(local) = stmt
                        && matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "header_map" && p.mutability.is_some())
                    {
                        local.attrs.push(syn::parse_quote!(#[allow(unused_mut)]));
                    }
                }
            }
            syn::visit_mut::visit_block_mut(self, block);
        }
    }
    let mut fix = Fix(0);
    fix.visit_file_mut(file);
    fix.0
}

/// `header_map.append(.., ..Client::api_version())`.
fn appends_the_api_version(stmt: &syn::Stmt) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            self.0 |= matches!(&*call.func, syn::Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "api_version"));
            syn::visit::visit_expr_call(self, call);
        }
    }
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    let mut finder = Finder(false);
    call.args
        .iter()
        .for_each(|arg| syn::visit::Visit::visit_expr(&mut finder, arg));
    call.method == "append" && finder.0
}

/// progenitor re-exports its own `Error` and `ClientInfo` from the generated
/// module: the crate's `Error` is the runtime's (progenitor's was shadowed,
/// but listed in the docs), and `ClientInfo` is plumbing. Both stay in scope
/// for the generated code, privately; the `ClientInfo` impl and the
/// `prelude` module are hidden from the docs.
pub(super) fn keep_progenitor_s_plumbing_private(file: &mut syn::File) -> usize {
    let mut private = vec!["ClientInfo", "Error"];
    if !names_outside_uses(file, "ByteStream") {
        private.push("ByteStream");
    }
    let mut private_uses = Vec::new();
    for item in file.items.iter_mut() {
        match item {
            Item::Use(item_use) if matches!(item_use.vis, syn::Visibility::Public(_)) => {
                let syn::UseTree::Path(path) = &mut item_use.tree else {
                    continue;
                };
                let syn::UseTree::Group(group) = path.tree.as_mut() else {
                    continue;
                };
                if path.ident != "progenitor_client" {
                    continue;
                }
                let named =
                    |tree: &syn::UseTree| matches!(tree, syn::UseTree::Name(n) if private.iter().any(|p| n.ident == p));
                let (private, public): (Vec<_>, Vec<_>) = group.items.iter().cloned().partition(named);
                if private.is_empty() {
                    continue;
                }
                group.items = public.into_iter().collect();
                private_uses.push(syn::parse_quote! {
                    #[allow(unused_imports)]
                    use progenitor_client::{#(#private),*};
                });
            }
            Item::Impl(block) if super::index::implements(block, "ClientInfo") => {
                block.attrs.push(syn::parse_quote!(#[doc(hidden)]));
            }
            Item::Mod(module) if module.ident == "prelude" => module.attrs.push(syn::parse_quote!(#[doc(hidden)])),
            _ => {}
        }
    }
    let moved = private_uses.len();
    file.items.splice(0..0, private_uses);
    moved
}

/// Whether a path outside a `use` and outside crate-private functions names
/// `ident`: `ByteStream` is public only when an operation returns one.
fn names_outside_uses(file: &syn::File, ident: &str) -> bool {
    struct Finds<'a>(&'a str, bool);
    impl syn::visit::Visit<'_> for Finds<'_> {
        fn visit_path(&mut self, path: &syn::Path) {
            self.1 |= path.segments.iter().any(|s| s.ident == self.0);
            syn::visit::visit_path(self, path);
        }
        fn visit_impl_item_fn(&mut self, function: &syn::ImplItemFn) {
            if matches!(function.vis, syn::Visibility::Public(_)) {
                syn::visit::visit_impl_item_fn(self, function);
            }
            // A `dispatch()`'s success is what the operation's public
            // `send()` returns.
            let output = quote::ToTokens::to_token_stream(&function.sig.output)
                .to_string()
                .replace(' ', "");
            if function.sig.ident == "dispatch" && output.contains(&format!("ResponseValue<{}>", self.0)) {
                self.1 = true;
            }
        }
    }
    let mut finds = Finds(ident, false);
    syn::visit::Visit::visit_file(&mut finds, file);
    finds.1
}

/// The open enums stand in the `types` module, where typify's closed ones were.
pub(super) fn add_open_enums(open_enums: &[crate::open_enums::OpenEnum], file: &mut syn::File) -> usize {
    let Some(items) = module_items_mut(file, "types") else {
        return 0;
    };
    for open in open_enums {
        items.extend(crate::open_enums::items(open));
    }
    open_enums.len()
}

/// The enum of each class of statuses whose bodies differ stands in the
/// `types` module, beside the types of its variants.
pub(super) fn add_status_enums(
    splits: &[crate::rewrite::by_status::Split],
    file: &mut syn::File,
) -> Result<usize, String> {
    let Some(items) = module_items_mut(file, "types") else {
        return Ok(0);
    };
    let names: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    for split in splits {
        items.extend(crate::codegen::status_enums::items(split, &names)?);
    }
    Ok(splits.len())
}

/// progenitor's `Client::new(baseurl, inner)` unwraps a fallible builder and
/// takes no credential: the generated glue defines `Client::new(credential)`
/// instead. `new_with_client` stays, for the glue's use only, and takes the
/// base URL checked and parsed once (`BaseUrl`), which the client keeps.
pub(super) fn replace_constructor(file: &mut syn::File) -> usize {
    let mut replaced = 0;
    for item in &mut file.items {
        if let Item::Struct(client) = item
            && client.ident == "Client"
        {
            for field in client.fields.iter_mut() {
                if field.ident.as_ref().is_some_and(|i| i == "baseurl") {
                    field.ty = syn::parse_quote!(#BASE_URL);
                }
            }
        }
        let Item::Impl(block) = item else { continue };
        if !super::index::is_client_impl(block) {
            continue;
        }
        block
            .items
            .retain(|item| !matches!(item, ImplItem::Fn(f) if f.sig.ident == "new"));
        for item in &mut block.items {
            if let ImplItem::Fn(f) = item
                && f.sig.ident == "new_with_client"
            {
                f.vis = syn::parse_quote!(pub(crate));
                f.attrs.retain(|a| !a.path().is_ident("doc"));
                f.sig.inputs = syn::parse_quote!(
                    baseurl: #BASE_URL,
                    client: reqwest::Client,
                    inner: #CONTEXT
                );
                f.block = syn::parse_quote!({ Self { baseurl, client, inner } });
                replaced += 1;
            }
        }
    }
    replaced
}

/// Each builder's `send()` becomes `pub(crate) dispatch()`, and its `client`
/// field `pub(crate)`: the glue defines `send()`, which returns the runtime's
/// error (provider, operation, status and body) instead of progenitor's.
pub(super) fn hand_send_to_the_glue(file: &mut syn::File) -> usize {
    let mut handed = 0;
    for item in module_items_mut(file, "builder").into_iter().flatten() {
        match item {
            Item::Struct(builder) => {
                for field in builder.fields.iter_mut() {
                    if field.ident.as_ref().is_some_and(|i| i == "client") {
                        field.vis = syn::parse_quote!(pub(crate));
                    }
                }
            }
            Item::Impl(block) => {
                for item in &mut block.items {
                    if let ImplItem::Fn(f) = item
                        && f.sig.ident == "send"
                    {
                        f.sig.ident = syn::Ident::new("dispatch", f.sig.ident.span());
                        f.vis = syn::parse_quote!(pub(crate));
                        f.attrs.retain(|a| !a.path().is_ident("doc"));
                        handed += 1;
                    }
                }
            }
            _ => {}
        }
    }
    handed
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn printed(file: &syn::File) -> String {
        file.to_token_stream().to_string().replace(' ', "")
    }

    #[test]
    fn the_glue_takes_over_the_constructor_and_each_send() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Client { pub(crate) baseurl: String, pub(crate) client: reqwest::Client, pub(crate) inner: Context }
            impl Client {
                /// Create a new client.
                pub fn new(baseurl: &str, inner: Context) -> Self { todo!() }
                /// Construct a new client with an existing `reqwest::Client`.
                pub fn new_with_client(baseurl: &str, client: reqwest::Client, inner: Context) -> Self { todo!() }
            }
            pub mod builder {
                pub struct ListThings<'a> { client: &'a super::Client }
                impl<'a> ListThings<'a> {
                    /// Sends a `GET` request.
                    pub async fn send(self) {}
                }
            }
        };
        assert_eq!(replace_constructor(&mut file), 1);
        assert_eq!(hand_send_to_the_glue(&mut file), 1);
        let code = printed(&file);
        assert!(
            code.contains("baseurl:workspaces_sdk_runtime::plumbing::BaseUrl,"),
            "{code}"
        );
        assert!(!code.contains("pubfnnew("), "{code}");
        assert!(
            code.contains("pub(crate)fnnew_with_client(baseurl:workspaces_sdk_runtime::plumbing::BaseUrl,"),
            "{code}"
        );
        assert!(code.contains("pub(crate)client:&'asuper::Client"), "{code}");
        assert!(code.contains("pub(crate)asyncfndispatch(self)"), "{code}");
        assert!(!code.contains("Sendsa"), "progenitor's doc of send() goes: {code}");
        assert_eq!(hand_send_to_the_glue(&mut file), 0, "nothing left to hand over");
    }

    #[test]
    fn the_open_enums_and_status_enums_stand_in_types() {
        let open = crate::open_enums::OpenEnum {
            schema: "Kind".into(),
            rust_name: "Kind".into(),
            description: String::new(),
            values: vec!["team".into()],
        };
        let mut file: syn::File = syn::parse_quote!(
            pub mod types {}
        );
        assert_eq!(add_open_enums(std::slice::from_ref(&open), &mut file), 1);
        assert!(printed(&file).contains("pubenumKind{"), "{}", printed(&file));
        assert_eq!(add_status_enums(&[], &mut file), Ok(0));
        let mut none: syn::File = syn::parse_quote!();
        assert_eq!(add_open_enums(&[open], &mut none), 0, "no types module");
    }

    #[test]
    fn an_array_query_parameter_of_the_mock_is_matched_item_by_item() {
        let mut file: syn::File = syn::parse_quote! {
            impl ListWhen {
                pub fn ids<'a, T>(self, value: T) -> Self where T: Into<Option<&'a ::std::vec::Vec<::std::string::String>>> {
                    if let Some(value) = value.into() { Self(self.0.query_param("ids", value.to_string())) } else { Self(self.0.query_param_missing("ids")) }
                }
                pub fn name<'a, T>(self, value: T) -> Self where T: Into<Option<&'a str>> {
                    if let Some(value) = value.into() { Self(self.0.query_param("name", value.to_string())) } else { Self(self.0.query_param_missing("name")) }
                }
                pub fn tag_keys(self, value: &::std::vec::Vec<types::TagKey>) -> Self {
                    Self(self.0.query_param("tagKeys", value.to_string()))
                }
            }
        };
        assert_eq!(match_array_query_parameters_item_by_item(&mut file), 2);
        let code = printed(&file);
        assert!(
            code.contains(r#"value.iter().fold(self.0,|when,item|when.query_param("ids",item.to_string()))"#),
            "{code}"
        );
        assert!(
            code.contains(
                r#"{Self(value.iter().fold(self.0,|when,item|when.query_param("tagKeys",item.to_string())))}"#
            ),
            "a required array too: {code}"
        );
        assert!(
            code.contains(r#"Self(self.0.query_param("name",value.to_string()))"#),
            "a scalar stays: {code}"
        );
    }

    #[test]
    fn the_mock_matches_values_as_serde_writes_them_and_objects_field_by_field() {
        let mut file: syn::File = syn::parse_quote! {
            impl ListWhen {
                pub fn ids<'a, T>(self, value: T) -> Self where T: Into<Option<&'a ::std::vec::Vec<::std::string::String>>> {
                    if let Some(value) = value.into() { Self(self.0.query_param("ids", value.to_string())) } else { Self(self.0.query_param_missing("ids")) }
                }
                pub fn params<'a, T>(self, value: T) -> Self where T: Into<Option<&'a ::serde_json::Map<String, ::serde_json::Value>>> {
                    if let Some(value) = value.into() { Self(self.0.query_param("params", value.to_string())) } else { Self(self.0.query_param_missing("params")) }
                }
                pub fn since(self, value: &::chrono::DateTime<::chrono::Utc>) -> Self {
                    Self(self.0.header("since", value.to_string()))
                }
            }
        };
        match_array_query_parameters_item_by_item(&mut file);
        put_values_on_the_wire_as_the_client_does(&mut file);
        let code = printed(&file);
        for expected in [
            r#"value.iter().fold(self.0,|when,item|when.query_param("ids",super::wire_value(&item)))"#,
            r#"Self(super::query_matches(self.0,"params",&value))"#,
            r#"Self(self.0.header("since",super::wire_value(&value)))"#,
            "fnwire_value<T:::serde::Serialize+?Sized>",
            "Ok(::serde_json::Value::Object(fields))=>fields.iter().fold(when,",
        ] {
            assert!(code.contains(expected), "{expected} not in {code}");
        }
    }

    #[test]
    fn a_mock_body_taken_by_value_is_taken_by_reference() {
        let mut file: syn::File = syn::parse_quote! {
            impl CreateThen {
                pub fn ok(self, value: types::Created) -> Self {
                    Self(self.0.status(200u16).json_body_obj(value))
                }
                pub fn bad_request(self, value: &types::Problem) -> Self {
                    Self(self.0.status(400u16).json_body_obj(value))
                }
                pub fn no_content(self, value: u16) -> Self {
                    Self(self.0.status(value))
                }
            }
        };
        mock_bodies_by_reference(&mut file);
        let code = printed(&file);
        for expected in [
            "pubfnok(self,value:&types::Created)",
            "pubfnbad_request(self,value:&types::Problem)",
            "pubfnno_content(self,value:u16)",
        ] {
            assert!(code.contains(expected), "{expected} not in {code}");
        }
    }

    #[test]
    fn progenitor_s_api_version_header_is_not_emitted_but_a_declared_one_is() {
        let mut file: syn::File = syn::parse_quote! {
            fn send() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                if let Some(value) = api_version {
                    header_map.append("api-version", value.to_string().try_into()?);
                }
            }
        };
        drop_the_api_version_header(&mut file);
        let code = printed(&file);
        assert!(!code.contains("Client::api_version()"), "{code}");
        assert!(code.contains("#[allow(unused_mut)]letmutheader_map"), "{code}");
        assert!(
            code.contains(r#"header_map.append("api-version",value.to_string().try_into()?)"#),
            "{code}"
        );
    }

    #[test]
    fn progenitor_s_error_and_client_info_stay_private_and_out_of_the_docs() {
        let mut file: syn::File = syn::parse_quote! {
            pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
            pub struct Client;
            impl Client { pub fn download(&self) -> ByteStream { todo!() } }
            impl ClientInfo<Context> for Client {}
            pub mod prelude { pub use self::super::Client; }
        };
        keep_progenitor_s_plumbing_private(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("#[allow(unused_imports)]useprogenitor_client::{ClientInfo,Error};"),
            "{text}"
        );
        assert!(
            text.contains("pubuseprogenitor_client::{ByteStream,ResponseValue};"),
            "{text}"
        );
        assert!(
            text.contains("#[doc(hidden)]implClientInfo<Context>forClient"),
            "{text}"
        );
        assert!(text.contains("#[doc(hidden)]pubmodprelude"), "{text}");

        let mut file: syn::File = syn::parse_quote! {
            pub use progenitor_client::{ByteStream, ResponseValue};
            pub mod builder {
                use super::{ByteStream, ResponseValue};
                impl Send { pub(crate) fn dispatch(self) -> Error<ByteStream> { todo!() } }
            }
        };
        keep_progenitor_s_plumbing_private(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("useprogenitor_client::{ByteStream};pubuseprogenitor_client::{ResponseValue};"),
            "no operation returns a ByteStream: {text}"
        );

        let mut file: syn::File = syn::parse_quote! {
            pub use progenitor_client::{ByteStream, ResponseValue};
            pub mod builder {
                impl Download { pub(crate) fn dispatch(self) -> Result<ResponseValue<ByteStream>, Error<()>> { todo!() } }
            }
        };
        keep_progenitor_s_plumbing_private(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("pubuseprogenitor_client::{ByteStream,ResponseValue};"),
            "an operation's send() returns a ByteStream: {text}"
        );
    }
}
