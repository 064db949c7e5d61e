//! What the setters of generated types take.

/// A value an optional text field of a generated type's builder takes:
/// `&str`, `String`, `&String`, or an `Option<String>` (`None` leaves the
/// field out).
///
/// ```
/// # use workspaces_sdk_runtime as workspaces_sdk_motion;
/// // Every provider crate re-exports these (here Motion's).
/// use workspaces_sdk_motion::IntoOptionalText;
///
/// fn set(value: impl IntoOptionalText) -> Option<String> {
///     value.into_optional_text()
/// }
/// assert_eq!(set("team-1"), Some("team-1".to_owned()));
/// assert_eq!(set(String::from("team-2")), Some("team-2".to_owned()));
/// assert_eq!(set(None), None);
/// ```
pub trait IntoOptionalText {
    /// The field's value.
    fn into_optional_text(self) -> Option<String>;
}

impl IntoOptionalText for &str {
    fn into_optional_text(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl IntoOptionalText for &String {
    fn into_optional_text(self) -> Option<String> {
        Some(self.clone())
    }
}

impl IntoOptionalText for String {
    fn into_optional_text(self) -> Option<String> {
        Some(self)
    }
}

impl IntoOptionalText for Option<String> {
    fn into_optional_text(self) -> Option<String> {
        self
    }
}
