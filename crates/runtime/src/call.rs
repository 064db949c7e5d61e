//! One call of a generated client, from progenitor's `dispatch()` to the
//! runtime's [`Error`]: what the hooks record of the response on the way, and
//! how error bodies are read (bounded, credential redacted).

use std::{cell::RefCell, future::Future};

use futures_util::FutureExt;
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::{StatusCode, header::HeaderMap};
use serde::Serialize;

use crate::{Context, Error, ErrorKind, MAX_ERROR_BODY, RefusedRedirect, Response, Undecodable, body::TooLarge};

/// What the call under way received that progenitor does not report: the
/// status and headers of its response, and whether its body went past the
/// limit.
#[derive(Default)]
struct Received {
    head: Option<(StatusCode, HeaderMap)>,
    too_large: Option<TooLarge>,
}

tokio::task_local! {
    static RECEIVED: RefCell<Received>;
}

/// Records the head of a response for the call under way (the `post` hook).
pub(crate) fn record_response_head(result: &reqwest::Result<reqwest::Response>) {
    if let Ok(response) = result {
        let _ = RECEIVED.try_with(|received| {
            received.borrow_mut().head = Some((response.status(), response.headers().clone()));
        });
    }
}

/// Records that the body of the call under way went past the limit.
pub(crate) fn record_too_large(too_large: TooLarge) {
    let _ = RECEIVED.try_with(|received| received.borrow_mut().too_large = Some(too_large));
}

/// Runs one call of a generated client and turns progenitor's error into an
/// [`Error`] that names the provider and the operation. `read_body` turns the
/// documented error body, received with a status, into the error's body type:
/// [`typed`] for a typed body, [`read_text`] for a non-JSON one,
/// `by_status` when the type depends on the status.
///
/// Not an `async fn`: the call's future is moved once into the scope that
/// records what it receives, rather than kept beside it as an argument, and
/// the reading of the outcome takes its place (which would otherwise double
/// the size of every request's future).
pub fn call<'a, T, E, B, Body>(
    context: &'a Context,
    operation: &'static str,
    call: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + 'a,
    read_body: impl FnOnce(StatusCode, E) -> Body + 'a,
) -> impl Future<Output = Result<ResponseValue<T>, Error<B>>> + 'a
where
    Body: Future<Output = Result<B, Undecodable>> + 'a,
    T: 'a,
    E: 'a,
    B: 'a,
{
    let received = RECEIVED.scope(RefCell::default(), async move {
        let result = call.await;
        (result, RECEIVED.with(RefCell::take))
    });
    // `then`: one future in place of the other, never both.
    received.then(move |(result, received)| conclude(context, operation, result, received, read_body))
}

/// The outcome of a call, from what progenitor returned and what the hooks
/// recorded.
async fn conclude<T, E, B, Body>(
    context: &Context,
    operation: &'static str,
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
    received: Received,
    read_body: impl FnOnce(StatusCode, E) -> Body,
) -> Result<ResponseValue<T>, Error<B>>
where
    Body: Future<Output = Result<B, Undecodable>>,
{
    let provider = context.api().provider;
    let (status, headers) = received.head.unwrap_or_default();
    let error = match (result, received.too_large) {
        (_, Some(TooLarge { status, limit })) => {
            let response = Response {
                status,
                headers,
                body: (),
            };
            let kind = ErrorKind::BodyTooLarge { response, limit };
            return Err(Error::new(provider, operation, kind, None));
        }
        (Ok(value), None) => return Ok(value),
        (Err(error), None) => error,
    };
    let redact = |bytes: &[u8]| context.redact(&String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_ERROR_BODY)]));
    let mut whole_body = None;
    let kind = match error {
        progenitor_client::Error::InvalidRequest(message) | progenitor_client::Error::Custom(message) => {
            ErrorKind::InvalidRequest(context.explain_invalid_request(operation, &message))
        }
        progenitor_client::Error::CommunicationError(e) if crate::redirect::refused(&e).is_some() => {
            ErrorKind::Redirect(
                crate::redirect::refused(&e)
                    .cloned()
                    .unwrap_or(RefusedRedirect::TooMany),
            )
        }
        progenitor_client::Error::CommunicationError(e)
        | progenitor_client::Error::InvalidUpgrade(e)
        | progenitor_client::Error::ResponseBodyError(e) => ErrorKind::Transport(e),
        progenitor_client::Error::ErrorResponse(value) => {
            let (status, headers) = (value.status(), value.headers().clone());
            match read_body(status, value.into_inner()).await {
                Ok(body) => ErrorKind::Status(Response { status, headers, body }),
                Err(Undecodable { text, reason }) => ErrorKind::InvalidBody {
                    response: Response {
                        status,
                        headers,
                        body: text,
                    },
                    reason,
                },
            }
        }
        progenitor_client::Error::InvalidResponsePayload(bytes, reason) if status.is_success() => {
            whole_body = Some(context.redact(&String::from_utf8_lossy(&bytes)));
            ErrorKind::InvalidBody {
                response: Response {
                    status,
                    headers,
                    body: redact(&bytes),
                },
                reason: reason.to_string(),
            }
        }
        progenitor_client::Error::InvalidResponsePayload(bytes, reason) => ErrorKind::InvalidBody {
            response: Response {
                status,
                headers,
                body: redact(&bytes),
            },
            reason: reason.to_string(),
        },
        progenitor_client::Error::UnexpectedResponse(response) => {
            let (status, headers) = (response.status(), response.headers().clone());
            let body = read_limited(response.bytes_stream()).await;
            ErrorKind::UnexpectedStatus(Response {
                status,
                headers,
                body: redact(&body),
            })
        }
    };
    Err(Error::new(provider, operation, kind, whole_body))
}

/// Reads a non-JSON error body as text (at most 64 KiB of it).
pub async fn read_text(context: &Context, body: ByteStream) -> Result<String, Undecodable> {
    let bytes = read_limited(body.into_inner()).await;
    Ok(context.redact(&String::from_utf8_lossy(&bytes)))
}

/// A typed error body, as it came, with the credential redacted.
pub async fn typed<E: Serialize + serde::de::DeserializeOwned>(context: &Context, body: E) -> Result<E, Undecodable> {
    Ok(context.redact_value(body))
}

/// Reads a whole body.
pub(crate) async fn read_all(
    stream: impl futures_core::Stream<Item = reqwest::Result<bytes::Bytes>>,
) -> reqwest::Result<Vec<u8>> {
    match read_up_to(stream, usize::MAX).await {
        (body, None) => Ok(body),
        (_, Some(error)) => Err(error),
    }
}

/// Reads a body up to [`MAX_ERROR_BODY`]; a read error ends it early.
async fn read_limited(stream: impl futures_core::Stream<Item = reqwest::Result<bytes::Bytes>>) -> Vec<u8> {
    read_up_to(stream, MAX_ERROR_BODY).await.0
}

/// Reads a body until it ends, fails or reaches `limit` bytes (cut to
/// `limit`): what was read, and the error that ended it, if one did.
async fn read_up_to(
    stream: impl futures_core::Stream<Item = reqwest::Result<bytes::Bytes>>,
    limit: usize,
) -> (Vec<u8>, Option<reqwest::Error>) {
    let mut stream = std::pin::pin!(stream);
    let mut body = Vec::new();
    let mut failed = None;
    while body.len() < limit {
        match std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            Some(Ok(chunk)) => body.extend_from_slice(&chunk),
            Some(Err(error)) => {
                failed = Some(error);
                break;
            }
            None => break,
        }
    }
    body.truncate(limit);
    (body, failed)
}
