//! Properties renamed so that typify gives each a Rust field of its own
//! (`rewrite::names`): progenitor's output names them by the key they have
//! in the description it read (`"_group #2"`); each is given back its name
//! on the wire, in serde's `rename` and in the docs alike.

use proc_macro2::{Literal, TokenStream, TokenTree};

use crate::rewrite::names::RenamedProperty;

/// Every string literal of `tokens` with each renamed property's key
/// (`_group #2`) replaced by its name on the wire (`_group`). Returns the
/// tokens and how many literals changed.
pub(super) fn wire_names_given_back(tokens: TokenStream, renamed: &[RenamedProperty]) -> (TokenStream, usize) {
    fn give_back(tokens: TokenStream, renamed: &[RenamedProperty], count: &mut usize) -> TokenStream {
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Group(group) => {
                    let mut changed =
                        proc_macro2::Group::new(group.delimiter(), give_back(group.stream(), renamed, count));
                    changed.set_span(group.span());
                    TokenTree::Group(changed)
                }
                TokenTree::Literal(literal) if renamed.iter().any(|r| literal.to_string().contains(&r.key)) => {
                    match syn::parse2::<syn::LitStr>(TokenTree::Literal(literal.clone()).into()) {
                        Ok(text) => {
                            let value = renamed
                                .iter()
                                .fold(text.value(), |value, r| value.replace(&r.key, &r.name));
                            *count += 1;
                            let mut given_back = Literal::string(&value);
                            given_back.set_span(literal.span());
                            TokenTree::Literal(given_back)
                        }
                        Err(_) => TokenTree::Literal(literal),
                    }
                }
                other => other,
            })
            .collect()
    }
    if renamed.is_empty() {
        return (tokens, 0);
    }
    let mut count = 0;
    let tokens = give_back(tokens, renamed, &mut count);
    (tokens, count)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn a_renamed_property_is_read_and_documented_by_its_name_on_the_wire() {
        let renamed = [RenamedProperty {
            key: "_group #2".into(),
            name: "_group".into(),
        }];
        let tokens = quote! {
            pub struct Stats {
                pub group: String,
                #[doc = "`_group #2`: the group, as it was."]
                #[serde(rename = "_group #2")]
                pub group_2: String,
            }
            fn f() { let _ = "group_2"; }
        };
        let (given_back, count) = wire_names_given_back(tokens, &renamed);
        let expected = quote! {
            pub struct Stats {
                pub group: String,
                #[doc = "`_group`: the group, as it was."]
                #[serde(rename = "_group")]
                pub group_2: String,
            }
            fn f() { let _ = "group_2"; }
        };
        assert_eq!(given_back.to_string(), expected.to_string());
        assert_eq!(count, 2);
    }
}
