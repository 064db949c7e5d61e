//! What a client sent and received, shown to an observer the configuration
//! names ([`Config::observe`](crate::Config::observe)): for recording
//! cassettes and checking responses against a spec. The credentials are
//! taken out before an observer sees anything.

use std::{fmt, sync::Arc};

use crate::auth::Credentials;

/// One request and the response it got, as the client saw them, every
/// credential replaced by `<redacted>` (a credential header whole, a query
/// credential's value, any occurrence of a credential's text in a header or
/// the body).
///
/// An observer sees each response whose body the client read: the response
/// a call returns, not an attempt that was retried, nor a body past
/// [`Config::max_body_bytes`](crate::Config::max_body_bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Exchange {
    /// The provider (`Motion`).
    pub provider: &'static str,
    /// The spec's id of the operation (`listWorkspaces`).
    pub operation_id: &'static str,
    /// The request's method (`GET`).
    pub method: String,
    /// The request's URL.
    pub url: String,
    /// The request's headers, in order, names in lower case.
    pub request_headers: Vec<(String, String)>,
    /// The response's status code.
    pub status: u16,
    /// The response's headers, in order, names in lower case.
    pub response_headers: Vec<(String, String)>,
    /// The response's body.
    pub body: bytes::Bytes,
    /// Which attempt of its call this was, from 1: the attempts before it
    /// were retried (a rate limit waited out, say), and not shown.
    pub attempt: u32,
}

impl Exchange {
    /// The response's `Content-Type`, if it has one.
    pub fn content_type(&self) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(name, _)| name == "content-type")
            .map(|(_, value)| value.as_str())
    }
}

/// A function shown every [`Exchange`] of a client. Two observers are equal
/// when they are the same function.
#[derive(Clone)]
pub struct Observer(Arc<dyn Fn(&Exchange) + Send + Sync>);

impl Observer {
    /// An observer calling `observe`.
    pub fn new(observe: impl Fn(&Exchange) + Send + Sync + 'static) -> Self {
        Self(Arc::new(observe))
    }

    pub(crate) fn show(&self, exchange: &Exchange) {
        (self.0)(exchange);
    }
}

impl fmt::Debug for Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Observer")
    }
}

impl PartialEq for Observer {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Observer {}

/// What of a request an observer is shown, read before it is sent.
pub(crate) struct Sent {
    operation_id: &'static str,
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    attempt: u32,
}

impl Sent {
    /// The request, attempt `attempt` of its call, its credentials taken out.
    pub(crate) fn of(
        request: &reqwest::Request,
        operation_id: &'static str,
        attempt: u32,
        credentials: &Credentials,
    ) -> Box<Self> {
        let mut url = request.url().clone();
        credentials.redact_url(&mut url);
        Box::new(Self {
            operation_id,
            method: request.method().to_string(),
            url: credentials.redact(url.as_str()),
            headers: headers(request.headers(), credentials),
            attempt,
        })
    }

    /// The exchange of this request and a response whose body was read.
    pub(crate) fn exchange(
        &self,
        provider: &'static str,
        response: &reqwest::Response,
        body: &bytes::Bytes,
        credentials: &Credentials,
    ) -> Exchange {
        let body = match std::str::from_utf8(body).map(|text| (text, credentials.redact(text))) {
            Ok((text, redacted)) if redacted != text => bytes::Bytes::from(redacted),
            _ => body.clone(),
        };
        Exchange {
            provider,
            operation_id: self.operation_id,
            method: self.method.clone(),
            url: self.url.clone(),
            request_headers: self.headers.clone(),
            status: response.status().as_u16(),
            response_headers: headers(response.headers(), credentials),
            body,
            attempt: self.attempt,
        }
    }
}

/// Headers as text, a sensitive one (a credential's) `<redacted>` whole, and
/// any credential's text in the others.
fn headers(map: &reqwest::header::HeaderMap, credentials: &Credentials) -> Vec<(String, String)> {
    map.iter()
        .map(|(name, value)| {
            let text = match value.is_sensitive() {
                true => "<redacted>".to_owned(),
                false => credentials.redact(&String::from_utf8_lossy(value.as_bytes())),
            };
            (name.as_str().to_owned(), text)
        })
        .collect()
}
