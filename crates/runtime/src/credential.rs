//! A secret that never shows in `Debug` or `Display` output.

use std::{borrow::Cow, fmt, future::Future, path::Path, sync::Arc};

use crate::{
    ConfigError, OAuth2,
    token::{Renewable, Token, TokenFuture},
};

/// What a token source returns: the current token, or why there is none.
pub type TokenResult = Result<String, Box<dyn std::error::Error + Send + Sync>>;

/// An API key, token, or `user:password` pair, fixed or asked of a source
/// before each attempt.
///
/// Its `Debug` and `Display` output is `Credential(<redacted>)`, so logging a
/// client, a request builder or an error never leaks the secret. The value is
/// only read to put it where the spec's security scheme says (a sensitive
/// header, a cookie, or a query parameter that is redacted from every error
/// and log).
#[derive(Clone)]
pub struct Credential(Secret, Kind);

/// What a credential is, which picks the security scheme it goes into
/// where a spec offers alternatives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A token or key.
    Token,
    /// A user and password, for HTTP basic.
    Basic,
}

#[derive(Clone)]
pub(crate) enum Secret {
    Fixed(String),
    Source(Arc<dyn Fn() -> TokenResult + Send + Sync>),
    /// An async source's token, kept until it expires or is refused.
    Renewable(Arc<Renewable>),
    /// An OAuth2 grant, bound to each client's API when the client is built.
    OAuth2(Arc<OAuth2>),
}

impl Credential {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Secret::Fixed(secret.into()), Kind::Token)
    }

    /// A `user:password` pair, for HTTP basic authentication. Where a spec
    /// offers HTTP basic beside other schemes (OAuth2 first, say), this
    /// credential goes into HTTP basic; a token or key goes into the others.
    pub fn basic(user: &str, password: &str) -> Self {
        Self(Secret::Fixed(format!("{user}:{password}")), Kind::Basic)
    }

    /// [`Self::basic`] from `user:password` as one text (the
    /// `<ID>_BASIC_AUTH` variable's form).
    pub fn basic_pair(pair: impl Into<String>) -> Self {
        Self(Secret::Fixed(pair.into()), Kind::Basic)
    }

    /// Whether this is a user and password for HTTP basic
    /// ([`Self::basic`]), not a token or key.
    pub fn is_basic(&self) -> bool {
        self.1 == Kind::Basic
    }

    /// A token that changes (an OAuth2 access token refreshed elsewhere):
    /// `source` is asked before every attempt of every request, retries
    /// included, so a refreshed token is used as soon as the source returns
    /// it. It should answer at once (read a value a task of yours keeps
    /// fresh): before a retry it is asked twice, when the retry is decided
    /// and for the retry itself. When it fails, the call fails with its
    /// message (or, when a retry is decided, the attempt before is the outcome).
    ///
    /// ```
    /// use std::sync::{Arc, RwLock};
    /// # use workspaces_sdk_runtime as workspaces_sdk_motion;
    /// // Every provider crate re-exports these (here Motion's).
    /// use workspaces_sdk_motion::Credential;
    ///
    /// let token = Arc::new(RwLock::new(String::from("first-token")));
    /// let kept = Arc::clone(&token);
    /// let credential = Credential::from_source(move || Ok(kept.read().unwrap().clone()));
    /// *token.write().unwrap() = "refreshed-token".into();
    /// assert_eq!(credential.current().unwrap(), "refreshed-token");
    /// ```
    pub fn from_source(source: impl Fn() -> TokenResult + Send + Sync + 'static) -> Self {
        Self(Secret::Source(Arc::new(source)), Kind::Token)
    }

    /// A token that expires, asked of an async `source`: when a client
    /// first needs it, shortly before it expires (a tenth of the lifetime
    /// the source gave with [`Token::expires_in`], at most a minute), and
    /// after the server refuses it with a 401 (the call is then sent once
    /// more). Calls that need a token at the same moment wait for one asking.
    /// When the source fails, the call fails with
    /// [`ErrorKind::Credential`](crate::ErrorKind::Credential) and its
    /// message, and nothing is sent.
    ///
    /// ```
    /// # use workspaces_sdk_runtime as workspaces_sdk_motion;
    /// use std::time::Duration;
    /// use workspaces_sdk_motion::{Credential, Token};
    ///
    /// let credential = Credential::from_async_source(|| async {
    ///     // Ask a vault, a metadata server, an identity provider...
    ///     Ok::<_, std::io::Error>(Token::new("fresh-token").expires_in(Duration::from_secs(3600)))
    /// });
    /// assert!(credential.is_source());
    /// ```
    pub fn from_async_source<F, Fut, T, E>(source: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<T, E>> + Send + 'static,
        T: Into<Token>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let fetch = move || -> TokenFuture {
            let asked = source();
            Box::pin(async move { asked.await.map(Into::into).map_err(Into::into) })
        };
        Self(Secret::Renewable(Arc::new(Renewable::new(fetch))), Kind::Token)
    }

    /// Tokens of the OAuth2 client-credentials grant, asked of the token
    /// endpoint the spec declares for the flow with the client's id and
    /// secret (HTTP basic), kept until shortly before they expire. For
    /// scopes or another endpoint: [`OAuth2::client_credentials`] and
    /// `.into()`.
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        OAuth2::client_credentials(client_id, client_secret).into()
    }

    /// Tokens of the OAuth2 refresh-token grant, asked of the spec's token
    /// endpoint with `refresh_token` (replaced by the new one the endpoint
    /// may return), for a client with a secret or (`None`) a public client.
    pub fn refresh_token(
        client_id: impl Into<String>,
        client_secret: Option<&str>,
        refresh_token: impl Into<String>,
    ) -> Self {
        OAuth2::refresh_token(client_id, client_secret, refresh_token).into()
    }

    /// The secret in the environment variable `variable`, its surrounding
    /// whitespace trimmed: a user and password for HTTP basic when the
    /// variable's name ends in `_BASIC_AUTH` (as `<ID>_BASIC_AUTH`); an
    /// OAuth2 client-credentials grant when it ends in `_CLIENT_ID` (as
    /// `<ID>_CLIENT_ID`), the secret in the variable of the same name
    /// ending in `_CLIENT_SECRET`; a token or key otherwise.
    ///
    /// # Errors
    ///
    /// When a variable is not set, not Unicode, or blank.
    pub fn from_env(variable: &str) -> Result<Self, ConfigError> {
        let read = |variable: &str| {
            let secret = std::env::var(variable).unwrap_or_default();
            match secret.trim() {
                "" => Err(ConfigError::MissingCredential {
                    variable: variable.to_owned(),
                }),
                secret => Ok(secret.to_owned()),
            }
        };
        let secret = read(variable)?;
        Ok(match variable.strip_suffix("_CLIENT_ID") {
            Some(id) => Self::client_credentials(secret, read(&format!("{id}_CLIENT_SECRET"))?),
            // `<ID>_BASIC_AUTH` holds `user:password` for HTTP basic.
            None if variable.ends_with("_BASIC_AUTH") => Self::basic_pair(secret),
            None => Self::new(secret),
        })
    }

    /// The secret in whichever of `variables` is set (each read as
    /// [`Self::from_env`] reads it: `<ID>_BASIC_AUTH` as a user and
    /// password), where a spec offers HTTP basic beside a token scheme and
    /// the variable set picks which.
    ///
    /// # Errors
    ///
    /// When none is set (or each is blank), or more than one is.
    pub fn from_env_any(variables: &[&str]) -> Result<Self, ConfigError> {
        let set: Vec<&str> = variables
            .iter()
            .copied()
            .filter(|variable| std::env::var(variable).is_ok_and(|value| !value.trim().is_empty()))
            .collect();
        match set[..] {
            [variable] => Self::from_env(variable),
            [] => Err(ConfigError::MissingCredential {
                variable: variables.join(" or "),
            }),
            _ => Err(ConfigError::SeveralCredentials {
                variables: set.join(" and "),
            }),
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

    /// The fixed secret itself (`None` for a source). Take care where it goes.
    pub fn expose_secret(&self) -> Option<&str> {
        match &self.0 {
            Secret::Fixed(secret) => Some(secret),
            Secret::Source(_) | Secret::Renewable(_) | Secret::OAuth2(_) => None,
        }
    }

    pub(crate) fn secret(&self) -> &Secret {
        &self.0
    }

    /// This credential with its OAuth2 grant bound to a client's token
    /// source.
    pub(crate) fn bound(&self, token: Renewable) -> Self {
        Self(Secret::Renewable(Arc::new(token)), self.1)
    }

    /// The secret now: the fixed one, what the source returns, or the token
    /// an async source last gave. Take care where it goes.
    ///
    /// # Errors
    ///
    /// The source's error; for an async source, why it has no token (not
    /// asked yet, expired, or the asking failed); for an OAuth2 grant,
    /// always (each client asks for its own token).
    pub fn current(&self) -> Result<Cow<'_, str>, Box<dyn std::error::Error + Send + Sync>> {
        match &self.0 {
            Secret::Fixed(secret) => Ok(Cow::Borrowed(secret)),
            Secret::Source(source) => source().map(Cow::Owned),
            Secret::Renewable(token) => token.current().map(Cow::Owned).map_err(Into::into),
            Secret::OAuth2(_) => Err("an OAuth2 grant's tokens are asked for by each client".into()),
        }
    }

    /// Whether the secret is asked of a source (a token source, an async
    /// one, or an OAuth2 token endpoint) rather than fixed.
    pub fn is_source(&self) -> bool {
        !matches!(self.0, Secret::Fixed(_))
    }
}

/// Two fixed credentials are equal when their secrets are; a source equals
/// only itself (or its clones).
impl PartialEq for Credential {
    fn eq(&self, other: &Self) -> bool {
        let same = match (&self.0, &other.0) {
            (Secret::Fixed(a), Secret::Fixed(b)) => a == b,
            (Secret::Source(a), Secret::Source(b)) => Arc::ptr_eq(a, b),
            (Secret::Renewable(a), Secret::Renewable(b)) => Arc::ptr_eq(a, b),
            (Secret::OAuth2(a), Secret::OAuth2(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same && self.1 == other.1
    }
}

impl Eq for Credential {}

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

impl From<OAuth2> for Credential {
    fn from(grant: OAuth2) -> Self {
        Self(Secret::OAuth2(Arc::new(grant)), Kind::Token)
    }
}

impl From<String> for Credential {
    fn from(secret: String) -> Self {
        Self::new(secret)
    }
}

impl From<&str> for Credential {
    fn from(secret: &str) -> Self {
        Self::new(secret)
    }
}

impl From<&String> for Credential {
    fn from(secret: &String) -> Self {
        Self::new(secret.clone())
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
        assert_eq!(credential.expose_secret(), Some("sk-live-123"));
    }

    #[test]
    fn a_credential_is_read_from_a_file_trimmed_and_a_missing_one_is_named() {
        let file = std::env::temp_dir().join(format!("credential-{}", std::process::id()));
        std::fs::write(&file, "sk-file-456\n").unwrap();
        assert_eq!(
            Credential::from_file(&file).unwrap().expose_secret(),
            Some("sk-file-456")
        );
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
