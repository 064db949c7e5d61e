//! OAuth2 tokens asked of a token endpoint (RFC 6749): the client-credentials
//! grant and the refresh-token grant, the token endpoint the spec's
//! `securitySchemes` declare unless given another.

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use reqwest::{
    StatusCode, Url,
    header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue},
};

use crate::{
    Api, Config, ConfigError,
    api::Flow,
    token::{BoxError, Renewable, Token, TokenFuture},
};

/// The most of a token endpoint's answer that is read.
const MAX_TOKEN_BODY: usize = 64 * 1024;

/// An OAuth2 grant a client asks its tokens with: made into a
/// [`Credential`](crate::Credential) with `.into()`, or directly by
/// [`Credential::client_credentials`](crate::Credential::client_credentials)
/// and [`Credential::refresh_token`](crate::Credential::refresh_token).
///
/// The token endpoint is the one the spec declares for the grant's flow
/// unless [`Self::token_url`] gives another. Each client asks for its own
/// token, keeps it until shortly before its `expires_in`, and asks again
/// then, or after a 401, once for all the calls that need it at that moment.
/// The client secret and refresh token go only to the token endpoint, and
/// never into a log, an error or `Debug` output.
#[derive(Clone)]
pub struct OAuth2 {
    grant: Grant,
    client_id: String,
    client_secret: Option<String>,
    token_url: Option<String>,
    scopes: Vec<String>,
}

#[derive(Clone)]
enum Grant {
    ClientCredentials,
    RefreshToken(String),
}

impl OAuth2 {
    /// The client-credentials grant: the client's own id and secret.
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            grant: Grant::ClientCredentials,
            client_id: client_id.into(),
            client_secret: Some(client_secret.into()),
            token_url: None,
            scopes: Vec::new(),
        }
    }

    /// The refresh-token grant: a refresh token obtained elsewhere (by an
    /// authorization-code flow), for a client with a secret or, `None`, a
    /// public client. A new refresh token the endpoint returns replaces it.
    pub fn refresh_token(
        client_id: impl Into<String>,
        client_secret: Option<&str>,
        refresh_token: impl Into<String>,
    ) -> Self {
        Self {
            grant: Grant::RefreshToken(refresh_token.into()),
            client_id: client_id.into(),
            client_secret: client_secret.map(str::to_owned),
            token_url: None,
            scopes: Vec::new(),
        }
    }

    /// Asks tokens of `url` rather than of the spec's token endpoint. It
    /// must be `https` (or `http` on a loopback address).
    #[must_use]
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Asks for tokens with these scopes (none: the endpoint's default).
    #[must_use]
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    fn grant_name(&self) -> &'static str {
        match self.grant {
            Grant::ClientCredentials => "client-credentials",
            Grant::RefreshToken(_) => "refresh-token",
        }
    }

    /// The token endpoint for `api`: the one given, else the spec's for the
    /// grant's flow, a relative one resolved against `base_url`.
    fn endpoint(&self, api: &Api, base_url: &str) -> Result<Url, String> {
        let url = match (&self.token_url, &self.grant) {
            (Some(url), _) => url.as_str(),
            (None, Grant::ClientCredentials) => api.token_url(&[Flow::ClientCredentials]).ok_or_else(|| {
                "the spec declares no OAuth2 client-credentials flow: give the token endpoint with `OAuth2::token_url`"
                    .to_owned()
            })?,
            (None, Grant::RefreshToken(_)) => api
                .token_url(&[Flow::AuthorizationCode, Flow::Password, Flow::ClientCredentials])
                .ok_or_else(|| {
                    "the spec declares no OAuth2 token endpoint: give one with `OAuth2::token_url`".to_owned()
                })?,
        };
        let parsed = match url.contains("://") || base_url.is_empty() {
            true => Url::parse(url),
            false => Url::parse(base_url).and_then(|base| base.join(url)),
        }
        .map_err(|e| format!("the token endpoint `{url}` is not a URL: {e}"))?;
        let host = parsed.host_str().unwrap_or_default();
        let loopback = host == "localhost"
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        match parsed.scheme() {
            "https" => Ok(parsed),
            "http" if loopback => Ok(parsed),
            _ => Err(format!(
                "the token endpoint `{url}` is not https: the client's secret would travel in clear"
            )),
        }
    }

    /// The token source of one client of `api`.
    pub(crate) fn bind(&self, api: &'static Api, config: &Config, base_url: &str) -> Result<Renewable, ConfigError> {
        let invalid = |reason: String| ConfigError::InvalidCredential {
            provider: api.provider(),
            reason,
        };
        let endpoint = self.endpoint(api, base_url).map_err(invalid)?;
        if self.client_id.trim().is_empty() {
            return Err(invalid("the OAuth2 client id is empty".to_owned()));
        }
        let http = crate::config::client_builder(api, config)
            // The secret goes to the token endpoint and nowhere else.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ConfigError::HttpClient)?;
        let asking = Arc::new(Asking {
            http,
            endpoint,
            grant: self.grant_name(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            refresh_token: Mutex::new(match &self.grant {
                Grant::RefreshToken(token) => Some(token.clone()),
                Grant::ClientCredentials => None,
            }),
            scopes: self.scopes.join(" "),
        });
        Ok(Renewable::new(move || -> TokenFuture {
            let asking = Arc::clone(&asking);
            Box::pin(async move { asking.ask().await })
        }))
    }
}

impl fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2")
            .field("grant", &self.grant_name())
            .field("client_id", &self.client_id)
            .field("token_url", &self.token_url)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// One client's token requests.
struct Asking {
    http: reqwest::Client,
    endpoint: Url,
    grant: &'static str,
    client_id: String,
    client_secret: Option<String>,
    /// The refresh token, replaced when the endpoint returns a new one.
    refresh_token: Mutex<Option<String>>,
    scopes: String,
}

/// A token endpoint's answer (RFC 6749, 5.1 and 5.2).
#[derive(serde::Deserialize)]
struct Answer {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<serde_json::Value>,
    refresh_token: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl Asking {
    async fn ask(&self) -> Result<Token, BoxError> {
        let refresh_token = self
            .refresh_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut form: Vec<(&str, &str)> = match &refresh_token {
            Some(token) => vec![("grant_type", "refresh_token"), ("refresh_token", token)],
            None => vec![("grant_type", "client_credentials")],
        };
        if !self.scopes.is_empty() {
            form.push(("scope", &self.scopes));
        }
        let mut request = self
            .http
            .post(self.endpoint.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        match &self.client_secret {
            // HTTP basic, each part form-encoded first (RFC 6749, 2.3.1).
            Some(secret) => {
                let pair = format!("{}:{}", encoded(&self.client_id), encoded(secret));
                let mut value = HeaderValue::try_from(format!(
                    "Basic {}",
                    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, pair)
                ))
                .map_err(|_| self.failed("the client id or secret cannot be sent in a header".to_owned()))?;
                value.set_sensitive(true);
                request = request.header(AUTHORIZATION, value);
            }
            // A public client names itself in the form.
            None => form.push(("client_id", &self.client_id)),
        }
        let body = serde_urlencoded::to_string(&form).map_err(|e| self.failed(e.to_string()))?;
        let response = request
            .body(body)
            .send()
            .await
            .map_err(|e| self.failed(format!("it could not be reached: {}", e.without_url())))?;
        let status = response.status();
        let (body, failed) = crate::call::read_up_to(response.bytes_stream(), MAX_TOKEN_BODY + 1).await;
        if let Some(error) = failed {
            return Err(self.failed(format!("its answer could not be read: {}", error.without_url())));
        }
        if body.len() > MAX_TOKEN_BODY {
            return Err(self.failed(format!("its answer is longer than {MAX_TOKEN_BODY} bytes")));
        }
        let answer: Option<Answer> = serde_json::from_slice(&body).ok();
        let token = answer.as_ref().and_then(|a| a.access_token.as_deref());
        match (status.is_success(), answer.as_ref(), token) {
            (true, Some(answer), Some(token)) if !token.trim().is_empty() => self.token(answer, token),
            (true, _, _) => Err(self.failed(format!("it answered {status} without an access token"))),
            (false, answer, _) => Err(self.failed(self.refusal(status, answer))),
        }
    }

    fn token(&self, answer: &Answer, token: &str) -> Result<Token, BoxError> {
        if let Some(kind) = answer
            .token_type
            .as_deref()
            .filter(|kind| !kind.eq_ignore_ascii_case("bearer"))
        {
            return Err(self.failed(format!(
                "it issued a `{}` token; only bearer tokens are sent",
                self.redact(kind)
            )));
        }
        if let Some(new) = answer.refresh_token.as_ref().filter(|new| !new.trim().is_empty()) {
            let mut kept = self.refresh_token.lock().unwrap_or_else(PoisonError::into_inner);
            if kept.is_some() {
                *kept = Some(new.clone());
            }
        }
        let lifetime = match &answer.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_f64(),
            Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let token = Token::new(token);
        Ok(match lifetime {
            Some(seconds) if seconds.is_finite() && seconds >= 0.0 => {
                token.expires_in(Duration::from_secs_f64(seconds.min(365.0 * 86_400.0)))
            }
            _ => token,
        })
    }

    /// Why the endpoint refused, from its `error` and `error_description`.
    fn refusal(&self, status: StatusCode, answer: Option<&Answer>) -> String {
        let said = answer.and_then(|answer| {
            let error = answer.error.as_deref()?;
            Some(match &answer.error_description {
                Some(description) => format!("{error}: {description}"),
                None => error.to_owned(),
            })
        });
        match said {
            Some(said) => format!("it refused with {status} ({})", self.redact(&said)),
            None => format!("it refused with {status}"),
        }
    }

    /// `said` without the client secret or refresh token, which a token
    /// endpoint may echo.
    fn redact(&self, said: &str) -> String {
        let said: String = said.chars().filter(|c| !c.is_control()).take(300).collect();
        let refresh = self
            .refresh_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let secrets = [self.client_secret.clone(), refresh];
        secrets
            .iter()
            .flatten()
            .filter(|secret| secret.len() >= 4)
            .fold(said, |said, secret| said.replace(secret.as_str(), "<redacted>"))
    }

    fn failed(&self, reason: String) -> BoxError {
        format!(
            "the OAuth2 token endpoint {} gave no token for the {} grant: {reason}",
            self.endpoint, self.grant
        )
        .into()
    }
}

/// `text` form-encoded.
fn encoded(text: &str) -> String {
    // `serde_urlencoded` writes `=text` for an empty name.
    let pair = serde_urlencoded::to_string([("", text)]).unwrap_or_default();
    pair.trim_start_matches('=').to_owned()
}
