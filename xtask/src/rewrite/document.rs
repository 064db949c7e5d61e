//! The passes over the document as written: schema names, path-level
//! parameters, request bodies, operation names (responses: `responses.rs`). Each is a small function of
//! the document that reports what it did.

use serde_json::Value;

use super::Rewrite;
use crate::load::{METHODS, escape_pointer, unescape_pointer};

/// Rewrites `raw` in place; returns what was done, in spec order.
pub fn rewrite(raw: &mut Value) -> Vec<Rewrite> {
    let mut done = Vec::new();
    schema_names(raw, &mut done);
    inline_titles(raw, &mut done);
    path_parameters(raw, &mut done);
    request_bodies(raw, &mut done);
    operation_ids(raw, &mut done);
    done
}

/// The names of Rust's prelude that generated code writes unqualified
/// (typify's `impl TryFrom<String> for ...`): a type of that name in the
/// generated module would stand in for them.
const PRELUDE: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Result",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Clone",
    "Copy",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "ToString",
    "ToOwned",
];

/// What a prelude name is "first" of, in [`schema_names`].
const OF_THE_PRELUDE: &str = "";

/// Schemas whose names are one Rust name (`user_profile`, `UserProfile`):
/// the first keeps it, each other is renamed `UserProfile2`, ... and every
/// `$ref` to it follows. A schema named as typify names the type of another
/// schema's inline property (`tag_name`, and `tag`'s constrained `name`:
/// both `TagName`), or named as a type of Rust's prelude (`String`), is
/// renamed likewise.
fn schema_names(raw: &mut Value, done: &mut Vec<Rewrite>) {
    use crate::rust_names::type_name;
    let Some(schemas) = raw.pointer("/components/schemas").and_then(Value::as_object) else {
        return;
    };
    let keys: Vec<String> = schemas.keys().cloned().collect();
    let mut first_of: std::collections::BTreeMap<String, String> = PRELUDE
        .iter()
        .map(|name| ((*name).to_owned(), OF_THE_PRELUDE.to_owned()))
        .collect();
    let mut renames = Vec::new();
    for (key, schema) in schemas {
        for (property, name) in inline_type_names(key, schema, schemas) {
            first_of.entry(name).or_insert_with(|| format!("{key}.{property}"));
        }
    }
    for key in &keys {
        first_of.entry(type_name(key)).or_insert_with(|| key.clone());
    }
    for key in &keys {
        let name = type_name(key);
        if first_of[&name] == *key {
            continue;
        }
        let new = crate::rust_names::first_free(&name, |candidate| {
            first_of.contains_key(&type_name(candidate)) || keys.iter().any(|key| key == candidate)
        });
        first_of.insert(type_name(&new), new.clone());
        renames.push((key.clone(), new, first_of[&name].clone(), name));
    }
    if renames.is_empty() {
        return;
    }
    if let Some(schemas) = raw.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        let old = std::mem::take(schemas);
        for (key, schema) in old {
            let key = renames
                .iter()
                .find(|(from, ..)| *from == key)
                .map_or(key, |(_, to, ..)| to.clone());
            schemas.insert(key, schema);
        }
    }
    for (from, to, first, name) in renames {
        let old = format!("#/components/schemas/{}", escape_pointer(&from));
        let new = format!("#/components/schemas/{}", escape_pointer(&to));
        let count = rewrite_refs(raw, &old, &new);
        let refs = if count == 1 { " points" } else { "s point" };
        let why = match first == OF_THE_PRELUDE {
            true => format!("`{from}` is `{name}` in Rust, a name of Rust's prelude that generated code uses"),
            false => format!("`{from}` and `{first}` are both `{name}` in Rust"),
        };
        done.push(Rewrite {
            pointer: format!("/components/schemas/{}", escape_pointer(&from)),
            action: format!("{why}: renamed `{to}` ({count} `$ref`{refs} to it)"),
        });
    }
}

/// The types typify makes of a schema's inline properties, by property:
/// `<Schema>_<property>` in Rust, for a property whose schema is a type of
/// its own (an enum, an object, a union, a constrained string). typify
/// merges the branches of an `allOf` into one struct, so the properties of
/// each branch (inline, or a schema of `schemas` it points to) are the
/// schema's own too.
fn inline_type_names(key: &str, schema: &Value, schemas: &serde_json::Map<String, Value>) -> Vec<(String, String)> {
    use heck::ToSnakeCase;
    // A union of one branch (`allOf: [{$ref}]`) is the branch's type.
    let own_type = |schema: &Value| {
        let union = |keyword: &str| {
            schema
                .get(keyword)
                .and_then(Value::as_array)
                .is_some_and(|b| b.len() > 1)
        };
        ["enum", "properties", "pattern", "minLength", "maxLength"]
            .iter()
            .any(|keyword| schema.get(keyword).is_some())
            || ["oneOf", "anyOf", "allOf"].into_iter().any(union)
    };
    let parent = crate::rust_names::type_name(key);
    let mut properties = Vec::new();
    merged_properties(schema, schemas, &mut properties, 0);
    // A property two branches give different schemas is merged by typify
    // into a type of its own, whatever each branch says.
    let merged = |name: &String, property: &Value| {
        properties
            .iter()
            .any(|(other, schema)| *other == name && *schema != property)
    };
    let mut names: Vec<(String, String)> = Vec::new();
    for &(name, property) in &properties {
        let typed = (property.get("$ref").is_none() && own_type(property)) || merged(name, property);
        if typed && names.iter().all(|(n, _)| n != name) {
            let rust = crate::rust_names::type_name(&format!("{parent}_{}", name.to_snake_case()));
            names.push((name.clone(), rust));
        }
    }
    names
}

/// The properties of `schema` and of each branch of its `allOf`, a branch
/// that is a `$ref` to a schema of `schemas` followed (a few levels deep).
fn merged_properties<'a>(
    schema: &'a Value,
    schemas: &'a serde_json::Map<String, Value>,
    found: &mut Vec<(&'a String, &'a Value)>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    found.extend(
        schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten(),
    );
    for branch in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        let target = branch
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
            .map(|name| schemas.get(&unescape_pointer(name)));
        match target {
            Some(Some(referenced)) => merged_properties(referenced, schemas, found, depth + 1),
            Some(None) => {}
            None => merged_properties(branch, schemas, found, depth + 1),
        }
    }
}

/// typify names an inline schema by its `title`, and takes two schemas of
/// one name for one type: an inline schema whose title is the Rust name of
/// a schema of `components` (or of an earlier inline schema) would be
/// generated twice, or read as the other. One that is the same schema is
/// made a `$ref` to it; any other loses its title (typify then names it by
/// where it is).
fn inline_titles(raw: &mut Value, done: &mut Vec<Rewrite>) {
    use crate::rust_names::type_name;
    let components: Vec<(String, String, Value)> = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(key, schema)| (type_name(key), key.clone(), schema.clone()))
        .collect();
    // The first inline schema of each title's Rust name.
    let mut titled: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    let _ = super::each_schema::<std::convert::Infallible>(raw, &mut |pointer, schema| {
        let component = pointer
            .strip_prefix("/components/schemas/")
            .is_some_and(|rest| !rest.contains('/'));
        let Some(title) = schema.get("title").and_then(Value::as_str).map(str::to_owned) else {
            return Ok(());
        };
        if component {
            return Ok(());
        }
        let rust = type_name(&title);
        let same = |other: &Value| *other == Value::Object(schema.clone());
        if let Some((_, key, target)) = components.iter().find(|(name, ..)| *name == rust) {
            let action = match same(target) {
                true => {
                    let reference = format!("#/components/schemas/{}", escape_pointer(key));
                    *schema = serde_json::Map::from_iter([("$ref".to_owned(), Value::String(reference))]);
                    format!("the schema titled `{title}` is the schema `{key}`: read as a `$ref` to it")
                }
                false => {
                    schema.remove("title");
                    format!("the title `{title}` is the Rust name of the schema `{key}`: left out")
                }
            };
            done.push(Rewrite {
                pointer: pointer.to_owned(),
                action,
            });
            return Ok(());
        }
        match titled.get(&rust) {
            None => {
                titled.insert(rust, Value::Object(schema.clone()));
            }
            Some(first) if same(first) => {}
            Some(_) => {
                schema.remove("title");
                done.push(Rewrite {
                    pointer: pointer.to_owned(),
                    action: format!("the title `{title}` is an earlier inline schema's, a different one: left out"),
                });
            }
        }
        Ok(())
    });
}

/// Points every `$ref` to `old` (or inside it) at `new`; returns how many.
fn rewrite_refs(value: &mut Value, old: &str, new: &str) -> usize {
    match value {
        Value::Object(map) => {
            let mut count = 0;
            for (key, value) in map.iter_mut() {
                if key == "$ref"
                    && let Value::String(reference) = value
                    && let Some(rest) = reference.strip_prefix(old)
                    && (rest.is_empty() || rest.starts_with('/'))
                {
                    *reference = format!("{new}{rest}");
                    count += 1;
                } else {
                    count += rewrite_refs(value, old, new);
                }
            }
            count
        }
        Value::Array(items) => items.iter_mut().map(|item| rewrite_refs(item, old, new)).sum(),
        _ => 0,
    }
}

/// Parameters given for a whole path are copied into each of its
/// operations (an operation's own parameter of the same name and location
/// wins), so that every reader finds an operation's parameters in one place.
fn path_parameters(raw: &mut Value, done: &mut Vec<Rewrite>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        let Some(Value::Array(shared)) = item.remove("parameters") else {
            continue;
        };
        // `$ref`s are kept as they are; their name and location are compared resolved.
        let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned(), p.get("$ref").cloned());
        let mut into = Vec::new();
        for method in METHODS {
            let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let own = operation
                .entry("parameters")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(own) = own {
                let mut merged: Vec<Value> = shared
                    .iter()
                    .filter(|p| !own.iter().any(|o| key(o) == key(p)))
                    .cloned()
                    .collect();
                merged.append(own);
                *own = merged;
            }
            into.push(method);
        }
        done.push(Rewrite {
            pointer: format!("/paths/{}/parameters", escape_pointer(path)),
            action: format!("copied the path's parameters into its operations ({})", into.join(", ")),
        });
    }
}

/// A request body offered in several media types keeps its JSON one, or
/// else its `application/x-www-form-urlencoded` one (progenitor sends both);
/// an operation whose body has neither (`multipart/form-data`, ...) is left
/// out, rather than failing the whole spec.
const FORM: &str = "application/x-www-form-urlencoded";

fn request_bodies(raw: &mut Value, done: &mut Vec<Rewrite>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for method in METHODS {
            let pointer = format!("/paths/{}/{method}", escape_pointer(path));
            let Some(content) = item
                .get_mut(method)
                .and_then(|op| op.pointer_mut("/requestBody/content"))
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            let types: Vec<String> = content.keys().cloned().collect();
            let form = |t: &&String| t.split(';').next().is_some_and(|t| t.trim() == FORM);
            let kept = (types.iter().find(|t| crate::load::is_json(t)))
                .or_else(|| types.iter().find(form))
                .cloned();
            match kept {
                Some(kept) if types.len() > 1 => {
                    content.retain(|t, _| *t == kept);
                    done.push(Rewrite {
                        pointer: format!("{pointer}/requestBody/content"),
                        action: format!("kept `{kept}` of the request body's media types ({})", types.join(", ")),
                    });
                }
                Some(_) => {}
                None => {
                    item.remove(method);
                    done.push(Rewrite {
                        pointer,
                        action: format!(
                            "left the operation out: its request body has no JSON or form-urlencoded form ({})",
                            types.join(", ")
                        ),
                    });
                }
            }
        }
    }
}

/// Every operation gets an `operationId` that is its own in Rust too
/// (progenitor names a method after it, in snake case): one without an id,
/// or with an id that has no letter or digit, is named from its method and
/// path (`GET /projects/{id}/members` is `getProjectsByIdMembers`); an id
/// that an earlier operation already has, or that is the same Rust name as
/// an earlier one (`getUser`, `get_user`), takes a number (`getUser2`).
fn operation_ids(raw: &mut Value, done: &mut Vec<Rewrite>) {
    use heck::ToSnakeCase;
    let rust = |id: &str| id.to_snake_case();
    let usable = |id: &str| id.chars().any(|c| c.is_ascii_alphanumeric());
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    // The Rust names of the ids that stay as written: the first of each.
    let mut taken: Vec<String> = Vec::new();
    let mut renames = Vec::new();
    for (path, item) in paths.iter() {
        for method in METHODS {
            let Some(operation) = item.get(method).and_then(Value::as_object) else {
                continue;
            };
            match operation.get("operationId").and_then(Value::as_str) {
                Some(id) if usable(id) && !taken.contains(&rust(id)) => taken.push(rust(id)),
                written => renames.push((path.clone(), method, written.map(str::to_owned))),
            }
        }
    }
    for (path, method, written) in renames {
        let base = match &written {
            Some(id) if usable(id) => id.clone(),
            _ => derived_id(method, &path),
        };
        let id = crate::rust_names::first_free(&base, |id| taken.contains(&rust(id)));
        taken.push(rust(&id));
        paths[path.as_str()][method]["operationId"] = Value::String(id.clone());
        let action = match written {
            None => format!("no `operationId`: named the operation `{id}`, from its method and path"),
            Some(old) if !usable(&old) => {
                format!(
                    "the `operationId` {old:?} names nothing in Rust: named the operation `{id}`, from its method and path"
                )
            }
            Some(old) => format!(
                "the `operationId` `{old}` is an earlier operation's (in Rust, `{}`): renamed `{id}`",
                rust(&old)
            ),
        };
        done.push(Rewrite {
            pointer: format!("/paths/{}/{method}", escape_pointer(&path)),
            action,
        });
    }
}

/// `get` and `/projects/{project_id}/members` make `getProjectsByProjectIdMembers`.
pub fn derived_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let (prefix, name) = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(parameter) => ("By", parameter),
            None => ("", segment),
        };
        id += prefix;
        for word in name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            id += &crate::rust_names::capitalized(word);
        }
    }
    if id == method {
        id += "Root";
    }
    id
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_come_from_the_method_and_the_path() {
        assert_eq!(derived_id("get", "/projects"), "getProjects");
        assert_eq!(derived_id("get", "/api/v2.1/workspaces/"), "getApiV21Workspaces");
        assert_eq!(
            derived_id("delete", "/projects/{project_id}/members"),
            "deleteProjectsByProjectIdMembers"
        );
        assert_eq!(derived_id("get", "/"), "getRoot");
    }

    fn pass(rewrite: fn(&mut Value, &mut Vec<Rewrite>), mut spec: Value) -> (Value, Vec<String>) {
        let mut done = Vec::new();
        rewrite(&mut spec, &mut done);
        (
            spec,
            done.iter().map(|r| format!("{}: {}", r.pointer, r.action)).collect(),
        )
    }

    #[test]
    fn schemas_that_are_one_rust_name_are_renamed_with_their_refs() {
        let spec = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/user_profile"}}}}}}}},
            "components": {"schemas": {"UserProfile": {"type": "object"}, "user_profile": {"type": "string"}}},
        });
        let (spec, report) = pass(schema_names, spec);
        let schemas = spec["components"]["schemas"].as_object().unwrap();
        assert_eq!(schemas.keys().collect::<Vec<_>>(), ["UserProfile", "UserProfile2"]);
        assert_eq!(
            schemas["UserProfile2"],
            json!({"type": "string"}),
            "the renamed one keeps its schema"
        );
        let schema = &spec
            .pointer("/paths/~1a/get/responses/200/content/application~1json/schema")
            .unwrap();
        assert_eq!(schema["$ref"], "#/components/schemas/UserProfile2");
        assert_eq!(report.len(), 1, "{report:?}");
        assert!(
            report[0].starts_with("/components/schemas/user_profile: "),
            "{report:?}"
        );
    }

    #[test]
    fn a_schema_named_like_another_s_inline_property_type_is_renamed() {
        let spec = json!({
            "paths": {},
            "components": {"schemas": {
                "tag": {"type": "object", "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "color": {"type": "string"},
                    "kind": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/tag_kind"}]},
                }},
                "tag_kind": {"type": "string", "enum": ["a"]},
                "tag_name": {"type": "string"},
                "tag_color": {"type": "string"},
            }},
        });
        let (spec, report) = pass(schema_names, spec);
        let schemas = spec["components"]["schemas"].as_object().unwrap();
        assert_eq!(
            schemas.keys().collect::<Vec<_>>(),
            ["tag", "tag_kind", "TagName2", "tag_color"]
        );
        assert_eq!(
            report,
            [
                "/components/schemas/tag_name: `tag_name` and `tag.name` are both `TagName` in Rust: renamed `TagName2` (0 `$ref`s point to it)"
            ]
        );
    }

    #[test]
    fn a_schema_named_like_the_type_of_a_property_merged_from_all_of_is_renamed() {
        // typify merges `AlertRule`'s branches: the inline enum of `kind`
        // (from `AlertRuleKind`) becomes `AlertRule_kind`, `AlertRuleKind`.
        let kind = json!({"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["Scheduled", "Fusion"]},
        }});
        let spec = json!({
            "paths": {},
            "components": {"schemas": {
                "AlertRule": {"allOf": [{"$ref": "#/components/schemas/Resource"}, {"$ref": "#/components/schemas/AlertRuleKind"}]},
                "AlertRuleKind": kind,
                "Resource": {"type": "object", "properties": {"id": {"type": "string"}}},
            }},
        });
        let (spec, report) = pass(schema_names, spec);
        let schemas = spec["components"]["schemas"].as_object().unwrap();
        assert_eq!(
            schemas.keys().collect::<Vec<_>>(),
            ["AlertRule", "AlertRuleKind2", "Resource"]
        );
        assert_eq!(
            spec["components"]["schemas"]["AlertRule"]["allOf"][1]["$ref"],
            "#/components/schemas/AlertRuleKind2"
        );
        assert_eq!(
            report,
            [
                "/components/schemas/AlertRuleKind: `AlertRuleKind` and `AlertRule.kind` are both `AlertRuleKind` in Rust: renamed `AlertRuleKind2` (1 `$ref` points to it)"
            ]
        );

        // Two branches giving `links` different schemas: typify merges them
        // into a type of its own, `Team_links`.
        let spec = json!({
            "paths": {},
            "components": {"schemas": {
                "account": {"type": "object", "properties": {"links": {"$ref": "#/components/schemas/account_links"}}},
                "account_links": {"type": "object", "properties": {"self": {"type": "string"}}},
                "team": {"allOf": [{"$ref": "#/components/schemas/account"}, {"type": "object", "properties": {
                    "links": {"$ref": "#/components/schemas/team_links"},
                }}]},
                "team_links": {"allOf": [{"$ref": "#/components/schemas/account_links"}]},
            }},
        });
        let (spec, report) = pass(schema_names, spec);
        assert!(spec["components"]["schemas"].get("TeamLinks2").is_some(), "{report:?}");
    }

    #[test]
    fn a_schema_named_as_a_type_of_the_prelude_is_renamed() {
        let spec = json!({
            "paths": {},
            "components": {"schemas": {
                "String": {"type": "string", "maxLength": 8},
                "Tags": {"type": "array", "items": {"$ref": "#/components/schemas/String"}},
            }},
        });
        let (spec, report) = pass(schema_names, spec);
        assert_eq!(
            spec["components"]["schemas"]["Tags"]["items"]["$ref"],
            "#/components/schemas/String2"
        );
        assert_eq!(
            report,
            [
                "/components/schemas/String: `String` is `String` in Rust, a name of Rust's prelude that generated code uses: renamed `String2` (1 `$ref` points to it)"
            ]
        );
    }

    #[test]
    fn an_inline_schema_titled_as_another_type_is_a_ref_to_it_or_loses_its_title() {
        let link = json!({"title": "Link", "type": "object", "properties": {"href": {"type": "string"}}});
        let other = json!({"title": "Link", "type": "object", "properties": {"url": {"type": "string"}}});
        let links = json!({"title": "Team Links", "type": "object", "properties": {"a": {"type": "string"}}});
        let spec = json!({
            "paths": {},
            "components": {"schemas": {
                "link": link,
                "repository": {"type": "object", "properties": {
                    "self": link, "clone": other, "team": links, "org": links.clone(),
                    "more": {"title": "Team Links", "type": "object"},
                }},
            }},
        });
        let (spec, report) = pass(inline_titles, spec);
        let properties = &spec["components"]["schemas"]["repository"]["properties"];
        assert_eq!(properties["self"], json!({"$ref": "#/components/schemas/link"}));
        assert_eq!(properties["clone"].get("title"), None);
        assert_eq!(
            properties["team"]["title"], "Team Links",
            "the first of its title keeps it"
        );
        assert_eq!(properties["org"]["title"], "Team Links", "the same schema: one type");
        assert_eq!(properties["more"].get("title"), None);
        assert_eq!(
            spec["components"]["schemas"]["link"]["title"], "Link",
            "a component keeps its title"
        );
        let at = "/components/schemas/repository/properties";
        assert_eq!(
            report,
            [
                format!("{at}/self: the schema titled `Link` is the schema `link`: read as a `$ref` to it"),
                format!("{at}/clone: the title `Link` is the Rust name of the schema `link`: left out"),
                format!("{at}/more: the title `Team Links` is an earlier inline schema's, a different one: left out"),
            ]
        );
    }

    #[test]
    fn a_path_s_parameters_go_into_each_operation_whose_own_win() {
        let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
        let own = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
        let spec = json!({"paths": {"/p/{id}": {
            "parameters": [id],
            "get": {"responses": {}},
            "put": {"parameters": [own], "responses": {}},
        }}});
        let (spec, report) = pass(path_parameters, spec);
        let item = &spec["paths"]["/p/{id}"];
        assert_eq!(item.get("parameters"), None);
        assert_eq!(item["get"]["parameters"], json!([id]));
        assert_eq!(
            item["put"]["parameters"],
            json!([own]),
            "the operation's own parameter wins"
        );
        assert_eq!(
            report,
            ["/paths/~1p~1{id}/parameters: copied the path's parameters into its operations (get, put)"]
        );
    }

    #[test]
    fn a_request_body_keeps_its_json_form_or_its_operation_is_left_out() {
        let body = |types: &[&str]| {
            let content: serde_json::Map<String, Value> =
                types.iter().map(|t| (t.to_string(), json!({"schema": {}}))).collect();
            json!({"requestBody": {"content": content}, "responses": {}})
        };
        let spec = json!({"paths": {"/p": {
            "put": body(&["application/json", "application/xml"]),
            "post": body(&["multipart/form-data"]),
            "patch": body(&["application/merge-patch+json"]),
            "delete": body(&["multipart/form-data", "application/x-www-form-urlencoded"]),
        }}});
        let (spec, report) = pass(request_bodies, spec);
        let item = spec["paths"]["/p"].as_object().unwrap();
        let kept: Vec<&String> = item["put"]["requestBody"]["content"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(kept, ["application/json"]);
        assert!(!item.contains_key("post"), "no JSON form: left out");
        assert!(item.contains_key("patch"), "one JSON form: as it is");
        let kept: Vec<&String> = item["delete"]["requestBody"]["content"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            kept,
            ["application/x-www-form-urlencoded"],
            "no JSON form: the form one"
        );
        assert_eq!(
            report,
            [
                "/paths/~1p/put/requestBody/content: kept `application/json` of the request body's media types (application/json, application/xml)",
                "/paths/~1p/post: left the operation out: its request body has no JSON or form-urlencoded form (multipart/form-data)",
                "/paths/~1p/delete/requestBody/content: kept `application/x-www-form-urlencoded` of the request body's media types (multipart/form-data, application/x-www-form-urlencoded)",
            ]
        );
    }

    #[test]
    fn an_id_that_is_empty_or_an_earlier_one_s_in_rust_is_replaced() {
        let spec = json!({"paths": {
            "/users": {"get": {"operationId": "getUser", "responses": {}}, "post": {"operationId": "", "responses": {}}},
            "/users/{id}": {"get": {"operationId": "get_user", "responses": {}}, "put": {"operationId": "getUser", "responses": {}}},
            "/things": {"get": {"operationId": "++", "responses": {}}},
        }});
        let (spec, report) = pass(operation_ids, spec);
        let id = |path: &str, method: &str| spec["paths"][path][method]["operationId"].as_str().unwrap().to_owned();
        assert_eq!(id("/users", "get"), "getUser", "the first keeps its id");
        assert_eq!(id("/users", "post"), "postUsers");
        assert_eq!(id("/users/{id}", "get"), "get_user2");
        assert_eq!(id("/users/{id}", "put"), "getUser3");
        assert_eq!(id("/things", "get"), "getThings");
        assert_eq!(
            report,
            [
                "/paths/~1users/post: the `operationId` \"\" names nothing in Rust: named the operation `postUsers`, from its method and path",
                "/paths/~1users~1{id}/get: the `operationId` `get_user` is an earlier operation's (in Rust, `get_user`): renamed `get_user2`",
                "/paths/~1users~1{id}/put: the `operationId` `getUser` is an earlier operation's (in Rust, `get_user`): renamed `getUser3`",
                "/paths/~1things/get: the `operationId` \"++\" names nothing in Rust: named the operation `getThings`, from its method and path",
            ]
        );
    }

    #[test]
    fn an_operation_without_an_id_is_named_from_its_route_and_never_twice() {
        let spec = json!({"paths": {
            "/projects": {"get": {"operationId": "getProjects", "responses": {}}, "post": {"responses": {}}},
            "/projects/": {"get": {"responses": {}}},
        }});
        let (spec, report) = pass(operation_ids, spec);
        assert_eq!(
            spec["paths"]["/projects"]["get"]["operationId"], "getProjects",
            "an id stays"
        );
        assert_eq!(spec["paths"]["/projects"]["post"]["operationId"], "postProjects");
        assert_eq!(
            spec["paths"]["/projects/"]["get"]["operationId"], "getProjects2",
            "a free name"
        );
        assert_eq!(report.len(), 2, "{report:?}");
    }
}
