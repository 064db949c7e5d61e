//! Stage 6, model: a vetted spec as the generator knows the API beside
//! progenitor: crate metadata (`x-sdk`), the default server, how the
//! credential goes on the wire, header defaults, bounds, pagination
//! (`x-pagination`) and the workspace listing (`x-workspaces`).

pub mod examples;
mod extensions;
pub mod instances;
mod operations;
mod page_shape;
mod security;

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

pub use extensions::{SdkInfo, WORKSPACE_FIELDS};
use extensions::{read_pagination, read_workspaces};
pub use operations::{Bounds, ItemFilters, Location, Operation, Parameter};
pub use page_shape::{CursorKind, CursorPage, EndMark, PageEnd};
use security::read_auth;
pub use security::{Auth, Place, Scheme};

use crate::{
    load::SpecError,
    probe::ProgenitorReading,
    rewrite::{Rewrite, by_status::Split, statuses::Statuses},
};

/// How an operation's listing is split into pages (`x-pagination`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub operation_id: String,
    pub style: PaginationStyle,
    /// JSON pointer to the page's items in the response (`""`: the response).
    pub items: String,
    /// JSON pointer to a boolean in the response that says whether more
    /// pages follow (`hasMore`), where the API documents one.
    pub has_more: Option<String>,
    /// JSON pointer to an integer in the response that counts the items of
    /// the whole listing (`total`), where the API documents one.
    pub total: Option<String>,
}

impl Pagination {
    /// The query parameters the walk sets itself (the cursor, the page
    /// number or offset and the size); a link listing sets none (the link
    /// replaces the query).
    pub fn parameters(&self) -> Vec<&str> {
        match &self.style {
            PaginationStyle::Cursor { parameter, .. } => vec![parameter.as_str()],
            PaginationStyle::Page { page, size, .. } => vec![page.as_str(), size.as_str()],
            PaginationStyle::Offset { offset, size, .. } => vec![offset.as_str(), size.as_str()],
            PaginationStyle::NextLink { .. } | PaginationStyle::LinkHeader => Vec::new(),
        }
    }
}

/// The schemes `x-pagination` describes (`style`).
#[derive(Debug, Clone, PartialEq)]
pub enum PaginationStyle {
    /// Send `parameter` with the cursor found at `next_cursor` in the last
    /// page; `page` says how a page carries it, and marks the last one.
    Cursor {
        parameter: String,
        next_cursor: String,
        page: CursorPage,
    },
    /// Send page numbers from 1 in `page` and the page size in `size`; a short
    /// or empty page is the last. `default_size` is the size parameter's
    /// maximum or default in the spec.
    Page {
        page: String,
        size: String,
        default_size: Option<u64>,
    },
    /// Send offsets from 0 in `offset` and the page size in `size`; the next
    /// offset is the previous one plus the items received, and an empty page
    /// is the last (a short one may be a server's cap on the size).
    Offset {
        offset: String,
        size: String,
        default_size: Option<u64>,
    },
    /// Send the same request to the URL found at `next_link` (a JSON pointer)
    /// in the last page, until a page has none; `page` says how a page
    /// carries it, and marks the last one.
    NextLink { next_link: String, page: CursorPage },
    /// Send the same request to the `rel="next"` target of the last
    /// response's `Link` header, until a response has none.
    LinkHeader,
}

/// How the provider's workspaces are listed and read into the facade's
/// normalized `Workspace` (`x-workspaces` on one operation).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceListing {
    pub operation_id: String,
    /// Where `x-workspaces` is in the spec (a JSON pointer).
    pub pointer: String,
    /// JSON pointer to the workspaces in a response (`""`: the response);
    /// for a paginated operation, its `x-pagination` `items`.
    pub items: String,
    /// Whether the same workspace may come twice, then kept once (by id).
    pub unique: bool,
    /// For each normalized field (`id`, `name`, `kind`, `owner`,
    /// `createdAt`, in that order), the JSON pointers into a workspace that
    /// may hold it, the first present one winning (none: the provider does
    /// not give it).
    pub fields: Vec<(String, Vec<String>)>,
}

/// A vetted spec and the facts the generator reads from it beside progenitor.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The provider's id: the spec's file name without its extension.
    pub id: String,
    /// The spec file.
    pub file: PathBuf,
    /// The spec as written, before any rewrite (the facade's copy of a
    /// listed provider's description).
    pub written: Value,
    /// The spec as JSON, rewritten, for what progenitor does not read.
    pub raw: Value,
    /// The spec as progenitor reads it: `raw`, with each class of statuses
    /// whose bodies differ read as bytes (see `responses`).
    pub openapi: OpenAPI,
    /// The spec as progenitor's mock generator reads it: `openapi`, without
    /// the operations and statuses it cannot generate.
    pub mock_openapi: OpenAPI,
    pub sdk: SdkInfo,
    pub auth: Auth,
    /// The first server's URL with its variables' defaults, if every variable
    /// has a non-empty default.
    pub default_server: Option<String>,
    /// The operation that lists the provider's workspaces (`x-workspaces`);
    /// a provider without one is a client crate outside the facade.
    pub workspaces: Option<WorkspaceListing>,
    /// The classes of statuses whose bodies differ, each decoded by status
    /// into a generated enum.
    pub splits: Vec<Split>,
    /// The properties renamed so that each has a Rust field of its own.
    pub renamed_properties: Vec<crate::rewrite::names::RenamedProperty>,
    /// What each status of each operation documents, by `operationId`.
    pub statuses: Statuses,
    /// Every operation, with its parameters (their bounds and header
    /// defaults), pagination and examples, in spec order.
    pub operations: Vec<Operation>,
    /// Every named string enum, generated as an open enum.
    pub open_enums: Vec<crate::open_enums::OpenEnum>,
    /// How the description was rewritten before progenitor read it.
    pub rewrites: Vec<Rewrite>,
    /// What is wrong in the description but does not stop generation (an
    /// example that contradicts its schema, in a spec the facade does not
    /// list).
    pub warnings: Vec<Rewrite>,
}

impl Spec {
    /// The operation whose `operationId` is `id`.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.id == id)
    }

    /// The pagination of each paginated operation, in spec order.
    pub fn paginations(&self) -> impl Iterator<Item = &Pagination> {
        self.operations.iter().filter_map(|op| op.pagination.as_ref())
    }

    /// The workspace listing of a provider the facade lists.
    pub fn listing(&self) -> Result<&WorkspaceListing, SpecError> {
        self.workspaces.as_ref().ok_or_else(|| SpecError {
            file: self.file.clone(),
            pointer: "/paths".into(),
            message: "no operation has `x-workspaces`".into(),
        })
    }

    /// Why a provider the facade lists cannot be: it takes no credential,
    /// and the facade's `Credentials` give each provider one.
    pub fn listing_needs_credential(&self) -> SpecError {
        SpecError {
            file: self.file.clone(),
            pointer: self.listing().map_or("/paths", |l| &l.pointer).to_owned(),
            message: "a provider the facade lists needs a security scheme (the facade gives each one a credential)"
                .into(),
        }
    }

    /// The pagination of an operation, if it is paginated.
    pub fn pagination(&self, operation_id: &str) -> Option<&Pagination> {
        self.operation(operation_id)?.pagination.as_ref()
    }

    /// The environment variable `Client::from_env` and the examples read the
    /// credential from (see [`Auth::credential_variable`]); `None` for an API
    /// that takes no credential.
    pub fn credential_variable(&self) -> Option<String> {
        self.auth.credential_variable(&self.id)
    }
}

/// The model of the spec file `file`, read from what the earlier stages
/// made of it (`pipeline.rs` runs them).
pub fn read(file: &Path, reading: ProgenitorReading) -> Result<Spec, SpecError> {
    let error = |pointer: &str, message: String| SpecError {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    let id = file
        .file_stem()
        .and_then(|stem| stem.to_str())
        .filter(|stem| !stem.is_empty() && stem.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        .ok_or_else(|| {
            error(
                "",
                "the file name must be the provider's id: lowercase ASCII letters and digits".into(),
            )
        })?
        .to_owned();
    let ProgenitorReading {
        written,
        raw,
        openapi,
        mock_openapi,
        splits,
        renamed_properties,
        statuses,
        mut rewrites,
    } = reading;

    let sdk = match raw.pointer("/info/x-sdk") {
        Some(value) => {
            serde_json::from_value::<SdkInfo>(value.clone()).map_err(|e| error("/info/x-sdk", e.to_string()))?
        }
        None => {
            let sdk = SdkInfo::from_info(&id, raw.get("info"));
            rewrites.push(Rewrite {
                pointer: "/info".into(),
                action: format!(
                    "no `x-sdk`: the crate `{}` for the provider \"{}\", from the file's name and `info`",
                    sdk.crate_name, sdk.provider
                ),
            });
            sdk
        }
    };
    let expected_crate = format!("workspaces-sdk-{id}");
    if sdk.crate_name != expected_crate {
        return Err(error(
            "/info/x-sdk/crate",
            format!("the crate of `{id}` must be named `{expected_crate}`"),
        ));
    }
    if sdk.keywords.len() > 5 {
        return Err(error(
            "/info/x-sdk/keywords",
            "crates.io allows at most five keywords".into(),
        ));
    }

    let auth = read_auth(&raw, &error)?;
    let default_server = read_default_server(&raw, &mut rewrites, &error)?;
    let mut operations = operations::read_operations(&raw, &error)?;
    let pagination = read_pagination(&raw, &operations, &error)?;
    let workspaces = read_workspaces(&raw, &pagination, &error)?;
    if workspaces.is_none() {
        rewrites.push(Rewrite {
            pointer: "/paths".into(),
            action: "no operation has `x-workspaces`: a client crate, not part of the facade's listing".into(),
        });
    }
    operations::attach_pagination(&mut operations, pagination);
    let listed = workspaces.as_ref().map(|l| (l.operation_id.as_str(), l.items.as_str()));
    operations::attach_item_filters(&raw, &mut operations, listed);
    let open_enums = crate::open_enums::open_enums(&raw);
    // The facade, the mock and the tests answer with a listed provider's
    // examples: there, one that contradicts its schema is an error.
    let mut warnings = Vec::new();
    for contradiction in examples::contradictions(&raw) {
        let message = format!("the example contradicts its schema: {}", contradiction.message);
        match workspaces.is_some() {
            true => return Err(error(&contradiction.pointer, message)),
            false => warnings.push(Rewrite {
                pointer: contradiction.pointer,
                action: message,
            }),
        }
    }

    Ok(Spec {
        id,
        file: file.to_owned(),
        written,
        raw,
        openapi,
        mock_openapi,
        sdk,
        auth,
        default_server,
        workspaces,
        splits,
        renamed_properties,
        statuses,
        operations,
        open_enums,
        rewrites,
        warnings,
    })
}

/// The first server's URL with its variables' defaults, if every variable
/// has a non-empty default. A URL relative to where the description is
/// served (`/v1`, or none at all) gives no default server, and one without
/// a scheme (`//api.example.com`) is read as `https`; each is reported.
fn read_default_server(
    raw: &Value,
    rewrites: &mut Vec<Rewrite>,
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<Option<String>, SpecError> {
    let Some(server) = raw.pointer("/servers/0") else {
        return Ok(None);
    };
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| error("/servers/0", "a server needs a `url`".into()))?
        .to_owned();
    for (name, variable) in server.get("variables").and_then(Value::as_object).into_iter().flatten() {
        let default = variable.get("default").and_then(Value::as_str).unwrap_or_default();
        if default.is_empty() {
            return Ok(None);
        }
        url = url.replace(&format!("{{{name}}}"), default);
    }
    let mut report = |action: String| {
        rewrites.push(Rewrite {
            pointer: "/servers/0/url".into(),
            action,
        })
    };
    if let Some(host) = url.strip_prefix("//") {
        let absolute = format!("https://{host}");
        report(format!("`{url}` names no scheme: the default server is `{absolute}`"));
        url = absolute;
    } else if !url.contains("://") {
        report(format!(
            "`{url}` is relative to where the description is served: no default server (a client is given its base URL)"
        ));
        return Ok(None);
    }
    if url.contains('{') || !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(error(
            "/servers/0/url",
            format!("`{url}` is not an absolute http(s) URL once its variables are set"),
        ));
    }
    Ok(Some(url.trim_end_matches('/').to_owned()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_default_server_is_the_first_absolute_one_and_a_relative_one_is_none() {
        let read = |servers: Value| {
            let mut rewrites = Vec::new();
            let error = |pointer: &str, message: String| SpecError {
                file: "spec.yaml".into(),
                pointer: pointer.to_owned(),
                message,
            };
            let url = read_default_server(&json!({ "servers": servers }), &mut rewrites, &error);
            let report: Vec<String> = rewrites.into_iter().map(|r| r.action).collect();
            (url.map_err(|e| e.message), report)
        };
        let variables = json!([{"url": "https://{host}/v1/", "variables": {"host": {"default": "api.example.com"}}}]);
        assert_eq!(read(variables), (Ok(Some("https://api.example.com/v1".into())), vec![]));
        let no_default = json!([{"url": "https://{host}/v1", "variables": {"host": {"default": ""}}}]);
        assert_eq!(read(no_default).0, Ok(None));
        let (url, report) = read(json!([{"url": "//api.example.com/v2"}]));
        assert_eq!(url, Ok(Some("https://api.example.com/v2".into())));
        assert_eq!(
            report,
            ["`//api.example.com/v2` names no scheme: the default server is `https://api.example.com/v2`"]
        );
        for relative in ["/v1", ""] {
            let (url, report) = read(json!([{ "url": relative }]));
            assert_eq!(url, Ok(None), "{relative:?}");
            assert!(
                report[0].contains("is relative to where the description is served"),
                "{report:?}"
            );
        }
        assert!(
            read(json!([{"url": "ftp://files.example.com"}]))
                .0
                .unwrap_err()
                .contains("not an absolute http(s) URL")
        );
    }
}

/// A spec for the unit tests of later stages.
#[cfg(test)]
pub(crate) mod tests_support {
    /// A spec of one operation, `getThing`, with no parameter.
    pub(crate) fn minimal_spec() -> super::Spec {
        let spec = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "Minimal", "version": "1"},
            "paths": {"/thing": {"get": {"operationId": "getThing", "responses": {"200": {
                "description": "", "content": {"application/json": {"schema": {"type": "string"}}},
            }}}}},
        });
        // Nothing to rewrite or set aside: the reading is the document.
        let file = std::path::Path::new("minimal.json");
        let openapi = crate::load::openapi_of(file, &spec).unwrap();
        let reading = crate::probe::ProgenitorReading {
            written: spec.clone(),
            statuses: crate::vet::vet(file, &spec).unwrap(),
            raw: spec,
            mock_openapi: openapi.clone(),
            openapi,
            splits: Vec::new(),
            renamed_properties: Vec::new(),
            rewrites: Vec::new(),
        };
        super::read(file, reading).unwrap()
    }
}
