//! Stage 5, the probe, a step of its own before progenitor's real run: what
//! progenitor cannot generate, set aside so that the rest of a spec
//! generates. progenitor is asked, schema by schema, then operation by
//! operation, for the client; then operation by operation and status by
//! status, for the typed mock. Its result, with what the earlier stages
//! read, is the [`ProgenitorReading`] the model is built from.

use openapiv3::OpenAPI;
use progenitor::Generator;
use serde_json::{Value, json};

use crate::{
    load::escape_pointer,
    progenitor_call::{panic_summary, settings_of, without_panicking},
    rewrite::{Rewrite, by_status::Split, names::RenamedProperty, statuses::Statuses},
};

/// A spec as progenitor takes it, before this project's own extensions
/// (`x-sdk`, `x-workspaces`, `x-pagination`) are read.
#[derive(Debug, Clone)]
pub struct ProgenitorReading {
    /// The description as written, before any rewrite.
    pub written: Value,
    /// The description, rewritten.
    pub raw: Value,
    /// progenitor's copy of it (see `rewrite::statuses`, [`fall_back`]).
    pub openapi: OpenAPI,
    /// The copy the typed mock is generated from: `openapi`, without what
    /// progenitor's mock generator cannot take ([`mock_fall_back`]).
    pub mock_openapi: OpenAPI,
    pub splits: Vec<Split>,
    /// The properties renamed so that each has a Rust field of its own.
    pub renamed_properties: Vec<RenamedProperty>,
    /// What each status of each operation documents, by `operationId`.
    pub statuses: Statuses,
    /// Every rewrite, in order.
    pub rewrites: Vec<Rewrite>,
}

/// What progenitor cannot generate, set aside so that the rest of the spec
/// generates: each schema of `components.schemas` that fails on its own
/// (progenitor panics on `not`, on an enum of mixed types, on an invalid
/// `type`; refuses a default that its schema does not allow) is read as any
/// JSON value, then each operation that still fails is left out. `view` is
/// the spec as progenitor reads it; `raw`, the spec as written. Returns one
/// report line per change.
pub fn fall_back(view: &mut Value, raw: &mut Value) -> Vec<Rewrite> {
    let settings = settings_of(raw, "crate::types");
    let fails = |spec: &Value| progenitor_fails(spec, |openapi| Generator::new(&settings).generate_tokens(openapi));
    let mut done = Vec::new();
    if fails(view).is_none() {
        return done;
    }
    let names: Vec<String> = view
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    // Some schemas alone: every other schema is any JSON value, no operation.
    let schemas_alone = |some: &[String]| {
        let mut alone = view.clone();
        alone["paths"] = json!({});
        if let Some(schemas) = alone.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
            for (other, schema) in schemas.iter_mut() {
                if !some.contains(other) {
                    *schema = json!({});
                }
            }
        }
        fails(&alone)
    };
    for (name, why) in each_failing(&names, &schemas_alone) {
        let pointer = format!("/components/schemas/{}", escape_pointer(&name));
        let description = view.pointer(&pointer).and_then(|s| s.get("description")).cloned();
        let mut any = json!({});
        if let Some(description) = description {
            any["description"] = description;
        }
        if let Some(slot) = view.pointer_mut(&pointer) {
            *slot = any;
        }
        done.push(Rewrite {
            pointer,
            action: format!(
                "progenitor cannot generate this schema ({}): it is read as any JSON value (`serde_json::Value`)",
                panic_summary(&why)
            ),
        });
    }
    if fails(view).is_none() {
        return done;
    }
    for ((path, method), why) in each_failing(&routes(view), &|some: &[Route]| fails(&with_operations(view, some))) {
        // The operation is gone for every other reader too.
        for spec in [&mut *view, &mut *raw] {
            if let Some(item) = spec["paths"][path.as_str()].as_object_mut() {
                item.remove(&method);
            }
        }
        done.push(Rewrite {
            pointer: format!("/paths/{}/{method}", escape_pointer(&path)),
            action: format!(
                "left the operation out: progenitor cannot generate it ({})",
                panic_summary(&why)
            ),
        });
    }
    done
}

/// The spec the typed mock is generated from: `view` (the client's, after
/// [`fall_back`]) without what progenitor's mock generator cannot take (it
/// panics on a status without a standard reason, such as 480): of each
/// operation that fails, the statuses that fail are left out of the mock,
/// or else the whole operation. The client keeps all of them. Returns the
/// mock's spec and one report line per change.
pub fn mock_fall_back(view: &Value, raw: &Value) -> (Value, Vec<Rewrite>) {
    let settings = settings_of(raw, "crate::types");
    let fails = |spec: &Value| progenitor_fails(spec, |openapi| Generator::new(&settings).httpmock(openapi, "krate"));
    let mut mock = view.clone();
    let mut done = Vec::new();
    if fails(&mock).is_none() {
        return (mock, done);
    }
    let failing = each_failing(&routes(view), &|some: &[Route]| fails(&with_operations(view, some)));
    for ((path, method), why) in failing {
        let pointer = format!("/paths/{}/{method}", escape_pointer(&path));
        let operation = &view["paths"][path.as_str()][method.as_str()];
        let statuses: Vec<String> = operation["responses"]
            .as_object()
            .map(|responses| responses.keys().cloned().collect())
            .unwrap_or_default();
        let route = [(path.clone(), method.clone())];
        let with_statuses = |keep: &dyn Fn(&str) -> bool| {
            let mut alone = with_operations(view, &route);
            if let Some(responses) = alone["paths"][path.as_str()][method.as_str()]["responses"].as_object_mut() {
                responses.retain(|status, _| keep(status));
            }
            alone
        };
        let failing_statuses = each_failing(&statuses, &|some: &[String]| {
            fails(&with_statuses(&|status| some.iter().any(|s| s == status)))
        });
        let without = |status: &str| failing_statuses.iter().all(|(failing, _)| failing != status);
        let rest = with_statuses(&without);
        let keeps_some = statuses.iter().any(|status| without(status));
        if !failing_statuses.is_empty() && keeps_some && fails(&rest).is_none() {
            if let Some(responses) = mock["paths"][path.as_str()][method.as_str()]["responses"].as_object_mut() {
                responses.retain(|status, _| without(status));
            }
            for (status, why) in failing_statuses {
                done.push(Rewrite {
                    pointer: format!("{pointer}/responses/{}", escape_pointer(&status)),
                    action: format!(
                        "the mock's `Then` has no method for this status: progenitor cannot generate it ({}); \
                         `into_inner()` gives httpmock's own",
                        panic_summary(&why)
                    ),
                });
            }
        } else {
            if let Some(item) = mock["paths"][path.as_str()].as_object_mut() {
                item.remove(&method);
            }
            done.push(Rewrite {
                pointer,
                action: format!(
                    "the mock has no helpers for this operation: progenitor cannot generate them ({})",
                    panic_summary(&why)
                ),
            });
        }
    }
    (mock, done)
}

/// An operation, by path and method.
type Route = (String, String);

/// Every operation of `spec`, in order.
fn routes(spec: &Value) -> Vec<Route> {
    crate::load::routes(spec)
        .into_iter()
        .map(|(path, method, ..)| (path.to_owned(), method.to_owned()))
        .collect()
}

/// `spec` with only the operations `some`, and every schema.
fn with_operations(spec: &Value, some: &[Route]) -> Value {
    let mut alone = spec.clone();
    let mut paths = serde_json::Map::new();
    for (path, method) in some {
        let item = paths.entry(path.clone()).or_insert_with(|| json!({}));
        item[method.as_str()] = spec["paths"][path.as_str()][method.as_str()].clone();
    }
    alone["paths"] = Value::Object(paths);
    alone
}

/// Why progenitor, run by `generate` on `spec`, fails (its error or its
/// panic), or `None` when it generates.
fn progenitor_fails<T, E: std::fmt::Display>(
    spec: &Value,
    generate: impl FnOnce(&openapiv3::OpenAPI) -> Result<T, E>,
) -> Option<String> {
    let openapi: openapiv3::OpenAPI = match serde_json::from_value(spec.clone()) {
        Ok(openapi) => openapi,
        Err(e) => return Some(e.to_string()),
    };
    match without_panicking(|| generate(&openapi)) {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(panic) => Some(panic),
    }
}

/// Each item of `items` that fails alone, with why, in order: a group that
/// generates is cleared whole, one that fails is halved, so that a spec with
/// a few bad schemas among hundreds costs a few dozen runs of progenitor,
/// not one per schema.
fn each_failing<T: Clone>(items: &[T], fails: &impl Fn(&[T]) -> Option<String>) -> Vec<(T, String)> {
    match items {
        [] => Vec::new(),
        [one] => fails(items).map(|why| (one.clone(), why)).into_iter().collect(),
        _ if fails(items).is_none() => Vec::new(),
        _ => {
            let (left, right) = items.split_at(items.len() / 2);
            let mut failing = each_failing(left, fails);
            failing.extend(each_failing(right, fails));
            failing
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn returning(schema: Value) -> Value {
        json!({"responses": {"200": {"description": "", "content": {"application/json": {"schema": schema}}}}})
    }

    #[test]
    fn what_progenitor_cannot_generate_is_set_aside_and_the_rest_kept() {
        let mut a = returning(json!({"$ref": "#/components/schemas/Filter"}));
        a["operationId"] = json!("getA");
        let mut b = returning(json!({"not": {"type": "string"}}));
        b["operationId"] = json!("getB");
        let mut c = returning(json!({"type": "string"}));
        c["operationId"] = json!("getC");
        let mut raw = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": a}, "/b": {"get": b}, "/c": {"get": c}},
            "components": {"schemas": {"Filter": {"description": "A filter.", "not": {"type": "string"}}}},
        });
        let mut view = raw.clone();
        let report = fall_back(&mut view, &mut raw);
        let report: Vec<String> = report.iter().map(|r| format!("{}: {}", r.pointer, r.action)).collect();

        assert_eq!(
            view["components"]["schemas"]["Filter"],
            json!({"description": "A filter."})
        );
        assert!(view.pointer("/paths/~1a/get").is_some(), "its schema now generates");
        for spec in [&view, &raw] {
            assert!(spec.pointer("/paths/~1b/get").is_none(), "left out of both copies");
            assert!(spec.pointer("/paths/~1c/get").is_some(), "untouched");
        }
        assert_eq!(report.len(), 2, "{report:?}");
        assert!(
            report[0].starts_with("/components/schemas/Filter: progenitor cannot generate this schema"),
            "{report:?}"
        );
        assert!(
            report[1].starts_with("/paths/~1b/get: left the operation out"),
            "{report:?}"
        );
    }

    #[test]
    fn what_the_mock_generator_cannot_take_is_left_out_of_the_mock_alone() {
        let body = |schema: Value| json!({"description": "", "content": {"application/json": {"schema": schema}}});
        let spec = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                // A status with no standard reason (as AWS's 480s): the mock's
                // `Then` has no name for it.
                "/a": {"get": {"operationId": "getA", "responses": {
                    "200": body(json!({"type": "string"})),
                    "480": body(json!({"type": "object"})),
                }}},
                // Only such statuses: nothing of it is left for the mock.
                "/b": {"get": {"operationId": "getB", "responses": {"481": body(json!({"type": "string"}))}}},
                "/c": {"get": {"operationId": "getC", "responses": {"200": body(json!({"type": "string"}))}}},
            },
        });
        let (mock, report) = mock_fall_back(&spec, &spec);
        let report: Vec<String> = report.iter().map(|r| format!("{}: {}", r.pointer, r.action)).collect();
        assert_eq!(report.len(), 2, "{report:?}");
        assert!(
            report[0].starts_with("/paths/~1a/get/responses/480: the mock's `Then` has no method for this status"),
            "{report:?}"
        );
        assert!(
            report[1].starts_with("/paths/~1b/get: the mock has no helpers for this operation"),
            "{report:?}"
        );
        assert!(mock.pointer("/paths/~1a/get/responses/200").is_some());
        assert!(mock.pointer("/paths/~1a/get/responses/480").is_none());
        assert!(mock.pointer("/paths/~1b/get").is_none());
        assert_eq!(mock["paths"]["/c"], spec["paths"]["/c"], "untouched");
        assert_eq!(
            progenitor_fails(&mock, |openapi| Generator::new(&settings_of(&spec, "t"))
                .httpmock(openapi, "k")),
            None
        );
        let fine = with_operations(&spec, &[("/c".into(), "get".into())]);
        assert_eq!(
            mock_fall_back(&fine, &spec),
            (fine, Vec::new()),
            "a spec the mock takes stays as it is"
        );
    }

    #[test]
    fn the_failing_items_are_found_in_order_with_few_runs() {
        let items: Vec<u32> = (0..200).collect();
        let runs = std::cell::Cell::new(0);
        let fails = |some: &[u32]| {
            runs.set(runs.get() + 1);
            let bad: Vec<String> = some.iter().filter(|i| *i % 70 == 3).map(u32::to_string).collect();
            (!bad.is_empty()).then(|| format!("bad {}", bad.join(",")))
        };
        let failing = each_failing(&items, &fails);
        assert_eq!(
            failing,
            [
                (3, "bad 3".to_owned()),
                (73, "bad 73".to_owned()),
                (143, "bad 143".to_owned())
            ]
        );
        assert!(
            runs.get() <= 3 * 2 * 8 + 1,
            "{} runs for 3 bad items among 200",
            runs.get()
        );
        assert!(each_failing(&[] as &[u32], &fails).is_empty());
    }

    #[test]
    fn a_spec_progenitor_generates_is_left_alone() {
        let mut c = returning(json!({"type": "string"}));
        c["operationId"] = json!("getC");
        let mut raw = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/c": {"get": c}}});
        let mut view = raw.clone();
        let before = (view.clone(), raw.clone());
        assert!(fall_back(&mut view, &mut raw).is_empty());
        assert_eq!((view, raw), before);
    }
}
