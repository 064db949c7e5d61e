//! Stage 1, load: a spec file as a JSON document (YAML or JSON, told apart
//! by content), its OpenAPI version, and what every later stage reads off
//! the document as written: its operations, parameters, `$ref`s and
//! examples. A file that cannot be read is one [`SpecError`] naming the
//! file, the place (a JSON pointer, or a line and column) and the rule.

use std::{
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

/// The HTTP methods an OpenAPI path item may hold, in the order they are read.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

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

/// A spec file as JSON with its overlay applied, if it has one
/// (`overlays/<stem>.yaml` beside it, an OpenAPI Overlay 1.0 document): what
/// every stage after this one reads.
pub fn parse_spec(file: &Path) -> Result<Value, SpecError> {
    let mut raw = parse_file(file)?;
    let overlay = crate::overlay::beside(file);
    if overlay.is_file() {
        let text = std::fs::read_to_string(&overlay).map_err(|e| SpecError {
            file: overlay.clone(),
            pointer: String::new(),
            message: format!("cannot read the file: {e}"),
        })?;
        with_overlay(&mut raw, &overlay, &text)?;
    }
    Ok(raw)
}

/// `raw` with the overlay `text` (read from `file`) applied.
pub fn with_overlay(raw: &mut Value, file: &Path, text: &str) -> Result<(), SpecError> {
    let document = parse(file, text)?;
    crate::overlay::apply(raw, &document).map_err(|e| SpecError {
        file: file.to_owned(),
        pointer: e.pointer,
        message: e.message,
    })?;
    Ok(())
}

/// A file's text as a document: JSON when it starts as a JSON object does
/// (YAML in flow style too, where it is not JSON and the file is not named
/// `.json`), YAML otherwise; errors give the line and column.
pub fn parse(file: &Path, text: &str) -> Result<Value, SpecError> {
    let error = |message: String| SpecError {
        file: file.to_owned(),
        pointer: String::new(),
        message,
    };
    if text.trim_start().starts_with('{') {
        match serde_json::from_str(text) {
            Ok(value) => return Ok(value),
            Err(e) if file.extension().is_some_and(|x| x == "json") => {
                return Err(error(format!("invalid JSON: {e}")));
            }
            Err(_) => {}
        }
    }
    let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| error(format!("invalid YAML: {e}")))?;
    yaml_to_json(yaml, "").map_err(|(pointer, message)| SpecError {
        file: file.to_owned(),
        pointer,
        message,
    })
}

/// The OpenAPI version of a document: 3.0.x or 3.1.x (read in its 3.0
/// form), or an error naming what it is.
pub fn check_version(file: &Path, raw: &Value) -> Result<(), SpecError> {
    let error = |pointer: &str, message: String| SpecError {
        file: file.to_owned(),
        pointer: pointer.into(),
        message,
    };
    if let Some(version) = raw.get("swagger").and_then(Value::as_str) {
        return Err(error(
            "/swagger",
            format!(
                "Swagger {version} (OpenAPI 2) is not read: convert it to OpenAPI 3 first (for example with swagger2openapi)"
            ),
        ));
    }
    match raw.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") || version.starts_with("3.1.") => Ok(()),
        Some(version) => Err(error(
            "/openapi",
            format!("OpenAPI {version} is not supported: OpenAPI 3.0.x and 3.1.x are"),
        )),
        None => Err(error(
            "/openapi",
            "missing or not a string: this is not an OpenAPI 3 document".into(),
        )),
    }
}

/// The document as `openapiv3` reads it; an error names the JSON pointer.
pub fn openapi_of(file: &Path, value: &Value) -> Result<OpenAPI, SpecError> {
    serde_path_to_error::deserialize(value).map_err(|e| SpecError {
        file: file.to_owned(),
        pointer: json_pointer_of(e.path()),
        message: format!("not valid OpenAPI 3.0: {}", e.inner()),
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

/// One JSON pointer segment as the name it stands for (RFC 6901).
pub fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
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

/// The names an object schema lists as `required`.
pub fn required(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
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

/// A response example of a spec.
#[derive(Debug, Clone)]
pub struct Example {
    pub operation_id: String,
    pub status: String,
    pub media_type: String,
    /// The example's name (`example` for an unnamed one).
    pub name: String,
    pub value: Value,
    /// Where the value is in the spec (a JSON pointer).
    pub pointer: String,
    /// Where the schema of its media type is, if it has one.
    pub schema: Option<String>,
}

/// Every response example of a spec, named or not, in spec order.
pub fn response_examples(raw: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    for (pointer, id, operation) in operations(raw) {
        let responses = operation.get("responses").and_then(Value::as_object);
        for status in responses.into_iter().flatten().map(|(status, _)| status) {
            let Some(at) = resolve_pointer(raw, &format!("{pointer}/responses/{}", escape_pointer(status))) else {
                continue;
            };
            let Some(response) = raw.pointer(&at) else { continue };
            for (media_type, media) in response.get("content").and_then(Value::as_object).into_iter().flatten() {
                let media_at = format!("{at}/content/{}", escape_pointer(media_type));
                let example = |name: &str, value: &Value, pointer: String| Example {
                    operation_id: id.clone().unwrap_or_default(),
                    status: status.clone(),
                    media_type: media_type.clone(),
                    name: name.to_owned(),
                    value: value.clone(),
                    pointer,
                    schema: media.get("schema").map(|_| format!("{media_at}/schema")),
                };
                if let Some(value) = media.get("example") {
                    found.push(example("example", value, format!("{media_at}/example")));
                }
                for name in media
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(n, _)| n)
                {
                    let named = resolve_pointer(raw, &format!("{media_at}/examples/{}", escape_pointer(name)));
                    if let Some(named) = named
                        && let Some(value) = raw.pointer(&named).and_then(|named| named.get("value"))
                    {
                        found.push(example(name, value, format!("{named}/value")));
                    }
                }
            }
        }
    }
    found
}

/// The pointer of the value at `pointer`, its local `$ref`s followed.
pub fn resolve_pointer(raw: &Value, pointer: &str) -> Option<String> {
    let mut pointer = pointer.to_owned();
    for _ in 0..16 {
        match raw.pointer(&pointer)?.get("$ref").and_then(Value::as_str) {
            Some(reference) => pointer = reference.strip_prefix('#')?.to_owned(),
            None => return Some(pointer),
        }
    }
    None
}

/// Whether a media type is JSON.
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_file_holding_json_is_read_as_json_escapes_included() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "Caf\u00e9 \ud83d\ude00", "version": "1"}}"#;
        let value = parse(Path::new("openapi/cafe.yaml"), text).unwrap();
        assert_eq!(value["info"]["title"], "Café 😀");
        let error = parse(Path::new("openapi/cafe.json"), "{\"openapi\": ").unwrap_err();
        assert!(error.message.starts_with("invalid JSON: "), "{}", error.message);
    }

    #[test]
    fn swagger_2_is_refused_in_one_line_saying_what_to_do() {
        let swagger = serde_json::json!({"swagger": "2.0", "info": {}});
        let error = check_version(Path::new("openapi/old.yaml"), &swagger).unwrap_err();
        assert_eq!(error.pointer, "/swagger");
        assert!(
            error.message.contains("convert it to OpenAPI 3 first"),
            "{}",
            error.message
        );
        assert_eq!(error.to_string().lines().count(), 1);
        let four = serde_json::json!({"openapi": "4.0.0"});
        let error = check_version(Path::new("openapi/new.yaml"), &four).unwrap_err();
        assert_eq!(
            error.message,
            "OpenAPI 4.0.0 is not supported: OpenAPI 3.0.x and 3.1.x are"
        );
    }

    #[test]
    fn json_pointers_escape_slashes_and_tildes() {
        assert_eq!(escape_pointer("/api/v2.1/workspaces/"), "~1api~1v2.1~1workspaces~1");
        assert_eq!(escape_pointer("a~b"), "a~0b");
    }
}
