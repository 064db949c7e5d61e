//! Loading a spec and vetting it: everything progenitor would panic on, or
//! that the generated glue needs and cannot find, is reported here as one
//! [`SpecError`] naming the file, the place (a JSON pointer) and the rule.

use std::{
    collections::BTreeMap,
    fmt,
    path::{Path, PathBuf},
};

use openapiv3::OpenAPI;
use serde_json::Value;

/// A spec that cannot be turned into a crate, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file.
    pub file: PathBuf,
    /// Where in the spec, as a JSON pointer (`""` for the whole file).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}: at {}: {}", self.file.display(), self.pointer, self.message)
        }
    }
}

impl std::error::Error for SpecError {}

/// How the credential goes on the wire, read from `securitySchemes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    /// The scheme's name in `components.securitySchemes`.
    pub scheme_name: String,
    /// The header that carries the credential.
    pub header: String,
    /// What precedes the credential in the header's value.
    pub prefix: String,
}

/// A header parameter's default, which progenitor does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderDefault {
    pub operation_id: String,
    pub header: String,
    pub value: String,
}

/// The numeric bounds of a query parameter, which progenitor does not enforce.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub operation_id: String,
    pub parameter: String,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
}

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
    pub header_defaults: Vec<HeaderDefault>,
    pub bounds: Vec<Bound>,
    pub pagination: Vec<Pagination>,
    /// The operation that lists the provider's workspaces (`x-workspaces`).
    pub workspaces: WorkspaceListing,
    /// The classes of statuses whose bodies differ, each decoded by status
    /// into a generated enum.
    pub splits: Vec<crate::responses::Split>,
    /// How the description was rewritten before progenitor read it.
    pub normalizations: Vec<crate::normalize::Normalization>,
    /// Whether some operation declares a header named `api-version`.
    pub declares_api_version_header: bool,
}

/// The HTTP methods an OpenAPI path item may hold, in the order they are read.
pub(crate) const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

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
        normalizations,
    } = read_for_progenitor(file)?;

    let sdk = raw
        .pointer("/info/x-sdk")
        .ok_or_else(|| {
            error(
                "/info",
                "missing `x-sdk` (crate, provider, description, keywords)".into(),
            )
        })
        .and_then(|value| {
            serde_json::from_value::<SdkInfo>(value.clone()).map_err(|e| error("/info/x-sdk", e.to_string()))
        })?;
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
    let (header_defaults, declares_api_version_header) = read_header_parameters(&raw, &error)?;
    let bounds = read_bounds(&raw, &error)?;
    let pagination = read_pagination(&raw, &error)?;
    let workspaces = read_workspaces(&raw, &pagination, &error)?;

    Ok(Spec {
        id,
        file: file.to_owned(),
        raw,
        openapi,
        sdk,
        auth,
        default_server,
        header_defaults,
        bounds,
        pagination,
        workspaces,
        splits,
        normalizations,
        declares_api_version_header,
    })
}

/// A spec as progenitor takes it, before this project's own extensions
/// (`x-sdk`, `x-workspaces`, `x-pagination`) are read.
#[derive(Debug, Clone)]
pub struct ProgenitorReading {
    /// The description, normalized.
    pub raw: Value,
    /// progenitor's copy of it (see `responses`, `progenitor_run::fall_back`).
    pub openapi: OpenAPI,
    pub splits: Vec<crate::responses::Split>,
    /// Every rewrite, in order.
    pub normalizations: Vec<crate::normalize::Normalization>,
}

/// Reads a spec file as progenitor is to take it: OpenAPI 3.0.x, every
/// `$ref` inside the spec, unique `operationId`s, vetted responses; then
/// normalized, each class of statuses with different bodies read by status,
/// and what progenitor cannot generate set aside.
pub fn read_for_progenitor(file: &Path) -> Result<ProgenitorReading, SpecError> {
    let error = |pointer: &str, message: String| SpecError {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    let mut raw = parse_file(file)?;
    match raw.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => {
            return Err(error(
                "/openapi",
                format!("OpenAPI {version} is not supported: progenitor reads OpenAPI 3.0.x only"),
            ));
        }
        None => {
            return Err(error(
                "/openapi",
                "missing or not a string: this is not an OpenAPI 3.0 document".into(),
            ));
        }
    }
    let mut normalizations = crate::normalize::normalize(&mut raw);
    let openapi_of = |value: &Value| -> Result<OpenAPI, SpecError> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let pointer = json_pointer_of(e.path());
            error(&pointer, format!("not valid OpenAPI 3.0: {}", e.inner()))
        })
    };
    openapi_of(&raw)?;
    vet_refs(&raw, &raw, "", &error)?;
    vet_paths(&raw, &error)?;
    let (mut view, splits, read_for_progenitor) = crate::responses::for_progenitor(&raw, &error)?;
    normalizations.extend(read_for_progenitor);
    normalizations.extend(crate::progenitor_run::fall_back(&mut view, &mut raw));
    let openapi = openapi_of(&view)?;
    Ok(ProgenitorReading {
        raw,
        openapi,
        splits,
        normalizations,
    })
}

/// Every spec in a folder, sorted by file name.
pub fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: cannot read the folder: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads a spec file as JSON (YAML is converted), without vetting it.
pub fn parse_file(file: &Path) -> Result<Value, SpecError> {
    let text = std::fs::read_to_string(file).map_err(|e| SpecError {
        file: file.to_owned(),
        pointer: String::new(),
        message: format!("cannot read the file: {e}"),
    })?;
    parse(file, &text)
}

fn parse(file: &Path, text: &str) -> Result<Value, SpecError> {
    let error = |message: String| SpecError {
        file: file.to_owned(),
        pointer: String::new(),
        message,
    };
    if file.extension().and_then(|e| e.to_str()) == Some("json") {
        return serde_json::from_str(text).map_err(|e| error(format!("invalid JSON: {e}")));
    }
    let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| error(format!("invalid YAML: {e}")))?;
    yaml_to_json(yaml, "").map_err(|(pointer, message)| SpecError {
        file: file.to_owned(),
        pointer,
        message,
    })
}

/// YAML allows what JSON does not (non-string keys, tags); OpenAPI is JSON.
fn yaml_to_json(yaml: yaml_serde::Value, pointer: &str) -> Result<Value, (String, String)> {
    use yaml_serde::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).map_err(|e| (pointer.to_owned(), format!("number: {e}")))?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            pointer.to_owned(),
                            format!("a mapping key must be a string, not {other:?}"),
                        ));
                    }
                };
                let child = format!("{pointer}/{}", escape_pointer(&key));
                let value = yaml_to_json(value, &child)?;
                object.insert(key, value);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => {
            return Err((
                pointer.to_owned(),
                format!("YAML tag `{}` is not allowed in OpenAPI", tagged.tag),
            ));
        }
    })
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn json_pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(escape_pointer(key)),
            Segment::Enum { variant } => Some(escape_pointer(variant)),
            Segment::Unknown => None,
        })
        .fold(String::new(), |acc, segment| format!("{acc}/{segment}"))
}

/// The operations of a spec: (pointer, operationId if any, the operation).
pub fn operations(raw: &Value) -> Vec<(String, Option<String>, &Value)> {
    routes(raw)
        .into_iter()
        .map(|(path, method, id, operation)| (format!("/paths/{}/{method}", escape_pointer(path)), id, operation))
        .collect()
}

/// The operations of a spec by route: (path, method, operationId if any,
/// the operation), in spec order.
pub fn routes(raw: &Value) -> Vec<(&str, &'static str, Option<String>, &Value)> {
    let mut found = Vec::new();
    for (path, item) in raw.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let id = operation.get("operationId").and_then(Value::as_str).map(str::to_owned);
                found.push((path.as_str(), method, id, operation));
            }
        }
    }
    found
}

/// The parameters of an operation (by `operationId`): name, location
/// (`query`, `header`, `path`, `cookie`) and description, in spec order.
pub fn parameters(raw: &Value, operation_id: &str) -> Vec<(String, String, String)> {
    let operation = operations(raw)
        .into_iter()
        .find(|(_, id, _)| id.as_deref() == Some(operation_id));
    let Some((_, _, operation)) = operation else {
        return Vec::new();
    };
    let field = |p: &Value, key: &str| p.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| resolve(raw, p))
        .map(|p| (field(p, "name"), field(p, "in"), field(p, "description")))
        .collect()
}

/// The schema of a parameter of an operation, `$ref`s followed.
pub fn parameter_schema<'a>(raw: &'a Value, operation_id: &str, name: &str) -> Option<&'a Value> {
    let (_, _, operation) = operations(raw)
        .into_iter()
        .find(|(_, id, _)| id.as_deref() == Some(operation_id))?;
    let parameter = operation
        .get("parameters")?
        .as_array()?
        .iter()
        .filter_map(|p| resolve(raw, p))
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))?;
    resolve(raw, parameter.get("schema")?)
}

/// Follows a local `$ref` (`#/components/...`), once or several times.
pub fn resolve<'a>(raw: &'a Value, mut value: &'a Value) -> Option<&'a Value> {
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => value = raw.pointer(reference.strip_prefix('#')?)?,
            None => return Some(value),
        }
    }
    None
}

/// Every `$ref` points inside the spec, at something that exists. Literal
/// data (`example`, the examples of `examples`, extensions) is not a reference.
fn vet_refs(
    raw: &Value,
    value: &Value,
    pointer: &str,
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<(), SpecError> {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let here = format!("{pointer}/{}", escape_pointer(key));
                if key == "example" || key.starts_with("x-") {
                    continue;
                }
                if key == "examples"
                    && let Value::Object(examples) = value
                {
                    // Each example is a `$ref` or literal data.
                    for (name, example) in examples {
                        if let Some(reference) = example.get("$ref") {
                            let at = format!("{here}/{}", escape_pointer(name));
                            vet_refs(raw, &serde_json::json!({ "$ref": reference }), &at, error)?;
                        }
                    }
                    continue;
                }
                if key == "$ref"
                    && let Value::String(reference) = value
                {
                    let Some(local) = reference.strip_prefix('#') else {
                        return Err(error(
                            &here,
                            format!("`{reference}` is in another document: bundle the spec into one file"),
                        ));
                    };
                    if raw.pointer(local).is_none() {
                        return Err(error(&here, format!("`{reference}` points at nothing")));
                    }
                } else {
                    vet_refs(raw, value, &here, error)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                vet_refs(raw, item, &format!("{pointer}/{i}"), error)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn vet_paths(raw: &Value, error: &impl Fn(&str, String) -> SpecError) -> Result<(), SpecError> {
    let paths = raw.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        if item.get("$ref").is_some() {
            let pointer = format!("/paths/{}", escape_pointer(path));
            return Err(error(
                &pointer,
                "a path item given by `$ref` is not supported: write it inline".into(),
            ));
        }
    }
    let mut seen = BTreeMap::new();
    for (pointer, id, operation) in operations(raw) {
        let id = id.ok_or_else(|| error(&pointer, "the operation has no `operationId`".into()))?;
        if let Some(first) = seen.insert(id.clone(), pointer.clone()) {
            return Err(error(
                &pointer,
                format!("operationId `{id}` is used twice (first at {first})"),
            ));
        }
        crate::responses::statuses(raw, &pointer, operation, error)?;
    }
    Ok(())
}

fn read_auth(raw: &Value, error: &impl Fn(&str, String) -> SpecError) -> Result<Auth, SpecError> {
    let requirement = raw.pointer("/security/0").and_then(Value::as_object).ok_or_else(|| {
        error(
            "/security",
            "a top-level `security` requirement is needed: it says how to authenticate".into(),
        )
    })?;
    let mut names = requirement.keys();
    let (Some(scheme_name), None) = (names.next(), names.next()) else {
        return Err(error(
            "/security/0",
            "the first security requirement must name exactly one scheme".into(),
        ));
    };
    let pointer = format!("/components/securitySchemes/{}", escape_pointer(scheme_name));
    let scheme = raw
        .pointer(&pointer)
        .and_then(|scheme| resolve(raw, scheme))
        .ok_or_else(|| error("/security/0", format!("security scheme `{scheme_name}` is not defined")))?;
    let field = |name: &str| scheme.get(name).and_then(Value::as_str).unwrap_or_default();
    let (header, prefix) = match (
        field("type"),
        field("in"),
        field("scheme").to_ascii_lowercase().as_str(),
    ) {
        ("apiKey", "header", _) if !field("name").is_empty() => (field("name").to_owned(), String::new()),
        ("http", _, "basic" | "digest" | "") => {
            return Err(error(
                &pointer,
                format!("HTTP `{}` authentication is not supported", field("scheme")),
            ));
        }
        ("http", _, _) => {
            let scheme = field("scheme");
            let mut chars = scheme.chars();
            let capitalized: String = chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
                .collect();
            ("Authorization".to_owned(), format!("{capitalized} "))
        }
        (kind, location, _) => {
            return Err(error(
                &pointer,
                format!(
                    "security scheme type `{kind}` (in `{location}`) is not supported: use an apiKey header or http"
                ),
            ));
        }
    };
    if !header.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b)) {
        return Err(error(&pointer, format!("`{header}` is not a valid header name")));
    }
    Ok(Auth {
        scheme_name: scheme_name.clone(),
        header,
        prefix,
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

fn read_header_parameters(
    raw: &Value,
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<(Vec<HeaderDefault>, bool), SpecError> {
    let mut defaults = Vec::new();
    let mut declares_api_version = false;
    for (pointer, id, operation) in operations(raw) {
        let parameters = operation.get("parameters").and_then(Value::as_array);
        for (i, parameter) in parameters.into_iter().flatten().enumerate() {
            let here = format!("{pointer}/parameters/{i}");
            let parameter = resolve(raw, parameter).ok_or_else(|| error(&here, "unresolvable `$ref`".into()))?;
            if parameter.get("in").and_then(Value::as_str) != Some("header") {
                continue;
            }
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or_default();
            declares_api_version |= name.eq_ignore_ascii_case("api-version");
            let schema = parameter.get("schema").and_then(|schema| resolve(raw, schema));
            let default = match schema.and_then(|schema| schema.get("default")) {
                None => continue,
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(_) => {
                    return Err(error(
                        &here,
                        "a header's default must be a string, number or boolean".into(),
                    ));
                }
            };
            defaults.push(HeaderDefault {
                operation_id: id.clone().unwrap_or_default(),
                header: name.to_owned(),
                value: default,
            });
        }
    }
    Ok((defaults, declares_api_version))
}

fn read_pagination(raw: &Value, error: &impl Fn(&str, String) -> SpecError) -> Result<Vec<Pagination>, SpecError> {
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
        let parameter = |key: &str| -> Result<String, SpecError> {
            let name = text(key)?;
            match parameters(raw, &id).iter().find(|(n, ..)| *n == name) {
                Some((_, location, _)) if location == "query" => Ok(name),
                _ => Err(error(
                    &here,
                    format!("`{key}`: `{name}` is not a query parameter of `{id}`"),
                )),
            }
        };
        let style = match text("style")?.as_str() {
            "cursor" => PaginationStyle::Cursor {
                parameter: parameter("cursorParameter")?,
                next_cursor: text("nextCursor")?,
            },
            "page" => {
                let size = parameter("sizeParameter")?;
                let schema = parameter_schema(raw, &id, &size);
                let default_size = schema
                    .and_then(|s| s.get("maximum").or_else(|| s.get("default")))
                    .and_then(Value::as_u64);
                PaginationStyle::Page {
                    page: parameter("pageParameter")?,
                    size,
                    default_size,
                }
            }
            other => {
                return Err(error(
                    &here,
                    format!("style `{other}` is not supported: use `cursor` or `page`"),
                ));
            }
        };
        found.push(Pagination {
            operation_id: id,
            style,
            items: text("items")?,
        });
    }
    Ok(found)
}

fn read_workspaces(
    raw: &Value,
    pagination: &[Pagination],
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<WorkspaceListing, SpecError> {
    let mut found = Vec::new();
    for (pointer, id, operation) in operations(raw) {
        if let Some(extension) = operation.get("x-workspaces") {
            found.push((format!("{pointer}/x-workspaces"), id.unwrap_or_default(), extension));
        }
    }
    let (here, id, extension) = match found.len() {
        1 => found.remove(0),
        0 => {
            return Err(error(
                "/paths",
                "no operation has `x-workspaces`: name the one that lists the workspaces and how to read them".into(),
            ));
        }
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
    Ok(WorkspaceListing {
        operation_id: id,
        pointer: here,
        items,
        unique,
        fields,
    })
}

fn read_bounds(raw: &Value, error: &impl Fn(&str, String) -> SpecError) -> Result<Vec<Bound>, SpecError> {
    let mut bounds = Vec::new();
    for (pointer, id, operation) in operations(raw) {
        let parameters = operation.get("parameters").and_then(Value::as_array);
        for (i, parameter) in parameters.into_iter().flatten().enumerate() {
            let here = format!("{pointer}/parameters/{i}");
            let parameter = resolve(raw, parameter).ok_or_else(|| error(&here, "unresolvable `$ref`".into()))?;
            let schema = parameter.get("schema").and_then(|schema| resolve(raw, schema));
            if parameter.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            let number = |key: &str| schema.and_then(|s| s.get(key)).and_then(Value::as_f64);
            let exclusive = |key: &str| {
                schema
                    .and_then(|s| s.get(key))
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
            };
            if exclusive("exclusiveMinimum") || exclusive("exclusiveMaximum") {
                return Err(error(
                    &here,
                    "exclusive bounds are not supported: give inclusive `minimum` and `maximum`".into(),
                ));
            }
            let (minimum, maximum) = (number("minimum"), number("maximum"));
            if minimum.is_some() || maximum.is_some() {
                bounds.push(Bound {
                    operation_id: id.clone().unwrap_or_default(),
                    parameter: parameter
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    minimum,
                    maximum,
                });
            }
        }
    }
    Ok(bounds)
}

/// A response example of a spec.
#[derive(Debug, Clone)]
pub struct Example {
    pub operation_id: String,
    pub status: String,
    pub media_type: String,
    /// The example's name (`example` for an unnamed one).
    pub name: String,
    pub value: Value,
}

/// Every response example of a spec, named or not, in spec order.
pub fn response_examples(raw: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    for (_, id, operation) in operations(raw) {
        let responses = operation.get("responses").and_then(Value::as_object);
        for (status, response) in responses.into_iter().flatten() {
            let Some(response) = resolve(raw, response) else {
                continue;
            };
            for (media_type, media) in response.get("content").and_then(Value::as_object).into_iter().flatten() {
                let example = |name: &str, value: &Value| Example {
                    operation_id: id.clone().unwrap_or_default(),
                    status: status.clone(),
                    media_type: media_type.clone(),
                    name: name.to_owned(),
                    value: value.clone(),
                };
                if let Some(value) = media.get("example") {
                    found.push(example("example", value));
                }
                for (name, named) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
                    if let Some(value) = resolve(raw, named).and_then(|named| named.get("value")) {
                        found.push(example(name, value));
                    }
                }
            }
        }
    }
    found
}

/// Whether a media type is JSON.
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_pointers_escape_slashes_and_tildes() {
        assert_eq!(escape_pointer("/api/v2.1/workspaces/"), "~1api~1v2.1~1workspaces~1");
        assert_eq!(escape_pointer("a~b"), "a~0b");
    }
}
