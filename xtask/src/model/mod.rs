//! Stage 4, model: a vetted spec as the generator knows the API beside
//! progenitor: crate metadata (`x-sdk`), the default server, how the
//! credential goes on the wire, header defaults, bounds, pagination
//! (`x-pagination`) and the workspace listing (`x-workspaces`).

mod extensions;
mod operations;
mod security;

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

pub use extensions::{SdkInfo, WORKSPACE_FIELDS};
use extensions::{read_pagination, read_workspaces};
pub use operations::{Bounds, Location, Operation, Parameter};
use security::read_auth;
pub use security::{Auth, Place, Scheme};

use crate::{
    load::SpecError,
    rewrite::{Rewrite, by_status::Split, statuses::Statuses},
    vet::ProgenitorReading,
};

/// How an operation's listing is split into pages (`x-pagination`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub operation_id: String,
    pub style: PaginationStyle,
    /// JSON pointer to the page's items in the response (`""`: the response).
    pub items: String,
}

/// The two schemes `x-pagination` describes.
#[derive(Debug, Clone, PartialEq)]
pub enum PaginationStyle {
    /// Send `parameter` with the cursor found at `next_cursor` in the last page.
    Cursor { parameter: String, next_cursor: String },
    /// Send page numbers from 1 in `page` and the page size in `size`; a short
    /// or empty page is the last. `default_size` is the size parameter's
    /// maximum or default in the spec.
    Page {
        page: String,
        size: String,
        default_size: Option<u64>,
    },
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
    /// The spec as JSON, for what progenitor does not read.
    pub raw: Value,
    /// The spec as progenitor reads it: `raw`, with each class of statuses
    /// whose bodies differ read as bytes (see `responses`).
    pub openapi: OpenAPI,
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
    /// What each status of each operation documents, by `operationId`.
    pub statuses: Statuses,
    /// Every operation, with its parameters (their bounds and header
    /// defaults), pagination and examples, in spec order.
    pub operations: Vec<Operation>,
    /// Every named string enum, generated as an open enum.
    pub open_enums: Vec<crate::open_enums::OpenEnum>,
    /// How the description was rewritten before progenitor read it.
    pub rewrites: Vec<Rewrite>,
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

/// Reads and vets one spec file.
pub fn load(file: &Path) -> Result<Spec, SpecError> {
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
        raw,
        openapi,
        splits,
        statuses,
        mut rewrites,
    } = crate::vet::read_for_progenitor(file)?;

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
    let default_server = read_default_server(&raw, &error)?;
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
    let open_enums = crate::open_enums::open_enums(&raw);

    Ok(Spec {
        id,
        file: file.to_owned(),
        raw,
        openapi,
        sdk,
        auth,
        default_server,
        workspaces,
        splits,
        statuses,
        operations,
        open_enums,
        rewrites,
    })
}

fn read_default_server(raw: &Value, error: &impl Fn(&str, String) -> SpecError) -> Result<Option<String>, SpecError> {
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
    if url.contains('{') || !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(error(
            "/servers/0/url",
            format!("`{url}` is not an absolute http(s) URL once its variables are set"),
        ));
    }
    Ok(Some(url.trim_end_matches('/').to_owned()))
}
