//! Types that can grow without breaking their users: every struct of the
//! `types` module with named fields is `#[non_exhaustive]`, so that code
//! outside the crate builds one only through its builder (`Type::builder()`)
//! and reads one with `..` in its patterns. A field the spec adds later is
//! then a compatible (minor) change under Rust's semver rules, as it is in
//! the spec's terms. Open enums are already `#[non_exhaustive]`.

use syn::{Fields, Item};

use crate::type_index::module_items_mut;

pub(super) fn structs_are_non_exhaustive(file: &mut syn::File) -> usize {
    let mut marked = 0;
    for item in module_items_mut(file, "types").into_iter().flatten() {
        if let Item::Struct(s) = item
            && matches!(s.fields, Fields::Named(_))
            && !s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
        {
            s.attrs.push(syn::parse_quote!(#[non_exhaustive]));
            marked += 1;
        }
    }
    marked
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn structs_with_fields_are_non_exhaustive_and_newtypes_are_not() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Workspace { pub id: String }
                pub struct Id(String);
                pub mod builder { pub struct Workspace { id: String } }
            }
        };
        structs_are_non_exhaustive(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(text.contains("#[non_exhaustive]pubstructWorkspace{pubid"), "{text}");
        assert!(text.contains("pubstructId(String)"), "{text}");
        assert!(!text.contains("#[non_exhaustive]pubstructId"), "{text}");
        assert!(text.contains("pubmodbuilder{pubstructWorkspace"), "{text}");
    }
}
