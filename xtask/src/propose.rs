//! `cargo xtask propose <id> --cassette FILE [--cassette FILE ...]`: the
//! smallest change to a provider's spec under which the responses recorded
//! in cassettes (`workspaces record`) hold, written as an OpenAPI Overlay
//! 1.0 document (`openapi/overlays/<id>.yaml`, applied when the spec is
//! loaded) for a person to review as a plain diff.
//!
//! Each recorded body is walked beside the schema its operation and status
//! declare, in the spec as loaded (its overlay applied): a field the schema
//! does not declare is added as optional with the type it was seen with; a
//! value outside an enum is added to it; a `null` where none is allowed
//! makes that place nullable; a required field that was missing becomes
//! optional; an undocumented status is documented with its body's type. Each
//! change is printed with its evidence (operation, status, where in the
//! body, how often). What a person must decide (a value of another type
//! than declared, an undeclared content type) is listed, not changed.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use serde_json::{Map, Value, json};

use crate::load::{escape_pointer, is_json, operations, unescape_pointer};

/// One change to the spec, with what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What changes, in words.
    pub what: String,
    /// Where it was first seen (operation, status, pointer in the body).
    pub first_seen: String,
    /// How many times it was seen.
    pub count: usize,
    /// The overlay's actions that make it.
    pub actions: Vec<Value>,
}

/// What the cassettes show, and what to change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Proposal {
    pub changes: Vec<Change>,
    /// Findings no change is proposed for, in words: a person decides.
    pub left: Vec<String>,
    /// How many responses were read.
    pub responses: usize,
}

/// A change as it is gathered, before its actions are written.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// An optional field `name` of the object schema at `object`.
    Field {
        object: String,
        name: String,
        schema: Value,
    },
    /// A value added to the enum at `list`.
    EnumValue { list: String, value: Value },
    /// The schema at `site` made nullable (`reference`: the `$ref` it holds).
    Nullable { site: String, reference: Option<String> },
    /// Fields of the object at `object` no longer required.
    Optional {
        object: String,
        names: Vec<String>,
        required: Vec<String>,
    },
    /// A status documented under the operation's `responses`.
    Status {
        responses: String,
        status: String,
        media_type: Option<String>,
        schema: Value,
    },
}

struct Gathered {
    key: String,
    kind: Kind,
    first_seen: String,
    count: usize,
}

struct Walker<'a> {
    spec: &'a Value,
    gathered: Vec<Gathered>,
    left: Vec<String>,
    /// `operationId status` of the response being walked.
    response: String,
}

/// What to change in `spec` (a description as loaded, its overlay applied)
/// so that the responses of `cassettes` (`workspaces-cassette/1` documents)
/// hold.
pub fn propose(spec: &Value, cassettes: &[Value]) -> Result<Proposal, String> {
    let mut walker = Walker {
        spec,
        gathered: Vec::new(),
        left: Vec::new(),
        response: String::new(),
    };
    let mut responses = 0;
    for (index, cassette) in cassettes.iter().enumerate() {
        let interactions = cassette
            .get("interactions")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("cassette {}: no `interactions` (not a workspaces cassette?)", index + 1))?;
        for interaction in interactions {
            responses += 1;
            walker.interaction(interaction)?;
        }
    }
    let changes = walker.gathered.iter().map(|g| change(spec, g)).collect();
    Ok(Proposal {
        changes,
        left: walker.left,
        responses,
    })
}

impl<'a> Walker<'a> {
    fn interaction(&mut self, interaction: &Value) -> Result<(), String> {
        let operation_id = interaction.get("operation").and_then(Value::as_str).unwrap_or_default();
        let response = interaction.get("response").unwrap_or(&Value::Null);
        let status = response
            .get("status")
            .and_then(Value::as_u64)
            .unwrap_or_default()
            .to_string();
        let Some((pointer, _, operation)) = operations(self.spec)
            .into_iter()
            .find(|(_, id, _)| id.as_deref() == Some(operation_id))
        else {
            return Err(format!("the spec has no operation `{operation_id}`"));
        };
        self.response = format!("{operation_id} {status}");
        let media_type = response
            .get("headers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|pair| {
                pair[0]
                    .as_str()
                    .is_some_and(|name| name.eq_ignore_ascii_case("content-type"))
            })
            .and_then(|pair| pair[1].as_str())
            .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
        let body = response.get("body");
        let class = format!("{}XX", &status[..1]);
        let responses = operation.get("responses").and_then(Value::as_object);
        let Some(declared) = [status.as_str(), class.as_str(), "default"]
            .into_iter()
            .find(|key| responses.is_some_and(|r| r.contains_key(*key)))
        else {
            let schema = body.map(infer).unwrap_or(json!({"type": "string"}));
            self.gather(
                format!("status {pointer} {status}"),
                Kind::Status {
                    responses: format!("{pointer}/responses"),
                    status,
                    media_type,
                    schema,
                },
                String::new(),
                |_| {},
            );
            return Ok(());
        };
        let Some(body) = body else { return Ok(()) };
        let response_pointer = format!("{pointer}/responses/{}", escape_pointer(declared));
        let Some((response_pointer, declared_response)) = self.resolve(&response_pointer) else {
            return Ok(());
        };
        let content = declared_response.get("content").and_then(Value::as_object);
        let json_type = content.and_then(|c| c.keys().find(|t| is_json(t)).cloned());
        match (json_type, media_type) {
            (Some(declared_type), Some(seen)) if is_json(&seen) => {
                let site = format!("{response_pointer}/content/{}/schema", escape_pointer(&declared_type));
                if self.spec.pointer(&site).is_some() {
                    self.walk(&site, body, "");
                }
            }
            (_, seen) => self.left.push(format!(
                "{}: a `{}` body where the spec declares {}: not changed",
                self.response,
                seen.unwrap_or_default(),
                content.map_or("none".to_owned(), |c| c.keys().cloned().collect::<Vec<_>>().join(", "))
            )),
        }
        Ok(())
    }

    /// The schema at `pointer`, its `$ref`s followed: where it is, and it.
    fn resolve(&self, pointer: &str) -> Option<(String, &'a Value)> {
        let spec: &'a Value = self.spec;
        let mut here = pointer.to_owned();
        for _ in 0..32 {
            let node = spec.pointer(&here)?;
            match node.get("$ref").and_then(Value::as_str) {
                Some(reference) => here = reference.strip_prefix('#')?.to_owned(),
                None => return Some((here, node)),
            }
        }
        None
    }

    fn gather(&mut self, key: String, kind: Kind, at: String, merge: impl FnOnce(&mut Kind)) {
        let first_seen = match at.is_empty() {
            true => self.response.clone(),
            false => format!("{} at {at}", self.response),
        };
        match self.gathered.iter_mut().find(|g| g.key == key) {
            Some(known) => {
                known.count += 1;
                merge(&mut known.kind);
            }
            None => self.gathered.push(Gathered {
                key,
                kind,
                first_seen,
                count: 1,
            }),
        }
    }

    /// Walks `value` beside the schema at `site` (a pointer into the spec).
    fn walk(&mut self, site: &str, value: &Value, at: &str) {
        let Some((here, schema)) = self.resolve(site) else {
            return;
        };
        if value.is_null() {
            if !allows_null(schema) {
                let reference = self
                    .spec
                    .pointer(site)
                    .and_then(|node| node.get("$ref"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let (site, reference) = (site.to_owned(), reference);
                self.gather(
                    format!("null {site}"),
                    Kind::Nullable { site, reference },
                    at.to_owned(),
                    |_| {},
                );
            }
            return;
        }
        for keyword in ["anyOf", "oneOf"] {
            if let Some(branches) = schema.get(keyword).and_then(Value::as_array) {
                let resolved: Vec<Option<&Value>> = (0..branches.len())
                    .map(|i| self.resolve(&format!("{here}/{keyword}/{i}")).map(|(_, s)| s))
                    .collect();
                // The open-enum idiom (an enum, or any string): its enum.
                let chosen = resolved
                    .iter()
                    .position(|b| value.is_string() && b.is_some_and(|b| b.get("enum").is_some()))
                    .or_else(|| resolved.iter().position(|b| b.is_some_and(|b| fits_type(b, value))));
                match chosen {
                    Some(i) => self.walk(&format!("{here}/{keyword}/{i}"), value, at),
                    None => self.left.push(format!(
                        "{} at {at}: a value none of the `{keyword}` branches takes: not changed",
                        self.response
                    )),
                }
                return;
            }
        }
        if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
            // Fields are read by the branch that declares them; an object of
            // several branches reports no undeclared field, as `check` does.
            if let Value::Object(fields) = value {
                for (name, field) in fields {
                    let declared = format!("/properties/{}", escape_pointer(name));
                    let property = (0..branches.len())
                        .filter_map(|i| self.resolve(&format!("{here}/allOf/{i}")))
                        .find(|(_, branch)| branch.pointer(&declared).is_some())
                        .map(|(branch, _)| format!("{branch}{declared}"));
                    if let Some(property) = property {
                        self.walk(&property, field, &format!("{at}/{}", escape_pointer(name)));
                    }
                }
            }
            return;
        }
        if let Some(list) = schema.get("enum").and_then(Value::as_array)
            && !list.contains(value)
        {
            let key = format!("enum {here} {value}");
            let kind = Kind::EnumValue {
                list: format!("{here}/enum"),
                value: value.clone(),
            };
            self.gather(key, kind, at.to_owned(), |_| {});
            return;
        }
        if !fits_type(schema, value) {
            self.left.push(format!(
                "{} at {at}: {} where the spec declares `{}`: not changed (a changed type needs a person)",
                self.response,
                json_type(value),
                schema.get("type").and_then(Value::as_str).unwrap_or_default()
            ));
            return;
        }
        match value {
            Value::Object(fields) => self.object(&here, schema, fields, at),
            Value::Array(items) if schema.get("items").is_some() => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(&format!("{here}/items"), item, &format!("{at}/{i}"));
                }
            }
            _ => {}
        }
    }

    fn object(&mut self, here: &str, schema: &'a Value, fields: &Map<String, Value>, at: &str) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        for (name, field) in fields {
            let field_at = format!("{at}/{}", escape_pointer(name));
            if properties.is_some_and(|p| p.contains_key(name)) {
                self.walk(&format!("{here}/properties/{}", escape_pointer(name)), field, &field_at);
            } else if additional.is_some_and(Value::is_object) {
                self.walk(&format!("{here}/additionalProperties"), field, &field_at);
            } else if properties.is_some() && additional != Some(&Value::Bool(true)) {
                let schema = infer(field);
                let kind = Kind::Field {
                    object: here.to_owned(),
                    name: name.clone(),
                    schema: schema.clone(),
                };
                self.gather(format!("field {here} {name}"), kind, field_at, |known| {
                    if let Kind::Field { schema: known, .. } = known {
                        *known = unify(known, &schema);
                    }
                });
            }
        }
        let required: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        for name in required.iter().filter(|name| !fields.contains_key(name.as_str())) {
            let kind = Kind::Optional {
                object: here.to_owned(),
                names: vec![name.clone()],
                required: required.clone(),
            };
            let name = name.clone();
            self.gather(format!("optional {here}"), kind, at.to_owned(), |known| {
                if let Kind::Optional { names, .. } = known
                    && !names.contains(&name)
                {
                    names.push(name);
                }
            });
        }
    }
}

/// Whether a schema takes `null`.
fn allows_null(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        || match schema.get("type") {
            Some(Value::String(t)) => t == "null",
            Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
            _ => false,
        }
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.contains(&Value::Null))
}

/// Whether `value` is of the schema's `type` (any, without one).
fn fits_type(schema: &Value, value: &Value) -> bool {
    let fits = |t: &str| match t {
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    };
    match schema.get("type") {
        Some(Value::String(t)) => fits(t),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).any(fits),
        _ => true,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The schema of a value as seen.
fn infer(value: &Value) -> Value {
    match value {
        Value::Null => json!({"nullable": true}),
        Value::Bool(_) => json!({"type": "boolean"}),
        Value::Number(n) if n.is_f64() => json!({"type": "number"}),
        Value::Number(_) => json!({"type": "integer"}),
        Value::String(_) => json!({"type": "string"}),
        Value::Array(items) => {
            let item = items
                .iter()
                .map(infer)
                .reduce(|a, b| unify(&a, &b))
                .unwrap_or(json!({}));
            json!({"type": "array", "items": item})
        }
        Value::Object(fields) => {
            let properties: Map<String, Value> = fields.iter().map(|(k, v)| (k.clone(), infer(v))).collect();
            json!({"type": "object", "properties": properties})
        }
    }
}

/// One schema for values seen as `a` and as `b`.
fn unify(a: &Value, b: &Value) -> Value {
    if a == b {
        return a.clone();
    }
    let nullable = allows_null(a) || allows_null(b);
    let typed = |s: &Value| s.get("type").and_then(Value::as_str).map(str::to_owned);
    let mut out = match (typed(a), typed(b)) {
        (Some(x), Some(y)) if x == y && x == "object" => {
            let mut properties = a["properties"].as_object().cloned().unwrap_or_default();
            for (name, schema) in b["properties"].as_object().into_iter().flatten() {
                let merged = match properties.get(name) {
                    Some(known) => unify(known, schema),
                    None => schema.clone(),
                };
                properties.insert(name.clone(), merged);
            }
            json!({"type": "object", "properties": properties})
        }
        (Some(x), Some(y)) if x == y && x == "array" => {
            json!({"type": "array", "items": unify(&a["items"], &b["items"])})
        }
        (Some(x), Some(y)) if x == y => json!({"type": x}),
        (Some(x), Some(y))
            if [x.as_str(), y.as_str()] == ["integer", "number"]
                || [x.as_str(), y.as_str()] == ["number", "integer"] =>
        {
            json!({"type": "number"})
        }
        (Some(x), None) if allows_null(b) => json!({"type": x}),
        (None, Some(y)) if allows_null(a) => json!({"type": y}),
        _ => json!({}),
    };
    if nullable {
        out["nullable"] = Value::Bool(true);
    }
    out
}

/// A readable name for the place at `pointer`: `Workspace.color` for a
/// named schema's field, the pointer otherwise.
fn place(pointer: &str) -> String {
    let segments: Vec<String> = pointer.split('/').skip(1).map(unescape_pointer).collect();
    match segments.as_slice() {
        [components, schemas, name, rest @ ..] if components == "components" && schemas == "schemas" => {
            let fields: Vec<&str> = rest
                .iter()
                .enumerate()
                .filter(|(i, _)| *i > 0 && rest[i - 1] == "properties")
                .map(|(_, s)| s.as_str())
                .collect();
            std::iter::once(name.as_str())
                .chain(fields)
                .collect::<Vec<_>>()
                .join(".")
        }
        _ => pointer.to_owned(),
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.chars().count() > 60 {
        true => format!("{}...", text.chars().take(60).collect::<String>()),
        false => text,
    }
}

/// The change and the overlay actions for what was gathered.
fn change(spec: &Value, gathered: &Gathered) -> Change {
    let target = |pointer: &str| crate::overlay::target_of(spec, pointer);
    let (what, actions) = match &gathered.kind {
        Kind::Field { object, name, schema } => {
            let what = format!(
                "field `{name}` added to `{}`, optional, as {}",
                place(object),
                short(schema)
            );
            let action = json!({
                "target": target(&format!("{object}/properties")),
                "description": format!("Add the optional field `{name}`, seen in responses."),
                "update": {name.clone(): schema},
            });
            (what, vec![action])
        }
        Kind::EnumValue { list, value } => {
            let owner = list
                .trim_end_matches("/enum")
                .trim_end_matches("/anyOf/0")
                .trim_end_matches("/oneOf/0");
            let what = format!("value {} added to the enum of `{}`", short(value), place(owner));
            let action = json!({
                "target": target(list),
                "description": format!("Add the enum value {}, seen in responses.", short(value)),
                "update": value,
            });
            (what, vec![action])
        }
        Kind::Nullable { site, reference } => {
            let what = format!("`{}` made nullable", place(site));
            let actions = match reference {
                None => vec![json!({
                    "target": target(site),
                    "description": "Allow null, seen in responses.",
                    "update": {"nullable": true},
                })],
                // A `$ref` takes no sibling in OpenAPI 3.0: the reference
                // goes under an `allOf` that may be null.
                Some(reference) => {
                    let (parent, key) = site.rsplit_once('/').unwrap_or_default();
                    let key = unescape_pointer(key);
                    vec![
                        json!({"target": target(site), "description": "Replaced below by a nullable form.", "remove": true}),
                        json!({
                            "target": target(parent),
                            "description": "Allow null, seen in responses.",
                            "update": {key: {"allOf": [{"$ref": reference}], "nullable": true}},
                        }),
                    ]
                }
            };
            (what, actions)
        }
        Kind::Optional {
            object,
            names,
            required,
        } => {
            let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let what = format!("{} of `{}` made optional", listed.join(", "), place(object));
            let kept: Vec<&String> = required.iter().filter(|r| !names.contains(r)).collect();
            let mut actions = vec![json!({
                "target": target(&format!("{object}/required")),
                "description": "Replaced below without the fields missing from responses.",
                "remove": true,
            })];
            if !kept.is_empty() {
                actions.push(json!({"target": target(object), "update": {"required": kept}}));
            }
            (what, actions)
        }
        Kind::Status {
            responses,
            status,
            media_type,
            schema,
        } => {
            let operation = spec
                .pointer(responses.trim_end_matches("/responses"))
                .and_then(|o| o.get("operationId"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let what = format!(
                "status {status} documented for `{operation}`, its body as {}",
                short(schema)
            );
            let mut response = json!({"description": format!("Status {status}, seen in responses.")});
            if let Some(media_type) = media_type {
                response["content"] = json!({media_type.clone(): {"schema": schema}});
            }
            let action = json!({
                "target": target(responses),
                "description": format!("Document status {status}, seen in responses."),
                "update": {status.clone(): response},
            });
            (what, vec![action])
        }
    };
    Change {
        what,
        first_seen: gathered.first_seen.clone(),
        count: gathered.count,
        actions,
    }
}

/// Reads the cassettes, proposes the change to `openapi/<id>.yaml` and
/// writes it to its overlay (appended to the actions already there); the
/// report, in words.
pub fn run(root: &Path, id: &str, cassettes: &[PathBuf]) -> Result<String, String> {
    if cassettes.is_empty() {
        return Err("give at least one `--cassette FILE` (recorded by `workspaces record`)".into());
    }
    let file = root.join("openapi").join(format!("{id}.yaml"));
    if !file.is_file() {
        return Err(format!("no spec for `{id}`: {} does not exist", file.display()));
    }
    let spec = crate::load::parse_spec(&file).map_err(|e| e.to_string())?;
    let mut documents = Vec::new();
    for cassette in cassettes {
        let text = std::fs::read_to_string(cassette).map_err(|e| format!("{}: {e}", cassette.display()))?;
        let document: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", cassette.display()))?;
        let provider = document.get("provider").and_then(Value::as_str).unwrap_or_default();
        if provider != id {
            return Err(format!(
                "{}: recorded from `{provider}`, not `{id}`",
                cassette.display()
            ));
        }
        documents.push(document);
    }
    let proposal = propose(&spec, &documents).map_err(|e| format!("{id}: {e}"))?;
    let mut report = format!(
        "{id}: {} change(s) proposed from {} response(s) in {} cassette(s)\n",
        proposal.changes.len(),
        proposal.responses,
        cassettes.len()
    );
    for change in &proposal.changes {
        let _ = writeln!(
            report,
            "  {}: seen {} time(s), first in {}",
            change.what, change.count, change.first_seen
        );
    }
    if !proposal.left.is_empty() {
        report += "not changed (a person decides):\n";
        for left in &proposal.left {
            let _ = writeln!(report, "  {left}");
        }
    }
    if proposal.changes.is_empty() {
        report += "nothing to write: the spec holds for these responses, or only a person can change it\n";
        return Ok(report);
    }
    let overlay = crate::overlay::beside(&file);
    let mut document = match overlay.is_file() {
        true => crate::load::parse_file(&overlay).map_err(|e| e.to_string())?,
        false => json!({
            "overlay": "1.0.0",
            "info": {
                "title": format!("Changes to openapi/{id}.yaml proposed from recorded responses"),
                "version": "0",
            },
            "actions": [],
        }),
    };
    let version = document["info"]["version"]
        .as_str()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    document["info"]["version"] = Value::String((version + 1).to_string());
    let actions = document["actions"]
        .as_array_mut()
        .ok_or_else(|| format!("{}: its `actions` is not a list", overlay.display()))?;
    actions.extend(proposal.changes.iter().flat_map(|c| c.actions.iter().cloned()));
    // The result must still apply to the spec as written.
    let mut check = crate::load::parse_file(&file).map_err(|e| e.to_string())?;
    crate::overlay::apply(&mut check, &document)
        .map_err(|e| format!("the proposed overlay does not apply (at {}): {}", e.pointer, e.message))?;
    let text = yaml_serde::to_string(&document).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(overlay.parent().unwrap_or(root)).map_err(|e| e.to_string())?;
    let header = "# An OpenAPI Overlay 1.0 document, applied to the spec beside it when it is loaded.\n\
                  # Written by `cargo xtask propose`; review it, then `cargo xtask generate` and `cargo xtask release`.\n";
    std::fs::write(&overlay, format!("{header}{text}")).map_err(|e| format!("{}: {e}", overlay.display()))?;
    let relative = overlay.strip_prefix(root).unwrap_or(&overlay).display().to_string();
    let _ = writeln!(
        report,
        "wrote {relative}: review it, then `cargo xtask generate` and `cargo xtask release`"
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/workspaces": {"get": {
                "operationId": "listWorkspaces",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"workspaces": {"type": "array", "items": {"$ref": "#/components/schemas/Workspace"}}}
                }}}}}
            }}},
            "components": {"schemas": {
                "Workspace": {
                    "type": "object",
                    "required": ["id", "name", "kind"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "owner": {"$ref": "#/components/schemas/Owner"}
                    }
                },
                "Kind": {"anyOf": [{"type": "string", "enum": ["team"]}, {"type": "string"}]},
                "Owner": {"type": "object", "properties": {"id": {"type": "string"}}}
            }}
        })
    }

    fn cassette(status: u16, body: Value) -> Value {
        json!({"format": "workspaces-cassette/1", "provider": "acme", "interactions": [{
            "operation": "listWorkspaces",
            "request": {"method": "GET", "path": "/workspaces", "query": [], "headers": []},
            "response": {"status": status, "headers": [["content-type", "application/json; charset=utf-8"]], "body": body}
        }]})
    }

    #[test]
    fn each_kind_of_drift_becomes_its_smallest_change_with_its_evidence() {
        let body = json!({"workspaces": [
            {"id": "w1", "name": null, "kind": "galaxy", "color": "red", "owner": null},
            {"id": "w2", "name": "B", "kind": "team", "color": null},
            {"id": 3, "name": "C"}
        ]});
        let proposal = propose(&spec(), &[cassette(200, body), cassette(429, json!({"retry": 1}))]).unwrap();
        let changes: Vec<(String, usize, String)> = proposal
            .changes
            .iter()
            .map(|c| (c.what.clone(), c.count, c.first_seen.clone()))
            .collect();
        assert_eq!(
            changes,
            [
                ("`Workspace.name` made nullable".to_owned(), 1, "listWorkspaces 200 at /workspaces/0/name".to_owned()),
                ("value \"galaxy\" added to the enum of `Kind`".to_owned(), 1, "listWorkspaces 200 at /workspaces/0/kind".to_owned()),
                (
                    "field `color` added to `Workspace`, optional, as {\"type\":\"string\",\"nullable\":true}".to_owned(),
                    2,
                    "listWorkspaces 200 at /workspaces/0/color".to_owned()
                ),
                ("`Workspace.owner` made nullable".to_owned(), 1, "listWorkspaces 200 at /workspaces/0/owner".to_owned()),
                ("`kind` of `Workspace` made optional".to_owned(), 1, "listWorkspaces 200 at /workspaces/2".to_owned()),
                (
                    "status 429 documented for `listWorkspaces`, its body as {\"type\":\"object\",\"properties\":{\"retry\":{\"type\":\"integer\"}}}".to_owned(),
                    1,
                    "listWorkspaces 429".to_owned()
                ),
            ]
        );
        assert_eq!(
            proposal.left,
            [
                "listWorkspaces 200 at /workspaces/2/id: an integer where the spec declares `string`: not changed (a changed type needs a person)"
            ]
        );
        // Applied, the actions give the spec the changes, and nothing is
        // left to propose but what a person decides.
        let mut changed = spec();
        let overlay = json!({"overlay": "1.0.0", "actions": proposal.changes.iter().flat_map(|c| c.actions.clone()).collect::<Vec<_>>()});
        crate::overlay::apply(&mut changed, &overlay).unwrap();
        let workspace = &changed["components"]["schemas"]["Workspace"];
        assert_eq!(
            workspace["properties"]["name"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            workspace["properties"]["owner"],
            json!({"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true})
        );
        assert_eq!(workspace["required"], json!(["id", "name"]));
        assert_eq!(
            changed["components"]["schemas"]["Kind"]["anyOf"][0]["enum"],
            json!(["team", "galaxy"])
        );
        let again = propose(
            &changed,
            &[cassette(
                200,
                json!({"workspaces": [{"id": "w1", "name": null, "kind": "galaxy", "color": "red", "owner": null}]}),
            )],
        )
        .unwrap();
        assert_eq!(again.changes, []);
    }
}
