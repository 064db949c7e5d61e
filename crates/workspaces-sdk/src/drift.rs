//! Drift: whether what a provider sends still matches its description.
//!
//! Each response is checked against the provider's OpenAPI description as
//! written ([`Provider::openapi`]), by a JSON Schema validator reading the
//! description's own schemas (OpenAPI 3.0's `nullable` read as JSON Schema's
//! `null`, the open-enum idiom `anyOf: [enum, string]` read as its enum, an
//! object's undeclared fields reported), never the generated Rust types,
//! which take more than the description says on purpose. An object made of
//! several `allOf` branches is checked branch by branch: its undeclared
//! fields are not reported (JSON Schema drops what a failing branch
//! evaluated, so reporting them would name the declared ones too).
//!
//! ```
//! use workspaces_sdk::{Provider, drift::{Description, Kind, Report}};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let Some(&provider) = Provider::ALL.iter().find(|p| p.id() == "motion") else { return Ok(()) };
//! let motion = Description::of(provider)?;
//! let body = br#"{"meta": {"pageSize": 1}, "workspaces": [
//!     {"id": "w1", "name": "Home", "type": "individual", "labels": [], "statuses": [], "color": "red"}
//! ]}"#;
//! let mut report = Report::default();
//! report.add(motion.check("listWorkspaces", 200, Some("application/json"), body)?);
//! let found: Vec<_> = report.findings().iter().map(|f| (f.kind, f.pointer.as_str())).collect();
//! assert_eq!(found, [(Kind::UndeclaredField, "/workspaces/0/color")]);
//! # Ok(())
//! # }
//! ```

use std::{
    collections::{BTreeMap, HashSet},
    fmt,
    sync::{Arc, Mutex},
};

use jsonschema::error::{ValidationError, ValidationErrorKind};
use serde_json::{Map, Value, json};

use crate::{Exchange, Provider};

/// What kind of drift a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Kind {
    /// A status the operation does not document (nor a class or `default`).
    UndocumentedStatus,
    /// A content type the response does not declare, or a body where it
    /// declares none.
    UndeclaredContentType,
    /// A JSON body that is not JSON.
    NotJson,
    /// A field of an object that its schema does not declare.
    UndeclaredField,
    /// A value outside a declared enum.
    UnknownEnumValue,
    /// A `null` where the schema does not allow one.
    UnexpectedNull,
    /// A value of another type than the schema's.
    TypeMismatch,
    /// A required field missing.
    MissingRequired,
    /// Any other rule of the schema: a format, a pattern, a bound.
    Constraint,
}

impl Kind {
    /// The kind as a short name (`undeclared-field`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UndocumentedStatus => "undocumented-status",
            Self::UndeclaredContentType => "undeclared-content-type",
            Self::NotJson => "not-json",
            Self::UndeclaredField => "undeclared-field",
            Self::UnknownEnumValue => "unknown-enum-value",
            Self::UnexpectedNull => "unexpected-null",
            Self::TypeMismatch => "type-mismatch",
            Self::MissingRequired => "missing-required",
            Self::Constraint => "constraint",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One way a response departs from the description.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// What kind of drift.
    pub kind: Kind,
    /// The operation whose response it is (`listWorkspaces`).
    pub operation_id: String,
    /// The response's status.
    pub status: u16,
    /// The JSON pointer of the value in the body, where first seen (empty
    /// for a status or a content type).
    pub pointer: String,
    /// The value seen there, as JSON (cut to 80 characters), or the status
    /// or content type.
    pub example: String,
    /// What the description says instead.
    pub expected: String,
    /// How many times it was seen (in a [`Report`]).
    pub count: usize,
}

/// Why a description cannot check a response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DriftError {
    /// The description is not a JSON object.
    InvalidDescription(String),
    /// The description has no operation of that id.
    UnknownOperation(String),
    /// A schema of the description is not valid JSON Schema once read.
    InvalidSchema {
        /// Its JSON pointer in the description.
        pointer: String,
        /// What the validator says.
        reason: String,
    },
}

impl fmt::Display for DriftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidDescription(reason) => write!(f, "the description is not a JSON object: {reason}"),
            Self::UnknownOperation(id) => write!(f, "the description has no operation `{id}`"),
            Self::InvalidSchema { pointer, reason } => write!(f, "the schema at {pointer} does not compile: {reason}"),
        }
    }
}

impl std::error::Error for DriftError {}

/// A provider's description, ready to check responses.
pub struct Description {
    /// The description with its schemas as JSON Schema: the validators' root.
    document: Value,
    validators: Mutex<BTreeMap<String, Arc<jsonschema::Validator>>>,
}

impl fmt::Debug for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let title = self.document.pointer("/info/title").and_then(Value::as_str);
        f.debug_struct("Description")
            .field("title", &title)
            .finish_non_exhaustive()
    }
}

impl Description {
    /// The description of `provider` this build was generated from.
    ///
    /// # Errors
    ///
    /// When it is not a JSON object (it always is, as generated).
    pub fn of(provider: Provider) -> Result<Self, DriftError> {
        Self::from_json(provider.openapi())
    }

    /// A description from its JSON text (OpenAPI 3.0 or 3.1).
    ///
    /// # Errors
    ///
    /// When the text is not a JSON object.
    pub fn from_json(text: &str) -> Result<Self, DriftError> {
        let raw: Value = serde_json::from_str(text).map_err(|e| DriftError::InvalidDescription(e.to_string()))?;
        if !raw.is_object() {
            return Err(DriftError::InvalidDescription("not an object".into()));
        }
        Ok(Self {
            document: as_json_schema(&raw),
            validators: Mutex::default(),
        })
    }

    /// The findings of one response of `operation_id`: its status, its
    /// content type, and its body against the schema of that status and type.
    ///
    /// # Errors
    ///
    /// When the description has no such operation, or its schema does not
    /// compile.
    pub fn check(
        &self,
        operation_id: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Vec<Finding>, DriftError> {
        let finding = |kind, pointer: String, example: String, expected: String| Finding {
            kind,
            operation_id: operation_id.to_owned(),
            status,
            pointer,
            example,
            expected,
            count: 1,
        };
        let operation = self.operation(operation_id)?;
        let Some((response, documented)) = self.response(&operation, status) else {
            let documented: Vec<&String> = self
                .document
                .pointer(&format!("{operation}/responses"))
                .and_then(Value::as_object)
                .map(|r| r.keys().collect())
                .unwrap_or_default();
            let expected = format!("one of {documented:?}");
            return Ok(vec![finding(
                Kind::UndocumentedStatus,
                String::new(),
                status.to_string(),
                expected,
            )]);
        };
        let contents = self
            .document
            .pointer(&format!("{response}/content"))
            .and_then(Value::as_object);
        let declared: Vec<&String> = contents.map(|c| c.keys().collect()).unwrap_or_default();
        let essence = content_type
            .map(|t| t.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
            .unwrap_or_default();
        if declared.is_empty() {
            return Ok(match body.iter().all(u8::is_ascii_whitespace) {
                true => Vec::new(),
                false => vec![finding(
                    Kind::UndeclaredContentType,
                    String::new(),
                    content_type.unwrap_or("a body").to_owned(),
                    format!("no body for {documented}"),
                )],
            });
        }
        let Some(media) = declared.iter().find(|media| media_matches(media, &essence)) else {
            let example = content_type.unwrap_or("no content type").to_owned();
            return Ok(vec![finding(
                Kind::UndeclaredContentType,
                String::new(),
                example,
                format!("one of {declared:?}"),
            )]);
        };
        let schema = format!("{response}/content/{}/schema", escape(media));
        if self.document.pointer(&schema).is_none() || !is_json(&essence) {
            return Ok(Vec::new());
        }
        let value: Value = match serde_json::from_slice(body) {
            Ok(value) => value,
            Err(e) => {
                return Ok(vec![finding(
                    Kind::NotJson,
                    String::new(),
                    cut(&String::from_utf8_lossy(body)),
                    e.to_string(),
                )]);
            }
        };
        let validator = self.validator(&schema)?;
        Ok(validator
            .iter_errors(&value)
            .flat_map(|error| classify(&error))
            .map(|(kind, pointer, example, expected)| finding(kind, pointer, example, expected))
            .collect())
    }

    /// The findings of an exchange a client observed
    /// ([`Config::observe`](crate::Config::observe)).
    ///
    /// # Errors
    ///
    /// As for [`Description::check`].
    pub fn check_exchange(&self, exchange: &Exchange) -> Result<Vec<Finding>, DriftError> {
        self.check(
            exchange.operation_id,
            exchange.status,
            exchange.content_type(),
            &exchange.body,
        )
    }

    /// The pointer of the operation `operation_id`.
    fn operation(&self, operation_id: &str) -> Result<String, DriftError> {
        let paths = self.document.get("paths").and_then(Value::as_object);
        paths
            .into_iter()
            .flatten()
            .flat_map(|(path, item)| {
                item.as_object()
                    .into_iter()
                    .flatten()
                    .map(move |(method, operation)| (path, method, operation))
            })
            .find(|(_, _, operation)| operation.get("operationId").and_then(Value::as_str) == Some(operation_id))
            .map(|(path, method, _)| format!("/paths/{}/{}", escape(path), escape(method)))
            .ok_or_else(|| DriftError::UnknownOperation(operation_id.to_owned()))
    }

    /// The pointer of the response documented for `status` (a reference to
    /// `components/responses` followed), and the key that documents it.
    fn response(&self, operation: &str, status: u16) -> Option<(String, String)> {
        let responses = self.document.pointer(&format!("{operation}/responses"))?.as_object()?;
        let exact = status.to_string();
        let class = format!("{}XX", status / 100);
        let key = [exact.as_str(), class.as_str(), "default"]
            .into_iter()
            .find_map(|wanted| responses.keys().find(|key| key.eq_ignore_ascii_case(wanted)))?;
        let mut pointer = format!("{operation}/responses/{}", escape(key));
        if let Some(target) = self
            .document
            .pointer(&pointer)
            .and_then(|r| r.get("$ref"))
            .and_then(Value::as_str)
        {
            pointer = target.trim_start_matches('#').to_owned();
        }
        Some((pointer, key.clone()))
    }

    /// The validator of the schema at `pointer`, compiled once.
    fn validator(&self, pointer: &str) -> Result<Arc<jsonschema::Validator>, DriftError> {
        let mut validators = self.validators.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(validator) = validators.get(pointer) {
            return Ok(validator.clone());
        }
        let mut root = self.document.clone();
        root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        root["$ref"] = json!(format!("#{pointer}"));
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| DriftError::InvalidSchema {
                pointer: pointer.to_owned(),
                reason: e.to_string(),
            })?;
        let validator = Arc::new(validator);
        validators.insert(pointer.to_owned(), validator.clone());
        Ok(validator)
    }
}

/// Every finding of many responses, each once, with how often it was seen:
/// findings are the same when their kind, operation and status agree and
/// their pointers differ only by the index of an item in a list.
#[derive(Debug, Clone, Default)]
pub struct Report {
    findings: Vec<Finding>,
    responses: usize,
}

impl Report {
    /// Adds the findings of one response.
    pub fn add(&mut self, findings: Vec<Finding>) {
        self.responses += 1;
        for finding in findings {
            let known = self.findings.iter_mut().find(|known| {
                (known.kind, &known.operation_id, known.status) == (finding.kind, &finding.operation_id, finding.status)
                    && same_place(&known.pointer, &finding.pointer)
            });
            match known {
                Some(known) => known.count += 1,
                None => self.findings.push(finding),
            }
        }
        self.findings.sort_by(|a, b| {
            (&a.operation_id, a.status, &a.pointer, a.kind).cmp(&(&b.operation_id, b.status, &b.pointer, b.kind))
        });
    }

    /// The findings, each once (where first seen), by operation, status and
    /// pointer.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// How many responses were checked.
    pub fn responses(&self) -> usize {
        self.responses
    }

    /// Whether every response matched the description.
    pub fn holds(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Whether two pointers differ only by list indices.
fn same_place(a: &str, b: &str) -> bool {
    let index = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x == y || (index(x) && index(y)))
}

/// The findings one validation error stands for: kind, pointer, example, expected.
fn classify(error: &ValidationError<'_>) -> Vec<(Kind, String, String, String)> {
    let path = error.instance_path().as_str().to_owned();
    let instance = error.instance();
    let fields = |unexpected: &[String]| {
        unexpected
            .iter()
            .map(|name| {
                let example = instance.get(name).map_or_else(String::new, show);
                let pointer = format!("{path}/{}", escape(name));
                (Kind::UndeclaredField, pointer, example, "no such field".to_owned())
            })
            .collect()
    };
    let one = |kind, expected: String| vec![(kind, path.clone(), show(instance), expected)];
    match error.kind() {
        ValidationErrorKind::UnevaluatedProperties { unexpected }
        | ValidationErrorKind::AdditionalProperties { unexpected } => fields(unexpected),
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let pointer = format!("{path}/{}", escape(name));
            vec![(
                Kind::MissingRequired,
                pointer,
                "absent".into(),
                "a required field".into(),
            )]
        }
        _ if instance.is_null() => one(Kind::UnexpectedNull, error.to_string()),
        ValidationErrorKind::Enum { options } => one(Kind::UnknownEnumValue, format!("one of {options}")),
        ValidationErrorKind::Type { .. }
        | ValidationErrorKind::AnyOf { .. }
        | ValidationErrorKind::OneOfNotValid { .. } => one(Kind::TypeMismatch, error.to_string()),
        _ => one(Kind::Constraint, error.to_string()),
    }
}

/// A value as JSON, cut to 80 characters.
fn show(value: &Value) -> String {
    cut(&value.to_string())
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// A JSON pointer segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Whether a declared media type (`application/json`, `application/*`,
/// `*/*`) takes `essence`.
fn media_matches(declared: &str, essence: &str) -> bool {
    let declared = declared.to_ascii_lowercase();
    declared == essence
        || declared == "*/*"
        || declared
            .strip_suffix("/*")
            .is_some_and(|kind| essence.split('/').next() == Some(kind))
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence.is_empty()
}

/// The description with every schema (components, and each response's) read
/// as JSON Schema 2020-12.
fn as_json_schema(raw: &Value) -> Value {
    let mut document = raw.clone();
    let shared = shared_components(raw);
    if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            *schema = json_schema(schema, shared.contains(name));
        }
    }
    for pointer in response_schemas(raw) {
        if let Some(schema) = document.pointer_mut(&pointer) {
            *schema = json_schema(schema, false);
        }
    }
    document
}

/// The pointers of every response's schemas, in operations and in
/// `components/responses`.
fn response_schemas(raw: &Value) -> Vec<String> {
    let mut pointers = Vec::new();
    let mut add = |responses: &Value, at: String| {
        for (status, response) in responses.as_object().into_iter().flatten() {
            for media in response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(m, _)| m)
            {
                pointers.push(format!("{at}/{}/content/{}/schema", escape(status), escape(media)));
            }
        }
    };
    for (path, item) in raw.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if let Some(responses) = operation.get("responses") {
                add(
                    responses,
                    format!("/paths/{}/{}/responses", escape(path), escape(method)),
                );
            }
        }
    }
    if let Some(responses) = raw.pointer("/components/responses") {
        add(responses, "/components/responses".into());
    }
    pointers
}

/// The components that are one branch of an `allOf` with others: their
/// siblings add fields, so they do not report fields they do not declare.
fn shared_components(raw: &Value) -> HashSet<String> {
    fn walk(value: &Value, found: &mut HashSet<String>) {
        match value {
            Value::Object(object) => {
                if let Some(Value::Array(branches)) = object.get("allOf")
                    && branches.len() > 1
                {
                    for reference in branches.iter().filter_map(|b| b.get("$ref")?.as_str()) {
                        found.insert(reference.trim_start_matches("#/components/schemas/").to_owned());
                    }
                }
                object.values().for_each(|v| walk(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = HashSet::new();
    walk(raw, &mut found);
    found
}

/// An OpenAPI schema as JSON Schema 2020-12: `nullable` as `null`, the
/// open-enum idiom as its enum, undeclared fields refused (unless the schema
/// is one branch of several in an `allOf`), annotations JSON Schema does not
/// know dropped.
fn json_schema(schema: &Value, in_all_of: bool) -> Value {
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    if let Some(Value::Array(branches)) = object.get("anyOf")
        && let Some(closed) = open_enum(branches)
    {
        let mut read = object.clone();
        read.remove("anyOf");
        read.extend(
            closed
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        return json_schema(&Value::Object(read), in_all_of);
    }
    let mut out = Map::new();
    for (key, value) in object {
        let converted = match key.as_str() {
            "example" | "nullable" | "discriminator" | "externalDocs" | "xml" => continue,
            _ if key.starts_with("x-") => continue,
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), json_schema(property, false)))
                    .collect(),
            ),
            "items" | "additionalProperties" | "not" => json_schema(value, false),
            "allOf" => {
                let several = value.as_array().is_some_and(|b| b.len() > 1);
                Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|b| json_schema(b, several))
                        .collect(),
                )
            }
            "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|b| json_schema(b, false))
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if out.contains_key("properties") && !out.contains_key("additionalProperties") && !in_all_of {
        out.insert("unevaluatedProperties".into(), Value::Bool(false));
    }
    if object.get("nullable") != Some(&Value::Bool(true)) {
        return Value::Object(out);
    }
    match out.get("type").cloned() {
        Some(Value::String(ty)) => {
            out.insert("type".into(), json!([ty, "null"]));
            if let Some(Value::Array(values)) = out.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(out)
        }
        // Not `anyOf` with `null`: the errors of the schema itself stay in sight.
        _ => json!({"if": {"type": "null"}, "else": Value::Object(out)}),
    }
}

/// The enum branch of the open-enum idiom (`anyOf` of an enum of strings and
/// any string).
fn open_enum(branches: &[Value]) -> Option<Value> {
    let [a, b] = branches else { return None };
    let any_string = |s: &Value| s.get("type") == Some(&json!("string")) && s.get("enum").is_none();
    let closed = |s: &Value| s.get("enum").is_some_and(Value::is_array);
    match (closed(a) && any_string(b), closed(b) && any_string(a)) {
        (true, _) => Some(a.clone()),
        (_, true) => Some(b.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A description of one operation, its 200 a list of `Thing` (with a
    /// nullable field, an open enum, and a `Tagged`: a component and its
    /// own fields in an `allOf` of two) and a 4XX without a body.
    fn description() -> Description {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "Things", "version": "1"},
            "paths": {"/things": {"get": {
                "operationId": "listThings",
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}},
                    "4XX": {"$ref": "#/components/responses/Refused"}
                }
            }}},
            "components": {
                "responses": {"Refused": {"description": "refused"}},
                "schemas": {
                    "Named": {"type": "object", "properties": {"name": {"type": "string"}}},
                    "Tagged": {"allOf": [
                        {"$ref": "#/components/schemas/Named"},
                        {"type": "object", "properties": {"color": {"type": "string"}}}
                    ]},
                    "Thing": {"type": "object", "required": ["id"], "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "name": {"type": "string"},
                        "note": {"type": "string", "nullable": true},
                        "kind": {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "string"}]},
                        "tag": {"$ref": "#/components/schemas/Tagged"}
                    }}
                }
            }
        });
        Description::from_json(&document.to_string()).unwrap()
    }

    fn found(status: u16, content_type: Option<&str>, body: &str) -> Vec<(Kind, String, String)> {
        let findings = description()
            .check("listThings", status, content_type, body.as_bytes())
            .unwrap();
        findings.into_iter().map(|f| (f.kind, f.pointer, f.example)).collect()
    }

    const ID: &str = "d4add56e-c345-4ac9-b392-7a890a60559a";

    #[test]
    fn a_response_as_described_has_no_finding() {
        let tag = r#"{"name": "t", "color": "red"}"#;
        let body = format!(r#"[{{"id": "{ID}", "name": "x", "note": null, "kind": "a", "tag": {tag}}}]"#);
        assert_eq!(found(200, Some("application/json; charset=utf-8"), &body), []);
        assert_eq!(found(404, None, ""), [], "a 4XX documented without a body");
    }

    #[test]
    fn each_departure_is_found_at_its_pointer() {
        let body = format!(r#"[{{"id": "{ID}", "name": null, "kind": "c", "extra": 1}}, {{"id": "nope"}}, {{}}]"#);
        let mut findings = found(200, Some("application/json"), &body);
        findings.sort();
        let expected = [
            (Kind::UndeclaredField, "/0/extra", "1"),
            (Kind::UnknownEnumValue, "/0/kind", "\"c\""),
            (Kind::UnexpectedNull, "/0/name", "null"),
            (Kind::Constraint, "/1/id", "\"nope\""),
            (Kind::MissingRequired, "/2/id", "absent"),
        ];
        let mut expected: Vec<(Kind, String, String)> = expected
            .iter()
            .map(|(k, p, e)| (*k, p.to_string(), e.to_string()))
            .collect();
        expected.sort();
        assert_eq!(findings, expected);
    }

    #[test]
    fn statuses_content_types_and_bodies_that_are_not_json_are_found() {
        assert_eq!(found(500, None, "")[0].0, Kind::UndocumentedStatus);
        let untyped = found(200, None, "[]");
        assert_eq!(
            untyped,
            [(Kind::UndeclaredContentType, String::new(), "no content type".into())]
        );
        assert_eq!(
            found(200, Some("text/html"), "<html>")[0].0,
            Kind::UndeclaredContentType
        );
        assert_eq!(
            found(403, Some("application/json"), "{}")[0].0,
            Kind::UndeclaredContentType
        );
        assert_eq!(found(200, Some("application/json"), "[{")[0].0, Kind::NotJson);
        let unknown = description().check("deleteThings", 200, None, b"");
        assert_eq!(unknown, Err(DriftError::UnknownOperation("deleteThings".into())));
    }

    #[test]
    fn a_report_keeps_each_finding_once_whatever_the_item() {
        let description = description();
        let mut report = Report::default();
        for body in [r#"[{"id": 1}, {"id": 2}]"#, r#"[{"id": 3}]"#] {
            report.add(
                description
                    .check("listThings", 200, Some("application/json"), body.as_bytes())
                    .unwrap(),
            );
        }
        assert_eq!(report.responses(), 2);
        assert!(!report.holds());
        let findings: Vec<(Kind, &str, usize)> = report
            .findings()
            .iter()
            .map(|f| (f.kind, f.pointer.as_str(), f.count))
            .collect();
        assert_eq!(findings, [(Kind::TypeMismatch, "/0/id", 3)]);
        assert!(same_place("/a/0/b", "/a/12/b") && !same_place("/a/0/b", "/a/x/b"));
    }
}
