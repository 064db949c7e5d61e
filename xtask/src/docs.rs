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
    "Observer",
    "Pages",
    "Paging",
    "RefusedRedirect",
    "RequestId",
    "Response",
    "Retry",
    "TRACE_REQUEST",
    "TRACE_RETRY",
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
    check(&root.join("target/doc"))
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
