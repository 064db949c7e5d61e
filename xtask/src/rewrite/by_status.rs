//! Stage 4, view: the operations whose statuses document different bodies.
//!
//! progenitor 0.15.1 asserts one body type for all success statuses of an
//! operation and one for all error statuses (a `default` counts as both). Real
//! descriptions differ per status: `{"error_msg"}` on 400 and `{"detail"}` on
//! 401, a body on 200 and none on 204, a `default` error beside a 200. Such a
//! class of statuses is given to progenitor as bytes, and the generator writes
//! an enum with one variant per documented status, which the runtime decodes
//! by the status received (`ByStatus`). The spec's own text is not changed:
//! only the copy progenitor reads.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{
    Rewrite,
    statuses::{Body, Status, StatusClass, StatusKey, Statuses, progenitor_reads_as_json},
};
use crate::{
    load::{SpecError, escape_pointer, resolve, routes, unescape_pointer},
    rust_names::{pascal, type_name},
};

/// One documented status of a class whose bodies differ: its variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// As the spec writes it: `400`, `4XX`, `default`.
    pub status: String,
    /// The variant's name: `BadRequest`, `ClientError`, `Default`.
    pub name: String,
    pub description: String,
    pub body: VariantBody,
}

/// What a variant holds.
#[derive(Debug, Clone, PartialEq)]
pub enum VariantBody {
    /// Nothing: the status has no body.
    Empty,
    /// The body as text: its media type is not JSON.
    Text,
    /// The generated type of this schema of `components.schemas`.
    Json(String),
}

/// An operation's success or error statuses whose bodies differ, decoded by
/// status into one generated enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub operation_id: String,
    /// The success statuses (`true`) or the error statuses.
    pub success: bool,
    /// The enum's name in the `types` module.
    pub enum_name: String,
    pub variants: Vec<Variant>,
}

/// A variant's name for a status: its reason phrase (`404` is `NotFound`),
/// its range (`4XX` is `ClientError`), or `Default`.
pub fn variant_name(status: &str) -> String {
    match StatusKey::parse(status) {
        Some(StatusKey::Default) => "Default".into(),
        Some(StatusKey::Range(1)) => "Informational".into(),
        Some(StatusKey::Range(2)) => "Success".into(),
        Some(StatusKey::Range(3)) => "Redirection".into(),
        Some(StatusKey::Range(4)) => "ClientError".into(),
        Some(StatusKey::Range(5)) => "ServerError".into(),
        Some(StatusKey::Code(code)) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|code| code.canonical_reason())
            .map_or_else(|| format!("Status{code}"), pascal),
        _ => format!("Status{}", status.to_ascii_uppercase()),
    }
}

/// The spec as progenitor is given it: every class of statuses whose bodies
/// differ is read as bytes, each inline schema of such a status moved to
/// `components.schemas` under a free name, and a JSON media type progenitor
/// does not know (`application/problem+json`) named `application/json`. Also
/// returns the enums to generate, and one report line per change.
pub fn for_progenitor(
    raw: &Value,
    statuses: &Statuses,
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<(Value, Vec<Split>, Vec<Rewrite>), SpecError> {
    let mut view = raw.clone();
    let mut splits = Vec::new();
    let mut done = Vec::new();
    let schemas = raw.pointer("/components/schemas").and_then(Value::as_object);
    let mut taken: BTreeSet<String> = schemas.into_iter().flatten().map(|(key, _)| type_name(key)).collect();
    // progenitor names an operation's inline response schema `<Operation>Response`.
    let operations = routes(raw);
    taken.extend(
        operations
            .iter()
            .filter_map(|(_, _, id, _)| id.as_ref())
            .map(|id| type_name(&format!("{id}-response"))),
    );
    for (path, method, id, _) in operations {
        let pointer = format!("/paths/{}/{method}", escape_pointer(path));
        let Some(id) = id else {
            return Err(error(&pointer, "the operation has no `operationId`".into()));
        };
        let Some(statuses) = statuses.get(&id) else {
            return Err(error(&pointer, "the operation's statuses were not read".into()));
        };
        for status in statuses {
            if let Some(media) = status.media_type.as_ref().filter(|m| !progenitor_reads_as_json(m)) {
                let at = content_ptr(&pointer, &status.key);
                inline_response(&mut view, &pointer, &status.key);
                if let Some(content) = view.pointer_mut(&at).and_then(Value::as_object_mut)
                    && let Some(media_type) = content.remove(media)
                {
                    content.insert("application/json".into(), media_type);
                    done.push(Rewrite {
                        pointer: format!("{at}/{}", escape_pointer(media)),
                        action: format!("read `{media}` as JSON"),
                    });
                }
            }
        }
        // Beside documented successes, `default` stands for the error statuses
        // (progenitor would also take an undocumented 2xx for it).
        let mut default_keys = vec!["default".to_owned()];
        if statuses
            .iter()
            .any(|s| s.key == "default" && s.class == StatusClass::Error)
        {
            let present: Vec<String> = raw
                .pointer(&format!("{pointer}/responses"))
                .and_then(Value::as_object)
                .map(|r| r.keys().map(|k| k.to_ascii_uppercase()).collect())
                .unwrap_or_default();
            default_keys = ["4XX", "5XX"]
                .into_iter()
                .filter(|range| !present.iter().any(|p| p == range))
                .map(str::to_owned)
                .collect();
            inline_response(&mut view, &pointer, "default");
            if let Some(responses) = view
                .pointer_mut(&format!("{pointer}/responses"))
                .and_then(Value::as_object_mut)
                && let Some(response) = responses.remove("default")
            {
                for key in &default_keys {
                    responses.insert(key.clone(), response.clone());
                }
            }
            done.push(Rewrite {
                pointer: format!("{pointer}/responses/default"),
                action: format!(
                    "beside documented success statuses, `default` is read as the error statuses ({})",
                    if default_keys.is_empty() {
                        "all already documented".to_owned()
                    } else {
                        default_keys.join(", ")
                    }
                ),
            });
        }
        let success: Vec<&Status> = statuses
            .iter()
            .filter(|s| matches!(s.class, StatusClass::Success | StatusClass::Default))
            .collect();
        let failure: Vec<&Status> = statuses
            .iter()
            .filter(|s| matches!(s.class, StatusClass::Error | StatusClass::Default))
            .collect();
        let differ = |group: &[&Status]| group.iter().any(|s| s.body != group[0].body);
        let (mut split_success, mut split_failure) = (differ(&success), differ(&failure));
        // A `default` that is both (no success documented) and read as bytes
        // for one class is bytes for the other too.
        if success.iter().any(|s| s.class == StatusClass::Default) && (split_success || split_failure) {
            (split_success, split_failure) = (true, true);
        }
        for (group, is_success, split) in [(&success, true, split_success), (&failure, false, split_failure)] {
            if !split {
                continue;
            }
            let enum_name = free_name(
                &mut taken,
                &format!("{}{}", pascal(&id), if is_success { "Success" } else { "Error" }),
            );
            let mut variants = Vec::new();
            for status in group.iter() {
                let name = variant_name(&status.key);
                let body = match &status.body {
                    Body::None => VariantBody::Empty,
                    Body::Raw => VariantBody::Text,
                    Body::Json(schema) => match component_name(schema) {
                        Some(key) => VariantBody::Json(key),
                        None => {
                            let key = free_name(&mut taken, &format!("{}{name}", pascal(&id)));
                            add_schema(&mut view, &key, schema.clone());
                            done.push(Rewrite {
                                pointer: format!(
                                    "{}/{}/schema",
                                    content_ptr(&pointer, &status.key),
                                    escape_pointer(status.media_type.as_deref().unwrap_or("application/json"))
                                ),
                                action: format!("named the inline schema `{key}`, for its variant"),
                            });
                            VariantBody::Json(key)
                        }
                    },
                };
                if status.key == "default" {
                    for key in &default_keys {
                        read_as_bytes(&mut view, &pointer, key);
                    }
                } else {
                    read_as_bytes(&mut view, &pointer, &status.key);
                }
                variants.push(Variant {
                    status: status.key.clone(),
                    name,
                    description: status.description.clone(),
                    body,
                });
            }
            let listed: Vec<String> = variants.iter().map(|v| format!("{} `{}`", v.status, v.name)).collect();
            done.push(Rewrite {
                pointer: format!("{pointer}/responses"),
                action: format!(
                    "the {} statuses document different bodies: each decodes into its variant of `{enum_name}` ({})",
                    if is_success { "success" } else { "error" },
                    listed.join(", ")
                ),
            });
            splits.push(Split {
                operation_id: id.clone(),
                success: is_success,
                enum_name,
                variants,
            });
        }
    }
    Ok((view, splits, done))
}

fn content_ptr(operation: &str, status: &str) -> String {
    format!("{operation}/responses/{}/content", escape_pointer(status))
}

/// `Name`, or `Name2`, `Name3`, ... : the first whose Rust name is free.
fn free_name(taken: &mut BTreeSet<String>, base: &str) -> String {
    let name = crate::rust_names::first_free(base, |name| taken.contains(&type_name(name)));
    taken.insert(type_name(&name));
    name
}

/// `X` of a schema that is exactly `{"$ref": "#/components/schemas/X"}`.
fn component_name(schema: &Value) -> Option<String> {
    let object = schema.as_object().filter(|o| o.len() == 1)?;
    let key = object.get("$ref")?.as_str()?.strip_prefix("#/components/schemas/")?;
    (!key.contains('/')).then(|| unescape_pointer(key))
}

fn add_schema(view: &mut Value, key: &str, schema: Value) {
    let root = view.as_object_mut().expect("a spec is an object");
    let components = root.entry("components").or_insert_with(|| json!({}));
    let schemas = components
        .as_object_mut()
        .expect("components is an object")
        .entry("schemas")
        .or_insert_with(|| json!({}));
    if let Some(schemas) = schemas.as_object_mut() {
        schemas.insert(key.to_owned(), schema);
    }
}

/// A response given by `$ref` is copied in place, so that a change for one
/// operation leaves the others alone.
fn inline_response(view: &mut Value, operation: &str, status: &str) {
    let at = format!("{operation}/responses/{}", escape_pointer(status));
    let Some(resolved) = view.pointer(&at).and_then(|r| resolve(view, r)).cloned() else {
        return;
    };
    if let Some(slot) = view.pointer_mut(&at) {
        *slot = resolved;
    }
}

/// The status's response, for progenitor, carries bytes.
fn read_as_bytes(view: &mut Value, operation: &str, status: &str) {
    inline_response(view, operation, status);
    let at = format!("{operation}/responses/{}", escape_pointer(status));
    if let Some(response) = view.pointer_mut(&at).and_then(Value::as_object_mut) {
        response.insert(
            "content".into(),
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_statuses_with_different_bodies_are_read_as_bytes_and_split_by_status() {
        let json = |schema: Value| json!({"description": "", "content": {"application/json": {"schema": schema}}});
        let raw = json!({
            "paths": {"/things": {"get": {"operationId": "listThings", "responses": {
                "200": json(json!({"type": "array", "items": {"type": "string"}})),
                "400": json(json!({"$ref": "#/components/schemas/Message"})),
                "401": json(json!({"type": "object", "properties": {"detail": {"type": "string"}}})),
                "404": {"description": "nothing"},
            }}}},
            "components": {"schemas": {"Message": {"type": "object"}}},
        });
        let error = |pointer: &str, message: String| SpecError {
            file: "t.yaml".into(),
            pointer: pointer.into(),
            message,
        };
        let (pointer, _, operation) = crate::load::operations(&raw).remove(0);
        let statuses = Statuses::from([(
            "listThings".to_owned(),
            crate::rewrite::statuses::statuses(&raw, &pointer, operation, &error).unwrap(),
        )]);
        let (view, splits, report) = for_progenitor(&raw, &statuses, &error).unwrap();

        assert_eq!(splits.len(), 1, "the success class has one body: no split");
        let split = &splits[0];
        assert_eq!((split.enum_name.as_str(), split.success), ("ListThingsError", false));
        let variants: Vec<(&str, &VariantBody)> = split.variants.iter().map(|v| (v.name.as_str(), &v.body)).collect();
        assert_eq!(
            variants,
            [
                ("BadRequest", &VariantBody::Json("Message".into())),
                ("Unauthorized", &VariantBody::Json("ListThingsUnauthorized".into())),
                ("NotFound", &VariantBody::Empty),
            ]
        );
        let responses = view.pointer("/paths/~1things/get/responses").unwrap();
        for status in ["400", "401", "404"] {
            assert!(
                responses[status]["content"].get("application/octet-stream").is_some(),
                "{status}"
            );
        }
        assert!(
            responses["200"]["content"].get("application/json").is_some(),
            "the success stays typed"
        );
        assert!(
            view.pointer("/components/schemas/ListThingsUnauthorized").is_some(),
            "the inline schema is named for its variant"
        );
        assert_eq!(
            raw["paths"]["/things"]["get"]["responses"]["400"],
            json(json!({"$ref": "#/components/schemas/Message"})),
            "the spec as written is unchanged"
        );
        assert_eq!(report.len(), 2, "{report:?}");
    }

    #[test]
    fn variants_are_named_by_reason_phrase() {
        assert_eq!(variant_name("200"), "Ok");
        assert_eq!(variant_name("204"), "NoContent");
        assert_eq!(variant_name("429"), "TooManyRequests");
        assert_eq!(variant_name("4XX"), "ClientError");
        assert_eq!(variant_name("default"), "Default");
        assert_eq!(variant_name("299"), "Status299");
    }
}
