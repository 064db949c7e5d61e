//! A secret that never shows in `Debug` or `Display` output.

use std::fmt;

/// An API key or token.
///
/// Its `Debug` and `Display` output is `Credential(<redacted>)`, so logging a
/// client, a request builder or an error never leaks the secret. The value is
/// only read to build the authentication header, which is marked sensitive.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential(String);

impl Credential {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself. Take care where it goes.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credential(<redacted>)")
    }
}

impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<String> for Credential {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for Credential {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}

impl From<&String> for Credential {
    fn from(secret: &String) -> Self {
        Self(secret.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_secret() {
        let credential = Credential::new("sk-live-123");
        assert_eq!(format!("{credential:?}"), "Credential(<redacted>)");
        assert_eq!(format!("{credential}"), "Credential(<redacted>)");
        assert_eq!(
            format!("{:#?}", Some(&credential)),
            "Some(\n    Credential(<redacted>),\n)"
        );
        assert_eq!(credential.expose_secret(), "sk-live-123");
    }
}
