//! A secret that never shows in `Debug` or `Display` output.

use std::{fmt, path::Path};

use crate::ConfigError;

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

    /// The secret in the environment variable `variable`, its surrounding
    /// whitespace trimmed.
    ///
    /// # Errors
    ///
    /// When the variable is not set, not Unicode, or blank.
    pub fn from_env(variable: &str) -> Result<Self, ConfigError> {
        let secret = std::env::var(variable).unwrap_or_default();
        match secret.trim() {
            "" => Err(ConfigError::MissingCredential {
                variable: variable.to_owned(),
            }),
            secret => Ok(Self::new(secret)),
        }
    }

    /// The secret in the file at `path`, its surrounding whitespace (a final
    /// newline) trimmed.
    ///
    /// # Errors
    ///
    /// When the file cannot be read or holds only whitespace; the error names
    /// the file, never its content.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let unreadable = |reason: String| ConfigError::CredentialFile {
            path: path.display().to_string(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
        match text.trim() {
            "" => Err(unreadable("it is empty".into())),
            secret => Ok(Self::new(secret)),
        }
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

    #[test]
    fn a_credential_is_read_from_a_file_trimmed_and_a_missing_one_is_named() {
        let file = std::env::temp_dir().join(format!("credential-{}", std::process::id()));
        std::fs::write(&file, "sk-file-456\n").unwrap();
        assert_eq!(Credential::from_file(&file).unwrap().expose_secret(), "sk-file-456");
        std::fs::write(&file, " \n").unwrap();
        let empty = Credential::from_file(&file).unwrap_err().to_string();
        assert!(empty.ends_with("it is empty"), "{empty}");
        std::fs::remove_file(&file).unwrap();
        let missing = Credential::from_file(&file).unwrap_err().to_string();
        assert!(missing.contains(&file.display().to_string()), "{missing}");
        let unset = Credential::from_env("WORKSPACES_SDK_UNSET_VARIABLE_FOR_TESTS").unwrap_err();
        assert_eq!(
            unset.to_string(),
            "no credential: set the environment variable WORKSPACES_SDK_UNSET_VARIABLE_FOR_TESTS"
        );
    }
}
