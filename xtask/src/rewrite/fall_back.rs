//! What progenitor cannot generate, set aside so that the rest of a spec
//! generates: progenitor is asked, schema by schema, then operation by
//! operation.

use progenitor::Generator;

use super::Rewrite;
use crate::{
    load::escape_pointer,
    progenitor_call::{panic_summary, settings_of, without_panicking},
};

/// What progenitor cannot generate, set aside so that the rest of the spec
/// generates: each schema of `components.schemas` that fails on its own
/// (progenitor panics on `not`, on an enum of mixed types, on an invalid
/// `type`; refuses a default that its schema does not allow) is read as any
/// JSON value, then each operation that still fails is left out. `view` is
/// the spec as progenitor reads it; `raw`, the spec as written. Returns one
/// report line per change.
pub fn fall_back(view: &mut serde_json::Value, raw: &mut serde_json::Value) -> Vec<Rewrite> {
    use serde_json::{Value, json};
    let settings = settings_of(raw, "crate::types");
    let fails = |spec: &Value| -> Option<String> {
        let openapi: openapiv3::OpenAPI = match serde_json::from_value(spec.clone()) {
            Ok(openapi) => openapi,
            Err(e) => return Some(e.to_string()),
        };
        match without_panicking(|| Generator::new(&settings).generate_tokens(&openapi)) {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(panic) => Some(panic),
        }
    };
    let mut done = Vec::new();
    if fails(view).is_none() {
        return done;
    }
    let names: Vec<String> = view
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    for name in &names {
        // The schema alone: every other schema is any JSON value, no operation.
        let mut alone = view.clone();
        alone["paths"] = json!({});
        if let Some(schemas) = alone.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
            for (other, schema) in schemas.iter_mut() {
                if other != name {
                    *schema = json!({});
                }
            }
        }
        if let Some(why) = fails(&alone) {
            let pointer = format!("/components/schemas/{}", escape_pointer(name));
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
    }
    if fails(view).is_none() {
        return done;
    }
    for (path, method, ..) in crate::load::routes(&view.clone()) {
        let mut alone = view.clone();
        let item = alone["paths"][path].take();
        alone["paths"] = json!({ path: { method: item[method].clone() } });
        if let Some(why) = fails(&alone) {
            // The operation is gone for every other reader too.
            for spec in [&mut *view, &mut *raw] {
                if let Some(item) = spec["paths"][path].as_object_mut() {
                    item.remove(method);
                }
            }
            done.push(Rewrite {
                pointer: format!("/paths/{}/{method}", escape_pointer(path)),
                action: format!(
                    "left the operation out: progenitor cannot generate it ({})",
                    panic_summary(&why)
                ),
            });
        }
    }
    done
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
