//! Stage 3, vet: what the generator cannot handle in a rewritten document,
//! each failure one [`SpecError`] with the file, the JSON pointer and the
//! rule. Then [`read_for_progenitor`] runs stages 1 to 3 on a file.

use std::{collections::BTreeMap, path::Path};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::{
    load::{SpecError, check_version, escape_pointer, openapi_of, operations, parse_file},
    rewrite::{Rewrite, by_status::Split, names::RenamedProperty, statuses::Statuses},
};

/// A spec as progenitor takes it, before this project's own extensions
/// (`x-sdk`, `x-workspaces`, `x-pagination`) are read.
#[derive(Debug, Clone)]
pub struct ProgenitorReading {
    /// The description, rewritten.
    pub raw: Value,
    /// progenitor's copy of it (see `rewrite::statuses`, `rewrite::fall_back`).
    pub openapi: OpenAPI,
    /// The copy the typed mock is generated from: `openapi`, without what
    /// progenitor's mock generator cannot take (`rewrite::fall_back::mock_fall_back`).
    pub mock_openapi: OpenAPI,
    pub splits: Vec<Split>,
    /// The properties renamed so that each has a Rust field of its own.
    pub renamed_properties: Vec<RenamedProperty>,
    /// What each status of each operation documents, by `operationId`.
    pub statuses: Statuses,
    /// Every rewrite, in order.
    pub rewrites: Vec<Rewrite>,
}

/// Reads a spec file as progenitor is to take it: OpenAPI 3.0.x, rewritten
/// where real descriptions differ from what progenitor takes, every `$ref`
/// inside the spec, unique `operationId`s, vetted responses; each class of
/// statuses with different bodies read by status, and what progenitor
/// cannot generate set aside.
pub fn read_for_progenitor(file: &Path) -> Result<ProgenitorReading, SpecError> {
    let error = |pointer: &str, message: String| SpecError {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    let mut raw = parse_file(file)?;
    check_version(file, &raw)?;
    let mut rewrites = crate::rewrite::openapi31::rewrite(&mut raw).map_err(|(pointer, rule)| error(&pointer, rule))?;
    rewrites.extend(crate::rewrite::document::rewrite(&mut raw));
    rewrites.extend(crate::rewrite::responses::rewrite(&mut raw));
    rewrites.extend(crate::rewrite::schemas::rewrite(&mut raw));
    let (renames, renamed_properties) = crate::rewrite::names::rewrite(&mut raw);
    rewrites.extend(renames);
    openapi_of(file, &raw)?;
    vet_refs(&raw, &raw, "", &error)?;
    let statuses = vet_paths(&raw, &error)?;
    let (mut view, mut splits, by_status) = crate::rewrite::by_status::for_progenitor(&raw, &statuses, &error)?;
    rewrites.extend(by_status);
    rewrites.extend(crate::rewrite::fall_back::fall_back(&mut view, &mut raw));
    // An operation set aside has no statuses to split.
    let kept: Vec<String> = crate::load::routes(&view)
        .into_iter()
        .filter_map(|(.., id, _)| id)
        .collect();
    splits.retain(|split| kept.contains(&split.operation_id));
    let (mock_view, mock_fall_back) = crate::rewrite::fall_back::mock_fall_back(&view, &raw);
    rewrites.extend(mock_fall_back);
    let openapi = openapi_of(file, &view)?;
    let mock_openapi = openapi_of(file, &mock_view)?;
    Ok(ProgenitorReading {
        raw,
        openapi,
        mock_openapi,
        splits,
        renamed_properties,
        statuses,
        rewrites,
    })
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

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    #[test]
    fn an_operation_set_aside_takes_its_statuses_split_with_it() {
        let body = |schema: Value| json!({"description": "", "content": {"application/json": {"schema": schema}}});
        let spec = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/jobs": {"post": {
                    "operationId": "startJob",
                    "parameters": [{"name": "filter", "in": "query", "schema": {"not": {"type": "string"}}}],
                    "responses": {"200": body(json!({"type": "object"})), "202": body(json!({"type": "string"}))},
                }},
                "/health": {"get": {"operationId": "getHealth", "responses": {"200": body(json!({"type": "string"}))}}},
            },
        });
        let file = std::env::temp_dir().join(format!("vet-split-{}.json", std::process::id()));
        std::fs::write(&file, spec.to_string()).unwrap();
        let reading = super::read_for_progenitor(&file);
        let _ = std::fs::remove_file(&file);
        let reading = reading.unwrap();
        let actions: Vec<&str> = reading.rewrites.iter().map(|r| r.action.as_str()).collect();
        assert!(
            actions.iter().any(|a| a.starts_with("left the operation out")),
            "{actions:?}"
        );
        assert!(reading.splits.is_empty(), "{:?}", reading.splits);
        assert!(reading.openapi.paths.paths.contains_key("/health"));
    }
}
