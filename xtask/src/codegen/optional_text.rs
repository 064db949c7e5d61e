//! The builders of generated types (typify's `types::builder`) take what a
//! caller has for an optional text field: typify's setter asks for
//! `TryInto<Option<String>>`, which `&str` is not, where the setter of a
//! required one takes it.

use syn::{ImplItem, Item};

use crate::runtime_paths::INTO_OPTIONAL_TEXT;
use crate::type_index::module_items_mut;

/// Each setter of an `Option<String>` field in `types::builder` takes any
/// `workspaces_sdk_runtime::IntoOptionalText` (`&str`, `String`,
/// `Option<String>`). Returns how many setters it changed.
pub(super) fn optional_text_setters_take_str(file: &mut syn::File) -> usize {
    let Some(types) = module_items_mut(file, "types") else {
        return 0;
    };
    let Some(builders) = types.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return 0;
    };
    let optional_text: syn::Type = syn::parse_quote!(::std::option::Option<::std::string::String>);
    let mut changed = 0;
    for item in builders.iter_mut() {
        let Item::Impl(block) = item else { continue };
        for member in &mut block.items {
            let ImplItem::Fn(setter) = member else { continue };
            if super::index::bound_argument(setter, Some("TryInto")).as_ref() != Some(&optional_text) {
                continue;
            }
            let (attrs, name) = (&setter.attrs, &setter.sig.ident);
            *setter = syn::parse_quote! {
                #(#attrs)*
                pub fn #name<T>(mut self, value: T) -> Self
                where
                    T: #INTO_OPTIONAL_TEXT,
                {
                    self.#name = Ok(value.into_optional_text());
                    self
                }
            };
            changed += 1;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_optional_text_setter_takes_a_str_and_the_others_stay() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    impl Workspace {
                        /// Sets `team_id`.
                        pub fn team_id<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.team_id = value.try_into().map_err(|e| format!("{e}"));
                            self
                        }
                        pub fn name<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::string::String>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.name = value.try_into().map_err(|e| format!("{e}"));
                            self
                        }
                    }
                }
            }
        };
        assert_eq!(optional_text_setters_take_str(&mut file), 1);
        let printed = prettyplease::unparse(&file);
        assert!(printed.contains("/// Sets `team_id`.\n"), "{printed}");
        assert!(
            printed.contains("T: workspaces_sdk_runtime::IntoOptionalText,"),
            "{printed}"
        );
        assert!(
            printed.contains("self.team_id = Ok(value.into_optional_text());"),
            "{printed}"
        );
        assert!(
            printed.contains("T: ::std::convert::TryInto<::std::string::String>"),
            "{printed}"
        );
    }
}
