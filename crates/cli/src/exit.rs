//! How the command ends: an exit code and one line on stderr.

use std::process::ExitCode;

use workspaces_sdk::{ConfigError, CredentialsError, Error};

/// A command that failed: the exit code, and the one line that says why.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

/// Bad arguments, options or environment.
pub const USAGE: u8 = 2;
/// The server refused the credential (401 or 403).
pub const AUTHENTICATION: u8 = 3;
/// Still rate-limited (429) after the retries.
pub const RATE_LIMITED: u8 = 4;
/// `check --strict`: the API has drifted from its spec.
pub const DRIFT: u8 = 5;
/// Anything else.
pub const OTHER: u8 = 1;

impl Failure {
    pub fn usage(message: impl ToString) -> Self {
        Self::new(USAGE, message)
    }

    pub fn other(message: impl ToString) -> Self {
        Self::new(OTHER, message)
    }

    fn new(code: u8, message: impl ToString) -> Self {
        let message = one_line(&message.to_string());
        Self { code, message }
    }

    /// Prints the line and gives the exit code.
    pub fn report(&self) -> ExitCode {
        eprintln!("workspaces: error: {}", self.message);
        ExitCode::from(self.code)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        // No token could be had: the token endpoint refused the client.
        if matches!(error.kind(), workspaces_sdk::ErrorKind::Credential(_)) {
            return Self::new(AUTHENTICATION, error);
        }
        match error.status().map(|s| s.as_u16()) {
            // Documented or not, a 401 or 403 means the credential: say so in
            // plain words, and where it came from.
            Some(401 | 403) => {
                let source = match error.provider().parse::<workspaces_sdk::Provider>() {
                    Ok(provider) => format!("{} or --credential-file", provider.credential_variable()),
                    Err(_) => "the credential".to_owned(),
                };
                Self::new(
                    AUTHENTICATION,
                    format!("the server refused the credential (check {source}): {error}"),
                )
            }
            Some(429) => Self::new(RATE_LIMITED, error),
            _ => Self::new(OTHER, error),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(error: ConfigError) -> Self {
        match error {
            ConfigError::HttpClient(_) => Self::other(error),
            ConfigError::NoDefaultServer { .. } => Self::usage(format!("{error} (--base-url)")),
            _ => Self::usage(error),
        }
    }
}

impl From<CredentialsError> for Failure {
    fn from(error: CredentialsError) -> Self {
        Self::usage(match error {
            CredentialsError::MissingVariable { .. } => format!("{error}, or give --credential-file"),
            _ => error.to_string(),
        })
    }
}

/// `text` on one line, its whitespace runs each one space, any other
/// control character escaped (`\u{1b}`): safe to write to a terminal.
pub fn one_line(text: &str) -> String {
    crate::terminal::terminal_safe(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}
