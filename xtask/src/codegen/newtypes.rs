//! A string newtype of a spec (a string with a pattern or a length, or a
//! named string schema) reads as text: `as_str()`, `AsRef<str>`, `Display`,
//! and comparison with `str`, in place of typify's `Deref` to `String`, which
//! listed every `String` method on the type's documentation page.

use syn::Item;

use super::index::implements;
use crate::type_index::type_name;
use crate::type_index::{Shape, module_items_mut, shape};

/// Each string newtype of the `types` module loses its `Deref` and gains
/// `as_str`, `AsRef<str>`, `PartialEq<str>`, `PartialEq<&str>` and, where
/// typify gave none, `Display`.
pub(super) fn string_newtypes_read_as_text(file: &mut syn::File) -> usize {
    let Some(items) = module_items_mut(file, "types") else {
        return 0;
    };
    let newtypes: Vec<syn::Ident> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => match &s.fields {
                syn::Fields::Unnamed(fields)
                    if fields.unnamed.len() == 1 && fields.unnamed.iter().all(|f| shape(&f.ty) == Shape::String) =>
                {
                    Some(s.ident.clone())
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    // Whether `item` is an impl of `trait_name` for the type `name`.
    let impl_for = |item: &Item, name: &syn::Ident, trait_name: &str| {
        matches!(item, Item::Impl(block)
            if implements(block, trait_name) && type_name(&block.self_ty).is_some_and(|ty| *name == ty))
    };
    for name in &newtypes {
        let display = !items.iter().any(|item| impl_for(item, name, "Display"));
        items.retain(|item| !impl_for(item, name, "Deref"));
        items.push(syn::parse_quote! {
            impl #name {
                /// The text.
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::convert::AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    &self.0
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::cmp::PartialEq<str> for #name {
                fn eq(&self, other: &str) -> bool {
                    self.0 == other
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::cmp::PartialEq<&str> for #name {
                fn eq(&self, other: &&str) -> bool {
                    self.0 == *other
                }
            }
        });
        if display {
            items.push(syn::parse_quote! {
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(&self.0)
                    }
                }
            });
        }
    }
    newtypes.len()
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn a_string_newtype_reads_as_text_without_deref() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Id(String);
                impl ::std::ops::Deref for Id {
                    type Target = ::std::string::String;
                    fn deref(&self) -> &::std::string::String { &self.0 }
                }
                pub struct Body(pub ::std::string::String);
                impl ::std::fmt::Display for Body {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { self.0.fmt(f) }
                }
                pub struct Count(i64);
            }
        };
        string_newtypes_read_as_text(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(!text.contains("Deref"), "{text}");
        for name in ["Id", "Body"] {
            assert!(
                text.contains(&format!("impl{name}{{///Thetext.")) || text.contains(&format!("impl{name}{{#[doc")),
                "{name}: {text}"
            );
            assert!(
                text.contains(&format!("impl::std::convert::AsRef<str>for{name}")),
                "{name}"
            );
            assert!(
                text.contains(&format!("impl::std::cmp::PartialEq<&str>for{name}")),
                "{name}"
            );
        }
        assert_eq!(
            text.matches("impl::std::fmt::DisplayforBody").count(),
            1,
            "typify's Display kept, not doubled"
        );
        assert!(text.contains("impl::std::fmt::DisplayforId"), "{text}");
        assert!(!text.contains("forCount"), "not a string: {text}");
    }
}
