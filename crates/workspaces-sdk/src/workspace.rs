//! The normalized workspace: one shape for every provider, read off the
//! provider's own typed value as its spec's `x-workspaces` says.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, de::Error as _, ser::SerializeStruct};
use serde_json::Value;

use crate::{Details, Provider};

/// A workspace of any provider: the provider's own typed value, with every
/// field it documents ([`Workspace::details`]), and the fields every
/// provider has, read off it as one shape.
///
/// Making one from a provider's value costs nothing: each field is read
/// where the provider's spec places it when it is asked for, borrowed where
/// the provider gives it as text. It serializes as an object with
/// `provider`, `id`, `name`, `kind`, `owner`, `created_at` and `details`, and
/// deserializes from one (the fields are read again off `details`).
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    details: Details,
}

impl Workspace {
    /// Whose workspace this is.
    pub fn provider(&self) -> Provider {
        self.details.provider()
    }

    /// The provider's id of the workspace, as text (SeaTable gives `""` for
    /// its starred and shared pseudo-workspaces).
    pub fn id(&self) -> Cow<'_, str> {
        self.details.id()
    }

    /// The workspace's name (empty when the provider gives none).
    pub fn name(&self) -> Cow<'_, str> {
        self.details.name()
    }

    /// What kind of workspace it is, in the provider's words (`team`,
    /// `multi_user`, `group`, ...), where the provider says.
    pub fn kind(&self) -> Option<Cow<'_, str>> {
        self.details.kind()
    }

    /// Who owns it (an id or a name, as the provider gives it), where the
    /// provider says.
    pub fn owner(&self) -> Option<Cow<'_, str>> {
        self.details.owner()
    }

    /// When it was created, where the provider says.
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        self.details.created_at()
    }

    /// The provider's own value, with everything else it documents.
    pub fn details(&self) -> &Details {
        &self.details
    }

    /// The provider's own value, owned.
    pub fn into_details(self) -> Details {
        self.details
    }
}

impl From<Details> for Workspace {
    fn from(details: Details) -> Self {
        Self { details }
    }
}

impl<'de> Deserialize<'de> for Workspace {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// What a serialized workspace is read from: whose it is, and its
        /// own value.
        #[derive(Deserialize)]
        struct Serialized {
            provider: String,
            details: Value,
        }
        let Serialized { provider, details } = Serialized::deserialize(deserializer)?;
        let provider: Provider = provider.parse().map_err(D::Error::custom)?;
        Details::from_json(provider, details)
            .map(Self::from)
            .map_err(|e| D::Error::custom(format!("the details of a {provider} workspace: {e}")))
    }
}

impl Serialize for Workspace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("Workspace", 7)?;
        object.serialize_field("provider", &self.provider())?;
        object.serialize_field("id", &self.id())?;
        object.serialize_field("name", &self.name())?;
        object.serialize_field("kind", &self.kind())?;
        object.serialize_field("owner", &self.owner())?;
        object.serialize_field("created_at", &self.created_at())?;
        object.serialize_field("details", &self.details)?;
        object.end()
    }
}

/// The text of a JSON scalar, for a field its spec leaves untyped; `None`
/// for null, an object or an array.
#[allow(
    dead_code,
    reason = "used by the providers whose spec leaves a normalized field untyped"
)]
pub(crate) fn json_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Number(number) => Some(Cow::Owned(number.to_string())),
        Value::Bool(flag) => Some(Cow::Borrowed(if *flag { "true" } else { "false" })),
        _ => None,
    }
}

/// A uuid as JSON has it (hyphenated, lowercase), without a formatter.
#[allow(dead_code, reason = "used by the providers whose spec gives a uuid")]
pub(crate) fn uuid_text(uuid: &uuid::Uuid) -> Cow<'static, str> {
    Cow::Owned(
        uuid.hyphenated()
            .encode_lower(&mut uuid::Uuid::encode_buffer())
            .to_owned(),
    )
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
        assert_eq!(serde_json::to_value(uuid).unwrap(), uuid_text(&uuid).as_ref());
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
