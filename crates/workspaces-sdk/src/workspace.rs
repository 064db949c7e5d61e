//! The normalized workspace: one shape for every provider, read off the
//! provider's own typed value as its spec's `x-workspaces` says.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::{Details, Provider};

/// A workspace of any provider.
///
/// The fields every provider has, as one shape, and the provider's own typed
/// value, with every field it documents, in [`Workspace::details`].
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Workspace {
    /// Whose workspace this is.
    pub provider: Provider,
    /// The provider's id of the workspace, as text (SeaTable gives `""` for
    /// its starred and shared pseudo-workspaces).
    pub id: String,
    /// The workspace's name (empty when the provider gives none).
    pub name: String,
    /// What kind of workspace it is, in the provider's words (`team`,
    /// `multi_user`, `group`, ...), where the provider says.
    pub kind: Option<String>,
    /// Who owns it (an id or a name, as the provider gives it), where the
    /// provider says.
    pub owner: Option<String>,
    /// When it was created, where the provider says.
    pub created_at: Option<DateTime<Utc>>,
    /// The provider's own value, with everything else it documents.
    pub details: Details,
}

/// The text of a JSON scalar, for a field its spec leaves untyped; `None`
/// for null, an object or an array.
#[allow(
    dead_code,
    reason = "used by the providers whose spec leaves a normalized field untyped"
)]
pub(crate) fn json_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// A uuid as JSON has it (hyphenated, lowercase), without a formatter.
#[allow(dead_code, reason = "used by the providers whose spec gives a uuid")]
pub(crate) fn uuid_text(uuid: &uuid::Uuid) -> String {
    uuid.hyphenated()
        .encode_lower(&mut uuid::Uuid::encode_buffer())
        .to_owned()
}

/// A timestamp given as RFC 3339 text; `None` for any other text.
#[allow(
    dead_code,
    reason = "used by the providers whose spec gives a creation time as plain text"
)]
pub(crate) fn time_of_text(text: impl AsRef<str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.as_ref())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A timestamp given as RFC 3339 text in an untyped value.
#[allow(
    dead_code,
    reason = "used by the providers whose spec leaves a creation time untyped"
)]
pub(crate) fn json_time(value: &Value) -> Option<DateTime<Utc>> {
    json_text(value).and_then(time_of_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_as_text_and_the_rest_as_absent() {
        let value = serde_json::json!({"id": 5, "s": "", "b": true, "n": null, "o": {"x": "y"}, "a": []});
        let text = |key: &str| json_text(&value[key]);
        assert_eq!(text("id").as_deref(), Some("5"));
        assert_eq!(text("s").as_deref(), Some(""));
        assert_eq!(text("b").as_deref(), Some("true"));
        for absent in ["n", "o", "a", "missing"] {
            assert_eq!(text(absent), None, "{absent}");
        }
    }

    #[test]
    fn uuids_read_as_serde_writes_them() {
        let uuid: uuid::Uuid = "D4ADD56E-C345-4AC9-B392-7A890A60559A".parse().unwrap();
        assert_eq!(serde_json::to_value(uuid).unwrap(), uuid_text(&uuid));
        assert_eq!(uuid_text(&uuid), "d4add56e-c345-4ac9-b392-7a890a60559a");
    }

    #[test]
    fn times_are_rfc_3339_in_any_offset_and_nothing_else() {
        let time = time_of_text("2024-04-30T09:38:33.380+02:00").unwrap();
        assert_eq!(time.to_rfc3339(), "2024-04-30T07:38:33.380+00:00");
        for not_a_time in ["", "yesterday", "2024-04-30", "2024-04-30 09:38:33"] {
            assert_eq!(time_of_text(not_a_time), None, "{not_a_time}");
        }
    }
}
