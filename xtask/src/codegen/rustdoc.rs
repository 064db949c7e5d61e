//! Rustdoc for the public items progenitor and typify leave undocumented:
//! typify's per-type builders, enum variants, and fields whose schema is a
//! `$ref` (OpenAPI 3.0 ignores a `description` beside a `$ref`).

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, Visibility};

use super::plan::{OperationPlan, quickstart};
use crate::{model::Spec, type_index::serde_rename};

/// Ends the doc of the generated `Client` with the quickstart, as an example.
pub(super) fn client_example(file: &mut syn::File, spec: &Spec, plans: &[OperationPlan]) -> usize {
    let Some(first) = plans.first() else {
        return 0;
    };
    let mut documented = 0;
    let example = format!("# Example\n\n```no_run\n{}```", quickstart(spec, first));
    for item in &mut file.items {
        if let Item::Struct(s) = item
            && s.ident == "Client"
        {
            let at = s
                .attrs
                .iter()
                .rposition(|a| a.path().is_ident("doc"))
                .map_or(0, |i| i + 1);
            let lines = std::iter::once("")
                .chain(example.lines())
                .map(|line| format!(" {line}"));
            let docs: Vec<Attribute> = lines.map(|line| syn::parse_quote!(#[doc = #line])).collect();
            s.attrs.splice(at..at, docs);
            documented += 1;
        }
    }
    documented
}

/// The doc of each paginated operation's `Client` method (`paginated`: the
/// method and its builder) says how to read every page: `.stream()` (every
/// item) and `.pages()`. Returns how many methods it documented.
pub(super) fn listings_point_to_their_streams(file: &mut syn::File, paginated: &[(&str, &str)]) -> usize {
    let mut documented = 0;
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || !block.self_ty.to_token_stream().to_string().ends_with("Client") {
            continue;
        }
        for member in &mut block.items {
            let ImplItem::Fn(method) = member else { continue };
            let Some((_, builder)) = paginated.iter().find(|(name, _)| method.sig.ident == name) else {
                continue;
            };
            let text = format!(
                "Every item of every page, requested as it is read: `.stream()` \
                 ([`builder::{builder}::stream`]); page by page: `.pages()`. Every other \
                 parameter set on the request is kept on each page."
            );
            // After the rest of the doc, before any other attribute.
            let at = method
                .attrs
                .iter()
                .rposition(|a| a.path().is_ident("doc"))
                .map_or(0, |last| last + 1);
            let lines: Vec<Attribute> = ["", text.as_str()]
                .iter()
                .map(|line| format!(" {line}").trim_end().to_owned())
                .map(|line| syn::parse_quote!(#[doc = #line]))
                .collect();
            method.attrs.splice(at..at, lines);
            documented += 1;
        }
    }
    documented
}

/// Takes each request builder's `new` (progenitor's "`new`.") out of the
/// docs: a request is made by the client's method of the operation.
pub(super) fn builder_constructors_hidden(file: &mut syn::File) -> usize {
    let mut hidden = 0;
    for item in crate::type_index::module_items_mut(file, "builder")
        .into_iter()
        .flatten()
    {
        let Item::Impl(block) = item else { continue };
        for item in &mut block.items {
            if let ImplItem::Fn(f) = item
                && f.sig.ident == "new"
            {
                f.attrs.retain(|a| !a.path().is_ident("doc"));
                f.attrs.push(syn::parse_quote!(#[doc(hidden)]));
                hidden += 1;
            }
        }
    }
    hidden
}

/// Adds a doc comment to every public item of `file` that has none.
pub fn document(file: &mut syn::File) -> usize {
    let mut type_docs = BTreeMap::new();
    collect_type_docs(&file.items, &mut type_docs);
    let mut documented = 0;
    document_items(&mut file.items, &type_docs, Place::Root, &mut documented);
    documented
}

fn collect_type_docs(items: &[Item], docs: &mut BTreeMap<String, String>) {
    for item in items {
        match item {
            Item::Struct(s) => {
                docs.insert(s.ident.to_string(), first_sentence(&s.attrs));
            }
            Item::Enum(e) => {
                docs.insert(e.ident.to_string(), first_sentence(&e.attrs));
            }
            Item::Mod(m) if m.ident == "types" => {
                collect_type_docs(m.content.as_ref().map(|(_, i)| i.as_slice()).unwrap_or_default(), docs);
            }
            _ => {}
        }
    }
}

/// Where an item stands: typify's per-type builders (`types::builder`) get
/// their own wording.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Root,
    Types,
    TypeBuilders,
    Other,
}

fn document_items(items: &mut [Item], type_docs: &BTreeMap<String, String>, place: Place, count: &mut usize) {
    for item in items {
        match item {
            Item::Mod(m) => {
                let name = m.ident.to_string();
                if is_pub(&m.vis) && !has_doc(&m.attrs) {
                    add_doc(&mut m.attrs, &format!("The `{name}` module."));
                    *count += 1;
                }
                let inner_place = match (place, name.as_str()) {
                    (Place::Root, "types") => Place::Types,
                    (Place::Types, "builder") => Place::TypeBuilders,
                    _ => Place::Other,
                };
                if let Some((_, inner)) = &mut m.content {
                    document_items(inner, type_docs, inner_place, count);
                }
            }
            Item::Struct(s) => {
                let name = s.ident.to_string();
                if is_pub(&s.vis) && !has_doc(&s.attrs) {
                    let doc = if place == Place::TypeBuilders {
                        format!("A builder for [`super::{name}`], field by field.")
                    } else {
                        format!("The `{name}` type.")
                    };
                    add_doc(&mut s.attrs, &doc);
                    *count += 1;
                }
                document_fields(&mut s.fields, type_docs, count);
            }
            Item::Enum(e) => {
                for variant in &mut e.variants {
                    if has_doc(&variant.attrs) {
                        continue;
                    }
                    let doc = match (serde_rename(&variant.attrs), &variant.fields) {
                        (Some(wire), Fields::Unit) => format!("The value `{wire}`."),
                        (_, Fields::Unnamed(fields)) if fields.unnamed.len() == 1 => {
                            let ty = fields.unnamed[0].ty.to_token_stream().to_string().replace(' ', "");
                            format!("The value as `{}`.", ty.trim_start_matches("::std::string::"))
                        }
                        _ => format!("The `{}` variant.", variant.ident),
                    };
                    add_doc(&mut variant.attrs, &doc);
                    *count += 1;
                    document_fields(&mut variant.fields, type_docs, count);
                }
            }
            Item::Trait(t) => {
                for item in &mut t.items {
                    if let syn::TraitItem::Fn(f) = item
                        && !has_doc(&f.attrs)
                    {
                        let doc = format!(
                            "Mocks `{}`: `config_fn` sets, with the operation's own types, what the mock expects \
                             (`When`) and answers (`Then`).",
                            f.sig.ident
                        );
                        add_doc(&mut f.attrs, &doc);
                        *count += 1;
                    }
                }
            }
            Item::Impl(block) if block.trait_.is_none() => {
                for item in &mut block.items {
                    let ImplItem::Fn(f) = item else { continue };
                    if !is_pub(&f.vis) || has_doc(&f.attrs) {
                        continue;
                    }
                    let name = f.sig.ident.to_string();
                    let doc = match name.as_str() {
                        "builder" => "Starts a builder for this type, field by field.".to_owned(),
                        _ if place == Place::TypeBuilders => format!("Sets `{name}`."),
                        _ => format!("`{name}`."),
                    };
                    add_doc(&mut f.attrs, &doc);
                    *count += 1;
                }
            }
            _ => {}
        }
    }
}

fn document_fields(fields: &mut Fields, type_docs: &BTreeMap<String, String>, count: &mut usize) {
    for field in fields.iter_mut() {
        if !is_pub(&field.vis) || has_doc(&field.attrs) {
            continue;
        }
        let Some(ident) = &field.ident else { continue };
        let wire = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned());
        let described = type_names(&field.ty)
            .iter()
            .find_map(|name| type_docs.get(name).filter(|doc| !doc.is_empty()));
        let doc = match described {
            Some(doc) => format!("`{wire}`: {doc}"),
            None => format!("The `{wire}` field."),
        };
        add_doc(&mut field.attrs, &doc);
        *count += 1;
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn has_doc(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

fn add_doc(attrs: &mut Vec<Attribute>, doc: &str) {
    attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
}

fn first_sentence(attrs: &[Attribute]) -> String {
    let text: String = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let paragraph = text.trim().split("\n\n").next().unwrap_or_default().replace('\n', " ");
    match paragraph.find(". ") {
        Some(end) => paragraph[..=end].trim().to_owned(),
        None => paragraph.trim().to_owned(),
    }
}

/// Splits every multi-line doc attribute into one attribute a line, so that
/// it prints as `///` lines: block comments (`/** */`) would be re-indented by
/// rustfmt, which turns their Markdown into code blocks.
pub fn one_doc_line_per_attribute(file: &mut syn::File) -> usize {
    struct Split(usize);
    impl syn::visit_mut::VisitMut for Split {
        fn visit_item_mut(&mut self, item: &mut Item) {
            if let Some(attrs) = item_attrs(item) {
                self.0 += split(attrs);
            }
            syn::visit_mut::visit_item_mut(self, item);
        }
        fn visit_impl_item_mut(&mut self, item: &mut ImplItem) {
            match item {
                ImplItem::Const(c) => self.0 += split(&mut c.attrs),
                ImplItem::Fn(f) => self.0 += split(&mut f.attrs),
                ImplItem::Type(t) => self.0 += split(&mut t.attrs),
                _ => {}
            }
            syn::visit_mut::visit_impl_item_mut(self, item);
        }
        fn visit_field_mut(&mut self, field: &mut syn::Field) {
            self.0 += split(&mut field.attrs);
            syn::visit_mut::visit_field_mut(self, field);
        }
        fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
            self.0 += split(&mut variant.attrs);
            syn::visit_mut::visit_variant_mut(self, variant);
        }
    }
    let mut splits = Split(split(&mut file.attrs));
    syn::visit_mut::VisitMut::visit_file_mut(&mut splits, file);
    splits.0
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// Each doc attribute of `attrs` that holds several lines, one attribute a
/// line; returns how many it split.
fn split(attrs: &mut Vec<Attribute>) -> usize {
    let mut count = 0;
    let mut out = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let text = match &attr.meta {
            syn::Meta::NameValue(nv) if attr.path().is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        };
        match text {
            Some(text) => {
                count += usize::from(text.contains('\n'));
                // One space after `///`, as rustdoc expects; the indentation of
                // lines relative to each other (list continuations, code) is kept.
                let indent = text
                    .split('\n')
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.len() - l.trim_start().len())
                    .min()
                    .unwrap_or(0);
                // A list item's wrapped lines are indented under it (lazy
                // continuation lines render the same but read as a new item).
                let mut in_item = false;
                for line in text.split('\n') {
                    let line = if line.trim().is_empty() { "" } else { &line[indent..] };
                    let continues_item =
                        in_item && !line.is_empty() && !line.starts_with("- ") && !line.starts_with(' ');
                    in_item = line.starts_with("- ") || (in_item && !line.is_empty());
                    let line = match (line.is_empty(), continues_item) {
                        (true, _) => String::new(),
                        (false, true) => format!("   {line}"),
                        (false, false) => format!(" {line}"),
                    };
                    let line = line.trim_end();
                    out.push(match attr.style {
                        syn::AttrStyle::Outer => syn::parse_quote!(#[doc = #line]),
                        syn::AttrStyle::Inner(_) => syn::parse_quote!(#![doc = #line]),
                    });
                }
            }
            _ => out.push(attr),
        }
    }
    *attrs = out;
    count
}

/// The names a type is made of, outermost first (`Option`, `Vec`, `Workspace`
/// for `Option<Vec<types::Workspace>>`).
fn type_names(ty: &syn::Type) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Names {
        fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
            self.0.push(segment.ident.to_string());
            syn::visit::visit_path_segment(self, segment);
        }
    }
    let mut names = Names(Vec::new());
    syn::visit::Visit::visit_type(&mut names, ty);
    names.0
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn the_client_s_doc_ends_with_the_quickstart_of_its_first_operation() {
        let spec = crate::model::tests_support::minimal_spec();
        let (tokens, _) = crate::codegen::run::client_tokens(&spec).unwrap();
        let generated = crate::codegen::run::parse(&spec, tokens, "code").unwrap();
        let plans = crate::codegen::plan::plan(&spec, crate::codegen::index::read(&generated).unwrap()).unwrap();
        let mut file: syn::File = syn::parse_quote! {
            /// Client for Minimal
            pub struct Client { baseurl: String }
            pub struct Other;
        };
        assert_eq!(super::client_example(&mut file, &spec, &plans), 1);
        let printed = prettyplease::unparse(&file);
        assert!(printed.contains("/// Client for Minimal\n"), "{printed}");
        assert!(printed.contains("# Example"), "{printed}");
        assert!(
            printed.contains("let response = client.get_thing().send().await?;"),
            "{printed}"
        );
        assert!(printed.contains("\npub struct Other;"), "only the Client: {printed}");
        assert_eq!(
            super::client_example(&mut file, &spec, &[]),
            0,
            "no operation, no example"
        );
    }

    #[test]
    fn a_paginated_operation_s_client_method_points_to_its_stream() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                /// List things
                #[must_use]
                pub fn list_things(&self) -> builder::ListThings<'_> { todo!() }
                /// Get a thing
                pub fn get_thing(&self) -> builder::GetThing<'_> { todo!() }
            }
        };
        assert_eq!(
            super::listings_point_to_their_streams(&mut file, &[("list_things", "ListThings")]),
            1
        );
        let printed = prettyplease::unparse(&file);
        assert!(
            printed.contains(
                "/// List things\n    ///\n    /// Every item of every page, requested as it is read: `.stream()` ([`builder::ListThings::stream`])"
            ),
            "{printed}"
        );
        assert!(printed.contains("kept on each page.\n    #[must_use]"), "{printed}");
        assert_eq!(printed.matches(".stream()").count(), 1, "{printed}");
    }

    #[test]
    fn bare_items_get_docs_and_documented_ones_keep_theirs() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                /// A thing.
                pub struct Thing { pub name: String, pub kind: Kind }
                /// What it is.
                pub enum Kind { #[serde(rename = "team")] Team, Other(String) }
                pub mod builder {
                    pub struct Thing { name: Result<String, String> }
                    impl Thing {
                        pub fn name<T>(self, value: T) -> Self { self }
                    }
                }
            }
        };
        assert_eq!(
            super::document(&mut file),
            8,
            "two modules, two fields, two variants, a builder and its setter"
        );
        // As the generated files print them: a space after `///`.
        let printed = prettyplease::unparse(&file)
            .replace("///", "/// ")
            .replace("///  ", "/// ");
        for expected in [
            "/// The `types` module.\n",
            "/// The `builder` module.\n",
            "/// The `name` field.\n",
            "/// `kind`: What it is.\n",
            "/// The value `team`.\n",
            "/// The value as `String`.\n",
            "/// A builder for [`super::Thing`], field by field.\n",
            "/// Sets `name`.\n",
            "/// A thing.\n",
        ] {
            assert!(printed.contains(expected), "no {expected:?} in {printed}");
        }
        assert_eq!(super::document(&mut file), 0, "nothing left bare");
    }

    #[test]
    fn a_doc_of_several_lines_is_one_attribute_a_line() {
        let mut file: syn::File = syn::parse_quote! {
            #[doc = " First line.\n\n - an item\n that wraps\n"]
            pub struct Thing;
            /// Stays.
            pub struct Other;
        };
        assert_eq!(super::one_doc_line_per_attribute(&mut file), 1);
        let printed = prettyplease::unparse(&file);
        assert!(
            printed.starts_with("/// First line.\n///\n/// - an item\n///   that wraps\n///\npub struct Thing;"),
            "{printed}"
        );
        assert!(printed.contains("/// Stays.\npub struct Other;"), "{printed}");
    }

    #[test]
    fn a_request_builder_s_new_is_hidden_and_its_other_methods_keep_their_docs() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListWorkspaces<'a> {
                    /// `new`.
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    /// Sets the cursor.
                    pub fn cursor(self) -> Self { self }
                }
            }
            impl Other {
                /// Stays.
                pub fn new() -> Self { Other }
            }
        };
        super::builder_constructors_hidden(&mut file);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("# [doc (hidden)] pub fn new (client"), "{text}");
        assert!(!text.contains("`new`."), "{text}");
        assert!(text.contains("\" Sets the cursor.\""), "{text}");
        assert!(text.contains("\" Stays.\""), "{text}");
        assert_eq!(text.matches("doc (hidden)").count(), 1, "{text}");
    }
}
