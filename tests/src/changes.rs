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
    /// Give every enum-typed field a value no spec documents.
    FutureEnumValues,
}

/// `value`, of `schema` in the spec `raw`, changed as `how` says.
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
                    Change::FutureEnumValues if resolved.get("enum").is_some() => Value::String(FUTURE.into()),
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
