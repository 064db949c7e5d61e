//! Response examples vetted against their own schemas: a JSON example that
//! the schema beside it refuses (a wrong type, a missing required field, a
//! value outside its enum) would be decoded, mocked and replayed as if it
//! were right. Each such example is named with the JSON pointer of the value
//! that contradicts the schema. OpenAPI 3.0's schemas are JSON Schema draft 4
//! but for `nullable`, read here as draft 4's `null` type.

use serde_json::{Value, json};

use crate::load::{is_json, response_examples};

/// An example that contradicts its schema: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    /// The JSON pointer of the offending value in the spec.
    pub pointer: String,
    pub message: String,
}

/// Every JSON response example of `raw` (OpenAPI 3.0) that its schema
/// refuses, in spec order; an example whose schema cannot be read as JSON
/// Schema is not judged.
pub fn contradictions(raw: &Value) -> Vec<Contradiction> {
    let examples: Vec<_> = response_examples(raw)
        .into_iter()
        .filter(|e| is_json(&e.media_type) && e.schema.is_some())
        .collect();
    if examples.is_empty() {
        return Vec::new();
    }
    let mut document = raw.clone();
    let _ = crate::rewrite::each_schema::<std::convert::Infallible>(&mut document, &mut |_, schema| {
        null_allowed(schema);
        Ok(())
    });
    let mut found = Vec::new();
    for example in examples {
        let Some(schema) = &example.schema else { continue };
        let mut root = document.clone();
        root["$ref"] = json!(format!("#{schema}"));
        let Ok(validator) = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&root)
        else {
            continue;
        };
        if let Some(error) = validator.iter_errors(&example.value).next() {
            found.push(Contradiction {
                pointer: format!("{}{}", example.pointer, error.instance_path()),
                message: error.to_string(),
            });
        }
    }
    found
}

/// A schema with `nullable: true` as draft 4 says it: `null` among its
/// types (and its enum's values), or else either `null` or the schema.
fn null_allowed(schema: &mut serde_json::Map<String, Value>) {
    if schema.remove("nullable") != Some(Value::Bool(true)) {
        return;
    }
    match schema.get("type").cloned() {
        Some(Value::String(ty)) => {
            schema.insert("type".into(), json!([ty, "null"]));
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                values.push(Value::Null);
            }
        }
        _ => {
            let rest = std::mem::take(schema);
            schema.insert("anyOf".into(), json!([{"type": "null"}, rest]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(schema: Value, examples: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/things": {"get": {"operationId": "getThings", "responses": {
                "200": {"$ref": "#/components/responses/Things"},
            }}}},
            "components": {
                "responses": {"Things": {"description": "", "content": {"application/json": {
                    "schema": schema, "examples": examples,
                }}}},
                "schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"},
                    "kind": {"type": "string", "enum": ["a", "b"], "nullable": true},
                    "at": {"type": "string", "format": "date-time"},
                    "note": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Note"}]},
                }}, "Note": {"type": "object"}},
            },
        })
    }

    #[test]
    fn an_example_its_schema_refuses_is_named_at_the_value() {
        let schema = json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}});
        let raw = spec(
            schema,
            json!({
                "fine": {"value": [{"id": "t-1", "kind": null, "note": null, "at": "2024-02-29T10:00:00Z"}, {"id": "t-2", "kind": "b"}]},
                "wrong": {"value": [{"id": "t-1"}, {"id": 2}]},
                "missing": {"value": [{"kind": "a"}]},
                "late": {"value": [{"id": "t-3", "at": "yesterday"}]},
            }),
        );
        let found = contradictions(&raw);
        let at = "/components/responses/Things/content/application~1json/examples";
        let pointers: Vec<&str> = found.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                format!("{at}/wrong/value/1/id"),
                format!("{at}/missing/value/0"),
                format!("{at}/late/value/0/at")
            ]
        );
        assert!(found[0].message.contains("is not of type \"string\""), "{found:?}");
        assert!(found[1].message.contains("\"id\" is a required property"), "{found:?}");
    }

    #[test]
    fn a_spec_without_json_examples_has_nothing_to_vet() {
        let raw = spec(json!({"type": "string"}), json!({}));
        assert!(contradictions(&raw).is_empty());
    }
}
