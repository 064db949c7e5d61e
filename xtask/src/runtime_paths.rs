//! Every item of the runtime crate that generated code names, in one table:
//! what users name too (the crate's documented API), and what only the
//! generated code calls (its `plumbing` module, and the two glue macros). A
//! renamed or moved runtime item is one line here; a unit test holds every
//! other file of the generator to the table.

use proc_macro2::TokenStream;

/// A path into the runtime crate, interpolated by `quote!` as the
/// generated code writes it (`#CONTEXT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimePath(&'static str);

impl RuntimePath {
    /// The path as text.
    pub fn text(self) -> &'static str {
        self.0
    }
}

impl quote::ToTokens for RuntimePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        // Every path of the table parses (a unit test says so).
        if let Ok(path) = self.0.parse::<TokenStream>() {
            tokens.extend(path);
        }
    }
}

/// The runtime crate's name in Rust.
pub const CRATE: &str = "workspaces_sdk_runtime";

// The documented API.
pub const CONFIG: RuntimePath = RuntimePath("workspaces_sdk_runtime::Config");
pub const INTO_OPTIONAL_TEXT: RuntimePath = RuntimePath("workspaces_sdk_runtime::IntoOptionalText");
pub const ITEMS: RuntimePath = RuntimePath("workspaces_sdk_runtime::Items");
pub const PAGES: RuntimePath = RuntimePath("workspaces_sdk_runtime::Pages");
pub const PAGING: RuntimePath = RuntimePath("workspaces_sdk_runtime::Paging");
pub const RETRY: RuntimePath = RuntimePath("workspaces_sdk_runtime::Retry");

/// What a provider crate re-exports of the documented API, at its root.
pub const REEXPORTED: &[&str] = &[
    "Config",
    "ConfigError",
    "Credential",
    "Error",
    "ErrorKind",
    "IntoOptionalText",
    "Items",
    "OAuth2",
    "Pages",
    "Paging",
    "RefusedRedirect",
    "RequestHook",
    "RequestId",
    "RequestInfo",
    "Response",
    "Retry",
    "Token",
    "reqwest",
];

// The glue macros.
pub const CLIENT_MACRO: RuntimePath = RuntimePath("workspaces_sdk_runtime::client");
pub const SEND_MACRO: RuntimePath = RuntimePath("workspaces_sdk_runtime::send");

// The plumbing.
pub const API: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::Api");
pub const AS_U64: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::as_u64");
pub const AUTH: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::Auth");
pub const BASE_URL: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::BaseUrl");
pub const BOUND: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::Bound");
pub const BY_CURSOR: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::by_cursor");
pub const BY_CURSOR_WALK: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::ByCursor");
pub const BY_POSITION: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::by_position");
pub const BY_POSITION_WALK: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::ByPosition");
pub const COUNTING: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::Counting");
pub const BY_LINK: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::by_link");
pub const BY_LINK_WALK: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::ByLink");
pub const LINK_HEADER_NEXT: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::link_header_next");
pub const BY_STATUS: RuntimePath = RuntimePath("::workspaces_sdk_runtime::plumbing::ByStatus");
pub const CALL_OPTIONS: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::CallOptions");
pub const CONTEXT: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::Context");
pub const BUILD: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::build");
pub const EXCHANGE: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::exchange");
pub const FLOW: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::Flow");
pub const TOKEN_URL: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::TokenUrl");
pub const HEADER_DEFAULT: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::HeaderDefault");
pub const ITEM_LISTS: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::ItemLists");
pub const ITEMS_OF: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::items");
pub const JSON_BODY: RuntimePath = RuntimePath("::workspaces_sdk_runtime::plumbing::json_body");
pub const JSON_RESPONSE: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::json_response");
pub const ONE_PAGE: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::one_page");
pub const OPEN_ENUM: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::open_enum");
pub const OPERATION: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::Operation");
pub const PLACE: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::Place");
pub const QUERY: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::query");
pub const QUERY_IF_SET: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::query_if_set");
pub const RECOVER: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::recover");
pub const REPLACE_HEADERS: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::replace_headers");
pub const STREAM_RESPONSE: RuntimePath = RuntimePath("workspaces_sdk_runtime::plumbing::stream_response");
pub const TEXT_BODY: RuntimePath = RuntimePath("::workspaces_sdk_runtime::plumbing::text_body");

/// Every path of the table.
pub const ALL: &[RuntimePath] = &[
    CONFIG,
    INTO_OPTIONAL_TEXT,
    ITEMS,
    PAGES,
    PAGING,
    RETRY,
    CLIENT_MACRO,
    SEND_MACRO,
    API,
    AS_U64,
    AUTH,
    BASE_URL,
    BOUND,
    BY_CURSOR,
    BY_CURSOR_WALK,
    BY_POSITION,
    BY_POSITION_WALK,
    COUNTING,
    BY_LINK,
    BY_LINK_WALK,
    LINK_HEADER_NEXT,
    BY_STATUS,
    CALL_OPTIONS,
    CONTEXT,
    BUILD,
    EXCHANGE,
    HEADER_DEFAULT,
    ITEM_LISTS,
    ITEMS_OF,
    JSON_BODY,
    JSON_RESPONSE,
    ONE_PAGE,
    OPEN_ENUM,
    OPERATION,
    PLACE,
    QUERY,
    QUERY_IF_SET,
    RECOVER,
    REPLACE_HEADERS,
    STREAM_RESPONSE,
    TEXT_BODY,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_parses_and_names_the_runtime() {
        for path in ALL {
            let parsed: syn::Path = syn::parse_str(path.text()).unwrap_or_else(|e| panic!("{}: {e}", path.text()));
            let first = parsed.segments.first().map(|s| s.ident.to_string());
            assert_eq!(first.as_deref(), Some(CRATE), "{}", path.text());
            assert_eq!(quote::quote!(#path).to_string().replace(' ', ""), path.text());
        }
    }

    /// No other file of the generator spells a path into the runtime: each
    /// goes through this table (tests, which check what was emitted, aside).
    #[test]
    fn no_other_file_names_a_runtime_item() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let mut folders = vec![src.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("runtime_paths.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                for (number, line) in code.lines().enumerate() {
                    if line.contains(&format!("{CRATE}::")) && !line.trim_start().starts_with("//") {
                        found.push(format!("{}:{}: {}", path.display(), number + 1, line.trim()));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "runtime paths outside the table:\n{}",
            found.join("\n")
        );
    }
}
