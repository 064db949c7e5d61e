//! Names that would be one Rust name: typify makes a field of each property
//! and progenitor a variable of each parameter, both in snake case, so
//! `_group` and `group` become one `group`, declared twice, and the crate does
//! not compile. Of such a set the one whose name is already its Rust name
//! (else the first) keeps it. Each other property is renamed in the
//! description progenitor reads (`"_group #2"`, the field `group_2`), and
//! progenitor's output then gives it back its name on the wire
//! ([`RenamedProperty`]); each other parameter is left out. Both reported.

use serde_json::Value;

use super::Rewrite;
use crate::{load::escape_pointer, rust_names::field_name};

/// A property renamed so that typify gives it a Rust field of its own: its
/// key in the description progenitor reads, and its name on the wire, which
/// the generated code is given back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenamedProperty {
    /// `"_group #2"`, which typify makes the field `group_2`.
    pub key: String,
    /// `"_group"`.
    pub name: String,
}

/// Rewrites `raw` in place; returns what was done, in spec order, and each
/// property renamed.
pub fn rewrite(raw: &mut Value) -> (Vec<Rewrite>, Vec<RenamedProperty>) {
    let mut done = Vec::new();
    let renamed = properties(raw, &mut done);
    parameters(raw, &mut done);
    (done, renamed)
}

/// The names of `names` (in order) that do not keep their Rust name, each
/// with the name that keeps it.
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

/// Every schema's `properties` ([`super::each_schema`]), and the names its
/// `required` lists without declaring them (typify makes a field of those
/// too, of any JSON value).
fn properties(raw: &mut Value, done: &mut Vec<Rewrite>) -> Vec<RenamedProperty> {
    let mut renamed = Vec::new();
    let Ok(()) = super::each_schema::<std::convert::Infallible>(raw, &mut |pointer, map| {
        let declared: Vec<String> = match map.get("properties") {
            Some(Value::Object(props)) => props.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let undeclared: Vec<String> = match map.get("required") {
            Some(Value::Array(required)) => required
                .iter()
                .filter_map(Value::as_str)
                .filter(|name| !declared.iter().any(|d| d == name))
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        let names: Vec<&str> = declared.iter().chain(&undeclared).map(String::as_str).collect();
        let fields: Vec<String> = names.iter().map(|name| field_name(name)).collect();
        // A declared property keeps the name before one only `required` names.
        let declared_names: Vec<&str> = declared.iter().map(String::as_str).collect();
        let mut clashes = left_out(&declared_names);
        for (i, name) in undeclared.iter().enumerate() {
            let earlier = declared.iter().chain(&undeclared[..i]);
            if let Some(kept) = earlier.into_iter().find(|other| field_name(other) == field_name(name)) {
                clashes.push((name.as_str(), kept.as_str()));
            }
        }
        for (name, kept) in clashes {
            let rust = field_name(name);
            let key = (2..)
                .map(|n| format!("{name} #{n}"))
                .find(|key| !fields.contains(&field_name(key)))
                .expect("some number is free");
            let schema = match map.get_mut("properties").and_then(Value::as_object_mut) {
                Some(props) => props.shift_remove(name),
                None => None,
            };
            let declared = schema.is_some();
            map.entry("properties")
                .or_insert_with(|| Value::Object(serde_json::Map::new()))
                .as_object_mut()
                .expect("`properties` is an object")
                .insert(key.clone(), schema.unwrap_or_else(|| serde_json::json!({})));
            if let Some(Value::Array(required)) = map.get_mut("required") {
                for entry in required.iter_mut().filter(|r| r.as_str() == Some(name)) {
                    *entry = Value::String(key.clone());
                }
            }
            let (at, what) = match declared {
                true => (format!("{pointer}/properties/{}", escape_pointer(name)), "property"),
                false => (format!("{pointer}/required"), "required property"),
            };
            done.push(Rewrite {
                pointer: at,
                action: format!(
                    "the {what} `{name}` and `{kept}` are both the Rust field `{rust}`: `{name}` is the field `{}`",
                    field_name(&key)
                ),
            });
            renamed.push(RenamedProperty {
                key,
                name: name.to_owned(),
            });
        }
        Ok(())
    });
    renamed
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
        let borrowed: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|name| !name.is_empty())
            .collect();
        let mut out: Vec<(usize, String)> = left_out(&borrowed)
            .into_iter()
            .map(|(name, kept)| {
                let index = names.iter().position(|n| n == name).unwrap_or_default();
                let action = format!(
                    "left the parameter `{name}` out: its Rust name `{}` is also that of `{kept}`",
                    field_name(name)
                );
                (index, action)
            })
            .collect();
        // A parameter without a name has nothing to be sent as.
        for (index, _) in names.iter().enumerate().filter(|(_, name)| name.is_empty()) {
            out.push((index, "left the parameter out: it has no name".into()));
        }
        out.sort();
        let pointer = format!("/paths/{}/{method}/parameters", escape_pointer(&path));
        for (index, action) in &out {
            done.push(Rewrite {
                pointer: format!("{pointer}/{index}"),
                action: action.clone(),
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
    fn colliding_properties_are_renamed_and_parameters_left_out_and_reported() {
        let mut spec = json!({
            "paths": {"/stats": {"post": {
                "parameters": [
                    {"$ref": "#/components/parameters/Group"},
                    {"name": "group", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "", "in": "header", "schema": {"type": "string"}},
                ],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["_group"],
                    "properties": {"_group": {"type": "string"}, "group": {"type": "string"}, "group_2": {"type": "string"}},
                    "example": {"properties": {"a": 1, "A": 2}},
                }}}},
                "responses": {},
            }}},
            "components": {
                "parameters": {"Group": {"name": "_group", "in": "query", "schema": {"type": "string"}}},
                "schemas": {
                    "Fine": {"properties": {"teamId": {}, "team": {}, "default": {"properties": {"id": {}, "Id": {}}}}},
                    // `json_schema` is required but not declared: typify makes it a field too.
                    "Stream": {"required": ["json_schema"], "properties": {"jsonSchema": {"type": "object"}}},
                },
            },
        });
        let (done, renamed) = rewrite(&mut spec);
        let operation = &spec["paths"]["/stats"]["post"];
        let body = &operation["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(
            body["properties"],
            json!({"group": {"type": "string"}, "group_2": {"type": "string"}, "_group #3": {"type": "string"}})
        );
        assert_eq!(body["required"], json!(["_group #3"]));
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
            json!({"id": {}, "Id #2": {}}),
            "a property named like a keyword is a schema too"
        );
        assert_eq!(
            spec["components"]["schemas"]["Stream"],
            json!({"required": ["json_schema #2"], "properties": {"jsonSchema": {"type": "object"}, "json_schema #2": {}}}),
            "the declared property keeps the name"
        );
        let key = |key: &str, name: &str| RenamedProperty {
            key: key.into(),
            name: name.into(),
        };
        assert_eq!(
            renamed,
            [
                key("_group #3", "_group"),
                key("Id #2", "Id"),
                key("json_schema #2", "json_schema")
            ]
        );
        let report: Vec<String> = done.iter().map(|r| format!("{}: {}", r.pointer, r.action)).collect();
        assert_eq!(
            report,
            [
                "/paths/~1stats/post/requestBody/content/application~1json/schema/properties/_group: \
                 the property `_group` and `group` are both the Rust field `group`: `_group` is the field `group_3`",
                "/components/schemas/Fine/properties/default/properties/Id: \
                 the property `Id` and `id` are both the Rust field `id`: `Id` is the field `id_2`",
                "/components/schemas/Stream/required: \
                 the required property `json_schema` and `jsonSchema` are both the Rust field `json_schema`: \
                 `json_schema` is the field `json_schema_2`",
                "/paths/~1stats/post/parameters/0: \
                 left the parameter `_group` out: its Rust name `group` is also that of `group`",
                "/paths/~1stats/post/parameters/3: left the parameter out: it has no name",
            ]
        );
    }
}
