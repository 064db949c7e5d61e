//! What each status of an operation documents, read once and vetted: its
//! class (success, error, default), its body (none, JSON of a schema, raw)
//! and its description. `by_status` rewrites the classes whose bodies differ.

use serde_json::Value;

use crate::load::{SpecError, escape_pointer, is_json, resolve};

/// What a status documents.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    None,
    /// A body in a media type other than JSON.
    Raw,
    /// A JSON body of this schema.
    Json(Value),
}

impl std::fmt::Display for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::None => f.write_str("no body"),
            Body::Raw => f.write_str("a non-JSON body"),
            Body::Json(schema) => match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => write!(f, "schema {reference}"),
                None => f.write_str("an inline JSON schema"),
            },
        }
    }
}

/// A status as the spec writes it: a code (`404`), a range (`4XX`) or
/// `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKey {
    Code(u16),
    /// The range's first digit: `4` for `4XX`.
    Range(u8),
    Default,
}

impl StatusKey {
    pub fn parse(key: &str) -> Option<Self> {
        match key.as_bytes() {
            b"default" => Some(Self::Default),
            [d, b'X' | b'x', b'X' | b'x'] if d.is_ascii_digit() => Some(Self::Range(d - b'0')),
            [_, _, _] if key.bytes().all(|b| b.is_ascii_digit()) => key.parse().ok().map(Self::Code),
            _ => None,
        }
    }
}

/// Which of an operation's results a status is, as progenitor sorts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    Success,
    Error,
    /// `default` on an operation that documents no success: a success and an
    /// error both. Beside documented successes, `default` stands for the
    /// error statuses and is an `Error`.
    Default,
    /// 1XX, 3XX: neither.
    Other,
}

impl StatusClass {
    fn of(status: &str) -> Option<Self> {
        let hundreds = match StatusKey::parse(status)? {
            StatusKey::Default => return Some(Self::Default),
            StatusKey::Code(code) => code / 100,
            StatusKey::Range(digit) => u16::from(digit),
        };
        Some(match hundreds {
            1 | 3 => Self::Other,
            2 => Self::Success,
            4 | 5 => Self::Error,
            _ => return None,
        })
    }
}

/// The documented statuses of each operation, by `operationId`.
pub type Statuses = std::collections::BTreeMap<String, Vec<Status>>;

/// One documented status of an operation.
#[derive(Debug, Clone)]
pub struct Status {
    /// As the spec writes it: `200`, `4XX`, `default`.
    pub key: String,
    pub class: StatusClass,
    pub body: Body,
    pub description: String,
    /// The media type of a JSON body.
    pub media_type: Option<String>,
}

/// The documented statuses of an operation (at `pointer`), vetted: every
/// status is a status code, a range or `default`; a JSON body has a schema and
/// no `encoding`. A `default` beside documented successes is classed an
/// `Error` (see [`StatusClass::Default`]).
pub fn statuses(
    raw: &Value,
    pointer: &str,
    operation: &Value,
    error: &impl Fn(&str, String) -> SpecError,
) -> Result<Vec<Status>, SpecError> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return Err(error(pointer, "the operation has no `responses`".into()));
    };
    let mut found = Vec::new();
    for (key, response) in responses {
        let here = format!("{pointer}/responses/{}", escape_pointer(key));
        let class = StatusClass::of(key).ok_or_else(|| error(&here, format!("`{key}` is not a status code")))?;
        let response = resolve(raw, response).ok_or_else(|| error(&here, "unresolvable `$ref`".into()))?;
        let content = response.get("content").and_then(Value::as_object);
        let media_types = || content.into_iter().flatten();
        let json = media_types()
            .find(|(media, _)| progenitor_reads_as_json(media))
            .or_else(|| media_types().find(|(media, _)| is_json(media)));
        let (body, media_type) = match (json, content.is_some_and(|c| !c.is_empty())) {
            (Some((media, media_type)), _) => {
                let at = format!("{here}/content/{}", escape_pointer(media));
                if media_type
                    .get("encoding")
                    .and_then(Value::as_object)
                    .is_some_and(|e| !e.is_empty())
                {
                    return Err(error(&at, "`encoding` on a JSON response is not supported".into()));
                }
                let schema = media_type
                    .get("schema")
                    .ok_or_else(|| error(&at, "a JSON response needs a `schema`".into()))?;
                if schema.get("$ref").is_some() && resolve(raw, schema).is_none() {
                    return Err(error(&format!("{at}/schema"), "unresolvable `$ref`".into()));
                }
                (Body::Json(schema.clone()), Some(media.clone()))
            }
            (None, true) => (Body::Raw, None),
            (None, false) => (Body::None, None),
        };
        found.push(Status {
            key: key.clone(),
            class,
            body,
            description: response
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .trim()
                .to_owned(),
            media_type,
        });
    }
    if found.iter().any(|s| s.class == StatusClass::Success) {
        for status in found.iter_mut().filter(|s| s.class == StatusClass::Default) {
            status.class = StatusClass::Error;
        }
    }
    Ok(found)
}

/// progenitor types a response as JSON only under these media types.
pub(super) fn progenitor_reads_as_json(media: &str) -> bool {
    media == "application/json" || media.starts_with("application/json;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classed_as_progenitor_does() {
        assert_eq!(StatusClass::of("200"), Some(StatusClass::Success));
        assert_eq!(StatusClass::of("2XX"), Some(StatusClass::Success));
        assert_eq!(StatusClass::of("404"), Some(StatusClass::Error));
        assert_eq!(StatusClass::of("5XX"), Some(StatusClass::Error));
        assert_eq!(StatusClass::of("default"), Some(StatusClass::Default));
        assert_eq!(StatusClass::of("301"), Some(StatusClass::Other));
        assert_eq!(StatusClass::of("600"), None);
        assert_eq!(StatusClass::of("20"), None);
        assert_eq!(StatusClass::of("ok"), None);
    }
}
