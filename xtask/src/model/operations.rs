//! The operations of a spec as the model holds them: each owns its
//! parameters (location as an enum, schema resolved), whether it takes a
//! request body, and its response examples; later stages read these, not
//! the document.

use serde_json::Value;

use super::Pagination;
use crate::load::{Example, SpecError, resolve, response_examples, routes};

/// Where a parameter goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Query,
    Header,
    Path,
    Cookie,
    /// The request body (a builder's `body` setter, not a parameter of the spec).
    Body,
}

impl Location {
    /// As the spec writes it (`query`), or `body`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Header => "header",
            Self::Path => "path",
            Self::Cookie => "cookie",
            Self::Body => "body",
        }
    }
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub location: Location,
    pub required: bool,
    /// Its description, trimmed (empty when the spec gives none).
    pub description: String,
    /// Its schema, `$ref`s followed.
    pub schema: Option<Value>,
    /// Its numeric bounds (a query parameter's `minimum`, `maximum`), which
    /// progenitor does not enforce.
    pub bounds: Option<Bounds>,
    /// A header parameter's default, which progenitor does not send.
    pub header_default: Option<String>,
}

/// A parameter's inclusive numeric bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
}

/// An operation of the spec.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    /// `get`, `put`, ...
    pub method: &'static str,
    pub path: String,
    pub parameters: Vec<Parameter>,
    pub has_request_body: bool,
    /// How its listing is split into pages (`x-pagination`), if it is.
    pub pagination: Option<Pagination>,
    /// Its response examples, named or not, in spec order.
    pub examples: Vec<Example>,
    /// For a listing (paginated, or the one `x-workspaces` names), the
    /// JSON pointer of its items in a response, and each of its query
    /// parameters that picks items by a property of theirs: `(parameter,
    /// property)`, `workspace_type` by `workspace_type`, a list `ids` by `id`.
    pub item_filters: Option<ItemFilters>,
}

/// How a listing's query parameters pick its items (what a mock applies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFilters {
    /// The items in a response (a JSON pointer).
    pub items: String,
    /// Each parameter that picks items by a property: `(parameter, property)`.
    pub by_property: Vec<(String, String)>,
    /// The other query parameters (paging aside): what a mock cannot apply.
    pub others: Vec<String>,
}

impl Operation {
    /// The parameter named `name`, if any.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// The operations of a vetted document, in spec order.
pub(super) fn read_operations(
    raw: &Value,
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<Vec<Operation>, SpecError> {
    let examples = response_examples(raw);
    let mut operations = Vec::new();
    for (path, method, id, operation) in routes(raw) {
        let pointer = format!("/paths/{}/{method}", crate::load::escape_pointer(path));
        let id = id.ok_or_else(|| error(&pointer, "the operation has no `operationId`".into()))?;
        let mut parameters = Vec::new();
        let listed = operation.get("parameters").and_then(Value::as_array);
        for (i, parameter) in listed.into_iter().flatten().enumerate() {
            let here = format!("{pointer}/parameters/{i}");
            let parameter = resolve(raw, parameter).ok_or_else(|| error(&here, "unresolvable `$ref`".into()))?;
            let text = |key: &str| parameter.get(key).and_then(Value::as_str).unwrap_or_default();
            let location = match text("in") {
                "query" => Location::Query,
                "header" => Location::Header,
                "path" => Location::Path,
                "cookie" => Location::Cookie,
                other => return Err(error(&here, format!("`in: {other}` is not a parameter location"))),
            };
            let schema = parameter.get("schema").and_then(|s| resolve(raw, s)).cloned();
            let bounds = match location {
                Location::Query => read_bounds(schema.as_ref()).map_err(|message| error(&here, message))?,
                _ => None,
            };
            let header_default = match location {
                Location::Header => {
                    read_header_default(text("name"), schema.as_ref()).map_err(|message| error(&here, message))?
                }
                _ => None,
            };
            parameters.push(Parameter {
                name: text("name").to_owned(),
                location,
                required: parameter.get("required").and_then(Value::as_bool).unwrap_or(false),
                description: text("description").trim().to_owned(),
                schema,
                bounds,
                header_default,
            });
        }
        operations.push(Operation {
            examples: examples.iter().filter(|e| e.operation_id == id).cloned().collect(),
            item_filters: None,
            id,
            method,
            path: path.to_owned(),
            parameters,
            has_request_body: operation.get("requestBody").is_some(),
            pagination: None,
        });
    }
    Ok(operations)
}

/// A query parameter's inclusive bounds (`minimum`, `maximum`), if it has any.
fn read_bounds(schema: Option<&Value>) -> Result<Option<Bounds>, String> {
    let number = |key: &str| schema.and_then(|s| s.get(key)).and_then(Value::as_f64);
    let exclusive = |key: &str| {
        schema
            .and_then(|s| s.get(key))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    if exclusive("exclusiveMinimum") || exclusive("exclusiveMaximum") {
        return Err("exclusive bounds are not supported: give inclusive `minimum` and `maximum`".into());
    }
    Ok(match (number("minimum"), number("maximum")) {
        (None, None) => None,
        (minimum, maximum) => Some(Bounds { minimum, maximum }),
    })
}

/// A header parameter's default, as the text it is sent as: a value a
/// header can carry (visible ASCII), under a name a header can have.
fn read_header_default(name: &str, schema: Option<&Value>) -> Result<Option<String>, String> {
    let value = match schema.and_then(|schema| schema.get("default")) {
        None => return Ok(None),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(_) => return Err("a header's default must be a string, number or boolean".into()),
    };
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(format!(
            "the header name `{name}` cannot be sent: a header's name is letters, digits and !#$%&'*+-.^_`|~"
        ));
    }
    if !value.chars().all(|c| c == '\t' || (' '..='~').contains(&c)) {
        return Err(format!(
            "the default {value:?} of the header `{name}` cannot be sent: a header's value is visible ASCII"
        ));
    }
    Ok(Some(value))
}

/// Gives each paginated operation its `x-pagination`.
pub(super) fn attach_pagination(operations: &mut [Operation], pagination: Vec<Pagination>) {
    for paged in pagination {
        if let Some(op) = operations.iter_mut().find(|op| op.id == paged.operation_id) {
            op.pagination = Some(paged);
        }
    }
}

/// Each listing's item filters (see [`Operation::item_filters`]): a
/// paginated operation, and `listing` (the operation `x-workspaces` names,
/// with its items' pointer), in the spec `raw`.
pub(super) fn attach_item_filters(raw: &Value, operations: &mut [Operation], listing: Option<(&str, &str)>) {
    for op in operations.iter_mut() {
        let items = match (&op.pagination, listing) {
            (Some(paged), _) => paged.items.clone(),
            (None, Some((id, items))) if id == op.id => items.to_owned(),
            _ => continue,
        };
        let Some((_, _, operation)) = crate::load::operations(raw)
            .into_iter()
            .find(|(_, id, _)| id.as_deref() == Some(op.id.as_str()))
        else {
            continue;
        };
        let properties = super::page_shape::item_properties(raw, operation, &items);
        let paging = op
            .pagination
            .as_ref()
            .map(super::Pagination::parameters)
            .unwrap_or_default();
        let (mut by_property, mut others) = (Vec::new(), Vec::new());
        for parameter in op
            .parameters
            .iter()
            .filter(|p| p.location == Location::Query && !paging.contains(&p.name.as_str()))
        {
            let list = parameter
                .schema
                .as_ref()
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                == Some("array");
            let singular = parameter.name.strip_suffix('s').filter(|_| list);
            match [Some(parameter.name.as_str()), singular]
                .into_iter()
                .flatten()
                .find(|name| properties.contains_key(*name))
            {
                Some(property) => by_property.push((parameter.name.clone(), property.to_owned())),
                None => others.push(parameter.name.clone()),
            }
        }
        op.item_filters = Some(ItemFilters {
            items,
            by_property,
            others,
        });
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn operations_own_their_parameters_resolved_and_their_examples() {
        let raw = json!({
            "paths": {"/things/{id}": {"get": {
                "operationId": "getThing",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/Size"},
                ],
                "responses": {"200": {"description": "", "content": {"application/json": {"example": {"id": "a"}}}}},
            }, "put": {"operationId": "putThing", "requestBody": {"content": {}}, "responses": {}}}},
            "components": {
                "parameters": {"Size": {"name": "size", "in": "query", "description": " How many. ", "schema": {"$ref": "#/components/schemas/Size"}}},
                "schemas": {"Size": {"type": "integer", "maximum": 100}},
            },
        });
        let error = |pointer: &str, message: String| SpecError {
            file: "t.yaml".into(),
            pointer: pointer.into(),
            message,
        };
        let operations = read_operations(&raw, &error).unwrap();
        let [get, put] = &operations[..] else {
            panic!("{operations:?}")
        };
        assert_eq!(
            (get.id.as_str(), get.method, get.path.as_str()),
            ("getThing", "get", "/things/{id}")
        );
        let size = get.parameter("size").unwrap();
        assert_eq!(
            (size.location, size.required, size.description.as_str()),
            (Location::Query, false, "How many.")
        );
        assert_eq!(
            size.schema,
            Some(json!({"type": "integer", "maximum": 100})),
            "both `$ref`s followed"
        );
        assert_eq!(get.parameter("id").unwrap().location, Location::Path);
        assert_eq!(get.examples.len(), 1);
        assert!(!get.has_request_body && put.has_request_body);
        assert!(put.examples.is_empty());

        let expected = Bounds {
            minimum: None,
            maximum: Some(100.0),
        };
        assert_eq!(
            size.bounds,
            Some(expected),
            "a query parameter's bounds, from its schema"
        );
        assert_eq!(get.parameter("id").unwrap().bounds, None);

        let mut operations = operations;
        let pagination = Pagination {
            operation_id: "getThing".into(),
            style: super::super::PaginationStyle::Cursor {
                parameter: "size".into(),
                next_cursor: "/next".into(),
                page: super::super::CursorPage {
                    kind: super::super::CursorKind::Text,
                    end: super::super::PageEnd {
                        pointer: "/next".into(),
                        mark: super::super::EndMark::Absent,
                    },
                    objects: Vec::new(),
                },
            },
            items: String::new(),
            has_more: None,
            total: None,
        };
        attach_pagination(&mut operations, vec![pagination.clone()]);
        assert_eq!(operations[0].pagination, Some(pagination));
        assert_eq!(operations[1].pagination, None);
    }

    #[test]
    fn bounds_and_header_defaults_are_read_off_the_schema() {
        assert_eq!(read_bounds(Some(&json!({"type": "string"}))), Ok(None));
        assert_eq!(
            read_bounds(Some(&json!({"minimum": 1}))),
            Ok(Some(Bounds {
                minimum: Some(1.0),
                maximum: None
            }))
        );
        assert!(read_bounds(Some(&json!({"minimum": 1, "exclusiveMinimum": true}))).is_err());
        assert_eq!(
            read_header_default("X-API-Version", Some(&json!({"default": "v1"}))),
            Ok(Some("v1".into()))
        );
        assert_eq!(
            read_header_default("X-Version", Some(&json!({"default": 2}))),
            Ok(Some("2".into()))
        );
        assert_eq!(read_header_default("X-Version", None), Ok(None));
        assert!(read_header_default("X-Version", Some(&json!({"default": ["v1"]}))).is_err());
        assert_eq!(
            read_header_default("X-Version", Some(&json!({"default": "v1\nX-Evil: 1"}))),
            Err("the default \"v1\\nX-Evil: 1\" of the header `X-Version` cannot be sent: a header's value is visible ASCII".into())
        );
        assert_eq!(
            read_header_default("X Version", Some(&json!({"default": "v1"}))),
            Err(
                "the header name `X Version` cannot be sent: a header's name is letters, digits and !#$%&'*+-.^_`|~"
                    .into()
            )
        );
        assert_eq!(
            read_header_default("X Version", None),
            Ok(None),
            "no default, nothing sent by the runtime"
        );
    }
}
