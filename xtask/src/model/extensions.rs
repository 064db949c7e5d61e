//! This project's extensions of a spec: `info.x-sdk` (crate metadata),
//! `x-pagination` and `x-workspaces` on operations.

use serde_json::Value;

use super::{Location, Operation, Pagination, PaginationStyle, WorkspaceListing};
use crate::load::{SpecError, operations};

/// The normalized fields `x-workspaces` maps, and whether each is required.
pub const WORKSPACE_FIELDS: [(&str, bool); 5] = [
    ("id", true),
    ("name", true),
    ("kind", false),
    ("owner", false),
    ("createdAt", false),
];

/// The crate metadata a spec carries in `info.x-sdk`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkInfo {
    /// The crate's name, `workspaces-sdk-<id>`.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The provider's display name.
    pub provider: String,
    /// The crate's one-line description.
    pub description: String,
    /// crates.io keywords (at most five).
    pub keywords: Vec<String>,
}

impl SdkInfo {
    /// The crate metadata of a spec without `x-sdk`: the crate
    /// `workspaces-sdk-<id>`, the provider named by `info.title` (without a
    /// trailing "API"), a description naming the API, the id as a keyword.
    pub fn from_info(id: &str, info: Option<&Value>) -> Self {
        let title = info
            .and_then(|info| info.get("title"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|title| !title.is_empty());
        let provider = title
            .map(|title| title.strip_suffix(" API").unwrap_or(title).trim().to_owned())
            .filter(|provider| !provider.is_empty())
            .unwrap_or_else(|| crate::rust_names::capitalized(id));
        let api = title.map_or_else(|| format!("{provider} API"), str::to_owned);
        Self {
            crate_name: format!("workspaces-sdk-{id}"),
            description: format!("Rust client for the {api}, generated from its OpenAPI description."),
            keywords: vec![id.to_owned(), "api".into(), "client".into(), "openapi".into()],
            provider,
        }
    }
}

pub(super) fn read_pagination(
    raw: &Value,
    read: &[Operation],
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<Vec<Pagination>, SpecError> {
    let mut found = Vec::new();
    for (pointer, id, operation) in operations(raw) {
        let Some(extension) = operation.get("x-pagination") else {
            continue;
        };
        let here = format!("{pointer}/x-pagination");
        let id = id.unwrap_or_default();
        let text = |key: &str| -> Result<String, SpecError> {
            extension
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| error(&here, format!("`{key}` (a string) is missing")))
        };
        let query_parameter = |name: &str| {
            read.iter()
                .find(|op| op.id == id)
                .and_then(|op| op.parameter(name))
                .filter(|p| p.location == Location::Query)
        };
        let parameter = |key: &str| -> Result<String, SpecError> {
            let name = text(key)?;
            match query_parameter(&name) {
                Some(_) => Ok(name),
                None => Err(error(
                    &here,
                    format!("`{key}`: `{name}` is not a query parameter of `{id}`"),
                )),
            }
        };
        let style = match text("style")?.as_str() {
            "cursor" => {
                let next_cursor = text("nextCursor")?;
                let page = super::page_shape::cursor_page(raw, operation, &next_cursor)
                    .map_err(|why| error(&format!("{here}/nextCursor"), why))?;
                PaginationStyle::Cursor {
                    parameter: parameter("cursorParameter")?,
                    next_cursor,
                    page,
                }
            }
            "page" | "offset" => {
                let size = parameter("sizeParameter")?;
                let schema = query_parameter(&size).and_then(|p| p.schema.as_ref());
                let default_size = schema
                    .and_then(|s| s.get("maximum").or_else(|| s.get("default")))
                    .and_then(Value::as_u64);
                match text("style")?.as_str() {
                    "page" => PaginationStyle::Page {
                        page: parameter("pageParameter")?,
                        size,
                        default_size,
                    },
                    _ => PaginationStyle::Offset {
                        offset: parameter("offsetParameter")?,
                        size,
                        default_size,
                    },
                }
            }
            "next-link" => {
                let next_link = text("nextLink")?;
                let page = super::page_shape::cursor_page(raw, operation, &next_link)
                    .map_err(|why| error(&format!("{here}/nextLink"), why))?;
                PaginationStyle::NextLink { next_link, page }
            }
            "link-header" => PaginationStyle::LinkHeader,
            other => {
                return Err(error(
                    &here,
                    format!(
                        "style `{other}` is not supported: use `cursor`, `page`, `offset`, `next-link` or `link-header`"
                    ),
                ));
            }
        };
        let pointer = |key: &str| -> Result<Option<String>, SpecError> {
            match extension.get(key) {
                None => Ok(None),
                Some(Value::String(pointer)) if pointer.starts_with('/') => Ok(Some(pointer.clone())),
                Some(_) => Err(error(&here, format!("`{key}` must be a JSON pointer (`/has_more`)"))),
            }
        };
        let (has_more, total) = (pointer("hasMore")?, pointer("total")?);
        found.push(Pagination {
            operation_id: id,
            style,
            items: text("items")?,
            has_more,
            total,
        });
    }
    Ok(found)
}

pub(super) fn read_workspaces(
    raw: &Value,
    pagination: &[Pagination],
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<Option<WorkspaceListing>, SpecError> {
    let mut found = Vec::new();
    for (pointer, id, operation) in operations(raw) {
        if let Some(extension) = operation.get("x-workspaces") {
            found.push((format!("{pointer}/x-workspaces"), id.unwrap_or_default(), extension));
        }
    }
    let (here, id, extension) = match found.len() {
        1 => found.remove(0),
        0 => return Ok(None),
        _ => return Err(error(&found[1].0, "a second operation has `x-workspaces`".into())),
    };
    let Some(object) = extension.as_object() else {
        return Err(error(&here, "must be an object (items, unique, fields)".into()));
    };
    if let Some(key) = object
        .keys()
        .find(|k| !matches!(k.as_str(), "items" | "unique" | "fields"))
    {
        return Err(error(&here, format!("unknown key `{key}`: use items, unique, fields")));
    }
    let paged = pagination
        .iter()
        .find(|p| p.operation_id == id)
        .map(|p| p.items.clone());
    let items = match (object.get("items").map(Value::as_str), paged) {
        (Some(Some(items)), Some(paged)) if items != paged => {
            return Err(error(
                &format!("{here}/items"),
                format!("`{items}` differs from the `items` of `x-pagination`, `{paged}`"),
            ));
        }
        (Some(Some(items)), _) => items.to_owned(),
        (None, Some(paged)) => paged,
        (Some(None), _) => return Err(error(&format!("{here}/items"), "must be a JSON pointer".into())),
        (None, None) => {
            return Err(error(
                &here,
                "`items` (a JSON pointer to the workspaces in the response) is missing".into(),
            ));
        }
    };
    let unique = match object.get("unique") {
        None => false,
        Some(Value::Bool(unique)) => *unique,
        Some(_) => return Err(error(&format!("{here}/unique"), "must be true or false".into())),
    };
    let mapping = object.get("fields").and_then(Value::as_object);
    let Some(mapping) = mapping else {
        return Err(error(
            &here,
            "`fields` (normalized field: JSON pointer) is missing".into(),
        ));
    };
    if let Some(key) = mapping.keys().find(|k| !WORKSPACE_FIELDS.iter().any(|(f, _)| f == k)) {
        return Err(error(
            &format!("{here}/fields"),
            format!("unknown field `{key}`: use id, name, kind, owner, createdAt"),
        ));
    }
    let mut fields = Vec::new();
    for (field, required) in WORKSPACE_FIELDS {
        let at = format!("{here}/fields/{field}");
        let pointers: Vec<String> = match mapping.get(field) {
            None if required => return Err(error(&at, "is required".into())),
            None => {
                fields.push((field.to_owned(), Vec::new()));
                continue;
            }
            Some(Value::String(pointer)) => vec![pointer.clone()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            Some(_) => Vec::new(),
        };
        if pointers.is_empty() || pointers.iter().any(|p| !p.starts_with('/')) {
            return Err(error(&at, "must be a JSON pointer (`/name`) or a list of them".into()));
        }
        fields.push((field.to_owned(), pointers));
    }
    Ok(Some(WorkspaceListing {
        operation_id: id,
        pointer: here,
        items,
        unique,
        fields,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_x_sdk_the_crate_is_named_from_the_file_and_info() {
        let info = serde_json::json!({"title": "Acme Projects API", "version": "3"});
        let sdk = SdkInfo::from_info("acme", Some(&info));
        assert_eq!(sdk.crate_name, "workspaces-sdk-acme");
        assert_eq!(sdk.provider, "Acme Projects");
        assert_eq!(
            sdk.description,
            "Rust client for the Acme Projects API, generated from its OpenAPI description."
        );
        assert_eq!(sdk.keywords, ["acme", "api", "client", "openapi"]);
        let untitled = SdkInfo::from_info("orbit", None);
        assert_eq!(
            (untitled.provider.as_str(), untitled.description.as_str()),
            (
                "Orbit",
                "Rust client for the Orbit API, generated from its OpenAPI description."
            )
        );
    }
}
