//! OpenAPI 3.1 read as the OpenAPI 3.0 progenitor takes. 3.1's schemas are
//! JSON Schema 2020-12; what a 3.0 schema can say the same way is rewritten,
//! each rewrite reported, and what it cannot is refused with its JSON
//! pointer and the rule:
//!
//! - `type: [T, "null"]` -> `type: T`, `nullable: true`; a `{type: "null"}`
//!   branch of `anyOf`/`oneOf` -> `nullable: true`;
//! - `const: v` -> `enum: [v]`;
//! - `examples: [a, ...]` in a schema -> `example: a`;
//! - a numeric `exclusiveMinimum`/`exclusiveMaximum` -> `minimum`/`maximum`
//!   with the boolean form;
//! - keywords beside a `$ref` -> dropped (3.0 ignores them);
//! - `$schema`, `$id`, `$comment`, `contentMediaType`, `contentEncoding`,
//!   `jsonSchemaDialect`, `webhooks` -> dropped.

use serde_json::{Map, Value, json};

use super::Rewrite;
use crate::load::escape_pointer;

/// Keywords of JSON Schema 2020-12 with no 3.0 form, and what to do instead.
const REFUSED: &[(&str, &str)] = &[
    (
        "prefixItems",
        "a tuple (`prefixItems`) has no OpenAPI 3.0 form: describe the items with `items`",
    ),
    (
        "if",
        "a conditional schema (`if`/`then`/`else`) has no OpenAPI 3.0 form: use `oneOf`",
    ),
    ("dependentSchemas", "`dependentSchemas` has no OpenAPI 3.0 form"),
    ("dependentRequired", "`dependentRequired` has no OpenAPI 3.0 form"),
    (
        "unevaluatedProperties",
        "`unevaluatedProperties` has no OpenAPI 3.0 form: use `additionalProperties`",
    ),
    ("unevaluatedItems", "`unevaluatedItems` has no OpenAPI 3.0 form"),
    (
        "patternProperties",
        "`patternProperties` has no OpenAPI 3.0 form: use `additionalProperties`",
    ),
    (
        "$defs",
        "schemas under `$defs` are not read: move them to `components/schemas`",
    ),
    ("$dynamicRef", "`$dynamicRef` has no OpenAPI 3.0 form: use `$ref`"),
];

/// Keywords dropped wherever a schema has them: annotations 3.0 does not know.
const DROPPED: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "$anchor",
    "contentMediaType",
    "contentEncoding",
];

/// A rule the document breaks: where, and what to do.
pub type Refusal = (String, String);

/// Rewrites an OpenAPI 3.1 document in place into its 3.0 form; a 3.0
/// document is left as it is.
///
/// # Errors
///
/// The first schema keyword with no 3.0 form, or a value of several types.
pub fn rewrite(raw: &mut Value) -> Result<Vec<Rewrite>, Refusal> {
    let version = raw
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !version.starts_with("3.1.") {
        return Ok(Vec::new());
    }
    let mut done = vec![Rewrite {
        pointer: "/openapi".into(),
        action: format!("OpenAPI {version} read as OpenAPI 3.0"),
    }];
    raw["openapi"] = json!("3.0.3");
    if let Some(top) = raw.as_object_mut() {
        for key in ["jsonSchemaDialect", "webhooks"] {
            if top.shift_remove(key).is_some() {
                done.push(rewrite_at(&format!("/{key}"), "dropped: not part of a client"));
            }
        }
        top.entry("paths").or_insert_with(|| json!({}));
    }
    super::each_schema(raw, &mut |pointer, map| schema(map, pointer, &mut done))?;
    Ok(done)
}

fn rewrite_at(pointer: &str, action: &str) -> Rewrite {
    Rewrite {
        pointer: pointer.to_owned(),
        action: action.to_owned(),
    }
}

/// Rewrites one schema (those it holds are visited after it).
fn schema(map: &mut Map<String, Value>, pointer: &str, done: &mut Vec<Rewrite>) -> Result<(), Refusal> {
    if let Some((keyword, rule)) = REFUSED.iter().find(|(keyword, _)| map.contains_key(*keyword)) {
        return Err((format!("{pointer}/{}", escape_pointer(keyword)), (*rule).to_owned()));
    }
    let mut did = Vec::new();
    if map.contains_key("$ref") && map.len() > 1 {
        let beside: Vec<String> = map.keys().filter(|k| *k != "$ref").cloned().collect();
        map.retain(|k, _| k == "$ref");
        did.push(format!("dropped `{}` beside `$ref`", beside.join("`, `")));
    }
    for keyword in DROPPED {
        if map.shift_remove(*keyword).is_some() {
            did.push(format!("dropped `{keyword}`"));
        }
    }
    nullable_types(map, pointer, &mut did)?;
    null_branches(map, &mut did);
    if let Some(value) = map.shift_remove("const") {
        map.entry("enum").or_insert_with(|| json!([value]));
        did.push("`const` read as a one-value `enum`".into());
    }
    if let Some(Value::Array(examples)) = map.get("examples").cloned() {
        map.shift_remove("examples");
        if let Some(first) = examples.into_iter().next() {
            map.entry("example").or_insert(first);
        }
        did.push("`examples` read as `example`".into());
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(number) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), number);
            map.insert(exclusive.into(), json!(true));
            did.push(format!(
                "numeric `{exclusive}` read as `{bound}` with `{exclusive}: true`"
            ));
        }
    }
    if !did.is_empty() {
        done.push(rewrite_at(pointer, &did.join("; ")));
    }
    Ok(())
}

/// `type: [T, "null"]` as `type: T` with `nullable: true`.
fn nullable_types(map: &mut Map<String, Value>, pointer: &str, did: &mut Vec<String>) -> Result<(), Refusal> {
    let refuse = |rule: String| Err((format!("{pointer}/type"), rule));
    match map.get("type") {
        Some(Value::Array(types)) => {
            let null = types.iter().any(|t| t == "null");
            let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
            let [single] = others.as_slice() else {
                let listed: Vec<String> = others.iter().map(Value::to_string).collect();
                return refuse(format!(
                    "a value of several types ({}) has no OpenAPI 3.0 form: use `anyOf` of one schema a type",
                    listed.join(", ")
                ));
            };
            map.insert("type".into(), single.clone());
            if null {
                map.insert("nullable".into(), json!(true));
                did.push("`type` with `null` read as `nullable`".into());
            } else {
                did.push("a `type` list of one read as that type".into());
            }
            Ok(())
        }
        Some(Value::String(t)) if t == "null" => refuse("a value that is only `null` has no OpenAPI 3.0 form".into()),
        _ => Ok(()),
    }
}

/// A `{type: "null"}` branch of `anyOf` or `oneOf` as `nullable: true`.
fn null_branches(map: &mut Map<String, Value>, did: &mut Vec<String>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = map.get_mut(key) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|branch| branch != &json!({"type": "null"}));
        if branches.len() < before && !branches.is_empty() {
            map.insert("nullable".into(), json!(true));
            did.push(format!("the `null` branch of `{key}` read as `nullable`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_of_3_1_are_rewritten_in_their_3_0_form_and_reported() {
        let mut spec = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "paths": {"/things": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Thing", "description": "A thing."}},
                    "examples": {"one": {"value": {"type": ["x", "null"], "const": 1}}}
                }
            }}}}}},
            "components": {"schemas": {"Thing": {"type": "object", "properties": {
                "name": {"type": ["string", "null"], "examples": ["Anvil", "Rocket"]},
                "kind": {"const": "thing", "$comment": "always"},
                "size": {"type": "integer", "exclusiveMinimum": 0},
                "owner": {"anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]},
            }}}}
        });
        let done = rewrite(&mut spec).unwrap();
        let thing = &spec["components"]["schemas"]["Thing"]["properties"];
        assert_eq!(spec["openapi"], "3.0.3");
        assert!(spec.get("jsonSchemaDialect").is_none());
        assert_eq!(
            thing["name"],
            json!({"type": "string", "nullable": true, "example": "Anvil"})
        );
        assert_eq!(thing["kind"], json!({"enum": ["thing"]}));
        assert_eq!(
            thing["size"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            thing["owner"],
            json!({"anyOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true})
        );
        let content = &spec["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            content["schema"]["items"],
            json!({"$ref": "#/components/schemas/Thing"})
        );
        assert_eq!(
            content["examples"]["one"]["value"],
            json!({"type": ["x", "null"], "const": 1}),
            "examples are data, not schemas"
        );
        let reported: Vec<String> = done.iter().map(|r| format!("{}: {}", r.pointer, r.action)).collect();
        assert_eq!(
            reported,
            [
                "/openapi: OpenAPI 3.1.0 read as OpenAPI 3.0",
                "/jsonSchemaDialect: dropped: not part of a client",
                "/paths/~1things/get/responses/200/content/application~1json/schema/items: dropped `description` beside `$ref`",
                "/components/schemas/Thing/properties/name: `type` with `null` read as `nullable`; `examples` read as `example`",
                "/components/schemas/Thing/properties/kind: dropped `$comment`; `const` read as a one-value `enum`",
                "/components/schemas/Thing/properties/size: numeric `exclusiveMinimum` read as `minimum` with `exclusiveMinimum: true`",
                "/components/schemas/Thing/properties/owner: the `null` branch of `anyOf` read as `nullable`",
            ]
        );
    }

    #[test]
    fn what_3_0_cannot_say_is_refused_with_its_place_and_a_3_0_document_is_left_alone() {
        let refused = |schema: Value| {
            let mut spec = json!({"openapi": "3.1.1", "components": {"schemas": {"Pair": schema}}});
            rewrite(&mut spec).unwrap_err()
        };
        assert_eq!(
            refused(json!({"type": "array", "prefixItems": [{"type": "string"}]})),
            (
                "/components/schemas/Pair/prefixItems".to_owned(),
                "a tuple (`prefixItems`) has no OpenAPI 3.0 form: describe the items with `items`".to_owned()
            )
        );
        let (pointer, rule) = refused(json!({"properties": {"id": {"type": ["string", "integer"]}}}));
        assert_eq!(pointer, "/components/schemas/Pair/properties/id/type");
        assert!(
            rule.starts_with("a value of several types (\"string\", \"integer\")"),
            "{rule}"
        );

        let mut three_oh = json!({"openapi": "3.0.3", "components": {"schemas": {"A": {"const": 1}}}});
        let before = three_oh.clone();
        assert_eq!(rewrite(&mut three_oh), Ok(Vec::new()));
        assert_eq!(three_oh, before);
    }
}
