//! `Eq` beside typify's `PartialEq`, on every generated type whose fields can
//! all be compared exactly: none is a floating-point number or a type not
//! known to be `Eq`, directly or through another generated type.

use std::collections::{BTreeMap, BTreeSet};

use syn::{Attribute, Item, visit::Visit};

use super::index::derive_list;

/// Types from outside the generated module that are `Eq`, by the last
/// segment of their path (their modules are listed too: `::std::string::String`).
#[rustfmt::skip]
const KNOWN_EQ: &[&str] = &[
    // Numbers without fractions, text, truth values.
    "bool", "char", "str", "String", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
    "usize", "NonZeroU32", "NonZeroU64", "NonZeroI64",
    // Containers of values that are `Eq`.
    "Vec", "Option", "Box", "Map", "BTreeMap", "HashMap", "BTreeSet", "HashSet",
    // JSON, time and ids.
    "Value", "DateTime", "Utc", "FixedOffset", "NaiveDate", "NaiveDateTime", "NaiveTime", "Uuid",
    // The modules they are named through.
    "std", "string", "vec", "option", "boxed", "collections", "num", "serde_json", "chrono", "offset", "uuid",
    "types", "super", "crate",
];

/// Adds `Eq` to the derives of every type that derives `PartialEq` and whose
/// fields are all `Eq`.
pub(super) fn derive_eq_where_possible(file: &mut syn::File) -> usize {
    let mut types = BTreeMap::new();
    collect(&file.items, &mut types);
    let mut eq: BTreeSet<String> = types.keys().cloned().collect();
    loop {
        let before = eq.len();
        let still: BTreeSet<String> = eq
            .iter()
            .filter(|name| {
                types[*name]
                    .iter()
                    .all(|used| KNOWN_EQ.contains(&used.as_str()) || eq.contains(used))
            })
            .cloned()
            .collect();
        eq = still;
        if eq.len() == before {
            break;
        }
    }
    add_eq(&mut file.items, &eq)
}

/// The types that derive `PartialEq`, each with the names its fields use.
fn collect(items: &[Item], types: &mut BTreeMap<String, BTreeSet<String>>) {
    for item in items {
        let mut names = Names::default();
        let name = match item {
            Item::Struct(s) if derives(&s.attrs, "PartialEq") => {
                s.fields.iter().for_each(|f| names.visit_type(&f.ty));
                s.ident.to_string()
            }
            Item::Enum(e) if derives(&e.attrs, "PartialEq") => {
                e.variants
                    .iter()
                    .flat_map(|v| &v.fields)
                    .for_each(|f| names.visit_type(&f.ty));
                e.ident.to_string()
            }
            Item::Mod(m) => {
                collect(m.content.as_ref().map(|(_, i)| i.as_slice()).unwrap_or_default(), types);
                continue;
            }
            _ => continue,
        };
        types.insert(name, names.0);
    }
}

#[derive(Default)]
struct Names(BTreeSet<String>);

impl Visit<'_> for Names {
    fn visit_path_segment(&mut self, segment: &syn::PathSegment) {
        self.0.insert(segment.ident.to_string());
        syn::visit::visit_path_segment(self, segment);
    }
}

fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter_map(derive_list)
        .flatten()
        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
}

fn add_eq(items: &mut [Item], eq: &BTreeSet<String>) -> usize {
    let mut added = 0;
    for item in items {
        let (ident, attrs) = match item {
            Item::Struct(s) => (&s.ident, &mut s.attrs),
            Item::Enum(e) => (&e.ident, &mut e.attrs),
            Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    added += add_eq(inner, eq);
                }
                continue;
            }
            _ => continue,
        };
        if !eq.contains(&ident.to_string()) || derives(attrs, "Eq") {
            continue;
        }
        for attr in attrs.iter_mut() {
            let Some(mut list) = derive_list(attr) else { continue };
            if let Some(at) = list.iter().position(|p| p.is_ident("PartialEq")) {
                list.insert(at + 1, syn::parse_quote!(Eq));
                *attr = syn::parse_quote!(#[derive(#(#list),*)]);
                added += 1;
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn eq_is_derived_unless_a_field_is_a_float_or_unknown_even_through_another_type() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, PartialEq)]
                pub struct Workspace { pub id: ::std::string::String, pub owner: Option<Owner>, pub at: chrono::DateTime<chrono::offset::Utc> }
                #[derive(Clone, Debug, PartialEq)]
                pub struct Owner { pub name: String }
                #[derive(Clone, Debug, PartialEq)]
                pub struct Usage { pub ratio: f64 }
                #[derive(Clone, Debug, PartialEq)]
                pub enum Page { Usage(Vec<Usage>), Empty }
                #[derive(Clone, Debug, PartialEq)]
                pub struct Raw { pub body: ::progenitor_client::ByteStream }
                #[derive(Clone, Debug, PartialEq, Eq, Hash)]
                pub enum Kind { A }
                #[derive(Clone, Debug)]
                pub struct Builder { pub id: String }
                pub mod builder {
                    #[derive(Clone, Debug)]
                    pub struct Owner { name: Result<String, String> }
                }
            }
        };
        derive_eq_where_possible(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        let has_eq = |name: &str| {
            let at = text.find(&format!(
                "pub{}{name}",
                if name == "Page" || name == "Kind" {
                    "enum"
                } else {
                    "struct"
                }
            ));
            let before = &text[..at.unwrap_or_else(|| panic!("{name}"))];
            before
                .rsplit("pub")
                .next()
                .is_some_and(|attrs| attrs.contains("PartialEq,Eq"))
        };
        assert!(has_eq("Workspace") && has_eq("Owner"), "{text}");
        assert!(
            !has_eq("Usage") && !has_eq("Page"),
            "a float, directly or through a type: {text}"
        );
        assert!(!has_eq("Raw"), "a type not known to be Eq: {text}");
        assert!(
            !text.contains(",Eq,Eq") && text.contains("PartialEq,Eq,Hash)]pubenumKind"),
            "already Eq: {text}"
        );
        assert!(!has_eq("Builder"), "no PartialEq: {text}");
        assert!(
            text.contains("pubmodbuilder{#[derive(Clone,Debug)]pubstructOwner"),
            "a type of the same name without PartialEq: {text}"
        );
    }
}
