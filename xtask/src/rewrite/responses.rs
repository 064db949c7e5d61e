//! Passes over the responses as written: a JSON response (or request body)
//! without a `schema`, or with `schema: null`, is read as any JSON value.

use serde_json::Value;

use super::Rewrite;
use crate::load::escape_pointer;

/// Rewrites `raw` in place; returns what was done, in spec order.
pub fn rewrite(raw: &mut Value) -> Vec<Rewrite> {
    let mut done = Vec::new();
    json_without_schema(raw, &mut done);
    done
}

/// A JSON response or request body with no `schema` (or `schema: null`) is
/// read as any JSON value (`schema: {}`).
fn json_without_schema(raw: &mut Value, done: &mut Vec<Rewrite>) {
    let mut responses: Vec<String> = Vec::new();
    let mut bodies: Vec<String> = Vec::new();
    for (pointer, _, operation) in crate::load::operations(raw) {
        let keys = operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten();
        responses.extend(keys.map(|(key, _)| format!("{pointer}/responses/{}", escape_pointer(key))));
        bodies.push(format!("{pointer}/requestBody"));
    }
    let named = |kind: &str| -> Vec<String> {
        let keys = raw.pointer(&format!("/components/{kind}")).and_then(Value::as_object);
        keys.into_iter()
            .flatten()
            .map(|(key, _)| format!("/components/{kind}/{}", escape_pointer(key)))
            .collect()
    };
    responses.extend(named("responses"));
    bodies.extend(named("requestBodies"));
    let kinds = responses
        .into_iter()
        .map(|p| (p, "response"))
        .chain(bodies.into_iter().map(|p| (p, "request body")));
    for (response, kind) in kinds {
        let Some(content) = raw
            .pointer_mut(&format!("{response}/content"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (media, media_type) in content.iter_mut() {
            let Some(media_type) = media_type.as_object_mut() else {
                continue;
            };
            let absent = match media_type.get("schema") {
                None => "without a `schema`",
                Some(Value::Null) => "with `schema: null`",
                Some(_) => continue,
            };
            if crate::load::is_json(media) {
                media_type.insert("schema".into(), Value::Object(Default::default()));
                done.push(Rewrite {
                    pointer: format!("{response}/content/{}", escape_pointer(media)),
                    action: format!("a JSON {kind} {absent}: read as any JSON value"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_json_response_without_a_schema_is_any_json_value() {
        let mut spec = json!({"paths": {"/a": {"get": {"operationId": "getA", "responses": {
            "200": {"description": "ok", "content": {"text/json": {}, "text/plain": {}}},
            "404": {"$ref": "#/components/responses/Missing"}
        }}}}, "components": {"responses": {"Missing": {"description": "no", "content": {
            "application/problem+json": {"example": {"title": "no"}}
        }}}}});
        let done = rewrite(&mut spec);
        let content = &spec["paths"]["/a"]["get"]["responses"]["200"]["content"];
        assert_eq!(content["text/json"], json!({"schema": {}}));
        assert_eq!(content["text/plain"], json!({}), "not JSON: left as it is");
        assert_eq!(
            spec["components"]["responses"]["Missing"]["content"]["application/problem+json"]["schema"],
            json!({})
        );
        let pointers: Vec<&str> = done.iter().map(|r| r.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a/get/responses/200/content/text~1json",
                "/components/responses/Missing/content/application~1problem+json"
            ]
        );
    }

    #[test]
    fn a_json_request_body_without_a_schema_or_with_a_null_one_is_any_json_value() {
        let mut spec = json!({"paths": {"/a": {"post": {"operationId": "postA",
            "requestBody": {"content": {"application/json": {"schema": null}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}}
        }}}, "components": {"requestBodies": {"Item": {"content": {"application/json": {}}}}}});
        let done = rewrite(&mut spec);
        assert_eq!(
            spec["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"],
            json!({"schema": {}})
        );
        assert_eq!(
            spec["paths"]["/a"]["post"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "string"}),
            "a schema: left as it is"
        );
        let report: Vec<String> = done.iter().map(|r| format!("{}: {}", r.pointer, r.action)).collect();
        assert_eq!(
            report,
            [
                "/paths/~1a/post/requestBody/content/application~1json: \
                 a JSON request body with `schema: null`: read as any JSON value",
                "/components/requestBodies/Item/content/application~1json: \
                 a JSON request body without a `schema`: read as any JSON value",
            ]
        );
    }
}
