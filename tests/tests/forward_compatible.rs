//! A client keeps working when a provider changes its responses within the
//! spec's reading: every named enum keeps a value it does not know, and every
//! documented success example still decodes with fields added, optional
//! fields missing, nullable fields `null`, and enums holding new values.

use workspaces_sdk_tests::{
    OPEN_ENUMS, PROVIDERS,
    changes::{Change, FUTURE, as_written, change, response_schema},
    is_success, normalize, root,
};
use xtask::{
    load::{is_json, response_examples},
    open_enums::open_enums,
    pipeline::read_spec,
};

#[test]
fn every_named_enum_of_every_spec_is_open() {
    let mut checked = 0;
    for provider in PROVIDERS {
        let spec = read_spec(&root().join(provider.spec)).unwrap();
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

#[test]
fn responses_still_decode_when_providers_add_omit_or_null_fields() {
    let (mut decoded, mut grown) = (0, 0);
    for provider in PROVIDERS {
        let spec = read_spec(&root().join(provider.spec)).unwrap();
        let raw = as_written(&spec);
        for example in response_examples(&raw)
            .into_iter()
            .filter(|e| is_success(&e.status) && is_json(&e.media_type))
        {
            let response = response_schema(&raw, &example.operation_id, &example.status, &example.media_type)
                .unwrap_or_else(|e| panic!("{} {} {}: {e}", provider.id, example.operation_id, example.status));
            for how in [
                Change::AddFields,
                Change::DropOptional,
                Change::NullNullable,
                Change::FutureEnumValues,
            ] {
                let changed = change(&raw, response, &example.value, how);
                if how == Change::FutureEnumValues && changed != example.value {
                    grown += 1;
                }
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
    // Motion's, Delay's and SeaTable's workspace types may grow.
    assert!(grown >= 3, "only {grown} examples with an enum that may grow");
}
