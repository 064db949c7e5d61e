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

/// Where each normalized field is in a provider's workspace: JSON pointers
/// into its serialized form, the first present one winning.
#[derive(Debug)]
pub(crate) struct Fields {
    pub id: &'static [&'static str],
    pub name: &'static [&'static str],
    pub kind: &'static [&'static str],
    pub owner: &'static [&'static str],
    pub created_at: &'static [&'static str],
}

impl Workspace {
    /// Reads the normalized fields off `item`, kept in the details `wrap` makes.
    pub(crate) fn normalize<T: Serialize>(provider: Provider, item: T, wrap: fn(T) -> Details) -> Self {
        // The provider's types are plain data, so serializing them cannot fail;
        // if it did, every field but the details would be empty, never wrong.
        let value = serde_json::to_value(&item).unwrap_or(Value::Null);
        let fields = &provider.info().fields;
        let text = |pointers: &[&str]| pointers.iter().find_map(|pointer| text_at(&value, pointer));
        Self {
            provider,
            id: text(fields.id).unwrap_or_default(),
            name: text(fields.name).unwrap_or_default(),
            kind: text(fields.kind),
            owner: text(fields.owner),
            created_at: text(fields.created_at)
                .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&Utc)),
            details: wrap(item),
        }
    }
}

/// The scalar at `pointer`, as text; `None` when absent, null or not a scalar.
fn text_at(value: &Value, pointer: &str) -> Option<String> {
    match value.pointer(pointer)? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_as_text_and_the_rest_as_absent() {
        let value = serde_json::json!({"id": 5, "s": "", "b": true, "n": null, "o": {"x": "y"}, "a": []});
        assert_eq!(text_at(&value, "/id").as_deref(), Some("5"));
        assert_eq!(text_at(&value, "/s").as_deref(), Some(""));
        assert_eq!(text_at(&value, "/b").as_deref(), Some("true"));
        assert_eq!(text_at(&value, "/o/x").as_deref(), Some("y"));
        for absent in ["/n", "/o", "/a", "/missing"] {
            assert_eq!(text_at(&value, absent), None, "{absent}");
        }
    }
}
