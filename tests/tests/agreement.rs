//! The spec as written and the generated client agree on what a provider may
//! send: for each response, a JSON Schema validator reading the spec's own
//! schemas (OpenAPI 3.0's `nullable` and `components` references read as JSON
//! Schema, formats checked) and the client's decoder both take it or both
//! refuse it. The responses are the documented examples, changed as
//! providers plausibly change them, and known variations of each provider.

use serde_json::{Map, Value, json};
use workspaces_sdk_tests::{PROVIDERS, Provider, changes::response_schema, root, success_example};
use xtask::load::parse_file;

/// An OpenAPI 3.0 schema as JSON Schema (2020-12): `nullable` becomes a
/// `null` type (or an `anyOf` with `null`), references into
/// `components/schemas` point into `definitions`, `example` is dropped.
fn json_schema(schema: &Value) -> Value {
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in object {
        let converted = match key.as_str() {
            "example" | "nullable" | "discriminator" | "externalDocs" | "xml" => continue,
            "$ref" => Value::String(
                value
                    .as_str()
                    .unwrap_or_default()
                    .replace("#/components/schemas/", "#/definitions/"),
            ),
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), json_schema(property)))
                    .collect(),
            ),
            "items" | "additionalProperties" | "not" => json_schema(value),
            "allOf" | "oneOf" | "anyOf" => {
                Value::Array(value.as_array().into_iter().flatten().map(json_schema).collect())
            }
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
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
        _ => json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
    }
}

/// The validator of one response of a spec as written.
struct Spec {
    raw: Value,
}

impl Spec {
    fn of(provider: &Provider) -> Self {
        Self {
            raw: parse_file(&root().join(provider.spec)).unwrap(),
        }
    }

    /// Whether the spec's schema of `operation_id`'s `status` JSON body takes `body`.
    fn accepts(&self, operation_id: &str, status: &str, body: &Value) -> Result<bool, String> {
        let schema = response_schema(&self.raw, operation_id, status, "application/json")?;
        let mut schema = json_schema(schema);
        let definitions: Map<String, Value> = self
            .raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, schema)| (name.clone(), json_schema(schema)))
            .collect();
        schema["definitions"] = Value::Object(definitions);
        schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| format!("the schema does not compile: {e}"))?;
        Ok(validator.is_valid(body))
    }
}

/// Whether the generated client decodes `body` as `operation_id`'s `status`.
fn client_accepts(provider: &Provider, operation_id: &str, status: &str, body: &Value) -> bool {
    let bytes = serde_json::to_vec(body).unwrap();
    (provider.decode)(operation_id, status, &bytes)
        .unwrap_or_else(|| panic!("{}: {operation_id} {status} is not decodable", provider.id))
        .is_ok()
}

fn provider(id: &str) -> &'static Provider {
    PROVIDERS.iter().find(|p| p.id == id).unwrap()
}

/// A variation of a provider's documented success example: the JSON pointer
/// of a field in its first workspace, and the value it takes (`None`: the
/// field is absent).
struct Variation {
    provider: &'static str,
    operation_id: &'static str,
    field: &'static str,
    value: Option<Value>,
    /// Whether a provider may send it (the spec must take it).
    allowed: bool,
}

fn may(provider: &'static str, field: &'static str, value: Option<Value>) -> Variation {
    Variation {
        provider,
        operation_id: "listWorkspaces",
        field,
        value,
        allowed: true,
    }
}

fn may_not(provider: &'static str, field: &'static str, value: Option<Value>) -> Variation {
    Variation {
        allowed: false,
        ..may(provider, field, value)
    }
}

fn variations() -> Vec<Variation> {
    let text = |t: &str| Some(Value::String(t.into()));
    let null = || Some(Value::Null);
    vec![
        // Motion: an individual workspace without a team; a type in other words.
        may("motion", "/workspaces/0/teamId", None),
        may("motion", "/workspaces/0/teamId", null()),
        may("motion", "/workspaces/0/type", text("TEAM")),
        may("motion", "/workspaces/0/labels/0/name", null()),
        may_not("motion", "/workspaces/0/name", None),
        may_not("motion", "/workspaces/0/labels", text("none")),
        // Asters: an id of any form, an image as an object or null, no time zone.
        may("asters", "/data/workspaces/0/_id", text("ws-1")),
        may(
            "asters",
            "/data/workspaces/0/image",
            Some(json!({"key": "a.gif", "url": "https://x/a.gif"})),
        ),
        may("asters", "/data/workspaces/0/image", null()),
        may("asters", "/data/workspaces/0/timezone", null()),
        may("asters", "/data/workspaces/0/user", null()),
        may_not("asters", "/data/workspaces/0/_id", None),
        may_not("asters", "/data/workspaces/0/created_at", text("yesterday")),
        // SeaTable: lists and names that are null, a type not yet documented.
        may("seatable", "/workspace_list/0/group_admins", null()),
        may("seatable", "/workspace_list/0/table_list", null()),
        may("seatable", "/workspace_list/0/name", null()),
        may("seatable", "/workspace_list/0/type", text("archived")),
        may_not("seatable", "/workspace_list/0/id", None),
        may_not("seatable", "/workspace_list/0/table_list", text("none")),
        // Delay: what a token without metadata permissions gets, a new type.
        may("delay", "/0/owner_id", null()),
        may("delay", "/0/created_by", null()),
        may("delay", "/0/updated_by", None),
        may("delay", "/0/domain_name", null()),
        may("delay", "/0/workspace_type", text("enterprise")),
        may_not("delay", "/0/id", text("not-a-uuid")),
        may_not("delay", "/0/created_at", None),
    ]
}

/// `example` with the field at `pointer` set to `value` (or removed).
fn varied(example: &Value, pointer: &str, value: Option<Value>) -> Value {
    let mut body = example.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = body
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{pointer}: no parent"));
    match (parent, value) {
        (Value::Object(object), Some(value)) => {
            object.insert(key.into(), value);
        }
        (Value::Object(object), None) => {
            object.remove(key);
        }
        (Value::Array(items), Some(value)) => items[key.parse::<usize>().unwrap()] = value,
        (other, _) => panic!("{pointer}: {other} is not an object"),
    }
    body
}

#[test]
fn spec_and_client_agree_on_each_variation_a_provider_may_send() {
    for variation in variations() {
        let provider = provider(variation.provider);
        let spec = xtask::pipeline::read_spec(&root().join(provider.spec)).unwrap();
        let example = success_example(&spec, Some(variation.operation_id));
        let body = varied(&example, variation.field, variation.value.clone());
        let place = format!("{} {} = {:?}", provider.id, variation.field, variation.value);
        let by_spec = Spec::of(provider)
            .accepts(variation.operation_id, "200", &body)
            .unwrap_or_else(|e| panic!("{place}: {e}"));
        let by_client = client_accepts(provider, variation.operation_id, "200", &body);
        assert_eq!(by_spec, variation.allowed, "{place}: the spec's verdict");
        assert_eq!(by_client, by_spec, "{place}: the client and the spec disagree");
    }
}

#[test]
fn spec_and_client_agree_on_every_documented_example() {
    let mut checked = 0;
    for provider in PROVIDERS {
        let spec = Spec::of(provider);
        for example in xtask::load::response_examples(&spec.raw)
            .into_iter()
            .filter(|e| e.media_type == "application/json")
        {
            let place = format!(
                "{} {} {} `{}`",
                provider.id, example.operation_id, example.status, example.name
            );
            let by_spec = spec
                .accepts(&example.operation_id, &example.status, &example.value)
                .unwrap_or_else(|e| panic!("{place}: {e}"));
            assert!(by_spec, "{place}: the spec refuses its own example");
            let by_client = client_accepts(provider, &example.operation_id, &example.status, &example.value);
            assert!(by_client, "{place}: the client refuses the spec's example");
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} examples");
}

#[test]
fn either_shape_of_a_seatable_error_is_taken_on_every_error_status() {
    let seatable = provider("seatable");
    let spec = Spec::of(seatable);
    for status in ["400", "401", "403", "429", "500"] {
        for body in [
            json!({"error_msg": "Token expired."}),
            json!({"detail": "Invalid token"}),
        ] {
            let place = format!("seatable {status} {body}");
            assert!(spec.accepts("listWorkspaces", status, &body).unwrap(), "{place}: spec");
            assert!(
                client_accepts(seatable, "listWorkspaces", status, &body),
                "{place}: client"
            );
        }
        let wrong = json!({"error_msg": 7});
        assert!(
            !spec.accepts("listWorkspaces", status, &wrong).unwrap(),
            "{status}: spec"
        );
        assert!(
            !client_accepts(seatable, "listWorkspaces", status, &wrong),
            "{status}: client"
        );
    }
}

#[test]
fn the_conversion_reads_nullable_and_references_as_json_schema() {
    let converted = json_schema(&json!({
        "type": "object",
        "properties": {
            "a": {"type": "string", "nullable": true, "example": "x"},
            "b": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/B"}]},
            "c": {"type": "string", "enum": ["x"], "nullable": true},
        },
    }));
    assert_eq!(
        converted,
        json!({
            "type": "object",
            "properties": {
                "a": {"type": ["string", "null"]},
                "b": {"anyOf": [{"allOf": [{"$ref": "#/definitions/B"}]}, {"type": "null"}]},
                "c": {"type": ["string", "null"], "enum": ["x", null]},
            },
        })
    );
}

#[test]
fn spec_and_client_both_take_every_example_changed_within_the_spec() {
    use workspaces_sdk_tests::changes::{Change, as_written, change};
    let mut checked = 0;
    for provider in PROVIDERS {
        let model = xtask::pipeline::read_spec(&root().join(provider.spec)).unwrap();
        let raw = as_written(&model);
        let spec = Spec::of(provider);
        for example in xtask::load::response_examples(&raw)
            .into_iter()
            .filter(|e| e.status.starts_with('2') && e.media_type == "application/json")
        {
            let schema = response_schema(&raw, &example.operation_id, &example.status, &example.media_type).unwrap();
            for how in [
                Change::AddFields,
                Change::DropOptional,
                Change::NullNullable,
                Change::FutureEnumValues,
            ] {
                let body = change(&raw, schema, &example.value, how);
                let place = format!("{} {} `{}` with {how:?}", provider.id, example.status, example.name);
                let by_spec = spec.accepts(&example.operation_id, &example.status, &body).unwrap();
                assert!(by_spec, "{place}: the spec refuses it");
                assert!(
                    client_accepts(provider, &example.operation_id, &example.status, &body),
                    "{place}: the client refuses it"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * PROVIDERS.len(), "only {checked} changed responses");
}
