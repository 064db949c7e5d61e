//! A documented response changed as providers plausibly change it within
//! what the spec allows: fields added, optional fields left out, nullable
//! fields `null`, enums holding values no spec documents.

use serde_json::{Map, Value};
use xtask::load::{escape_pointer, operations, required, resolve};

/// The schema of the `media_type` body of `operation_id`'s `status` in the
/// spec `raw` (a response that is a `$ref` resolved), or what is missing.
pub fn response_schema<'a>(
    raw: &'a Value,
    operation_id: &str,
    status: &str,
    media_type: &str,
) -> Result<&'a Value, String> {
    let (pointer, ..) = operations(raw)
        .into_iter()
        .find(|(_, id, _)| id.as_deref() == Some(operation_id))
        .ok_or("no such operation")?;
    let response = raw
        .pointer(&format!("{pointer}/responses/{}", escape_pointer(status)))
        .ok_or("no such status")?;
    let response = resolve(raw, response).ok_or("a dangling reference")?;
    response
        .pointer(&format!("/content/{}/schema", escape_pointer(media_type)))
        .ok_or_else(|| format!("no `{media_type}` body"))
}

/// The value every changed enum field takes.
pub const FUTURE: &str = "value-from-the-future";

/// How to change a response within what the spec allows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Change {
    /// Add an undocumented field to every object.
    AddFields,
    /// Remove every field the schema does not require.
    DropOptional,
    /// Set every nullable field to `null`.
    NullNullable,
    /// Give every field the spec says may grow (the open-enum idiom,
    /// `anyOf` of a string enum and any string) a value it does not list.
    FutureEnumValues,
}

/// A spec as its author wrote it, read as OpenAPI 3.0 (a 3.1 document in
/// its 3.0 form), before the generator's other rewrites: what a change
/// "within the spec" is judged by.
pub fn as_written(spec: &xtask::model::Spec) -> Value {
    let mut raw = xtask::load::parse_file(&spec.file).unwrap_or_else(|e| panic!("{e}"));
    xtask::rewrite::openapi31::rewrite(&mut raw).unwrap_or_else(|(pointer, rule)| panic!("{pointer}: {rule}"));
    raw
}

/// Whether a (resolved) schema is the open-enum idiom (or one `allOf`
/// branch of it): the spec takes any string, and the client keeps one it
/// does not know.
fn may_grow(raw: &Value, schema: &Value) -> bool {
    if let Some([only]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        return may_grow(raw, resolve(raw, only).unwrap_or(only));
    }
    let Some([first, second]) = schema.get("anyOf").and_then(Value::as_array).map(Vec::as_slice) else {
        return false;
    };
    let (first, second) = (
        resolve(raw, first).unwrap_or(first),
        resolve(raw, second).unwrap_or(second),
    );
    let string = |branch: &Value| branch.get("type") == Some(&Value::String("string".into()));
    let listed = |branch: &Value| string(branch) && branch.get("enum").is_some_and(Value::is_array);
    let any = |branch: &Value| string(branch) && branch.get("enum").is_none();
    (listed(first) && any(second)) || (listed(second) && any(first))
}

/// `value`, of `schema` in the spec `raw` (as written: [`as_written`]),
/// changed as `how` says.
pub fn change(raw: &Value, schema: &Value, value: &Value, how: Change) -> Value {
    let schema = resolve(raw, schema).unwrap_or(schema);
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let required = required(schema);
            let mut out = Map::new();
            for (key, child) in map {
                let Some(child_schema) = properties.and_then(|p| p.get(key)) else {
                    out.insert(key.clone(), child.clone());
                    continue;
                };
                let resolved = resolve(raw, child_schema).unwrap_or(child_schema);
                let changed = match how {
                    Change::DropOptional if !required.contains(&key.as_str()) => continue,
                    Change::NullNullable if resolved.get("nullable") == Some(&Value::Bool(true)) => Value::Null,
                    Change::FutureEnumValues if may_grow(raw, resolved) => Value::String(FUTURE.into()),
                    _ => change(raw, child_schema, child, how),
                };
                out.insert(key.clone(), changed);
            }
            if how == Change::AddFields {
                out.insert("x_added_later".into(), serde_json::json!({"nested": [1, "two", null]}));
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let item_schema = schema.get("items").cloned().unwrap_or(Value::Null);
            Value::Array(items.iter().map(|item| change(raw, &item_schema, item, how)).collect())
        }
        other => other.clone(),
    }
}
