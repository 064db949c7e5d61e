//! Rust names as typify gives them to a spec's schemas, so that the generator
//! can name the types progenitor generates.

/// The Rust type typify generates for the schema named `name` in
/// `components.schemas`: `user_profile` gives `UserProfile`, `gen` gives `Gen`.
pub fn type_name(name: &str) -> String {
    use heck::ToPascalCase;
    sanitized(name, |text| text.to_pascal_case(), "X")
}

/// The Rust field or parameter typify and progenitor make of a property or
/// parameter `name`: `_group` and `Group` both give `group`, `type` gives
/// `type_`.
pub fn field_name(name: &str) -> String {
    use heck::ToSnakeCase;
    sanitized(name, |text| text.to_snake_case(), "x")
}

/// `name` in a case, as typify sanitizes it: quotes dropped, other
/// punctuation a word break, a leading digit prefixed, a keyword suffixed.
fn sanitized(name: &str, case: impl Fn(&str) -> String, prefix: &str) -> String {
    let out = match name {
        "+1" => case("plus1"),
        "-1" => case("minus1"),
        _ => case(
            &name
                .replace('\'', "")
                .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => prefix.to_owned(),
        Some(c) if c.is_alphabetic() => out,
        Some(_) => format!("{prefix}{out}"),
    };
    if syn::parse_str::<syn::Ident>(&out).is_ok() && out != "Self" && out != "self" {
        out
    } else {
        format!("{out}_")
    }
}

/// A Rust identifier for an operation or status: `listWorkspaces` gives
/// `ListWorkspaces`.
pub fn pascal(text: &str) -> String {
    use heck::ToPascalCase;
    text.to_pascal_case()
}

/// The Rust identifier of a crate name (`workspaces-sdk-motion` is
/// `workspaces_sdk_motion`).
pub fn crate_ident(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// `word` with its first letter in upper case (`bearer` gives `Bearer`).
pub fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect()
}

/// `base`, or else the first of `base2`, `base3`, ... that is not `taken`.
pub fn first_free(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|name| !taken(name))
        .expect("some number is free")
}

/// The words the crates' edition (2024) reserves that `syn` still takes as
/// identifiers: typify names a parameter `gen`, and a spec may name a
/// property or parameter so; printed as they are, rustfmt and rustc refuse
/// the crate.
const RESERVED_BUT_ACCEPTED: &[&str] = &["gen"];

/// `tokens` with every identifier that is a reserved word of the crates'
/// edition written as a raw identifier (`gen` as `r#gen`), inside macro
/// calls and attributes too. Returns the tokens and how many it escaped.
pub fn escape_reserved_words(tokens: proc_macro2::TokenStream) -> (proc_macro2::TokenStream, usize) {
    use proc_macro2::{Group, Ident, TokenTree};
    fn escape(tokens: proc_macro2::TokenStream, count: &mut usize) -> proc_macro2::TokenStream {
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Ident(ident) if RESERVED_BUT_ACCEPTED.contains(&ident.to_string().as_str()) => {
                    *count += 1;
                    TokenTree::Ident(Ident::new_raw(&ident.to_string(), ident.span()))
                }
                TokenTree::Group(group) => {
                    let mut escaped = Group::new(group.delimiter(), escape(group.stream(), count));
                    escaped.set_span(group.span());
                    TokenTree::Group(escaped)
                }
                other => other,
            })
            .collect()
    }
    let mut count = 0;
    let escaped = escape(tokens, &mut count);
    (escaped, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_as_typify_makes_them() {
        assert_eq!(field_name("_group"), "group");
        assert_eq!(field_name("Group"), "group");
        assert_eq!(field_name("teamId"), "team_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("2fa"), "x2fa");
        assert_eq!(field_name("x-request-id"), "x_request_id");
    }

    #[test]
    fn capitals_and_free_names() {
        assert_eq!(capitalized("bearer"), "Bearer");
        assert_eq!(capitalized("Token"), "Token");
        assert_eq!(capitalized(""), "");
        assert_eq!(first_free("Name", |n| n == "Other"), "Name");
        assert_eq!(first_free("Name", |n| ["Name", "Name2"].contains(&n)), "Name3");
    }

    #[test]
    fn reserved_words_become_raw_identifiers_wherever_they_are() {
        let tokens = quote::quote! {
            fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator) -> Schema {
                let generator = gen;
                format!("{}", r#gen);
                inner::json_schema(gen)
            }
        };
        let (escaped, count) = escape_reserved_words(tokens);
        let expected = quote::quote! {
            fn json_schema(r#gen: &mut ::schemars::r#gen::SchemaGenerator) -> Schema {
                let generator = r#gen;
                format!("{}", r#gen);
                inner::json_schema(r#gen)
            }
        };
        assert_eq!(escaped.to_string(), expected.to_string());
        assert_eq!(count, 4, "an identifier already raw is left as it is");
        let parsed: syn::File = syn::parse2(escaped).unwrap();
        assert!(
            prettyplease::unparse(&parsed).contains("fn json_schema(r#gen: &mut ::schemars::r#gen::SchemaGenerator)")
        );
    }

    #[test]
    fn names_are_typify_names() {
        assert_eq!(type_name("user_profile"), "UserProfile");
        assert_eq!(type_name("UserProfile"), "UserProfile");
        assert_eq!(type_name("user-profile"), "UserProfile");
        assert_eq!(type_name("HTTPError"), "HttpError");
        assert_eq!(type_name("gen"), "Gen");
        assert_eq!(type_name("@timestamp"), "Timestamp");
        assert_eq!(type_name("2fa"), "X2fa");
        assert_eq!(type_name("v1.Error"), "V1Error");
    }
}
