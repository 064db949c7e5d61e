//! Where a cursor listing's page says what comes next, read from the
//! schema of its response: the cursor's JSON type, what marks the last page
//! as the schema allows it (the cursor, or an object holding it, set to
//! `null` or left out; else an empty cursor), and the objects a page needs
//! to carry a cursor. What a mock writes on each page, so that every page
//! it answers is one its own spec allows.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::load::{escape_pointer, is_json, resolve, unescape_pointer};

/// The JSON type of a cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorKind {
    /// A string (`"eyJ0..."`).
    Text,
    /// An integer (an offset, a page number, an id).
    Integer,
}

/// How the last page of a cursor listing says that no page follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndMark {
    /// The member at [`PageEnd::pointer`] is `null`.
    Null,
    /// The member at [`PageEnd::pointer`] is absent.
    Absent,
    /// The cursor is the empty string.
    Empty,
}

/// What marks the last page: the member at `pointer` (the cursor or an
/// object holding it), written as `mark` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEnd {
    pub pointer: String,
    pub mark: EndMark,
}

/// A cursor listing's page as its schema describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct CursorPage {
    pub kind: CursorKind,
    pub end: PageEnd,
    /// Each object on the way to the cursor, outermost first, with a small
    /// valid instance of it: what a page that lacks it (or has `null`
    /// there) is given before it carries a cursor.
    pub objects: Vec<(String, Value)>,
}

impl CursorPage {
    /// Writes on `page` the cursor of the next page at `cursor` (a JSON
    /// pointer), or, for `None`, the mark of the last page.
    pub fn write(&self, page: &mut Value, cursor: &str, next: Option<Value>) {
        match next {
            Some(value) => {
                for (pointer, instance) in &self.objects {
                    if !page.pointer(pointer).is_some_and(Value::is_object) {
                        set(page, pointer, Some(instance.clone()));
                    }
                }
                set(page, cursor, Some(value));
            }
            None => match self.end.mark {
                EndMark::Null => set(page, &self.end.pointer, Some(Value::Null)),
                EndMark::Absent => set(page, &self.end.pointer, None),
                EndMark::Empty => set(page, &self.end.pointer, Some(Value::String(String::new()))),
            },
        }
    }
}

/// Sets (or, for `None`, removes) the member at `pointer`, whose parent is
/// an object.
fn set(page: &mut Value, pointer: &str, value: Option<Value>) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let key = unescape_pointer(key);
    if let Some(object) = page.pointer_mut(parent).and_then(Value::as_object_mut) {
        match value {
            Some(value) => object.insert(key, value),
            None => object.remove(&key),
        };
    }
}

/// The page of a cursor listing whose response is `operation`'s first JSON
/// success, with its cursor at `cursor`; or why the schema cannot carry it.
pub(super) fn cursor_page(raw: &Value, operation: &Value, cursor: &str) -> Result<CursorPage, String> {
    let schema = success_schema(raw, operation).ok_or("the operation has no JSON success response")?;
    let mut current = schema;
    let mut pointer = String::new();
    // Each member on the way: its pointer, whether it may be absent or
    // `null`, and its schema.
    let mut members: Vec<(String, bool, bool, &Value)> = Vec::new();
    for segment in cursor.split('/').skip(1) {
        let name = unescape_pointer(segment);
        let (properties, required) = object_of(raw, current);
        let property = properties
            .get(&name)
            .copied()
            .ok_or_else(|| format!("`{cursor}`: the page has no member `{name}` there"))?;
        pointer = format!("{pointer}/{}", escape_pointer(&name));
        members.push((
            pointer.clone(),
            !required.contains(&name),
            nullable(raw, property),
            property,
        ));
        current = property;
    }
    let Some((_, _, _, cursor_schema)) = members.last() else {
        return Err("`nextCursor` must point into the page".into());
    };
    let kind = match json_type(raw, cursor_schema).as_deref() {
        Some("string") | None => CursorKind::Text,
        Some("integer") => CursorKind::Integer,
        Some(other) => return Err(format!("`{cursor}` is a {other}: a cursor is a string or an integer")),
    };
    let end = members
        .iter()
        .rev()
        .find(|(_, optional, nullable, _)| *optional || *nullable)
        .map(|(pointer, _, nullable, _)| PageEnd {
            pointer: pointer.clone(),
            mark: if *nullable { EndMark::Null } else { EndMark::Absent },
        });
    let end = match (end, kind) {
        (Some(end), _) => end,
        (None, CursorKind::Text) => PageEnd {
            pointer: cursor.to_owned(),
            mark: EndMark::Empty,
        },
        (None, CursorKind::Integer) => {
            return Err(format!(
                "`{cursor}` and every object holding it are required and not nullable: no page can be the last"
            ));
        }
    };
    let objects = members[..members.len() - 1]
        .iter()
        .map(|(pointer, _, _, schema)| (pointer.clone(), super::instances::minimal(raw, schema)))
        .collect();
    Ok(CursorPage { kind, end, objects })
}

/// The JSON type (`string`, `integer`, ...) of each scalar property of the
/// items of a listing: the array at `items` (a JSON pointer) in
/// `operation`'s first JSON success.
pub(super) fn item_properties(raw: &Value, operation: &Value, items: &str) -> BTreeMap<String, String> {
    let Some(mut current) = success_schema(raw, operation) else {
        return BTreeMap::new();
    };
    for segment in items.split('/').skip(1) {
        let name = unescape_pointer(segment);
        let (properties, _) = object_of(raw, current);
        let Some(property) = properties.get(&name).copied() else {
            return BTreeMap::new();
        };
        current = property;
    }
    let Some(item) = resolve(raw, current).and_then(|array| array.get("items")) else {
        return BTreeMap::new();
    };
    let (properties, _) = object_of(raw, item);
    properties
        .into_iter()
        .filter_map(|(name, schema)| {
            let ty = json_type(raw, schema)?;
            matches!(ty.as_str(), "string" | "integer" | "number" | "boolean").then_some((name, ty))
        })
        .collect()
}

/// The schema of an operation's first 2xx response in a JSON media type.
pub(super) fn success_schema<'a>(raw: &'a Value, operation: &'a Value) -> Option<&'a Value> {
    let responses = operation.get("responses")?.as_object()?;
    responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .find_map(|(_, response)| {
            let content = resolve(raw, response)?.get("content")?.as_object()?;
            content
                .iter()
                .find(|(media_type, _)| is_json(media_type))
                .and_then(|(_, media)| media.get("schema"))
        })
}

/// The properties and required names of an object schema, the branches of
/// its `allOf` merged in.
fn object_of<'a>(raw: &'a Value, schema: &'a Value) -> (BTreeMap<String, &'a Value>, Vec<String>) {
    let mut properties = BTreeMap::new();
    let mut required = Vec::new();
    let mut pending = vec![(schema, 0)];
    while let Some((schema, depth)) = pending.pop() {
        let Some(schema) = resolve(raw, schema).filter(|_| depth < 8) else {
            continue;
        };
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            properties.entry(name.clone()).or_insert(property);
        }
        required.extend(crate::load::required(schema).into_iter().map(str::to_owned));
        for branch in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            pending.push((branch, depth + 1));
        }
    }
    (properties, required)
}

/// Whether a schema allows `null`: `nullable` on it, on the schema it
/// points to, or on a branch of its `allOf`.
fn nullable(raw: &Value, schema: &Value) -> bool {
    let own = |schema: &Value| schema.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    own(schema)
        || resolve(raw, schema).is_some_and(|resolved| {
            own(resolved)
                || resolved
                    .get("allOf")
                    .and_then(Value::as_array)
                    .is_some_and(|branches| branches.iter().any(|b| resolve(raw, b).is_some_and(own)))
        })
}

/// The `type` of a schema, through `$ref`s and `allOf`.
fn json_type(raw: &Value, schema: &Value) -> Option<String> {
    let schema = resolve(raw, schema)?;
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        return Some(kind.to_owned());
    }
    schema
        .get("allOf")
        .and_then(Value::as_array)
        .and_then(|branches| branches.iter().find_map(|branch| json_type(raw, branch)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn listing(page: Value) -> (Value, Value) {
        let raw = json!({"components": {"schemas": {
            "NextPage": {"type": "object", "nullable": true, "required": ["offset", "uri"], "properties": {
                "offset": {"type": "string"}, "uri": {"type": "string", "format": "uri"},
            }},
        }}});
        let operation = json!({"responses": {"200": {"content": {"application/json": {"schema": page}}}}});
        (raw, operation)
    }

    #[test]
    fn a_cursor_under_a_nullable_object_ends_with_that_object_null() {
        let (raw, operation) = listing(json!({"type": "object", "required": ["data"], "properties": {
            "data": {"type": "array"},
            "next_page": {"$ref": "#/components/schemas/NextPage"},
        }}));
        let shape = cursor_page(&raw, &operation, "/next_page/offset").unwrap();
        assert_eq!(shape.kind, CursorKind::Text);
        assert_eq!(
            shape.end,
            PageEnd {
                pointer: "/next_page".into(),
                mark: EndMark::Null
            }
        );
        let mut page = json!({"data": [], "next_page": null});
        shape.write(&mut page, "/next_page/offset", Some(json!("o-2")));
        assert_eq!(
            page,
            json!({"data": [], "next_page": {"offset": "o-2", "uri": "https://example.com/"}})
        );
        shape.write(&mut page, "/next_page/offset", None);
        assert_eq!(
            page,
            json!({"data": [], "next_page": null}),
            "not an object without its required `offset`"
        );
    }

    #[test]
    fn an_optional_cursor_is_left_out_and_a_required_one_is_emptied() {
        let meta = |required: Value, cursor: Value| {
            json!({"type": "object", "required": ["meta"], "properties": {
                "meta": {"type": "object", "required": required, "properties": {"nextCursor": cursor}},
            }})
        };
        let (raw, operation) = listing(meta(json!([]), json!({"type": "string"})));
        let shape = cursor_page(&raw, &operation, "/meta/nextCursor").unwrap();
        assert_eq!(shape.end.mark, EndMark::Absent);
        let mut page = json!({"meta": {"nextCursor": "c-1"}});
        shape.write(&mut page, "/meta/nextCursor", None);
        assert_eq!(page, json!({"meta": {}}));

        let (raw, operation) = listing(meta(json!(["nextCursor"]), json!({"type": "string"})));
        let shape = cursor_page(&raw, &operation, "/meta/nextCursor").unwrap();
        assert_eq!(shape.end.mark, EndMark::Empty);

        let (raw, operation) = listing(meta(json!([]), json!({"type": "integer", "nullable": true})));
        let shape = cursor_page(&raw, &operation, "/meta/nextCursor").unwrap();
        assert_eq!((shape.kind, shape.end.mark), (CursorKind::Integer, EndMark::Null));

        let (raw, operation) = listing(meta(json!(["nextCursor"]), json!({"type": "integer"})));
        let error = cursor_page(&raw, &operation, "/meta/nextCursor").unwrap_err();
        assert!(error.contains("no page can be the last"), "{error}");
        let error = cursor_page(&raw, &operation, "/meta/next").unwrap_err();
        assert!(error.contains("no member `next`"), "{error}");
    }
}
