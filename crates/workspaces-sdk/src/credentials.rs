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
    /// More than one of the provider's variables is set, so which scheme
    /// to authenticate with is not known.
    SeveralVariables {
        /// The provider whose credential was looked for.
        provider: Provider,
        /// The variables set.
        variables: Vec<&'static str>,
    },
    /// The variable set needs another that is not (`<ID>_CLIENT_ID` without
    /// `<ID>_CLIENT_SECRET`).
    IncompleteVariables {
        /// The provider whose credential was looked for.
        provider: Provider,
        /// What is missing, naming the variable.
        reason: String,
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
            Self::SeveralVariables { provider, variables } => {
                write!(f, "{} are set for {provider}: set only one", variables.join(" and "))
            }
            Self::IncompleteVariables { provider, reason } => write!(f, "{provider}: {reason}"),
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
    /// without surrounding blanks; where the spec offers HTTP basic beside a
    /// token scheme, in whichever of [`Provider::credential_variables`] is
    /// set (`<ID>_BASIC_AUTH` as `user:password`, or `<ID>_TOKEN`).
    ///
    /// # Errors
    ///
    /// When no variable is set (or each is blank), or more than one is.
    pub fn from_env(provider: Provider) -> Result<Self, CredentialsError> {
        let set: Vec<&'static str> = provider
            .credential_variables()
            .iter()
            .copied()
            .filter(|variable| std::env::var(variable).is_ok_and(|value| !value.trim().is_empty()))
            .collect();
        match set[..] {
            // `<ID>_BASIC_AUTH` holds `user:password` for HTTP basic.
            [variable] => Credential::from_env(variable)
                .map(|credential| Self::new(provider, credential))
                .map_err(|error| CredentialsError::IncompleteVariables {
                    provider,
                    reason: error.to_string(),
                }),
            [] => Err(CredentialsError::MissingVariable {
                provider,
                variable: provider.credential_variable(),
            }),
            _ => Err(CredentialsError::SeveralVariables {
                provider,
                variables: set,
            }),
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
