//! A small valid instance of a schema: for a spec that documents no example
//! of a response the tests need, and for the objects a mock's page needs: every required property, the first enum
//! value or union branch, a value of each string format, a bound itself.

use crate::load::resolve;
use serde_json::{Map, Value, json};

/// How deep a (recursive) schema is followed; past it, `null`.
const DEPTH: usize = 12;

/// A valid instance of `schema` (its `$ref`s resolved in the spec `raw`).
pub fn minimal(raw: &Value, schema: &Value) -> Value {
    instance(raw, schema, 0)
}

fn instance(raw: &Value, schema: &Value, depth: usize) -> Value {
    let Some(schema) = resolve(raw, schema).filter(|_| depth < DEPTH) else {
        return Value::Null;
    };
    if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for branch in branches {
            if let Value::Object(fields) = instance(raw, branch, depth + 1) {
                merged.extend(fields);
            }
        }
        if let Value::Object(own) = object(raw, schema, depth) {
            merged.extend(own);
        }
        return Value::Object(merged);
    }
    let union = ["oneOf", "anyOf"]
        .iter()
        .find_map(|keyword| schema.get(keyword).and_then(Value::as_array).and_then(|b| b.first()));
    if let Some(first) = union {
        return instance(raw, first, depth + 1);
    }
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => object(raw, schema, depth),
        None if schema.get("properties").is_some() => object(raw, schema, depth),
        Some("array") => {
            let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let item = schema
                .get("items")
                .map_or(Value::Null, |items| instance(raw, items, depth + 1));
            Value::Array((0..count).map(|_| item.clone()).collect())
        }
        Some("string") => json!(text(schema)),
        Some("integer") => json!(number("minimum").map_or(0, |min| min.ceil() as i64)),
        Some("number") => json!(number("minimum").unwrap_or(0.0)),
        Some("boolean") => json!(false),
        _ => Value::Null,
    }
}

/// The required properties of an object schema, each with its instance.
fn object(raw: &Value, schema: &Value, depth: usize) -> Value {
    let properties = schema.get("properties").and_then(Value::as_object);
    let fields = crate::load::required(schema).into_iter().map(|name| {
        let property = properties.and_then(|p| p.get(name)).unwrap_or(&Value::Null);
        (name.to_owned(), instance(raw, property, depth + 1))
    });
    Value::Object(fields.collect())
}

/// A string of the schema's format, at least `minLength` long.
fn text(schema: &Value) -> String {
    let formatted = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => crate::samples::DATE_TIME,
        Some("date") => "2024-02-29",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        Some("uri" | "url") => "https://example.com/",
        Some("email") => "someone@example.com",
        Some("ipv4") => "192.0.2.1",
        _ => "",
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    format!("{formatted}{}", "x".repeat(min.saturating_sub(formatted.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_has_every_required_property_of_its_type_and_nothing_else() {
        let raw = json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["id", "next"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "next": {"$ref": "#/components/schemas/Node"},
                "note": {"type": "string"},
            }},
            "Kind": {"type": "string", "enum": ["team", "solo"]},
        }}});
        let schema = json!({"allOf": [
            {"type": "object", "required": ["kind", "tags", "size"], "properties": {
                "kind": {"$ref": "#/components/schemas/Kind"},
                "tags": {"type": "array", "minItems": 2, "items": {"type": "string", "minLength": 3}},
                "size": {"type": "integer", "minimum": 1},
            }},
            {"required": ["at", "either"], "properties": {
                "at": {"type": "string", "format": "date-time"},
                "either": {"oneOf": [{"type": "boolean"}, {"type": "string"}]},
            }},
        ]});
        assert_eq!(
            minimal(&raw, &schema),
            json!({"kind": "team", "tags": ["xxx", "xxx"], "size": 1, "at": "2024-02-29T23:59:58Z", "either": false})
        );
        let node = minimal(&raw, &json!({"$ref": "#/components/schemas/Node"}));
        assert_eq!(node["id"], "00000000-0000-4000-8000-000000000000");
        assert!(node.get("note").is_none(), "optional: left out");
        let mut depth = 0;
        let mut at = &node;
        while let Some(next) = at.get("next") {
            (depth, at) = (depth + 1, next);
        }
        assert_eq!((depth, at), (DEPTH, &Value::Null), "a recursive schema ends");
    }
}
