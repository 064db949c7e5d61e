//! What real OpenAPI descriptions contain and progenitor does not take,
//! rewritten before progenitor sees the spec. Every rewrite is reported (the
//! JSON pointer, what was done), so a maintainer sees how a description was
//! read.

use serde_json::Value;

use crate::spec::{METHODS, escape_pointer};

/// One rewrite of a spec: where, and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalization {
    pub pointer: String,
    pub action: String,
}

/// Rewrites `raw` in place; returns what was done, in spec order.
pub fn normalize(raw: &mut Value) -> Vec<Normalization> {
    let mut done = Vec::new();
    path_parameters(raw, &mut done);
    request_bodies(raw, &mut done);
    operation_ids(raw, &mut done);
    done
}

/// Parameters given for a whole path are copied into each of its
/// operations (an operation's own parameter of the same name and location
/// wins), so that every reader finds an operation's parameters in one place.
fn path_parameters(raw: &mut Value, done: &mut Vec<Normalization>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        let Some(Value::Array(shared)) = item.remove("parameters") else {
            continue;
        };
        // `$ref`s are kept as they are; their name and location are compared resolved.
        let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned(), p.get("$ref").cloned());
        let mut into = Vec::new();
        for method in METHODS {
            let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let own = operation
                .entry("parameters")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(own) = own {
                let mut merged: Vec<Value> = shared
                    .iter()
                    .filter(|p| !own.iter().any(|o| key(o) == key(p)))
                    .cloned()
                    .collect();
                merged.append(own);
                *own = merged;
            }
            into.push(method);
        }
        done.push(Normalization {
            pointer: format!("/paths/{}/parameters", escape_pointer(path)),
            action: format!("copied the path's parameters into its operations ({})", into.join(", ")),
        });
    }
}

/// A request body offered in several media types keeps its JSON one; an
/// operation whose body has no JSON form (`multipart/form-data`, ...) is
/// left out, rather than failing the whole spec.
fn request_bodies(raw: &mut Value, done: &mut Vec<Normalization>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for method in METHODS {
            let pointer = format!("/paths/{}/{method}", escape_pointer(path));
            let Some(content) = item
                .get_mut(method)
                .and_then(|op| op.pointer_mut("/requestBody/content"))
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            let types: Vec<String> = content.keys().cloned().collect();
            let json = types.iter().find(|t| crate::spec::is_json(t)).cloned();
            match json {
                Some(json) if types.len() > 1 => {
                    content.retain(|t, _| *t == json);
                    done.push(Normalization {
                        pointer: format!("{pointer}/requestBody/content"),
                        action: format!("kept `{json}` of the request body's media types ({})", types.join(", ")),
                    });
                }
                Some(_) => {}
                None => {
                    item.remove(method);
                    done.push(Normalization {
                        pointer,
                        action: format!(
                            "left the operation out: its request body has no JSON form ({})",
                            types.join(", ")
                        ),
                    });
                }
            }
        }
    }
}

/// An operation without an `operationId` is named from its method and path:
/// `GET /projects/{id}/members` is `getProjectsByIdMembers`.
fn operation_ids(raw: &mut Value, done: &mut Vec<Normalization>) {
    let mut taken: Vec<String> = crate::spec::operations(raw)
        .into_iter()
        .filter_map(|(_, id, _)| id)
        .collect();
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            if operation.get("operationId").is_some() {
                continue;
            }
            let base = derived_id(method, path);
            let mut id = base.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{base}{n}");
                n += 1;
            }
            taken.push(id.clone());
            operation.insert("operationId".into(), Value::String(id.clone()));
            done.push(Normalization {
                pointer: format!("/paths/{}/{method}", escape_pointer(path)),
                action: format!("no `operationId`: named the operation `{id}`, from its method and path"),
            });
        }
    }
}

/// `get` and `/projects/{project_id}/members` make `getProjectsByProjectIdMembers`.
pub fn derived_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let (prefix, name) = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(parameter) => ("By", parameter),
            None => ("", segment),
        };
        id += prefix;
        for word in name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                id.push(first.to_ascii_uppercase());
                id.extend(chars);
            }
        }
    }
    if id == method {
        id += "Root";
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_method_and_the_path() {
        assert_eq!(derived_id("get", "/projects"), "getProjects");
        assert_eq!(derived_id("get", "/api/v2.1/workspaces/"), "getApiV21Workspaces");
        assert_eq!(
            derived_id("delete", "/projects/{project_id}/members"),
            "deleteProjectsByProjectIdMembers"
        );
        assert_eq!(derived_id("get", "/"), "getRoot");
    }
}
