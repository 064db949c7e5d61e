//! `cargo xtask docs`: the published crates' rustdoc, built without warnings,
//! then read back to check it lists what a user calls and no plumbing: the
//! runtime exactly its documented API, a provider crate its client, request
//! builders and types (with the runtime items it re-exports), a mock crate
//! its httpmock helpers, and nowhere an item of `reqwest` or progenitor
//! copied in.

use std::path::Path;

/// The runtime's documented API: what users name. Everything else it
/// exports is for the generated code and hidden (`#[doc(hidden)]`).
pub const RUNTIME_API: &[&str] = &[
    "Config",
    "ConfigError",
    "Credential",
    "DEFAULT_MAX_BODY",
    "Error",
    "ErrorKind",
    "Exchange",
    "IntoOptionalText",
    "Items",
    "MAX_ERROR_BODY",
    "MAX_REDIRECTS",
    "OAuth2",
    "Observer",
    "Pages",
    "Paging",
    "RefusedRedirect",
    "RequestHook",
    "RequestInfo",
    "RequestId",
    "Response",
    "Retry",
    "TRACE_REQUEST",
    "TRACE_RETRY",
    "Token",
    "TokenResult",
    "retry_after",
];

/// What a provider crate adds beside the runtime's items at its root: its
/// client, its default server, and progenitor's response types its
/// operations return.
const PROVIDER_ROOT: &[&str] = &["Client", "DEFAULT_BASE_URL", "ResponseValue", "ByteStream"];

/// The crates whose docs are checked, by the folder rustdoc writes them to.
const RUNTIME: &str = "workspaces_sdk_runtime";
const FACADE: &str = "workspaces_sdk";

/// Builds the docs of every published library crate (`-D warnings`), then
/// checks what each lists. `Err` names every item out of place.
pub fn build_and_check(root: &Path) -> Result<(), String> {
    let status = crate::tools::cargo()
        .current_dir(root)
        .env("RUSTDOCFLAGS", "-D warnings")
        .args([
            "doc",
            "--workspace",
            "--no-deps",
            "--exclude",
            "xtask",
            "--exclude",
            "workspaces-sdk-tests",
        ])
        .status()
        .map_err(|e| format!("cannot run cargo doc: {e}"))?;
    if !status.success() {
        return Err("cargo doc failed".into());
    }
    let plumbing = plumbing_out_of_its_place(&root.join("crates/runtime/src"))?;
    if !plumbing.is_empty() {
        return Err(format!(
            "the runtime hides items outside `plumbing` and `glue.rs`:\n{}",
            plumbing.join("\n")
        ));
    }
    check(&root.join("target/doc"))
}

/// The runtime's plumbing (what only generated code calls) outside its one
/// place: a `#[doc(hidden)]` public item of the crate's root other than the
/// `plumbing` module, or a `#[macro_export]` macro outside `glue.rs` (the
/// glue macros, which `#[macro_export]` puts at the root). `src` is the
/// runtime's source folder.
pub fn plumbing_out_of_its_place(src: &Path) -> Result<Vec<String>, String> {
    let read =
        |name: &str| std::fs::read_to_string(src.join(name)).map_err(|e| format!("{}: {e}", src.join(name).display()));
    let mut found = hidden_at_the_root(&read("lib.rs")?)?;
    let entries = std::fs::read_dir(src).map_err(|e| format!("{}: {e}", src.display()))?;
    let mut files: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rs") && name != "glue.rs")
        .collect();
    files.sort();
    for name in files {
        let file = syn::parse_file(&read(&name)?).map_err(|e| format!("{name} does not parse: {e}"))?;
        found.extend(
            exported_macros(&file)
                .into_iter()
                .map(|m| format!("{name}: the macro `{m}` is exported")),
        );
    }
    Ok(found)
}

/// The names of the `#[macro_export]` macros of a file, at any depth.
fn exported_macros(file: &syn::File) -> Vec<String> {
    use syn::visit::Visit;
    struct Exported(Vec<String>);
    impl<'ast> Visit<'ast> for Exported {
        fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
            if item.attrs.iter().any(|a| a.path().is_ident("macro_export")) {
                let name = item.ident.as_ref().map_or_else(String::new, ToString::to_string);
                self.0.push(name);
            }
        }
    }
    let mut exported = Exported(Vec::new());
    exported.visit_file(file);
    exported.0
}

/// The `#[doc(hidden)]` public items of a crate root's source, but the
/// `plumbing` module.
fn hidden_at_the_root(source: &str) -> Result<Vec<String>, String> {
    use quote::ToTokens;
    let file = syn::parse_file(source).map_err(|e| format!("the runtime's lib.rs does not parse: {e}"))?;
    let hidden = |attrs: &[syn::Attribute]| {
        attrs
            .iter()
            .any(|a| a.path().is_ident("doc") && a.to_token_stream().to_string().replace(' ', "") == "#[doc(hidden)]")
    };
    let mut found = Vec::new();
    for item in &file.items {
        let (attrs, public, name) = match item {
            syn::Item::Mod(m) => (
                &m.attrs,
                matches!(m.vis, syn::Visibility::Public(_)),
                m.ident.to_string(),
            ),
            syn::Item::Use(u) => (
                &u.attrs,
                matches!(u.vis, syn::Visibility::Public(_)),
                u.tree.to_token_stream().to_string().replace(' ', ""),
            ),
            syn::Item::Fn(f) => (
                &f.attrs,
                matches!(f.vis, syn::Visibility::Public(_)),
                f.sig.ident.to_string(),
            ),
            syn::Item::Struct(s) => (
                &s.attrs,
                matches!(s.vis, syn::Visibility::Public(_)),
                s.ident.to_string(),
            ),
            syn::Item::Enum(e) => (
                &e.attrs,
                matches!(e.vis, syn::Visibility::Public(_)),
                e.ident.to_string(),
            ),
            syn::Item::Trait(t) => (
                &t.attrs,
                matches!(t.vis, syn::Visibility::Public(_)),
                t.ident.to_string(),
            ),
            syn::Item::Const(c) => (
                &c.attrs,
                matches!(c.vis, syn::Visibility::Public(_)),
                c.ident.to_string(),
            ),
            syn::Item::Static(s) => (
                &s.attrs,
                matches!(s.vis, syn::Visibility::Public(_)),
                s.ident.to_string(),
            ),
            syn::Item::Type(t) => (
                &t.attrs,
                matches!(t.vis, syn::Visibility::Public(_)),
                t.ident.to_string(),
            ),
            _ => continue,
        };
        if public && hidden(attrs) && !(matches!(item, syn::Item::Mod(_)) && name == "plumbing") {
            found.push(format!("lib.rs: `{name}` is hidden at the crate's root"));
        }
    }
    Ok(found)
}

/// Checks the `all.html` of every crate of this project under `doc`.
pub fn check(doc: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(doc).map_err(|e| format!("{}: {e}", doc.display()))?;
    let mut crates: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("workspaces_sdk") && doc.join(name).join("all.html").is_file())
        .collect();
    crates.sort();
    if crates.is_empty() {
        return Err(format!("{}: no crate of this project documented", doc.display()));
    }
    let mut misplaced = Vec::new();
    for name in &crates {
        let html = std::fs::read_to_string(doc.join(name).join("all.html")).map_err(|e| format!("{name}: {e}"))?;
        misplaced.extend(
            out_of_place(name, &items(&html))
                .into_iter()
                .map(|item| format!("{name}: {item}")),
        );
    }
    match misplaced.is_empty() {
        true => Ok(()),
        false => Err(format!(
            "the docs list items that are not the crates' API:\n{}",
            misplaced.join("\n")
        )),
    }
}

/// The items of an `all.html` page (its lists of items, not the sidebar's
/// sections), as their paths (`types::Workspace`).
pub fn items(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for list in html.split("<ul class=\"all-items\">").skip(1) {
        let list = list.split("</ul>").next().unwrap_or_default();
        for piece in list.split("<li><a href=\"").skip(1) {
            let Some(start) = piece.find("\">") else { continue };
            let Some(end) = piece[start..].find("</a>") else {
                continue;
            };
            found.push(piece[start + 2..start + end].to_owned());
        }
    }
    found
}

/// The items of crate `name` that are not where its kind of crate puts them.
pub fn out_of_place(name: &str, items: &[String]) -> Vec<String> {
    let copied_in = |item: &str| {
        item.split("::")
            .any(|segment| segment == "reqwest" || segment == "progenitor_client")
    };
    let misplaced = |item: &String| {
        copied_in(item)
            || match name {
                RUNTIME => !RUNTIME_API.contains(&item.as_str()),
                FACADE => {
                    item.contains("::")
                        && !item.starts_with("drift::")
                        && !provider_item(item.split_once("::").map_or("", |(_, rest)| rest))
                }
                _ if name.ends_with("_mock") => item != "MockServerExt" && !item.starts_with("operations::"),
                _ => !provider_item(item),
            }
    };
    items.iter().filter(|item| misplaced(item)).cloned().collect()
}

/// Whether a provider crate's docs may list `item`.
fn provider_item(item: &str) -> bool {
    match item.split_once("::") {
        None => PROVIDER_ROOT.contains(&item) || RUNTIME_API.contains(&item),
        Some((module, _)) => module == "builder" || module == "types",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_items_belong_in_plumbing() {
        let source = "
            pub use config::Config;
            #[doc(hidden)] pub use context::Context;
            #[doc(hidden)] pub mod plumbing { pub use crate::call::call; }
            #[doc(hidden)] pub fn helper() {}
            #[doc(hidden)] fn private() {}
            mod inner { #[macro_export] macro_rules! leaked { () => {} } }
        ";
        assert_eq!(
            hidden_at_the_root(source).unwrap(),
            [
                "lib.rs: `context::Context` is hidden at the crate's root",
                "lib.rs: `helper` is hidden at the crate's root"
            ]
        );
        assert_eq!(exported_macros(&syn::parse_file(source).unwrap()), ["leaked"]);
    }

    #[test]
    fn the_runtime_keeps_its_plumbing_in_one_place() {
        let src = crate::workspace_root().join("crates/runtime/src");
        assert_eq!(plumbing_out_of_its_place(&src), Ok(Vec::new()));
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn items_are_read_from_the_list_of_all_items() {
        let html = r##"<ul class="block"><li><a href="#structs">Structs</a></li></ul>
            <ul class="all-items"><li><a href="struct.Client.html">Client</a></li><li><a href="types/struct.Workspace.html">types::Workspace</a></li></ul>"##;
        assert_eq!(items(html), names(&["Client", "types::Workspace"]));
    }

    #[test]
    fn plumbing_and_copied_in_dependencies_are_out_of_place() {
        let provider = names(&[
            "Client",
            "Error",
            "builder::ListWorkspaces",
            "types::Workspace",
            "ClientInfo",
            "Context",
            "reqwest::Client",
        ]);
        assert_eq!(
            out_of_place("workspaces_sdk_motion", &provider),
            names(&["ClientInfo", "Context", "reqwest::Client"])
        );
        let runtime = names(&["Config", "Api", "call"]);
        assert_eq!(out_of_place(RUNTIME, &runtime), names(&["Api", "call"]));
        let facade = names(&[
            "Workspace",
            "motion::Client",
            "motion::types::Workspace",
            "motion::reqwest::Url",
        ]);
        assert_eq!(out_of_place(FACADE, &facade), names(&["motion::reqwest::Url"]));
        let mock = names(&["MockServerExt", "operations::ListWorkspacesWhen", "MockServer"]);
        assert_eq!(
            out_of_place("workspaces_sdk_motion_mock", &mock),
            names(&["MockServer"])
        );
    }
}
