//! Names that would be one Rust name: typify makes a field of each property
//! and progenitor a variable of each parameter, both in snake case, so
//! `_group` and `group` become one `group`, declared twice, and the crate does
//! not compile. Of such a set the one whose name is already its Rust name
//! (else the first) is kept, and each other is left out, reported.

use serde_json::Value;

use super::Rewrite;
use crate::{load::escape_pointer, rust_names::field_name};

/// Rewrites `raw` in place; returns what was done, in spec order.
pub fn rewrite(raw: &mut Value) -> Vec<Rewrite> {
    let mut done = Vec::new();
    properties(raw, &mut done);
    parameters(raw, &mut done);
    done
}

/// The names of `names` (in order) to leave out, each with the name kept.
fn left_out<'a>(names: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let rust = field_name(name);
        let same: Vec<&str> = names
            .iter()
            .copied()
            .filter(|other| field_name(other) == rust)
            .collect();
        let kept = same.iter().copied().find(|n| *n == rust).unwrap_or(same[0]);
        let first_of_its_name = names[..i].iter().all(|other| other != name);
        if *name != kept && first_of_its_name {
            out.push((*name, kept));
        }
    }
    out
}

/// Every schema's `properties` ([`super::each_schema`]).
fn properties(raw: &mut Value, done: &mut Vec<Rewrite>) {
    let Ok(()) = super::each_schema::<std::convert::Infallible>(raw, &mut |pointer, map| {
        let Some(Value::Object(props)) = map.get_mut("properties") else {
            return Ok(());
        };
        let names: Vec<&str> = props.keys().map(String::as_str).collect();
        let out: Vec<(String, String)> = left_out(&names)
            .into_iter()
            .map(|(name, kept)| (name.to_owned(), kept.to_owned()))
            .collect();
        for (name, _) in &out {
            props.shift_remove(name);
        }
        if let Some(Value::Array(required)) = map.get_mut("required") {
            required.retain(|r| out.iter().all(|(name, _)| r.as_str() != Some(name.as_str())));
        }
        for (name, kept) in out {
            done.push(Rewrite {
                pointer: format!("{pointer}/properties/{}", escape_pointer(&name)),
                action: format!(
                    "left the property out: its Rust field `{}` is also that of `{kept}`",
                    field_name(&name)
                ),
            });
        }
        Ok(())
    });
}

/// Every operation's parameters (path-level ones are already in them).
fn parameters(raw: &mut Value, done: &mut Vec<Rewrite>) {
    let routes: Vec<(String, &str)> = crate::load::routes(raw)
        .into_iter()
        .map(|(path, method, ..)| (path.to_owned(), method))
        .collect();
    for (path, method) in routes {
        let Some(Value::Array(list)) = raw["paths"][path.as_str()][method].get("parameters") else {
            continue;
        };
        let names: Vec<String> = list
            .iter()
            .map(|parameter| {
                crate::load::resolve(raw, parameter)
                    .and_then(|parameter| parameter.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        let borrowed: Vec<&str> = names.iter().map(String::as_str).collect();
        let out: Vec<(usize, String)> = left_out(&borrowed)
            .into_iter()
            .map(|(name, kept)| {
                (
                    names.iter().position(|n| n == name).unwrap_or_default(),
                    kept.to_owned(),
                )
            })
            .collect();
        let pointer = format!("/paths/{}/{method}/parameters", escape_pointer(&path));
        for (index, kept) in &out {
            done.push(Rewrite {
                pointer: format!("{pointer}/{index}"),
                action: format!(
                    "left the parameter `{}` out: its Rust name `{}` is also that of `{kept}`",
                    names[*index],
                    field_name(&names[*index])
                ),
            });
        }
        if let Some(Value::Array(list)) = raw["paths"][path.as_str()][method].get_mut("parameters") {
            let mut index = 0;
            list.retain(|_| {
                index += 1;
                !out.iter().any(|(i, _)| *i == index - 1)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn of_names_that_are_one_rust_name_the_one_already_rust_is_kept() {
        assert_eq!(left_out(&["_group", "group", "other"]), [("_group", "group")]);
        assert_eq!(left_out(&["Name", "NAME"]), [("NAME", "Name")]);
        assert!(left_out(&["a", "b", "teamId"]).is_empty());
    }

    #[test]
    fn colliding_properties_and_parameters_are_left_out_and_reported() {
        let mut spec = json!({
            "paths": {"/stats": {"post": {
                "parameters": [
                    {"$ref": "#/components/parameters/Group"},
                    {"name": "group", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["_group"],
                    "properties": {"_group": {"type": "string"}, "group": {"type": "string"}},
                    "example": {"properties": {"a": 1, "A": 2}},
                }}}},
                "responses": {},
            }}},
            "components": {
                "parameters": {"Group": {"name": "_group", "in": "query", "schema": {"type": "string"}}},
                "schemas": {"Fine": {"properties": {"teamId": {}, "team": {}, "default": {"properties": {"id": {}, "Id": {}}}}}},
            },
        });
        let done = rewrite(&mut spec);
        let operation = &spec["paths"]["/stats"]["post"];
        let body = &operation["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(body["properties"], json!({"group": {"type": "string"}}));
        assert_eq!(body["required"], json!([]));
        assert_eq!(
            body["example"],
            json!({"properties": {"a": 1, "A": 2}}),
            "data, not a schema"
        );
        assert_eq!(
            operation["parameters"],
            json!([
                {"name": "group", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            ])
        );
        assert_eq!(
            spec["components"]["schemas"]["Fine"]["properties"]["default"]["properties"],
            json!({"id": {}}),
            "a property named like a keyword is a schema too"
        );
        let report: Vec<String> = done.iter().map(|r| format!("{}: {}", r.pointer, r.action)).collect();
        assert_eq!(
            report,
            [
                "/paths/~1stats/post/requestBody/content/application~1json/schema/properties/_group: \
                 left the property out: its Rust field `group` is also that of `group`",
                "/components/schemas/Fine/properties/default/properties/Id: \
                 left the property out: its Rust field `id` is also that of `id`",
                "/paths/~1stats/post/parameters/0: \
                 left the parameter `_group` out: its Rust name `group` is also that of `group`",
            ]
        );
    }
}
