//! Which provider, and the secret that opens it.

use std::{fmt, path::Path};

use workspaces_sdk_runtime::Credential;

use crate::Provider;

/// A provider and its credential (API key or token). `Debug` never shows the
/// secret.
#[derive(Debug, Clone)]
pub struct Credentials {
    provider: Provider,
    credential: Credential,
}

/// Why credentials could not be found.
#[derive(Debug)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The environment variable is not set, or holds nothing but blanks.
    MissingVariable {
        /// The provider whose credential was looked for.
        provider: Provider,
        /// The variable, for example `MOTION_API_KEY`.
        variable: &'static str,
    },
    /// The file cannot be read, or holds nothing but blanks.
    File {
        /// The provider whose credential was looked for.
        provider: Provider,
        /// The file as given.
        path: String,
        /// What went wrong (never the file's content).
        reason: String,
    },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingVariable { provider, variable } => {
                write!(f, "no {provider} credential: set {variable}")
            }
            Self::File { provider, path, reason } => {
                write!(f, "cannot read the {provider} credential from {path}: {reason}")
            }
        }
    }
}

impl std::error::Error for CredentialsError {}

impl Credentials {
    /// `credential` for `provider`.
    pub fn new(provider: Provider, credential: impl Into<Credential>) -> Self {
        Self {
            provider,
            credential: credential.into(),
        }
    }

    /// The credential in the provider's environment variable
    /// ([`Provider::credential_variable`], for example `MOTION_API_KEY`),
    /// without surrounding blanks.
    ///
    /// # Errors
    ///
    /// When the variable is not set, not Unicode, or blank.
    pub fn from_env(provider: Provider) -> Result<Self, CredentialsError> {
        let variable = provider.credential_variable();
        match std::env::var(variable) {
            Ok(value) if !value.trim().is_empty() => Ok(Self::new(provider, value.trim())),
            _ => Err(CredentialsError::MissingVariable { provider, variable }),
        }
    }

    /// The credential in a file (its whole content without surrounding
    /// blanks, so a trailing newline does not matter).
    ///
    /// # Errors
    ///
    /// When the file cannot be read, is not UTF-8, or is blank.
    pub fn from_file(provider: Provider, path: impl AsRef<Path>) -> Result<Self, CredentialsError> {
        let path = path.as_ref();
        let error = |reason: String| CredentialsError::File {
            provider,
            path: path.display().to_string(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?;
        match text.trim() {
            "" => Err(error("the file is empty".into())),
            secret => Ok(Self::new(provider, secret)),
        }
    }

    /// The provider these credentials are for.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The credential.
    pub fn credential(&self) -> &Credential {
        &self.credential
    }
}
