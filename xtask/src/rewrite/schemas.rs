//! Passes over the schemas as written: the open-enum idiom.
//!
//! A spec says that a string enum may grow with `anyOf` of the enum and of
//! any string (`anyOf: [{type: string, enum: [...]}, {type: string}]`, in
//! either order): a JSON Schema validator then takes a value the enum does
//! not list, as the generated client does. Every named string enum is
//! generated as an open enum (`open_enums`), so the idiom is read as the
//! enum it names.

use serde_json::{Map, Value};

use super::Rewrite;
use crate::load::escape_pointer;

/// Rewrites `raw` in place; returns what was done, in spec order.
pub fn rewrite(raw: &mut Value) -> Vec<Rewrite> {
    let mut done = Vec::new();
    open_enum_idiom(raw, &mut done);
    done
}

/// Each named schema that is the open-enum idiom becomes its enum, with the
/// schema's own description (or else the enum's).
fn open_enum_idiom(raw: &mut Value, done: &mut Vec<Rewrite>) {
    let Some(schemas) = raw.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        let Some(object) = schema.as_object_mut() else {
            continue;
        };
        let Some(enumeration) = open_enum_of(object) else {
            continue;
        };
        let mut rewritten = enumeration;
        for (key, value) in object.iter() {
            if key != "anyOf" {
                rewritten.insert(key.clone(), value.clone());
            }
        }
        *object = rewritten;
        done.push(Rewrite {
            pointer: format!("/components/schemas/{}", escape_pointer(name)),
            action: "the enum or any string (`anyOf`): read as an open enum".into(),
        });
    }
}

/// The enum branch of `anyOf: [string enum, any string]`, if the schema is
/// that and nothing more.
fn open_enum_of(schema: &Map<String, Value>) -> Option<Map<String, Value>> {
    let [first, second] = schema.get("anyOf")?.as_array()?.as_slice() else {
        return None;
    };
    let is_string = |branch: &Value| branch.get("type").and_then(Value::as_str) == Some("string");
    let any_string = |branch: &Value| is_string(branch) && branch.as_object().is_some_and(|b| b.len() == 1);
    let enumeration = |branch: &Value| is_string(branch) && branch.get("enum").is_some_and(Value::is_array);
    let branch = match (first, second) {
        (e, s) | (s, e) if enumeration(e) && any_string(s) => e,
        _ => return None,
    };
    if schema.contains_key("type") || schema.contains_key("enum") || schema.contains_key("oneOf") {
        return None;
    }
    branch.as_object().cloned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_open_enum_idiom_is_read_as_its_enum_in_either_order() {
        let mut spec = json!({"components": {"schemas": {
            "Kind": {"description": "What it is.", "anyOf": [
                {"type": "string", "enum": ["team", "individual"]}, {"type": "string"}
            ]},
            "Sort": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["asc"], "description": "Order."}]},
            "Either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "Pattern": {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "pattern": "^x"}]},
        }}});
        let done = rewrite(&mut spec);
        let schemas = &spec["components"]["schemas"];
        assert_eq!(
            schemas["Kind"],
            json!({"type": "string", "enum": ["team", "individual"], "description": "What it is."})
        );
        assert_eq!(
            schemas["Sort"],
            json!({"type": "string", "enum": ["asc"], "description": "Order."})
        );
        assert_eq!(
            schemas["Either"]["anyOf"][1],
            json!({"type": "integer"}),
            "not the idiom: left as it is"
        );
        assert!(
            schemas["Pattern"].get("anyOf").is_some(),
            "a constrained string is not any string"
        );
        let pointers: Vec<&str> = done.iter().map(|r| r.pointer.as_str()).collect();
        assert_eq!(pointers, ["/components/schemas/Kind", "/components/schemas/Sort"]);
    }
}
