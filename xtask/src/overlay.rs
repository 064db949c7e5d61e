//! OpenAPI Overlay 1.0 documents (the OpenAPI Initiative's format for
//! changes to a description): `openapi/overlays/<id>.yaml`, applied to
//! `openapi/<id>.yaml` when it is loaded, before anything else reads it, so
//! that the crates, the emitted description and the release's verdict all
//! see the spec with its changes.
//!
//! Targets are JSONPath expressions of one node (`$`, `.name`, `['name']`,
//! `["name"]`, `[0]`); wildcards, filters and recursive descent are refused
//! with the action that uses them. An `update` is merged as the
//! specification says (a primitive replaces a primitive, arrays are
//! concatenated, objects merged; on an array target, the update is
//! appended); `remove: true` removes the target from its parent. An action
//! whose target selects nothing is an error: an overlay that no longer fits
//! its spec says so.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Why an overlay cannot apply: the JSON pointer in the overlay of what is
/// wrong, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayError {
    pub pointer: String,
    pub message: String,
}

/// The overlay of `spec_file`: `overlays/<stem>.yaml` beside it.
pub fn beside(spec_file: &Path) -> PathBuf {
    let stem = spec_file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    spec_file
        .parent()
        .unwrap_or(Path::new("."))
        .join("overlays")
        .join(format!("{stem}.yaml"))
}

/// Applies the overlay document `overlay` to `spec`; gives how many
/// actions it applied.
pub fn apply(spec: &mut Value, overlay: &Value) -> Result<usize, OverlayError> {
    let error = |pointer: &str, message: String| OverlayError {
        pointer: pointer.to_owned(),
        message,
    };
    let version = overlay.get("overlay").and_then(Value::as_str).unwrap_or_default();
    if !version.starts_with("1.0") {
        return Err(error(
            "/overlay",
            format!("an Overlay 1.0 document is expected (`overlay: 1.0.0`), not `{version}`"),
        ));
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        return Err(error("/actions", "an overlay needs a list of `actions`".into()));
    };
    for (index, action) in actions.iter().enumerate() {
        let at = format!("/actions/{index}");
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| error(&at, "an action needs a `target`".into()))?;
        let path = parse_target(target).map_err(|why| error(&at, format!("target `{target}`: {why}")))?;
        let remove = action.get("remove").and_then(Value::as_bool).unwrap_or(false);
        match (remove, action.get("update")) {
            (true, _) => {
                let Some((last, parent)) = path.split_last() else {
                    return Err(error(&at, "the whole description cannot be removed".into()));
                };
                let removed = match (node(spec, parent), last) {
                    (Some(Value::Object(map)), Segment::Name(name)) => map.remove(name).is_some(),
                    (Some(Value::Array(items)), Segment::Index(i)) if *i < items.len() => {
                        items.remove(*i);
                        true
                    }
                    _ => false,
                };
                if !removed {
                    return Err(error(&at, format!("target `{target}` selects nothing")));
                }
            }
            (false, Some(update)) => {
                let Some(selected) = node(spec, &path) else {
                    return Err(error(&at, format!("target `{target}` selects nothing")));
                };
                match selected {
                    Value::Array(items) => items.push(update.clone()),
                    selected => {
                        merge(selected, update).map_err(|why| error(&at, format!("target `{target}`: {why}")))?
                    }
                }
            }
            (false, None) => return Err(error(&at, "an action needs an `update` or `remove: true`".into())),
        }
    }
    Ok(actions.len())
}

/// Merges `update` into `target` as the Overlay specification says.
fn merge(target: &mut Value, update: &Value) -> Result<(), String> {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    None => {
                        target.insert(key.clone(), value.clone());
                    }
                    Some(existing) => merge(existing, value).map_err(|why| format!("`{key}`: {why}"))?,
                }
            }
            Ok(())
        }
        (Value::Array(target), Value::Array(update)) => {
            target.extend(update.iter().cloned());
            Ok(())
        }
        (target, update) if !target.is_object() && !target.is_array() && !update.is_object() && !update.is_array() => {
            *target = update.clone();
            Ok(())
        }
        (target, update) => Err(format!("cannot merge {} into {}", kind(update), kind(target))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        _ => "a value",
    }
}

/// One step of a target.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Name(String),
    Index(usize),
}

fn node<'a>(mut value: &'a mut Value, path: &[Segment]) -> Option<&'a mut Value> {
    for segment in path {
        value = match (value, segment) {
            (Value::Object(map), Segment::Name(name)) => map.get_mut(name)?,
            (Value::Array(items), Segment::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The steps of a JSONPath of one node.
fn parse_target(target: &str) -> Result<Vec<Segment>, String> {
    let Some(mut rest) = target.trim().strip_prefix('$') else {
        return Err("it must start with `$`".into());
    };
    let mut path = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("..") {
            let _ = after;
            return Err("recursive descent (`..`) is not supported: name each step".into());
        }
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = &after[..end];
            if name.is_empty() || name == "*" {
                return Err("a wildcard or empty name is not supported: name each step".into());
            }
            path.push(Segment::Name(name.to_owned()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let quote = after.chars().next().filter(|c| *c == '\'' || *c == '"');
            match quote {
                Some(quote) => {
                    let (name, len) = quoted(&after[1..], quote)?;
                    path.push(Segment::Name(name));
                    rest = after[1 + len..]
                        .strip_prefix(']')
                        .ok_or("a quoted name must be followed by `]`")?;
                }
                None => {
                    let end = after.find(']').ok_or("a `[` without its `]`")?;
                    let index = after[..end]
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| format!("`[{}]` is not supported: only a name or an index", &after[..end]))?;
                    path.push(Segment::Index(index));
                    rest = &after[end + 1..];
                }
            }
        } else {
            return Err(format!("unexpected `{rest}`"));
        }
    }
    Ok(path)
}

/// A quoted name's text and how many bytes it took, its closing quote included.
fn quoted(text: &str, quote: char) -> Result<(String, usize), String> {
    let mut name = String::new();
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => name.push(escaped),
                None => break,
            },
            c if c == quote => return Ok((name, at + c.len_utf8())),
            c => name.push(c),
        }
    }
    Err("a quoted name without its closing quote".into())
}

/// The JSONPath of the node at the JSON pointer `pointer` in `document`:
/// each name in brackets, each position in an array as its index.
pub fn target_of(document: &Value, pointer: &str) -> String {
    let mut target = String::from("$");
    let mut node = Some(document);
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        match (node, segment.parse::<usize>()) {
            (Some(Value::Array(items)), Ok(index)) => {
                target += &format!("[{index}]");
                node = items.get(index);
            }
            _ => {
                target += &format!("['{}']", segment.replace('\\', "\\\\").replace('\'', "\\'"));
                node = node.and_then(|n| n.get(&segment));
            }
        }
    }
    target
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn applied(spec: Value, actions: Value) -> Result<Value, String> {
        let mut spec = spec;
        let overlay = json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions});
        apply(&mut spec, &overlay).map_err(|e| format!("at {}: {}", e.pointer, e.message))?;
        Ok(spec)
    }

    #[test]
    fn updates_merge_arrays_append_and_removes_remove() {
        let spec = json!({"components": {"schemas": {"W": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": {"type": "string"}, "kind": {"type": "string", "enum": ["a"]}}
        }}}});
        let out = applied(
            spec,
            json!([
                {"target": "$.components.schemas.W.properties", "update": {"color": {"type": "string"}}},
                {"target": "$['components']['schemas']['W']['properties']['kind']['enum']", "update": "b"},
                {"target": "$.components.schemas.W.properties[\"id\"]", "update": {"nullable": true, "type": "string"}},
                {"target": "$.components.schemas.W.required", "remove": true},
                {"target": "$.components.schemas.W", "update": {"required": ["id"]}}
            ]),
        )
        .unwrap();
        let w = &out["components"]["schemas"]["W"];
        assert_eq!(w["properties"]["color"], json!({"type": "string"}));
        assert_eq!(w["properties"]["kind"]["enum"], json!(["a", "b"]));
        assert_eq!(w["properties"]["id"], json!({"type": "string", "nullable": true}));
        assert_eq!(w["required"], json!(["id"]));
    }

    #[test]
    fn a_target_that_selects_nothing_or_is_not_supported_is_named() {
        let spec = json!({"paths": {}});
        let nothing = applied(spec.clone(), json!([{"target": "$.paths['/gone'].get", "update": {}}])).unwrap_err();
        assert_eq!(nothing, "at /actions/0: target `$.paths['/gone'].get` selects nothing");
        let wildcard = applied(spec.clone(), json!([{"target": "$.paths.*", "update": {}}])).unwrap_err();
        assert!(
            wildcard.contains("a wildcard or empty name is not supported"),
            "{wildcard}"
        );
        let filter = applied(spec.clone(), json!([{"target": "$.paths[?(@.x)]", "update": {}}])).unwrap_err();
        assert!(filter.contains("only a name or an index"), "{filter}");
        let clash = applied(
            json!({"a": {"b": "text"}}),
            json!([{"target": "$.a", "update": {"b": {"c": 1}}}]),
        )
        .unwrap_err();
        assert!(clash.contains("`b`: cannot merge an object into a value"), "{clash}");
        let version = apply(&mut json!({}), &json!({"overlay": "2.0.0", "actions": []}))
            .unwrap_err()
            .message;
        assert!(version.contains("an Overlay 1.0 document is expected"), "{version}");
    }

    #[test]
    fn a_pointer_becomes_a_target_that_selects_it() {
        let mut spec = json!({"paths": {"/workspaces": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}}}}}}});
        let target = target_of(
            &spec,
            "/paths/~1workspaces/get/responses/200/content/application~1json/schema",
        );
        assert_eq!(
            target,
            "$['paths']['/workspaces']['get']['responses']['200']['content']['application/json']['schema']"
        );
        assert_eq!(target_of(&json!({"a": [{"b": 1}]}), "/a/0/b"), "$['a'][0]['b']");
        let overlay = json!({"overlay": "1.0.0", "actions": [{"target": target, "update": {"nullable": true}}]});
        apply(&mut spec, &overlay).unwrap();
        assert_eq!(
            spec.pointer("/paths/~1workspaces/get/responses/200/content/application~1json/schema/nullable"),
            Some(&json!(true))
        );
        assert_eq!(parse_target("$['it\\'s']").unwrap(), [Segment::Name("it's".into())]);
    }
}
