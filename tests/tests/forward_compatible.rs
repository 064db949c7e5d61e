//! A client keeps working when a provider changes its responses within the
//! spec's reading: every named enum keeps a value it does not know, and every
//! documented success example still decodes with fields added, optional
//! fields missing, nullable fields `null`, and enums holding new values.

use serde_json::{Map, Value};
use workspaces_sdk_tests::{OPEN_ENUMS, PROVIDERS, is_success, normalize, root};
use xtask::{
    load::{is_json, resolve, response_examples},
    model::load,
    open_enums::open_enums,
};

const FUTURE: &str = "value-from-the-future";

#[test]
fn every_named_enum_of_every_spec_is_open() {
    let mut checked = 0;
    for provider in PROVIDERS {
        let spec = load(&root().join(provider.spec)).unwrap();
        for open in open_enums(&spec.raw) {
            let entry = OPEN_ENUMS
                .iter()
                .find(|e| e.provider == provider.id && e.schema == open.schema)
                .unwrap_or_else(|| panic!("{}: enum {} is not generated as an open enum", provider.id, open.schema));
            for value in &open.values {
                let json = serde_json::to_string(value).unwrap();
                let (known, debug, back) = (entry.decode)(&json).unwrap();
                assert!(known, "{} {}: `{value}` decodes as {debug}", provider.id, open.schema);
                assert_eq!(back, json, "{} {}", provider.id, open.schema);
            }
            let json = serde_json::to_string(FUTURE).unwrap();
            let (known, debug, back) = (entry.decode)(&json).unwrap();
            assert!(!known, "{} {}", provider.id, open.schema);
            assert_eq!(debug, format!("Unknown({json})"), "{} {}", provider.id, open.schema);
            assert_eq!(
                back, json,
                "{} {}: an unknown value does not serialize back unchanged",
                provider.id, open.schema
            );
            assert!(
                (entry.decode)("42").is_err(),
                "{} {}: a number decoded",
                provider.id,
                open.schema
            );
            checked += 1;
        }
    }
    // Delay: ApiVersion, SortOrder, WorkspaceType; SeaTable: WorkspaceType; Motion: WorkspaceType.
    assert!(checked >= 5, "only {checked} enums checked");
}

/// How to change a response within what the spec allows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Change {
    /// Add an undocumented field to every object.
    AddFields,
    /// Remove every field the schema does not require.
    DropOptional,
    /// Set every nullable field to `null`.
    NullNullable,
    /// Give every enum-typed field a value no spec documents.
    FutureEnumValues,
}

fn change(raw: &Value, schema: &Value, value: &Value, how: Change) -> Value {
    let schema = resolve(raw, schema).unwrap_or(schema);
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut out = Map::new();
            for (key, child) in map {
                let Some(child_schema) = properties.and_then(|p| p.get(key)) else {
                    out.insert(key.clone(), child.clone());
                    continue;
                };
                let resolved = resolve(raw, child_schema).unwrap_or(child_schema);
                let changed = match how {
                    Change::DropOptional if !required.contains(&key.as_str()) => continue,
                    Change::NullNullable if resolved.get("nullable") == Some(&Value::Bool(true)) => Value::Null,
                    Change::FutureEnumValues if resolved.get("enum").is_some() => Value::String(FUTURE.into()),
                    _ => change(raw, child_schema, child, how),
                };
                out.insert(key.clone(), changed);
            }
            if how == Change::AddFields {
                out.insert("x_added_later".into(), serde_json::json!({"nested": [1, "two", null]}));
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let item_schema = schema.get("items").cloned().unwrap_or(Value::Null);
            Value::Array(items.iter().map(|item| change(raw, &item_schema, item, how)).collect())
        }
        other => other.clone(),
    }
}

#[test]
fn responses_still_decode_when_providers_add_omit_or_null_fields() {
    let mut decoded = 0;
    for provider in PROVIDERS {
        let spec = load(&root().join(provider.spec)).unwrap();
        for example in response_examples(&spec.raw)
            .into_iter()
            .filter(|e| is_success(&e.status) && is_json(&e.media_type))
        {
            let pointer = xtask::load::operations(&spec.raw)
                .into_iter()
                .find(|(_, id, _)| id.as_deref() == Some(example.operation_id.as_str()))
                .map(|(pointer, ..)| pointer)
                .unwrap();
            let media = format!(
                "{pointer}/responses/{}/content/{}/schema",
                example.status,
                xtask::load::escape_pointer(&example.media_type)
            );
            let response = spec
                .raw
                .pointer(&media)
                .unwrap_or_else(|| panic!("{}: no schema at {media}", provider.id));
            for how in [
                Change::AddFields,
                Change::DropOptional,
                Change::NullNullable,
                Change::FutureEnumValues,
            ] {
                let changed = change(&spec.raw, response, &example.value, how);
                let place = format!(
                    "{} {} example `{}` with {how:?}",
                    provider.id, example.status, example.name
                );
                let body = serde_json::to_vec(&changed).unwrap();
                let value = (provider.decode)(&example.operation_id, &example.status, &body)
                    .unwrap()
                    .unwrap_or_else(|e| panic!("{place}: does not decode: {e}"));
                let json = value.json.unwrap();
                match how {
                    // Undocumented fields are ignored.
                    Change::AddFields => assert_eq!(normalize(&json), normalize(&example.value), "{place}"),
                    // New enum values are kept as they came.
                    Change::FutureEnumValues => assert_eq!(normalize(&json), normalize(&changed), "{place}"),
                    _ => assert_eq!(normalize(&json), normalize(&changed), "{place}"),
                }
                decoded += 1;
            }
        }
    }
    assert!(
        decoded >= 4 * PROVIDERS.len(),
        "only {decoded} changed responses decoded"
    );
}
