//! The stages one spec goes through, in the order they run. This file is
//! the only one that calls them in sequence; each stage is a module that
//! uses only modules of its own stage or earlier ones (`tests` in `lib.rs`
//! checks every file).
//!
//! ```text
//! load -> rewrite -> vet -> view -> probe -> model -> progenitor -> plan -> passes -> emit
//! ```
//!
//! `emit` (`crate::render`, `crate::files`) writes every file from the
//! specs and their [`Generated`] plans; `crate::generate_files` runs it.

use std::path::Path;

use crate::{
    codegen::{Generated, GeneratedMock, index, passes, plan, run},
    load::{self, SpecError},
    model::{self, Spec},
    probe::{self, ProgenitorReading},
    rewrite, vet,
};

/// Reads one spec file through the stages before progenitor's real run:
/// load, rewrite, vet, view, probe, then the model.
pub fn read_spec(file: &Path) -> Result<Spec, SpecError> {
    model::read(file, read_for_progenitor(file)?)
}

/// Reads a spec file as progenitor is to take it: the file (load); OpenAPI
/// 3.0.x, rewritten where real descriptions differ from what progenitor
/// takes (rewrite); every `$ref` inside the spec, unique `operationId`s,
/// vetted responses (vet); each class of statuses with different bodies
/// read by status (view); what progenitor cannot generate set aside
/// (probe).
pub fn read_for_progenitor(file: &Path) -> Result<ProgenitorReading, SpecError> {
    let error = |pointer: &str, message: String| SpecError {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    // load
    let written = load::parse_spec(file)?;
    load::check_version(file, &written)?;
    // rewrite
    let mut raw = written.clone();
    let (mut rewrites, renamed_properties) =
        rewrite::rewrite(&mut raw).map_err(|(pointer, rule)| error(&pointer, rule))?;
    // vet
    let statuses = vet::vet(file, &raw)?;
    // view
    let (mut view, mut splits, by_status) = rewrite::by_status::for_progenitor(&raw, &statuses, &error)?;
    rewrites.extend(by_status);
    // probe
    rewrites.extend(probe::fall_back(&mut view, &mut raw));
    // An operation set aside has no statuses to split.
    let kept: Vec<String> = load::routes(&view).into_iter().filter_map(|(.., id, _)| id).collect();
    splits.retain(|split| kept.contains(&split.operation_id));
    let (mock_view, mock_fall_back) = probe::mock_fall_back(&view, &raw);
    rewrites.extend(mock_fall_back);
    let openapi = load::openapi_of(file, &view)?;
    let mock_openapi = load::openapi_of(file, &mock_view)?;
    Ok(ProgenitorReading {
        written,
        raw,
        openapi,
        mock_openapi,
        splits,
        renamed_properties,
        statuses,
        rewrites,
    })
}

/// The client module of a spec: progenitor, run once on the spec as the
/// generator reads it; the passes over its tokens; its output read and
/// joined to the model into one plan per operation; then every pass of
/// [`passes::CLIENT`], in order, each changing as many sites as the plan
/// expects.
pub fn generate(spec: &Spec) -> Result<Generated, SpecError> {
    let error = |message: String| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message,
    };
    // progenitor
    let (tokens, dependencies) = run::client_tokens(spec)?;
    let (tokens, mut applied) = passes::run_on_tokens(tokens, spec, true).map_err(error)?;
    let mut file = run::parse(spec, tokens, "code")?;
    // plan
    let plans = plan::plan(spec, index::read(&file).map_err(error)?).map_err(error)?;
    if plans.is_empty() {
        return Err(SpecError {
            file: spec.file.clone(),
            pointer: "/paths".into(),
            message: "the spec has no operations".into(),
        });
    }
    // passes
    let ctx = passes::Ctx { spec, plans: &plans };
    applied.extend(passes::run(passes::CLIENT, &mut file, &ctx).map_err(error)?);
    Ok(Generated {
        file,
        plans,
        dependencies,
        passes: applied,
    })
}

/// The typed mock module of a spec whose client crate is `crate_ident`:
/// progenitor's httpmock helpers, then the passes of [`passes::MOCK`] with
/// the client's plans.
pub fn generate_mock(
    spec: &Spec,
    plans: &[plan::OperationPlan],
    crate_ident: &str,
) -> Result<GeneratedMock, SpecError> {
    let error = |message: String| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message,
    };
    let tokens = run::mock_tokens(spec, crate_ident)?;
    let (tokens, mut applied) = passes::run_on_tokens(tokens, spec, false).map_err(error)?;
    let mut file = run::parse(spec, tokens, "a mock")?;
    let ctx = passes::Ctx { spec, plans };
    applied.extend(passes::run(passes::MOCK, &mut file, &ctx).map_err(error)?);
    let methods = index::mock_methods(&file);
    Ok(GeneratedMock {
        file,
        methods,
        passes: applied,
    })
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
        let file = std::env::temp_dir().join(format!("pipeline-split-{}.json", std::process::id()));
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
        assert_eq!(reading.written, spec, "the description as written is kept as written");
    }
}
