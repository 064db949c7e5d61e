//! The public surface of a generated crate as text, for snapshots: its types
//! with their fields and Rust types, the `Client`'s methods, each operation
//! builder's methods, and the runtime's glue macros with their input. A spec change shows up as a diff of this text.

use std::fmt::Write as _;

use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Visibility};

/// The surface of a crate whose sources are given in order (`lib.rs`, then
/// the generated module).
pub fn render(sources: &[&str]) -> Result<String, syn::Error> {
    let mut out = String::new();
    for source in sources {
        let file = syn::parse_file(source)?;
        items(&mut out, "", &file.items);
    }
    Ok(out)
}

/// ` #[non_exhaustive]` for an item that has the attribute: users cannot
/// build it literally or match it exhaustively, so it may grow.
fn non_exhaustive(attrs: &[syn::Attribute]) -> &'static str {
    if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        " #[non_exhaustive]"
    } else {
        ""
    }
}

fn items(out: &mut String, module: &str, list: &[Item]) {
    for item in list {
        match item {
            Item::Const(c) if is_pub(&c.vis) => {
                writeln!(out, "const {module}{}: {}", c.ident, tokens(&c.ty)).unwrap();
            }
            Item::Use(u) if is_pub(&u.vis) => writeln!(out, "{module}pub use {}", tokens(&u.tree)).unwrap(),
            Item::Struct(s) if is_pub(&s.vis) => {
                let exhaustive = non_exhaustive(&s.attrs);
                writeln!(out, "struct {module}{}{}{exhaustive}", s.ident, tokens(&s.generics)).unwrap();
                fields(out, &s.fields);
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let exhaustive = non_exhaustive(&e.attrs);
                writeln!(out, "enum {module}{}{}", e.ident, exhaustive).unwrap();
                for variant in &e.variants {
                    writeln!(out, "    {}", variant.ident).unwrap();
                    fields(out, &variant.fields);
                }
            }
            Item::Impl(block) => {
                let owner = format!("{module}{}", tokens(&block.self_ty));
                match &block.trait_ {
                    Some((_, path, _)) => {
                        let name = tokens(path);
                        // Conversions and trait impls of types are the serde/typify
                        // boilerplate; the client's hooks and infos are listed.
                        if owner.ends_with("Client") {
                            writeln!(out, "impl {name} for {owner}").unwrap();
                        }
                    }
                    None => {
                        for item in &block.items {
                            if let ImplItem::Fn(f) = item
                                && is_pub(&f.vis)
                            {
                                let sig = tokens(&f.sig);
                                let (kind, rest) = match sig.strip_prefix("async fn ") {
                                    Some(rest) => ("async fn", rest),
                                    None => ("fn", sig.trim_start_matches("fn ")),
                                };
                                writeln!(out, "{kind} {owner}::{}", rest.replacen(" (", "(", 1)).unwrap();
                            }
                        }
                    }
                }
            }
            // The runtime's glue (`client!`, `send!`): what it defines is the
            // runtime's, the same in every crate; what differs is its input.
            Item::Macro(m)
                if m.mac
                    .path
                    .segments
                    .first()
                    .is_some_and(|s| s.ident == "workspaces_sdk_runtime") =>
            {
                writeln!(out, "{module}{}!({})", tokens(&m.mac.path), tokens(&m.mac.tokens)).unwrap();
            }
            // typify's per-type builders (`types::builder`) mirror the types.
            Item::Mod(m) if is_pub(&m.vis) && !(module == "types::" && m.ident == "builder") => {
                if let Some((_, inner)) = &m.content {
                    items(out, &format!("{module}{}::", m.ident), inner);
                }
            }
            _ => {}
        }
    }
}

fn fields(out: &mut String, fields: &Fields) {
    for field in fields {
        if !is_pub(&field.vis) && field.ident.is_some() {
            continue;
        }
        match &field.ident {
            Some(name) => writeln!(out, "    .{name}: {}", tokens(&field.ty)).unwrap(),
            None => writeln!(out, "    ({})", tokens(&field.ty)).unwrap(),
        }
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Tokens as compact text: `Result<ResponseValue<types::Foo>, Error<()>>`.
fn tokens(item: &impl ToTokens) -> String {
    let text = item.to_token_stream().to_string();
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("! [", "![")
        .replace(" : ", ": ")
        .replace("{ ", "{")
        .replace(" }", "}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_fields_methods_and_skips_private_items() {
        let source = r#"
            pub mod types {
                pub struct Workspace { pub id: ::std::string::String, secret: u8 }
                pub enum Kind { Team, Other(String) }
            }
            pub struct Client { pub(crate) inner: u8 }
            impl Client { pub fn list(&self) -> builder::List<'_> { todo!() } fn hidden(&self) {} }
        "#;
        let surface = super::render(&[source]).unwrap();
        assert_eq!(
            surface,
            "struct types::Workspace\n    .id: ::std::string::String\nenum types::Kind\n    Team\n    Other\n    (String)\n\
             struct Client\nfn Client::list(&self) -> builder::List<'_>\n"
        );
    }
}
