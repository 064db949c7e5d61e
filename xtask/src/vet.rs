//! Stage 3, vet: what the generator cannot handle in a rewritten document,
//! each failure one [`SpecError`] with the file, the JSON pointer and the
//! rule.

use std::{collections::BTreeMap, path::Path};

use serde_json::Value;

use crate::{
    load::{SpecError, escape_pointer, openapi_of, operations},
    rewrite::statuses::Statuses,
};

/// Vets a rewritten document: one progenitor can read, every `$ref` inside
/// it and pointing at something, every path item inline, unique
/// `operationId`s, vetted responses. Returns what each status of each
/// operation documents.
pub fn vet(file: &Path, raw: &Value) -> Result<Statuses, SpecError> {
    let error = |pointer: &str, message: String| SpecError {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    openapi_of(file, raw)?;
    vet_refs(raw, raw, "", &error)?;
    vet_paths(raw, &error)
}

/// Every `$ref` points inside the spec, at something that exists. Literal
/// data (`example`, the examples of `examples`, extensions) is not a reference.
fn vet_refs(
    raw: &Value,
    value: &Value,
    pointer: &str,
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<(), SpecError> {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let here = format!("{pointer}/{}", escape_pointer(key));
                if key == "example" || key.starts_with("x-") {
                    continue;
                }
                if key == "examples"
                    && let Value::Object(examples) = value
                {
                    // Each example is a `$ref` or literal data.
                    for (name, example) in examples {
                        if let Some(reference) = example.get("$ref") {
                            let at = format!("{here}/{}", escape_pointer(name));
                            vet_refs(raw, &serde_json::json!({ "$ref": reference }), &at, error)?;
                        }
                    }
                    continue;
                }
                if key == "$ref"
                    && let Value::String(reference) = value
                {
                    let Some(local) = reference.strip_prefix('#') else {
                        return Err(error(
                            &here,
                            format!("`{reference}` is in another document: bundle the spec into one file"),
                        ));
                    };
                    if raw.pointer(local).is_none() {
                        return Err(error(&here, format!("`{reference}` points at nothing")));
                    }
                } else {
                    vet_refs(raw, value, &here, error)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                vet_refs(raw, item, &format!("{pointer}/{i}"), error)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Every path item inline, every operation with a unique `operationId` and
/// vetted statuses, which are returned by operation.
fn vet_paths(raw: &Value, error: &impl Fn(&str, String) -> SpecError) -> Result<Statuses, SpecError> {
    let paths = raw.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        if item.get("$ref").is_some() {
            let pointer = format!("/paths/{}", escape_pointer(path));
            return Err(error(
                &pointer,
                "a path item given by `$ref` is not supported: write it inline".into(),
            ));
        }
    }
    let mut seen = BTreeMap::new();
    let mut statuses = Statuses::new();
    for (pointer, id, operation) in operations(raw) {
        let id = id.ok_or_else(|| error(&pointer, "the operation has no `operationId`".into()))?;
        if let Some(first) = seen.insert(id.clone(), pointer.clone()) {
            return Err(error(
                &pointer,
                format!("operationId `{id}` is used twice (first at {first})"),
            ));
        }
        statuses.insert(id, crate::rewrite::statuses::statuses(raw, &pointer, operation, error)?);
    }
    Ok(statuses)
}
