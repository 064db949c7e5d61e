//! How a client behaves (its configuration), and the HTTP client built from it.

use std::{fmt, time::Duration};

use crate::{Api, Credential, Exchange, Observer, RequestHook, RequestInfo, Retry};

/// How a client behaves: retries, rate limit, timeouts, redirects and the
/// size of bodies. The default retries idempotent requests up to 3 attempts,
/// sends as fast as it is asked, gives up on a connection after 10 s and on a
/// response after 30 s (body included), follows up to 5 redirects within the
/// base URL's origin (never to another one), and reads at most 16 MiB of any
/// body.
///
/// ```
/// use std::time::Duration;
/// # use workspaces_sdk_runtime as workspaces_sdk_motion;
/// // Every provider crate re-exports these (here Motion's).
/// use workspaces_sdk_motion::{Config, Retry};
///
/// let config = Config::default()
///     .requests_per_minute(12)
///     .timeout(Duration::from_secs(20))
///     .max_body_bytes(1 << 20)
///     .retry(Retry { max_attempts: 5, ..Retry::default() });
/// assert_eq!(config.retry.max_attempts, 5);
/// assert_eq!(Config::default().without_retries().retry, Retry::disabled());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// When and how often a failed request is tried again.
    pub retry: Retry,
    /// At most this many requests a minute, spaced evenly (`None`: no limit).
    pub requests_per_minute: Option<u32>,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long to wait for a whole response, body included, per attempt.
    pub timeout: Duration,
    /// The most bytes of a response body read; a longer body is
    /// [`ErrorKind::BodyTooLarge`](crate::ErrorKind::BodyTooLarge).
    pub max_body_bytes: usize,
    /// Whether redirects within the base URL's origin are followed (up to
    /// [`MAX_REDIRECTS`](crate::MAX_REDIRECTS)); a redirect to another origin
    /// is never followed.
    pub follow_redirects: bool,
    /// The credentials of the security schemes beyond the first, by scheme
    /// name, for an API whose requirement names several (the client's
    /// constructor takes the first).
    pub credentials: Vec<(String, Credential)>,
    /// Shown every request and response, credentials taken out (`None`:
    /// nothing is kept beyond what the call returns).
    pub observer: Option<Observer>,
    /// Headers sent on every request unless the call or the spec's header
    /// defaults set them (a header that carries the credential is refused
    /// when the client is built).
    pub default_headers: Vec<(String, String)>,
    /// Called on each request before each attempt, before the credential is
    /// put on it (`None`: none).
    pub on_request: Option<RequestHook>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            retry: Retry::default(),
            requests_per_minute: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_body_bytes: crate::DEFAULT_MAX_BODY,
            follow_redirects: true,
            credentials: Vec::new(),
            observer: None,
            default_headers: Vec::new(),
            on_request: None,
        }
    }
}

impl Config {
    /// The default configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Retries as `retry` says.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Sends every request once.
    pub fn without_retries(self) -> Self {
        self.retry(Retry::disabled())
    }

    /// Sends at most `requests` requests a minute, spaced evenly (Motion allows
    /// 12 a minute on individual plans and locks out keys that exceed it).
    pub fn requests_per_minute(mut self, requests: u32) -> Self {
        self.requests_per_minute = Some(requests.max(1));
        self
    }

    /// Waits at most `timeout` for a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Waits at most `timeout` for a whole response, body included, per attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Reads at most `bytes` of any response body (at least 1 KiB).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes.max(1024);
        self
    }

    /// Follows no redirect at all: a redirect status is returned as the
    /// response (undocumented ones as [`ErrorKind::UnexpectedStatus`](crate::ErrorKind::UnexpectedStatus)).
    pub fn without_redirects(mut self) -> Self {
        self.follow_redirects = false;
        self
    }

    /// The credential of the security scheme `scheme`, for an API whose
    /// requirement names several schemes (the client's constructor takes the
    /// credential of the first; its crate's docs name them all).
    pub fn credential(mut self, scheme: impl Into<String>, credential: impl Into<Credential>) -> Self {
        let scheme = scheme.into();
        self.credentials.retain(|(known, _)| *known != scheme);
        self.credentials.push((scheme, credential.into()));
        self
    }

    /// Shows `observe` every request the client sends and the response it
    /// gets, whose body was read, credentials taken out: for recording
    /// exchanges, or checking them against the spec.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// # use workspaces_sdk_runtime as workspaces_sdk_motion;
    /// // Every provider crate re-exports these (here Motion's).
    /// use workspaces_sdk_motion::{Config, Exchange};
    ///
    /// let seen: Arc<Mutex<Vec<Exchange>>> = Arc::default();
    /// let kept = seen.clone();
    /// let config = Config::default().observe(move |exchange| kept.lock().unwrap().push(exchange.clone()));
    /// assert!(config.observer.is_some());
    /// ```
    pub fn observe(mut self, observe: impl Fn(&Exchange) + Send + Sync + 'static) -> Self {
        self.observer = Some(Observer::new(observe));
        self
    }

    /// Sends the header `name: value` on every request of the client, unless
    /// a call (`with_header`) or the spec's header default sets it; the
    /// client's timeouts, retries and redirects stay as configured. A header
    /// that carries the client's credential, or one HTTP does not allow, is
    /// a [`ConfigError`] when the client is built.
    ///
    /// ```
    /// # use workspaces_sdk_runtime as workspaces_sdk_motion;
    /// use workspaces_sdk_motion::Config;
    ///
    /// let config = Config::default().default_header("x-correlation-id", "batch-42");
    /// assert_eq!(config.default_headers, [("x-correlation-id".to_owned(), "batch-42".to_owned())]);
    /// ```
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Calls `hook` on each request before each attempt, with the request's
    /// operation and attempt number: it may change the request (add a
    /// header, say). It runs before the credential is put on the request, so
    /// it never sees it, and the credential replaces whatever it put there.
    ///
    /// ```
    /// # use workspaces_sdk_runtime as workspaces_sdk_motion;
    /// use workspaces_sdk_motion::Config;
    ///
    /// let config = Config::default().on_request(|request, info| {
    ///     let value = format!("{}-{}", info.operation, info.attempt);
    ///     request.headers_mut().insert("x-attempt", value.parse().unwrap());
    /// });
    /// assert!(config.on_request.is_some());
    /// ```
    pub fn on_request(mut self, hook: impl Fn(&mut reqwest::Request, RequestInfo) + Send + Sync + 'static) -> Self {
        self.on_request = Some(RequestHook::new(hook));
        self
    }
}

/// How long a client waits for a connection before it gives up.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client waits for a whole response before it gives up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a client could not be built. Its message never contains the credential.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL is not an absolute `http` or `https` URL without a query.
    InvalidBaseUrl {
        /// The URL as given (without any user name or password in it).
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A credential cannot be sent as its security scheme says, or one is
    /// missing or not wanted.
    InvalidCredential {
        /// The provider whose client was being built.
        provider: &'static str,
        /// What is wrong with it (never the credential itself).
        reason: String,
    },
    /// The generated description of the API names a header that is not valid.
    InvalidApi {
        /// The provider whose client was being built.
        provider: &'static str,
        /// The header at fault.
        header: &'static str,
    },
    /// A header of [`Config::default_header`] cannot be sent: not a valid
    /// header, or one that carries the credential.
    InvalidHeader {
        /// The provider whose client was being built.
        provider: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built (for example, no TLS backend).
    HttpClient(reqwest::Error),
    /// The provider's API has no default server: a base URL must be given.
    NoDefaultServer {
        /// The provider whose client was being built.
        provider: &'static str,
    },
    /// The environment variable that should hold the credential is unset or blank.
    MissingCredential {
        /// The variable.
        variable: String,
    },
    /// More than one of the environment variables a credential may be read
    /// from is set, so which security scheme to use is not known.
    SeveralCredentials {
        /// The variables set.
        variables: String,
    },
    /// The file that should hold the credential cannot be read, or is empty.
    CredentialFile {
        /// The file.
        path: String,
        /// Why (never the file's content).
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL `{url}`: {reason}"),
            Self::InvalidCredential { provider, reason } => {
                write!(f, "invalid {provider} credential: {reason}")
            }
            Self::InvalidApi { provider, header } => {
                write!(f, "the generated {provider} client names an invalid header `{header}`")
            }
            Self::InvalidHeader { provider, reason } => write!(f, "invalid {provider} default header: {reason}"),
            Self::HttpClient(error) => write!(f, "cannot build the HTTP client: {error}"),
            Self::NoDefaultServer { provider } => {
                write!(f, "{provider} has no default server: give the base URL of yours")
            }
            Self::MissingCredential { variable } => {
                write!(f, "no credential: set the environment variable {variable}")
            }
            Self::SeveralCredentials { variables } => write!(f, "{variables} are set: set only one"),
            Self::CredentialFile { path, reason } => write!(f, "cannot read the credential in {path}: {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::HttpClient(error) => Some(error),
            _ => None,
        }
    }
}

/// Builds the HTTP client a generated client uses: the crate's `User-Agent`,
/// the configuration's timeouts, redirects only within the origin they start
/// from, and no `Referer`. A client of your own (`with_http_client`) should
/// be built with [`reqwest::redirect::Policy::none`]: its redirect policy is
/// its own.
pub fn http_client(api: &Api, config: &Config) -> Result<reqwest::Client, ConfigError> {
    client_builder(api, config)
        .redirect(crate::redirect::policy(config.follow_redirects))
        .build()
        .map_err(ConfigError::HttpClient)
}

/// What every HTTP client the runtime builds has: the crate's `User-Agent`,
/// the configuration's timeouts, no `Referer`, and (with `rustls-ring`
/// alone) `ring` installed as the process's rustls cryptography. Its
/// redirect policy is the caller's to choose.
pub(crate) fn client_builder(api: &Api, config: &Config) -> reqwest::ClientBuilder {
    use_ring_unless_chosen();
    reqwest::Client::builder()
        .user_agent(api.user_agent())
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .referer(false)
}

/// With the `rustls-ring` feature alone, makes `ring` the process's rustls
/// cryptography, unless the application installed one of its own first.
fn use_ring_unless_chosen() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one in between: either is the process's choice.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
