//! What typify derives that not every user needs, behind a cargo feature of
//! the generated crate: `schemars::JsonSchema` (on by default, feature
//! `schemars`), so that a build without it compiles neither schemars nor its
//! derives.

use syn::{Attribute, Item, visit_mut::VisitMut};

/// Every `JsonSchema` derive becomes `#[cfg_attr(feature = "schemars", derive(..))]`
/// and every `impl JsonSchema` is compiled only with the feature.
pub(super) fn json_schema_behind_a_feature(file: &mut syn::File) -> usize {
    let mut behind = JsonSchemaBehindAFeature(0);
    behind.visit_file_mut(file);
    behind.0
}

struct JsonSchemaBehindAFeature(usize);

impl VisitMut for JsonSchemaBehindAFeature {
    fn visit_item_mut(&mut self, item: &mut Item) {
        match item {
            Item::Struct(s) => self.0 += behind_the_feature(&mut s.attrs),
            Item::Enum(e) => self.0 += behind_the_feature(&mut e.attrs),
            Item::Impl(block) if super::index::implements(block, "JsonSchema") => {
                block.attrs.push(syn::parse_quote!(#[cfg(feature = "schemars")]));
                self.0 += 1;
            }
            _ => {}
        }
        syn::visit_mut::visit_item_mut(self, item);
    }
}

fn is_json_schema(path: &syn::Path) -> bool {
    path.segments.last().is_some_and(|s| s.ident == "JsonSchema")
}

/// Takes `JsonSchema` out of a `#[derive(..)]` into a derive of its own,
/// under the feature.
fn behind_the_feature(attrs: &mut Vec<Attribute>) -> usize {
    let mut moved = Vec::new();
    let mut kept_attrs = Vec::new();
    for attr in attrs.drain(..) {
        let Some(paths) = super::index::derive_list(&attr) else {
            kept_attrs.push(attr);
            continue;
        };
        let (schema, kept): (Vec<_>, Vec<_>) = paths.into_iter().partition(is_json_schema);
        moved.extend(schema);
        if !kept.is_empty() {
            kept_attrs.push(syn::parse_quote!(#[derive(#(#kept),*)]));
        }
    }
    let count = moved.len();
    for path in moved {
        kept_attrs.push(syn::parse_quote!(#[cfg_attr(feature = "schemars", derive(#path))]));
    }
    *attrs = kept_attrs;
    count
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn json_schema_derives_and_impls_need_the_feature() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, schemars::JsonSchema)]
                pub struct Workspace { pub id: String }
                #[derive(schemars::JsonSchema)]
                pub enum Kind { A }
                impl ::schemars::JsonSchema for Open { }
                impl ::std::fmt::Display for Open { }
            }
        };
        json_schema_behind_a_feature(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains(
                "#[derive(Clone,Debug)]#[cfg_attr(feature=\"schemars\",derive(schemars::JsonSchema))]pubstructWorkspace"
            ),
            "{text}"
        );
        assert!(
            text.contains("#[cfg_attr(feature=\"schemars\",derive(schemars::JsonSchema))]pubenumKind"),
            "an emptied derive goes: {text}"
        );
        assert!(
            text.contains("#[cfg(feature=\"schemars\")]impl::schemars::JsonSchemaforOpen"),
            "{text}"
        );
        assert!(text.contains("}impl::std::fmt::DisplayforOpen"), "{text}");
    }
}
