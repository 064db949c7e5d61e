//! The per-client state that prepares every request.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue, USER_AGENT};

use crate::{Api, ConfigError, Credential};

/// The state a generated client carries for its hooks: the provider's [`Api`]
/// and the credential, already turned into a sensitive header value.
///
/// Its `Debug` output names the provider and the authentication header, never
/// the credential.
#[derive(Clone)]
pub struct Context {
    api: &'static Api,
    auth: (HeaderName, HeaderValue),
    user_agent: HeaderValue,
    header_defaults: Vec<(&'static str, HeaderName, HeaderValue)>,
}

impl Context {
    /// Checks the credential and the API's headers once, so that preparing a
    /// request can never fail.
    pub fn new(api: &'static Api, credential: Credential) -> Result<Self, ConfigError> {
        let invalid_header = |header| ConfigError::InvalidApi {
            provider: api.provider,
            header,
        };
        let secret = credential.expose_secret();
        if secret.trim().is_empty() {
            return Err(ConfigError::InvalidCredential {
                provider: api.provider,
                reason: "it is empty",
            });
        }
        let mut auth_value = HeaderValue::try_from(format!("{}{}", api.auth.prefix, secret)).map_err(|_| {
            ConfigError::InvalidCredential {
                provider: api.provider,
                reason: "it contains a character that cannot be sent in an HTTP header (a line break?)",
            }
        })?;
        auth_value.set_sensitive(true);
        let auth_name = HeaderName::try_from(api.auth.header).map_err(|_| invalid_header(api.auth.header))?;
        let user_agent = HeaderValue::try_from(api.user_agent).map_err(|_| invalid_header("User-Agent"))?;
        let header_defaults = api
            .header_defaults
            .iter()
            .map(|default| {
                let name = HeaderName::try_from(default.header).map_err(|_| invalid_header(default.header))?;
                let value = HeaderValue::try_from(default.value).map_err(|_| invalid_header(default.header))?;
                Ok((default.operation_id, name, value))
            })
            .collect::<Result<_, ConfigError>>()?;
        Ok(Self {
            api,
            auth: (auth_name, auth_value),
            user_agent,
            header_defaults,
        })
    }

    /// The provider's API description.
    pub fn api(&self) -> &'static Api {
        self.api
    }

    /// Puts on a request what the provider documents and progenitor does not
    /// send: the credential, header defaults of the operation, and the
    /// `User-Agent`; and removes progenitor's own `api-version` header unless
    /// the spec declares one.
    pub fn prepare(&self, request: &mut reqwest::Request, operation_id: &str) {
        let headers = request.headers_mut();
        if !self.api.declares_api_version_header {
            headers.remove("api-version");
        }
        headers.insert(self.auth.0.clone(), self.auth.1.clone());
        for (_, name, value) in self.header_defaults.iter().filter(|(id, ..)| *id == operation_id) {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.user_agent.clone());
        }
    }
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("provider", &self.api.provider)
            .field("auth_header", &self.auth.0)
            .field("credential", &"<redacted>")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Auth, HeaderDefault};

    static API: Api = Api {
        provider: "Example",
        user_agent: "workspaces-sdk-example/1.2.3",
        auth: Auth {
            header: "Authorization",
            prefix: "Token ",
        },
        header_defaults: &[HeaderDefault {
            operation_id: "listThings",
            header: "X-API-Version",
            value: "v1",
        }],
        declares_api_version_header: false,
    };

    fn request() -> reqwest::Request {
        let mut request = reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/things".parse().unwrap());
        request
            .headers_mut()
            .insert("api-version", HeaderValue::from_static("1.0.0"));
        request
    }

    #[test]
    fn prepare_sets_credential_defaults_and_user_agent_and_drops_api_version() {
        let context = Context::new(&API, "s3cret".into()).unwrap();
        let mut request = request();
        context.prepare(&mut request, "listThings");
        let headers = request.headers();
        assert_eq!(headers["authorization"], "Token s3cret");
        assert!(headers["authorization"].is_sensitive());
        assert_eq!(headers["x-api-version"], "v1");
        assert_eq!(headers["user-agent"], "workspaces-sdk-example/1.2.3");
        assert!(!headers.contains_key("api-version"));
    }

    #[test]
    fn header_defaults_apply_only_to_their_operation_and_never_override() {
        let context = Context::new(&API, "s3cret".into()).unwrap();
        let mut other = request();
        context.prepare(&mut other, "otherOperation");
        assert!(!other.headers().contains_key("x-api-version"));

        let mut chosen = request();
        chosen
            .headers_mut()
            .insert("x-api-version", HeaderValue::from_static("v2"));
        context.prepare(&mut chosen, "listThings");
        assert_eq!(chosen.headers()["x-api-version"], "v2");
    }

    #[test]
    fn bad_credentials_are_refused_without_echoing_them() {
        let error = Context::new(&API, "sekrit\nvalue".into()).unwrap_err().to_string();
        assert!(error.starts_with("invalid Example credential: "), "{error}");
        assert!(!error.contains("sekrit"), "{error}");
        let empty = Context::new(&API, " ".into()).unwrap_err().to_string();
        assert_eq!(empty, "invalid Example credential: it is empty");
    }

    #[test]
    fn debug_never_shows_the_credential() {
        let context = Context::new(&API, "s3cret".into()).unwrap();
        let shown = format!("{context:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("Example"), "{shown}");
    }
}
