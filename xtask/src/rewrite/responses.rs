//! Passes over the responses as written: a JSON response without a
//! `schema` is read as any JSON value.

use serde_json::Value;

use super::Rewrite;
use crate::load::escape_pointer;

/// Rewrites `raw` in place; returns what was done, in spec order.
pub fn rewrite(raw: &mut Value) -> Vec<Rewrite> {
    let mut done = Vec::new();
    json_without_schema(raw, &mut done);
    done
}

/// A JSON response with no `schema` is read as any JSON value (`schema: {}`).
fn json_without_schema(raw: &mut Value, done: &mut Vec<Rewrite>) {
    let mut responses: Vec<String> = Vec::new();
    for (pointer, _, operation) in crate::load::operations(raw) {
        let keys = operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten();
        responses.extend(keys.map(|(key, _)| format!("{pointer}/responses/{}", escape_pointer(key))));
    }
    let named = raw
        .pointer("/components/responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    responses.extend(named.map(|(key, _)| format!("/components/responses/{}", escape_pointer(key))));
    for response in responses {
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
            if crate::load::is_json(media) && !media_type.contains_key("schema") {
                media_type.insert("schema".into(), Value::Object(Default::default()));
                done.push(Rewrite {
                    pointer: format!("{response}/content/{}", escape_pointer(media)),
                    action: "a JSON response without a `schema`: read as any JSON value".into(),
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
}
