//! The error of every call of a generated client: which provider, which
//! operation, which status, and the body as received.

use std::fmt;

use reqwest::{StatusCode, header::HeaderMap};
use serde::Serialize;

use crate::{Context, RefusedRedirect};

/// How much of a body an error keeps (and reads, for undocumented statuses).
pub const MAX_ERROR_BODY: usize = 64 * 1024;
/// How much of a body an error's message shows.
const SHOWN_BODY: usize = 300;

/// A call of a generated client failed. Its message is one line that names
/// the provider, the operation and the status, and never the credential.
///
/// What happened is its [`ErrorKind`]; [`Error::status`], [`Error::headers`],
/// [`Error::body`] and [`Error::request_id`] read the response, if one came.
///
/// ```
/// # use workspaces_sdk_runtime as workspaces_sdk_motion;
/// // Every provider crate re-exports these (here Motion's).
/// use workspaces_sdk_motion::{Error, ErrorKind};
///
/// /// Whether asking again later may help.
/// fn worth_retrying<E>(error: &Error<E>) -> bool {
///     match error.kind() {
///         ErrorKind::Transport(e) => e.is_timeout() || e.is_connect(),
///         ErrorKind::Status(_) | ErrorKind::UnexpectedStatus(_) => {
///             error.status().is_some_and(|s| s.as_u16() == 429 || s.is_server_error())
///         }
///         _ => false,
///     }
/// }
/// ```
#[derive(Debug)]
pub struct Error<E> {
    provider: &'static str,
    operation: &'static str,
    kind: ErrorKind<E>,
    /// The whole success body that did not decode (credential redacted),
    /// for a listing to read its items one by one.
    whole_body: Option<String>,
    /// A documented error body as text, for the message (so that printing
    /// an error asks nothing of its body's type).
    body_text: Option<String>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind<E> {
    /// A wrong argument (a value outside the spec's bounds, ...): nothing was sent.
    InvalidRequest(String),
    /// No token could be had: the async token source failed, or the OAuth2
    /// token endpoint refused or could not be reached. Nothing was sent to
    /// the API; the message never holds a secret.
    Credential(String),
    /// The request could not be sent or the response not received (connection,
    /// TLS, timeout).
    Transport(reqwest::Error),
    /// A documented error status, with its body decoded into the documented type.
    Status(Response<E>),
    /// A status the spec does not document, with the body as text.
    UnexpectedStatus(Response<String>),
    /// A paginated listing stopped: the server repeated a cursor, or the
    /// listing went past its maximum number of pages.
    Pagination(String),
    /// A documented status whose body is not of the documented type (an HTML
    /// error page, a truncated or empty body, JSON of another shape).
    InvalidBody {
        /// The response, with the body as text.
        response: Response<String>,
        /// Why it does not decode.
        reason: String,
    },
    /// The response's body is longer than
    /// [`Config::max_body_bytes`](crate::Config::max_body_bytes) (or said it
    /// would be): it was not read past the limit.
    BodyTooLarge {
        /// The response's status and headers.
        response: Response<()>,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A redirect the client refused to follow: to another origin, or too
    /// many. Nothing was sent to its target.
    Redirect(RefusedRedirect),
    /// One item of a listing's page is not of the documented type; the
    /// page's other items were read, and the listing goes on.
    InvalidItem {
        /// The item's place in its list on the page, from 0.
        index: usize,
        /// The item as it came, as JSON text (credential redacted).
        item: String,
        /// Why it does not decode.
        reason: String,
    },
}

/// A response as received: status, headers and body.
#[derive(Debug, Clone)]
pub struct Response<B> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: HeaderMap,
    /// The body, decoded or as text (at most 64 KiB of it, credential redacted).
    pub body: B,
}

impl<E> Error<E> {
    /// An error of `operation`; `whole_body` is a success body that did not
    /// decode, kept for a listing to read it item by item.
    pub(crate) fn new(
        provider: &'static str,
        operation: &'static str,
        kind: ErrorKind<E>,
        whole_body: Option<String>,
    ) -> Self {
        Self {
            provider,
            operation,
            kind,
            whole_body,
            body_text: None,
        }
    }

    /// A documented error status, with its decoded body and that body as
    /// text (for the message).
    pub(crate) fn documented_status(
        provider: &'static str,
        operation: &'static str,
        response: Response<E>,
        body_text: String,
    ) -> Self {
        let mut error = Self::new(provider, operation, ErrorKind::Status(response), None);
        error.body_text = Some(body_text);
        error
    }

    /// A documented status whose body is not of the documented type.
    pub(crate) fn invalid_body(
        context: &Context,
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        text: &str,
        reason: String,
    ) -> Self {
        let Undecodable { text, reason } = Undecodable::new(text, reason);
        let response = Response {
            status,
            headers,
            body: text,
        };
        let kind = ErrorKind::InvalidBody { response, reason };
        Self::new(context.api().provider(), operation, kind, None)
    }

    /// A response whose body could not be received.
    pub(crate) fn transport(context: &Context, operation: &'static str, error: reqwest::Error) -> Self {
        Self::new(context.api().provider(), operation, ErrorKind::Transport(error), None)
    }

    /// A paginated listing that cannot go on.
    pub(crate) fn pagination(provider: &'static str, operation: &'static str, message: String) -> Self {
        Self::new(provider, operation, ErrorKind::Pagination(message), None)
    }

    /// The whole success body that did not decode, credential redacted.
    pub(crate) fn whole_body(&self) -> Option<&str> {
        self.whole_body.as_deref()
    }

    /// The error of one item of this error's page.
    pub(crate) fn invalid_item(&self, index: usize, item: String, reason: String) -> Self {
        let kind = ErrorKind::InvalidItem { index, item, reason };
        Self::new(self.provider, self.operation, kind, None)
    }

    /// The provider's name, for example `Motion`.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// The `operationId` of the call that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind<E> {
        &self.kind
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind<E> {
        self.kind
    }

    /// The HTTP status, if a response came.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            ErrorKind::Status(r) => Some(r.status),
            ErrorKind::UnexpectedStatus(r) | ErrorKind::InvalidBody { response: r, .. } => Some(r.status),
            ErrorKind::BodyTooLarge { response, .. } => Some(response.status),
            ErrorKind::Transport(e) => e.status(),
            ErrorKind::InvalidRequest(_)
            | ErrorKind::Credential(_)
            | ErrorKind::Pagination(_)
            | ErrorKind::Redirect(_)
            | ErrorKind::InvalidItem { .. } => None,
        }
    }

    /// The response's headers, if a response came.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match &self.kind {
            ErrorKind::Status(r) => Some(&r.headers),
            ErrorKind::UnexpectedStatus(r) | ErrorKind::InvalidBody { response: r, .. } => Some(&r.headers),
            ErrorKind::BodyTooLarge { response, .. } => Some(&response.headers),
            _ => None,
        }
    }

    /// The same error with its documented body turned by `f` (to erase the
    /// body types of several providers into one, for example).
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        let kind = match self.kind {
            ErrorKind::Status(r) => ErrorKind::Status(Response {
                status: r.status,
                headers: r.headers,
                body: f(r.body),
            }),
            ErrorKind::InvalidRequest(message) => ErrorKind::InvalidRequest(message),
            ErrorKind::Credential(message) => ErrorKind::Credential(message),
            ErrorKind::Transport(error) => ErrorKind::Transport(error),
            ErrorKind::UnexpectedStatus(r) => ErrorKind::UnexpectedStatus(r),
            ErrorKind::Pagination(message) => ErrorKind::Pagination(message),
            ErrorKind::InvalidBody { response, reason } => ErrorKind::InvalidBody { response, reason },
            ErrorKind::BodyTooLarge { response, limit } => ErrorKind::BodyTooLarge { response, limit },
            ErrorKind::Redirect(refused) => ErrorKind::Redirect(refused),
            ErrorKind::InvalidItem { index, item, reason } => ErrorKind::InvalidItem { index, item, reason },
        };
        let mut error = Error::new(self.provider, self.operation, kind, self.whole_body);
        error.body_text = self.body_text;
        error
    }

    /// The id the server gave the request, if its response carried one
    /// (`x-request-id`, `request-id`, `x-amzn-requestid`, `x-correlation-id`):
    /// what a provider's support asks for. A successful response has it
    /// too ([`RequestId`]).
    pub fn request_id(&self) -> Option<&str> {
        request_id_in(self.headers()?)
    }

    /// The documented error body, if the status was a documented error.
    pub fn body(&self) -> Option<&E> {
        match &self.kind {
            ErrorKind::Status(r) => Some(&r.body),
            _ => None,
        }
    }
}

/// One line: the provider, the operation, what went wrong with every cause
/// of it (so [`std::error::Error::source`] gives none: each cause is printed
/// once, by whatever prints the chain), and the request id if the response
/// carried one.
impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: ", self.provider, self.operation)?;
        self.describe(f)?;
        match self.request_id() {
            Some(id) => write!(f, " (request id {})", shown(id)),
            None => Ok(()),
        }
    }
}

impl<E> Error<E> {
    /// What went wrong, without the provider, the operation or the request id.
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::InvalidRequest(message) => write!(f, "invalid request, nothing was sent: {message}"),
            ErrorKind::Credential(message) => write!(f, "no token, nothing was sent: {}", one_line(message)),
            ErrorKind::Pagination(message) => write!(f, "the listing stopped: {message}"),
            ErrorKind::Transport(error) => {
                write!(f, "request failed: {}", one_line(&error_chain(error)))
            }
            ErrorKind::Status(r) => write!(
                f,
                "HTTP {}: {}",
                r.status,
                shown(self.body_text.as_deref().unwrap_or_default())
            ),
            ErrorKind::UnexpectedStatus(r) => write!(f, "undocumented HTTP {}: {}", r.status, shown(&r.body)),
            ErrorKind::InvalidBody { response, reason } => write!(
                f,
                "HTTP {}: the body is not of the documented type ({}): {}",
                response.status,
                one_line(reason),
                shown(&response.body)
            ),
            ErrorKind::BodyTooLarge { response, limit } => write!(
                f,
                "HTTP {}: the body is longer than the limit of {limit} bytes (Config::max_body_bytes)",
                response.status
            ),
            ErrorKind::Redirect(refused) => write!(f, "{refused}"),
            ErrorKind::InvalidItem { index, item, reason } => write!(
                f,
                "item {index} of the page is not of the documented type ({}): {}",
                one_line(reason),
                shown(item)
            ),
        }
    }
}

/// No [`source`](std::error::Error::source): the message holds every cause
/// already; [`Error::kind`] reaches the `reqwest::Error` of a transport
/// failure.
impl<E: fmt::Debug> std::error::Error for Error<E> {}

/// The id a server gave a request, in its response's headers.
fn request_id_in(headers: &HeaderMap) -> Option<&str> {
    const NAMES: [&str; 4] = ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"];
    NAMES
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::trim)
        .filter(|id| !id.is_empty())
}

/// The id the server gave a request, on a successful response as
/// [`Error::request_id`] reads it on a failed one (`x-request-id`,
/// `request-id`, `x-amzn-requestid`, `x-correlation-id`).
///
/// ```
/// # use workspaces_sdk_runtime as workspaces_sdk_motion;
/// // Every provider crate re-exports these (here Motion's).
/// use workspaces_sdk_motion::RequestId;
///
/// /// Logs the id of a response, successful or not, that has one.
/// fn log(response: &impl RequestId) {
///     if let Some(id) = response.request_id() {
///         println!("request {id}");
///     }
/// }
/// ```
pub trait RequestId {
    /// The id, if the response carried one.
    fn request_id(&self) -> Option<&str>;
}

impl<E> RequestId for Error<E> {
    fn request_id(&self) -> Option<&str> {
        Error::request_id(self)
    }
}

impl<T> RequestId for progenitor_client::ResponseValue<T> {
    fn request_id(&self) -> Option<&str> {
        request_id_in(self.headers())
    }
}

/// A decoded body as text: a string as it is, anything else as JSON.
pub fn body_text<B: Serialize>(body: &B) -> String {
    match serde_json::to_value(body) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(value) => value.to_string(),
        Err(_) => String::new(),
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shown(body: &str) -> String {
    let line = one_line(body);
    if line.is_empty() {
        return "(empty body)".to_owned();
    }
    match line.char_indices().nth(SHOWN_BODY) {
        Some((end, _)) => format!("{}...", &line[..end]),
        None => line,
    }
}

/// A documented body that is not of its documented type: the body as text (at
/// most [`MAX_ERROR_BODY`] of it, credential redacted) and why.
#[derive(Debug)]
pub struct Undecodable {
    pub(crate) text: String,
    pub(crate) reason: String,
}

impl Undecodable {
    /// `text` (redacted by the caller) is cut to [`MAX_ERROR_BODY`] bytes.
    pub(crate) fn new(text: &str, reason: String) -> Self {
        let mut end = text.len().min(MAX_ERROR_BODY);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        Self {
            text: text[..end].to_owned(),
            reason,
        }
    }
}
