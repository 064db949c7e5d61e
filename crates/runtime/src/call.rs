//! One call of a generated client, from progenitor's `dispatch()` to the
//! runtime's [`Error`]: its attempts (each a `dispatch()` of the request as
//! it was built, so that nothing is copied for a retry that never happens),
//! the call's scope (its options, and what it received on the way), and how
//! error bodies are read (bounded, credential redacted).

use std::{borrow::Cow, cell::RefCell, future::Future, pin::Pin, task::Poll, time::Duration};

use bytes::Bytes;
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::{StatusCode, header::HeaderMap};
use serde::Serialize;

use crate::{
    CallOptions, Context, Error, ErrorKind, MAX_ERROR_BODY, Operation, RefusedRedirect, Response, Undecodable,
    body::TooLarge, token::Renewal,
};

/// What the attempt under way received beside what progenitor reports: the
/// body of its response, read by the attempt that received it; for an error
/// progenitor reports without them, the status and headers of a body that
/// did not decode, or that went past the limit; and whether another attempt
/// follows, after how long.
#[derive(Default)]
struct Received {
    body: Option<Bytes>,
    /// Boxed: only an error has one, and the value moves with every poll.
    head: Option<Box<(StatusCode, HeaderMap)>>,
    too_large: Option<TooLarge>,
    retry_in: Option<Duration>,
    /// Why no token could be had for the attempt (nothing was sent).
    no_token: Option<Box<str>>,
}

/// The call under way on this thread: its operation, its options, its
/// attempt, and what that attempt received. Each [`Call`] keeps its own, and
/// puts it here only while its dispatch is polled, so that calls interleaved
/// on one thread never see each other's.
struct Scope {
    operation: &'static Operation,
    /// Boxed, and only when set: the scope is moved in and out at every poll.
    options: Option<Box<CallOptions>>,
    attempt: Attempt,
    received: Received,
}

/// Which attempt of its call a request is, and how long the call waited
/// before it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt {
    pub number: u32,
    pub waited: Duration,
    /// Whether the call already sent its request again after a 401, its
    /// token asked for anew.
    pub reauthenticated: bool,
}

impl Default for Attempt {
    fn default() -> Self {
        Self {
            number: 1,
            waited: Duration::ZERO,
            reauthenticated: false,
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Runs `f` on the call under way, if there is one.
fn with_current<R>(f: impl FnOnce(&mut Scope) -> R) -> Option<R> {
    CURRENT
        .try_with(|current| current.borrow_mut().as_mut().map(f))
        .ok()
        .flatten()
}

/// The options of the call under way, its attempt and its operation; none
/// outside a call, where a request cannot be sent again.
pub(crate) fn current_attempt() -> Option<(CallOptions, Attempt, &'static Operation)> {
    with_current(|scope| {
        (
            scope.options.as_deref().cloned().unwrap_or_default(),
            scope.attempt,
            scope.operation,
        )
    })
}

/// Tells the call under way to send its request again after `delay`: what
/// this attempt returns is then dropped, its body never decoded.
pub(crate) fn retry_in(delay: Duration) {
    with_current(|scope| {
        scope.received.retry_in = Some(delay);
        scope.received.body = Some(Bytes::new());
    });
}

/// Tells the call under way that its next attempt follows a 401, so that
/// no other will.
pub(crate) fn reauthenticating() {
    with_current(|scope| scope.attempt.reauthenticated = true);
}

/// Keeps the body of the response the call under way returns, for its
/// decoding; gives it back outside a call.
pub(crate) fn keep_body(body: Bytes) -> Result<(), Bytes> {
    let mut body = Some(body);
    with_current(|scope| scope.received.body = body.take());
    body.map_or(Ok(()), Err)
}

/// The body kept for the call under way, if the attempt read it.
pub(crate) fn take_body() -> Option<Bytes> {
    with_current(|scope| scope.received.body.take()).flatten()
}

/// Records the head of a response whose body did not decode, for the error.
pub(crate) fn record_head(status: StatusCode, headers: HeaderMap) {
    with_current(|scope| scope.received.head = Some(Box::new((status, headers))));
}

/// Records that the body of the call under way went past the limit.
pub(crate) fn record_too_large(too_large: TooLarge, headers: HeaderMap) {
    with_current(|scope| {
        scope.received.head = Some(Box::new((too_large.status, headers)));
        scope.received.too_large = Some(too_large);
    });
}

/// A call's scope in [`CURRENT`] while it lives, put back in the call when
/// it ends, even by a panic.
struct InScope<'a>(&'a mut Option<Scope>);

impl<'a> InScope<'a> {
    fn enter(slot: &'a mut Option<Scope>) -> Self {
        let _ = CURRENT.try_with(|current| std::mem::swap(&mut *current.borrow_mut(), slot));
        Self(slot)
    }
}

impl Drop for InScope<'_> {
    fn drop(&mut self) {
        let _ = CURRENT.try_with(|current| std::mem::swap(&mut *current.borrow_mut(), self.0));
    }
}

/// Runs one call of a generated client, `dispatch(request)` for each attempt,
/// and turns progenitor's error into an [`Error`] that names the provider and
/// the operation. The request (the operation's builder) is cloned for each
/// attempt: a few words for a builder whose parameters are unset or small,
/// where a copy of the built request, kept in case of a retry, would cost its
/// URL and headers on every call. [`Context::execute`] decides, after each
/// attempt, whether another follows (and after how long). `read_body` turns
/// the documented error body, received with a status, into the error's body type:
/// [`typed`] for a typed body, [`read_text`] for a non-JSON one,
/// `by_status` when the type depends on the status. `context` is the
/// client's, borrowed from a borrowed client, owned by a request that owns its
/// client; `options` the call's own, if any were set (`with_timeout`, ...).
///
/// Not an `async fn`: the call's future is kept once, in a `Call` with its
/// scope, rather than beside an awaited copy of itself (which would double
/// the size of every request's future); and a generated `send()` returns it
/// as it is. Always inlined, as `send()` is: the call's future is then built
/// where the caller keeps it, not built and copied (a kilobyte a call).
#[inline(always)]
pub fn call<'a, R, D, F, T, E, B, Body>(
    context: Cow<'a, Context>,
    operation: &'static Operation,
    options: Option<Box<CallOptions>>,
    request: R,
    dispatch: D,
    read_body: impl FnOnce(Context, StatusCode, E) -> Body + 'a,
) -> impl Future<Output = Result<ResponseValue<T>, Error<B>>> + 'a
where
    R: Clone + 'a,
    D: Fn(R) -> F + 'a,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + 'a,
    Body: Future<Output = Result<B, Undecodable>> + 'a,
    T: 'a,
    E: 'a,
    B: serde::Serialize + 'a,
{
    let renewal = match operation.is_public() {
        true => None,
        false => context.renewal().cloned(),
    };
    Call {
        attempt: None,
        request,
        dispatch,
        renewal,
        renewing: None,
        scope: Some(Scope {
            operation,
            options: options
                .filter(|options| **options != CallOptions::default())
                .map(CallOptions::started),
            attempt: Attempt::default(),
            received: Received::default(),
        }),
        wait: None,
        conclude_with: Some(move |result, received| conclude(context, operation, result, received, read_body)),
        conclude: None,
    }
}

pin_project_lite::pin_project! {
    /// One call: each attempt, progenitor's dispatch of the request, in the
    /// scope that records what it receives, with the wait before the next;
    /// then the reading of the outcome. Written out, not composed of
    /// combinators: those move their whole state (the dispatch's future, the
    /// largest part of a request's) when a stage ends, on every call.
    struct Call<R, D, F, K, C> {
        #[pin]
        attempt: Option<F>,
        request: R,
        // The operation's own function, not a pointer to it: each attempt's
        // future is then built where it is kept, not built and copied.
        dispatch: D,
        // The client's tokens that expire, if it keeps any, renewed before
        // an attempt when stale.
        renewal: Option<Renewal>,
        renewing: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
        scope: Option<Scope>,
        // Boxed: only a retry waits, and the call's future is smaller without it.
        wait: Option<Pin<Box<tokio::time::Sleep>>>,
        conclude_with: Option<K>,
        // Boxed: only an error is read further, and the call's future is
        // smaller without it.
        conclude: Option<Pin<Box<C>>>,
    }
}

impl<R, D, F, K, C, T, E, B> Future for Call<R, D, F, K, C>
where
    R: Clone,
    D: Fn(R) -> F,
    F: Future<Output = Result<T, progenitor_client::Error<E>>>,
    K: FnOnce(F::Output, Received) -> C,
    C: Future<Output = Result<T, Error<B>>>,
{
    type Output = C::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<C::Output> {
        let mut this = self.project();
        if let Some(conclude) = this.conclude.as_mut() {
            return conclude.as_mut().poll(cx);
        }
        let result = loop {
            if let Some(wait) = this.wait.as_mut() {
                std::task::ready!(wait.as_mut().poll(cx));
                *this.wait = None;
            }
            if this.attempt.is_none()
                && let Some(renewal) = this.renewal.as_ref()
            {
                if this.renewing.is_none() && renewal.stale() {
                    *this.renewing = Some(renewal.renew());
                }
                if let Some(renewing) = this.renewing.as_mut() {
                    std::task::ready!(renewing.as_mut().poll(cx));
                    *this.renewing = None;
                    if let Some(reason) = renewal.failure() {
                        if let Some(scope) = this.scope.as_mut() {
                            scope.received.no_token = Some(reason.into());
                        }
                        break Err(progenitor_client::Error::Custom(String::new()));
                    }
                }
            }
            let result = {
                let _in_scope = InScope::enter(this.scope);
                // Begun in the call's scope: the request is prepared, and
                // its sending begun, as the attempt is made.
                if this.attempt.is_none() {
                    begin_attempt(this.attempt.as_mut(), this.dispatch, this.request);
                }
                let Some(attempt) = this.attempt.as_mut().as_pin_mut() else {
                    unreachable!("an attempt was just set");
                };
                std::task::ready!(poll_apart(attempt, cx))
            };
            this.attempt.set(None);
            match this
                .scope
                .as_mut()
                .and_then(|scope| scope.received.retry_in.map(|delay| (scope, delay)))
            {
                Some((scope, delay)) => {
                    drop(result);
                    scope.received = Received::default();
                    scope.attempt.number += 1;
                    scope.attempt.waited += delay;
                    *this.wait = Some(Box::pin(tokio::time::sleep(delay)));
                }
                None => break result,
            }
        };
        let received = this.scope.take().map(|scope| scope.received).unwrap_or_default();
        // A success is the call's outcome as it is: only an error is read further.
        let result = match (result, &received.too_large) {
            (Ok(value), None) => return Poll::Ready(Ok(value)),
            (result, _) => result,
        };
        let conclude_with = this.conclude_with.take().expect("`Call` polled after completion");
        this.conclude
            .insert(begin(conclude_with, result, received))
            .as_mut()
            .poll(cx)
    }
}

/// Begins an attempt: its request built, prepared and its sending begun.
/// Apart from [`Call::poll`], whose stack frame would otherwise hold room
/// for the request and the attempt's future as they are built, beneath
/// every poll of the attempt.
#[inline(never)]
fn begin_attempt<R: Clone, D: Fn(R) -> F, F>(mut slot: Pin<&mut Option<F>>, dispatch: &D, request: &R) {
    slot.set(Some(dispatch(request.clone())));
}

/// Polls an attempt in a stack frame of its own, not in [`Call::poll`]'s:
/// what runs under it (reqwest, hyper) then runs on a shallower stack, on
/// memory the call's other steps keep warm.
#[inline(never)]
pub(crate) fn poll_apart<F: Future>(future: Pin<&mut F>, cx: &mut std::task::Context<'_>) -> Poll<F::Output> {
    future.poll(cx)
}

/// The reading of an error, built apart from [`Call::poll`], whose stack
/// frame would otherwise hold room for it on every call.
#[inline(never)]
fn begin<A, K: FnOnce(A, Received) -> C, C>(conclude_with: K, result: A, received: Received) -> Pin<Box<C>> {
    Box::pin(conclude_with(result, received))
}

/// The outcome of a call, from what progenitor returned and what the hooks
/// recorded.
async fn conclude<T, E, B, Body>(
    context: Cow<'_, Context>,
    operation: &'static Operation,
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
    received: Received,
    read_body: impl FnOnce(Context, StatusCode, E) -> Body,
) -> Result<ResponseValue<T>, Error<B>>
where
    Body: Future<Output = Result<B, Undecodable>>,
    B: serde::Serialize,
{
    let provider = context.api().provider();
    let (described, operation) = (operation, operation.id());
    let Received {
        body,
        head,
        too_large,
        no_token,
        ..
    } = received;
    if let Some(reason) = no_token {
        return Err(Error::new(
            provider,
            operation,
            ErrorKind::Credential(reason.into()),
            None,
        ));
    }
    let (status, headers) = head.map(|head| *head).unwrap_or_default();
    let error = match (result, too_large) {
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
            ErrorKind::InvalidRequest(context.explain_invalid_request(described, &message))
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
            match read_body(Context::clone(&context), status, value.into_inner()).await {
                Ok(body) => {
                    let text = crate::error::body_text(&body);
                    return Err(Error::documented_status(
                        provider,
                        operation,
                        Response { status, headers, body },
                        text,
                    ));
                }
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
            let body = match body {
                Some(body) => body[..body.len().min(MAX_ERROR_BODY)].to_vec(),
                None => read_limited(response.bytes_stream()).await,
            };
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
pub async fn read_text(context: Context, body: ByteStream) -> Result<String, Undecodable> {
    let bytes = read_limited(body.into_inner()).await;
    Ok(context.redact(&String::from_utf8_lossy(&bytes)))
}

/// A typed error body, as it came, with the credential redacted.
pub async fn typed<E: Serialize + serde::de::DeserializeOwned>(context: Context, body: E) -> Result<E, Undecodable> {
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
pub(crate) async fn read_up_to(
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
