//! What changed in a provider's API between two versions of its spec, in the
//! spec's terms, each change with the semver level it needs:
//!
//! - breaking: a removed or renamed operation, type, field, parameter, enum
//!   value or status; a field or parameter that became required or optional;
//!   a changed type, constraint or way of sending the credential; a value
//!   added to a closed enum; a status added whose body none of the other
//!   statuses of its class (success, error) has, which changes the
//!   operation's result or error type; anything this module does not know
//!   to be safe;
//! - minor: an added operation, type, optional parameter, field or status, a
//!   value added to an open enum (a named string enum, generated
//!   `#[non_exhaustive]` with an `Unknown` variant), a new default, a new
//!   server, a deprecation;
//! - patch: descriptions, summaries, titles, examples, the API's version.
//!
//! Generated structs are `#[non_exhaustive]` and built through builders, so
//! a field added to one is compatible under Rust's rules too.

use serde_json::{Map, Value};

use crate::load::{required, resolve, routes};

/// How far a change reaches, in semver terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Patch,
    Minor,
    Breaking,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Breaking => "breaking",
        }
    }
}

/// The "Keep a Changelog" section a change is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Added,
    Changed,
    Deprecated,
    Removed,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "Added",
            Self::Changed => "Changed",
            Self::Deprecated => "Deprecated",
            Self::Removed => "Removed",
        }
    }
}

/// One change of the API, as a changelog line says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub level: Level,
    pub section: Section,
    pub text: String,
}

/// Keys that only document: a change to them is a patch.
const DOCS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "tags",
];

/// The changes from the spec `old` to the spec `new` (both as JSON, as
/// written), in the order of the spec. Both are read as the generator reads
/// them: a 3.1 document in its 3.0 form, the open-enum idiom (`anyOf` of an
/// enum and any string) as its enum.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let read = |spec: &Value| {
        let mut spec = spec.clone();
        // A 3.1 document with no 3.0 form is refused by the generator itself.
        let _ = crate::rewrite::openapi31::rewrite(&mut spec);
        crate::rewrite::schemas::rewrite(&mut spec);
        spec
    };
    let (old, new) = (&read(old), &read(new));
    let mut diff = Diff {
        old,
        new,
        open_enums: crate::open_enums::open_enums(new)
            .into_iter()
            .map(|e| e.schema)
            .collect(),
        changes: Vec::new(),
    };
    diff.document();
    diff.changes
}

struct Diff<'a> {
    old: &'a Value,
    new: &'a Value,
    /// The named string enums of the new spec: open, `#[non_exhaustive]`.
    open_enums: Vec<String>,
    changes: Vec<Change>,
}

/// The keys of two objects: the old one's in order, then the new one's own.
fn keys<'a>(old: &'a Map<String, Value>, new: &'a Map<String, Value>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = old.keys().map(String::as_str).collect();
    keys.extend(new.keys().map(String::as_str).filter(|k| !old.contains_key(*k)));
    keys
}

fn object(value: Option<&Value>) -> Map<String, Value> {
    value.and_then(Value::as_object).cloned().unwrap_or_default()
}

/// A value as a changelog shows it: a string bare, anything else as JSON.
fn shown(value: Option<&Value>) -> String {
    match value {
        None => "none".into(),
        Some(Value::String(text)) => text.clone(),
        Some(value) => value.to_string(),
    }
}

/// A schema's type as a changelog names it: `string (date-time)`, `Workspace[]`.
fn type_name(schema: Option<&Value>) -> String {
    let Some(schema) = schema else { return "none".into() };
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    let ty = shown(schema.get("type"));
    match (schema.get("format"), schema.get("items")) {
        (Some(format), _) => format!("{ty} ({})", shown(Some(format))),
        (None, Some(items)) => format!("{}[]", type_name(Some(items))),
        (None, None) => ty,
    }
}

impl Diff<'_> {
    fn push(&mut self, level: Level, section: Section, text: String) {
        let change = Change { level, section, text };
        if !self.changes.contains(&change) {
            self.changes.push(change);
        }
    }

    fn document(&mut self) {
        let (old, new) = (self.old, self.new);
        let (old_info, new_info) = (object(old.get("info")), object(new.get("info")));
        if old_info.get("version") != new_info.get("version") {
            self.push(
                Level::Patch,
                Section::Changed,
                format!(
                    "The provider's API version is now `{}` (was `{}`).",
                    shown(new_info.get("version")),
                    shown(old_info.get("version"))
                ),
            );
        }
        for key in keys(&old_info, &new_info) {
            if key != "version" && old_info.get(key) != new_info.get(key) {
                self.push(
                    Level::Patch,
                    Section::Changed,
                    format!("The API's `info.{key}` changed."),
                );
            }
        }
        if old.get("servers") != new.get("servers") {
            let first = new.pointer("/servers/0/url");
            self.push(
                Level::Minor,
                Section::Changed,
                format!("The servers changed; the first is now `{}`.", shown(first)),
            );
        }
        if old.get("security") != new.get("security")
            || old.pointer("/components/securitySchemes") != new.pointer("/components/securitySchemes")
        {
            self.push(
                Level::Breaking,
                Section::Changed,
                "How the credential is sent changed (`security`, `securitySchemes`).".into(),
            );
        }
        self.operations();
        let (old_schemas, new_schemas) = (
            object(old.pointer("/components/schemas")),
            object(new.pointer("/components/schemas")),
        );
        for name in keys(&old_schemas, &new_schemas) {
            match (old_schemas.get(name), new_schemas.get(name)) {
                (Some(_), None) => self.push(Level::Breaking, Section::Removed, format!("Removed the type `{name}`.")),
                (None, Some(_)) => self.push(Level::Minor, Section::Added, format!("Added the type `{name}`.")),
                (Some(o), Some(n)) => self.schema(name, Some(name), o, n),
                (None, None) => {}
            }
        }
        let top = |value: &Value| object(Some(value));
        let (old_top, new_top) = (top(old), top(new));
        for key in keys(&old_top, &new_top) {
            if !matches!(
                key,
                "info" | "servers" | "security" | "paths" | "components" | "openapi"
            ) && old_top.get(key) != new_top.get(key)
            {
                self.push(Level::Patch, Section::Changed, format!("The spec's `{key}` changed."));
            }
        }
    }

    fn operations(&mut self) {
        // Each operation by its id (its route when it has none), with its route.
        let by_id = |spec| -> Vec<(String, String, &Value)> {
            routes(spec)
                .into_iter()
                .map(|(path, method, id, op)| {
                    let route = format!("{} {path}", method.to_uppercase());
                    (id.unwrap_or_else(|| route.clone()), route, op)
                })
                .collect()
        };
        let (old, new) = (by_id(self.old), by_id(self.new));
        for (id, route, op) in &old {
            match new.iter().find(|(other, ..)| other == id) {
                None => self.push(
                    Level::Breaking,
                    Section::Removed,
                    format!("Removed the operation `{id}` (`{route}`)."),
                ),
                Some((_, new_route, new_op)) => {
                    if route != new_route {
                        self.push(
                            Level::Breaking,
                            Section::Changed,
                            format!("`{id}` is now `{new_route}` (was `{route}`)."),
                        );
                    }
                    self.operation(id, op, new_op);
                }
            }
        }
        for (id, route, _) in &new {
            if !old.iter().any(|(other, ..)| other == id) {
                self.push(
                    Level::Minor,
                    Section::Added,
                    format!("Added the operation `{id}` (`{route}`)."),
                );
            }
        }
    }

    fn operation(&mut self, id: &str, old: &Value, new: &Value) {
        let (o, n) = (object(Some(old)), object(Some(new)));
        for key in keys(&o, &n) {
            let (a, b) = (o.get(key), n.get(key));
            if a == b {
                continue;
            }
            match key {
                "parameters" => self.parameters(id, a, b),
                "responses" => self.responses(id, a, b),
                "requestBody" => {
                    let resolve_in = |raw, v: Option<&Value>| v.and_then(|v| resolve(raw, v)).cloned();
                    let (a, b) = (resolve_in(self.old, a), resolve_in(self.new, b));
                    match (&a, &b) {
                        (Some(a), Some(b)) if a.get("required") == b.get("required") => {
                            self.content(
                                &format!("the request body of `{id}`"),
                                a.get("content"),
                                b.get("content"),
                            );
                        }
                        _ => self.push(
                            Level::Breaking,
                            Section::Changed,
                            format!("The request body of `{id}` changed."),
                        ),
                    }
                }
                "deprecated" if b == Some(&Value::Bool(true)) => {
                    self.push(Level::Minor, Section::Deprecated, format!("`{id}` is deprecated."));
                }
                key if DOCS.contains(&key) => {
                    self.push(
                        Level::Patch,
                        Section::Changed,
                        format!("The description of `{id}` changed."),
                    );
                }
                key => self.push(Level::Breaking, Section::Changed, format!("`{key}` of `{id}` changed.")),
            }
        }
    }

    fn parameters(&mut self, id: &str, old: Option<&Value>, new: Option<&Value>) {
        let list = |raw: &Value, value: Option<&Value>| -> Vec<Value> {
            value
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| resolve(raw, p).cloned())
                .collect()
        };
        let (old, new) = (list(self.old, old), list(self.new, new));
        let key = |p: &Value| (shown(p.get("in")), shown(p.get("name")));
        let required = |p: &Value| p.get("required") == Some(&Value::Bool(true));
        for o in &old {
            let (place, name) = key(o);
            match new.iter().find(|n| key(n) == key(o)) {
                None => self.push(
                    Level::Breaking,
                    Section::Removed,
                    format!("Removed the {place} parameter `{name}` of `{id}`."),
                ),
                Some(n) => {
                    if required(o) != required(n) {
                        let now = if required(n) { "required" } else { "optional" };
                        self.push(
                            Level::Breaking,
                            Section::Changed,
                            format!("The {place} parameter `{name}` of `{id}` is now {now}."),
                        );
                    }
                    let (po, pn) = (object(Some(o)), object(Some(n)));
                    for k in keys(&po, &pn) {
                        let (a, b) = (po.get(k), pn.get(k));
                        match k {
                            _ if a == b => {}
                            "in" | "name" | "required" => {}
                            "schema" => match (a, b) {
                                (Some(a), Some(b)) => self.schema(&format!("{id}({name})"), None, a, b),
                                _ => self.push(
                                    Level::Breaking,
                                    Section::Changed,
                                    format!("The type of the {place} parameter `{name}` of `{id}` changed."),
                                ),
                            },
                            "deprecated" if b == Some(&Value::Bool(true)) => self.push(
                                Level::Minor,
                                Section::Deprecated,
                                format!("The {place} parameter `{name}` of `{id}` is deprecated."),
                            ),
                            k if DOCS.contains(&k) => self.push(
                                Level::Patch,
                                Section::Changed,
                                format!("The description of the {place} parameter `{name}` of `{id}` changed."),
                            ),
                            k => self.push(
                                Level::Breaking,
                                Section::Changed,
                                format!("`{k}` of the {place} parameter `{name}` of `{id}` changed."),
                            ),
                        }
                    }
                }
            }
        }
        for n in &new {
            if !old.iter().any(|o| key(o) == key(n)) {
                let (place, name) = key(n);
                if required(n) {
                    self.push(
                        Level::Breaking,
                        Section::Added,
                        format!("Added the required {place} parameter `{name}` to `{id}`."),
                    );
                } else {
                    self.push(
                        Level::Minor,
                        Section::Added,
                        format!("Added the optional {place} parameter `{name}` to `{id}`."),
                    );
                }
            }
        }
    }

    fn responses(&mut self, id: &str, old: Option<&Value>, new: Option<&Value>) {
        let (o, n) = (object(old), object(new));
        for status in keys(&o, &n) {
            let resolved = |raw, v: Option<&Value>| v.and_then(|v| resolve(raw, v)).cloned();
            match (resolved(self.old, o.get(status)), resolved(self.new, n.get(status))) {
                (Some(_), None) => self.push(
                    Level::Breaking,
                    Section::Removed,
                    format!("`{id}` no longer documents the status `{status}`."),
                ),
                (None, Some(added)) => {
                    if same_body_as_its_class(self.new, &o, status, &added) {
                        self.push(
                            Level::Minor,
                            Section::Added,
                            format!("`{id}` documents the status `{status}`."),
                        );
                    } else {
                        self.push(
                            Level::Breaking,
                            Section::Added,
                            format!(
                                "`{id}` documents the status `{status}`, whose body is not one its other {} statuses have: the operation's {} type changes.",
                                if is_success(status) { "success" } else { "error" },
                                if is_success(status) { "result" } else { "error" },
                            ),
                        );
                    }
                }
                (Some(a), Some(b)) => {
                    let place = format!("the `{status}` response of `{id}`");
                    if a.get("description") != b.get("description") {
                        self.push(
                            Level::Patch,
                            Section::Changed,
                            format!("The description of {place} changed."),
                        );
                    }
                    self.content(&place, a.get("content"), b.get("content"));
                }
                (None, None) => {}
            }
        }
    }

    fn content(&mut self, place: &str, old: Option<&Value>, new: Option<&Value>) {
        let (o, n) = (object(old), object(new));
        for media in keys(&o, &n) {
            match (o.get(media), n.get(media)) {
                (Some(_), None) => self.push(
                    Level::Breaking,
                    Section::Removed,
                    format!("Removed the `{media}` body of {place}."),
                ),
                (None, Some(_)) => self.push(
                    Level::Minor,
                    Section::Added,
                    format!("Added a `{media}` body to {place}."),
                ),
                (Some(a), Some(b)) => match (a.get("schema"), b.get("schema")) {
                    (Some(a), Some(b)) => self.schema(&format!("{place}, `{media}`"), None, a, b),
                    (a, b) if a != b => self.push(
                        Level::Breaking,
                        Section::Changed,
                        format!("The `{media}` body of {place} changed."),
                    ),
                    _ => {}
                },
                (None, None) => {}
            }
        }
    }

    /// `place` is `Workspace.labels[].name` for a field, or a sentence's
    /// object for a parameter or a body; `named` is the component's name
    /// for a schema of `components.schemas`.
    fn schema(&mut self, place: &str, named: Option<&str>, old: &Value, new: &Value) {
        if old == new {
            return;
        }
        let at = if place.contains(' ') {
            place.to_owned()
        } else {
            format!("`{place}`")
        };
        let (old_ref, new_ref) = (old.get("$ref"), new.get("$ref"));
        if old_ref.is_some() || new_ref.is_some() {
            if old_ref != new_ref {
                self.push(
                    Level::Breaking,
                    Section::Changed,
                    format!(
                        "The type of {at} is now `{}` (was `{}`).",
                        type_name(Some(new)),
                        type_name(Some(old))
                    ),
                );
            }
            return;
        }
        let (o, n) = (object(Some(old)), object(Some(new)));
        let (old_required, new_required) = (required(old), required(new));
        for key in keys(&o, &n) {
            let (a, b) = (o.get(key), n.get(key));
            if a == b {
                continue;
            }
            match key {
                "type" | "format" => self.push(
                    Level::Breaking,
                    Section::Changed,
                    format!(
                        "The type of {at} is now `{}` (was `{}`).",
                        type_name(Some(new)),
                        type_name(Some(old))
                    ),
                ),
                "enum" => {
                    let values = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
                    let (a, b) = (values(a), values(b));
                    let open = named.is_some_and(|name| self.open_enums.iter().any(|e| e == name));
                    for value in b.iter().filter(|v| !a.contains(v)) {
                        if open {
                            self.push(
                                Level::Minor,
                                Section::Added,
                                format!("Added the value `{}` to {at}.", shown(Some(value))),
                            );
                        } else {
                            self.push(
                                Level::Breaking,
                                Section::Added,
                                format!("Added the value `{}` to the closed enum {at}.", shown(Some(value))),
                            );
                        }
                    }
                    for value in a.iter().filter(|v| !b.contains(v)) {
                        self.push(
                            Level::Breaking,
                            Section::Removed,
                            format!("Removed the value `{}` of {at}.", shown(Some(value))),
                        );
                    }
                }
                "properties" => {
                    let (po, pn) = (object(a), object(b));
                    for field in keys(&po, &pn) {
                        let path = format!("{place}.{field}");
                        match (po.get(field), pn.get(field)) {
                            (Some(_), None) => self.push(
                                Level::Breaking,
                                Section::Removed,
                                format!("Removed the field `{path}`."),
                            ),
                            (None, Some(_)) => {
                                let kind = if new_required.contains(&field) {
                                    "required"
                                } else {
                                    "optional"
                                };
                                self.push(
                                    Level::Minor,
                                    Section::Added,
                                    format!("Added the {kind} field `{path}`."),
                                );
                            }
                            (Some(x), Some(y)) => self.schema(&path, None, x, y),
                            (None, None) => {}
                        }
                    }
                }
                "required" => {
                    let (po, pn) = (object(o.get("properties")), object(n.get("properties")));
                    for field in pn.keys().filter(|f| po.contains_key(*f)) {
                        let (was, is) = (
                            old_required.contains(&field.as_str()),
                            new_required.contains(&field.as_str()),
                        );
                        if was != is {
                            let now = if is { "required" } else { "optional" };
                            self.push(
                                Level::Breaking,
                                Section::Changed,
                                format!("`{place}.{field}` is now {now}."),
                            );
                        }
                    }
                }
                "items" => match (a, b) {
                    (Some(a), Some(b)) => self.schema(&format!("{place}[]"), None, a, b),
                    _ => self.push(Level::Breaking, Section::Changed, format!("The items of {at} changed.")),
                },
                "nullable" => {
                    let now = if b == Some(&Value::Bool(true)) {
                        "is now nullable"
                    } else {
                        "is no longer nullable"
                    };
                    self.push(Level::Breaking, Section::Changed, format!("{} {now}.", capital(&at)));
                }
                "deprecated" if b == Some(&Value::Bool(true)) => {
                    self.push(
                        Level::Minor,
                        Section::Deprecated,
                        format!("{} is deprecated.", capital(&at)),
                    );
                }
                "default" => self.push(
                    Level::Minor,
                    Section::Changed,
                    format!("The default of {at} is now `{}`.", shown(b)),
                ),
                key if DOCS.contains(&key) => {
                    self.push(
                        Level::Patch,
                        Section::Changed,
                        format!("The description of {at} changed."),
                    );
                }
                key if key.starts_with("x-") => {
                    self.push(Level::Patch, Section::Changed, format!("`{key}` of {at} changed."));
                }
                key => self.push(
                    Level::Breaking,
                    Section::Changed,
                    format!("`{key}` of {at} is now `{}` (was `{}`).", shown(b), shown(a)),
                ),
            }
        }
    }
}

/// Whether a status is a success (`2XX`) rather than an error.
fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Whether the response `added` (new for `status`) has the body of one of
/// the statuses of its class (success or error) that `old_statuses`
/// documented: then the generated result or error type stays the same.
fn same_body_as_its_class(raw: &Value, old_statuses: &Map<String, Value>, status: &str, added: &Value) -> bool {
    let body = |response: &Value| response.get("content").cloned().unwrap_or(Value::Null);
    old_statuses
        .iter()
        .filter(|(other, _)| is_success(other) == is_success(status))
        .filter_map(|(_, response)| resolve(raw, response))
        .any(|response| body(response) == body(added) || (body(added).is_null() && body(response).is_null()))
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(workspace: Value, parameters: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/workspaces": {"get": {
                "operationId": "listWorkspaces",
                "parameters": parameters,
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Workspace"}
                }}}}}
            }}},
            "components": {"schemas": {
                "Workspace": workspace,
                "Kind": {"type": "string", "enum": ["team", "individual"]}
            }}
        })
    }

    fn workspace() -> Value {
        json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "description": "The id."},
                "color": {"type": "string"},
                "kind": {"$ref": "#/components/schemas/Kind"},
                "plan": {"type": "string", "enum": ["free", "paid"]}
            }
        })
    }

    fn lines(old: &Value, new: &Value) -> Vec<(Level, Section, String)> {
        diff(old, new)
            .into_iter()
            .map(|c| (c.level, c.section, c.text))
            .collect()
    }

    #[test]
    fn each_kind_of_change_has_its_level_and_line() {
        let base = spec(workspace(), json!([]));
        assert!(lines(&base, &base).is_empty());
        // How `Workspace` changes, and the one line that says so.
        type Edit = fn(&mut Value);
        let cases: [(Edit, Level, Section, &str); 6] = [
            (
                |w| w["properties"]["owner"] = json!({"type": "string"}),
                Level::Minor,
                Section::Added,
                "Added the optional field `Workspace.owner`.",
            ),
            (
                |w| {
                    w["properties"].as_object_mut().unwrap().remove("color");
                },
                Level::Breaking,
                Section::Removed,
                "Removed the field `Workspace.color`.",
            ),
            (
                |w| w["required"] = json!([]),
                Level::Breaking,
                Section::Changed,
                "`Workspace.id` is now optional.",
            ),
            (
                |w| w["properties"]["id"]["description"] = json!("The workspace's id."),
                Level::Patch,
                Section::Changed,
                "The description of `Workspace.id` changed.",
            ),
            (
                |w| w["properties"]["color"] = json!({"type": "integer", "format": "int32"}),
                Level::Breaking,
                Section::Changed,
                "The type of `Workspace.color` is now `integer (int32)` (was `string`).",
            ),
            (
                |w| w["properties"]["plan"]["enum"] = json!(["free", "paid", "enterprise"]),
                Level::Breaking,
                Section::Added,
                "Added the value `enterprise` to the closed enum `Workspace.plan`.",
            ),
        ];
        for (edit, level, section, line) in cases {
            let mut changed = workspace();
            edit(&mut changed);
            assert_eq!(
                lines(&base, &spec(changed, json!([]))),
                [(level, section, line.to_owned())]
            );
        }

        let mut open = spec(workspace(), json!([]));
        open["components"]["schemas"]["Kind"]["enum"] = json!(["team", "individual", "org"]);
        open["info"]["version"] = json!("2");
        assert_eq!(
            lines(&base, &open),
            [
                (
                    Level::Patch,
                    Section::Changed,
                    "The provider's API version is now `2` (was `1`).".into()
                ),
                (Level::Minor, Section::Added, "Added the value `org` to `Kind`.".into()),
            ]
        );
    }

    #[test]
    fn parameters_operations_and_types_added_and_removed() {
        let base = spec(
            workspace(),
            json!([{"name": "page", "in": "query", "schema": {"type": "integer"}}]),
        );
        let search = spec(
            workspace(),
            json!([
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
                {"name": "search", "in": "query", "schema": {"type": "string"}},
                {"name": "X-Team", "in": "header", "required": true, "schema": {"type": "string"}}
            ]),
        );
        assert_eq!(
            lines(&base, &search),
            [
                (
                    Level::Minor,
                    Section::Added,
                    "Added the optional query parameter `search` to `listWorkspaces`.".into()
                ),
                (
                    Level::Breaking,
                    Section::Added,
                    "Added the required header parameter `X-Team` to `listWorkspaces`.".into()
                ),
            ]
        );
        assert_eq!(
            lines(&search, &base)[0],
            (
                Level::Breaking,
                Section::Removed,
                "Removed the query parameter `search` of `listWorkspaces`.".into()
            )
        );

        let mut more = base.clone();
        more["paths"]["/labels"] = json!({"get": {"operationId": "listLabels", "responses": {}}});
        more["components"]["schemas"]["Label"] = json!({"type": "object"});
        assert_eq!(
            lines(&base, &more),
            [
                (
                    Level::Minor,
                    Section::Added,
                    "Added the operation `listLabels` (`GET /labels`).".into()
                ),
                (Level::Minor, Section::Added, "Added the type `Label`.".into()),
            ]
        );
        let back = lines(&more, &base);
        assert!(back.iter().all(|(level, ..)| *level == Level::Breaking), "{back:?}");
        assert_eq!(back.len(), 2, "{back:?}");
    }

    #[test]
    fn a_value_added_to_the_open_enum_idiom_is_minor() {
        let idiom = |values: Value| {
            let mut spec = spec(workspace(), json!([]));
            spec["components"]["schemas"]["Kind"] =
                json!({"anyOf": [{"type": "string", "enum": values}, {"type": "string"}]});
            spec
        };
        assert_eq!(
            lines(&idiom(json!(["team"])), &idiom(json!(["team", "org"]))),
            [(Level::Minor, Section::Added, "Added the value `org` to `Kind`.".into())]
        );
    }

    #[test]
    fn a_status_added_is_minor_only_with_a_body_its_class_has() {
        let response =
            |schema: Value| json!({"description": "an error", "content": {"application/json": {"schema": schema}}});
        let kind = json!({"$ref": "#/components/schemas/Kind"});
        let with = |statuses: &[(&str, Value)]| {
            let mut spec = spec(workspace(), json!([]));
            for (status, schema) in statuses {
                spec["paths"]["/workspaces"]["get"]["responses"][*status] = response(schema.clone());
            }
            spec
        };
        let with_400 = with(&[("400", kind.clone())]);
        assert_eq!(
            lines(&with_400, &with(&[("400", kind.clone()), ("404", kind.clone())])),
            [(
                Level::Minor,
                Section::Added,
                "`listWorkspaces` documents the status `404`.".into()
            )]
        );
        let other = lines(&with_400, &with(&[("400", kind), ("404", json!({"type": "string"}))]));
        assert_eq!(other.len(), 1, "{other:?}");
        assert_eq!((other[0].0, other[0].1), (Level::Breaking, Section::Added), "{other:?}");
        assert!(other[0].2.contains("the operation's error type changes"), "{other:?}");
    }

    #[test]
    fn an_unknown_change_is_breaking() {
        let base = spec(workspace(), json!([]));
        let mut pattern = workspace();
        pattern["properties"]["id"]["pattern"] = json!("^[a-z]+$");
        assert_eq!(
            lines(&base, &spec(pattern, json!([]))),
            [(
                Level::Breaking,
                Section::Changed,
                "`pattern` of `Workspace.id` is now `^[a-z]+$` (was `none`).".into()
            )]
        );
    }
}
