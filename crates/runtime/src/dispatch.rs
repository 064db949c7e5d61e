//! What each operation's generated `dispatch()` calls in place of
//! progenitor's own: the request built in place (each step changes it where
//! it lies, where reqwest's builder moves the whole request at every step),
//! an optional query parameter set only when it has a value (no work for
//! those left unset), the request sent by an [`exchange`] that holds only
//! what is under way, and the response read with the body the attempt
//! already read (never read twice, never copied) and its headers moved into
//! the value, not copied.

use std::{borrow::Cow, future::Future, pin::Pin, task::Poll};

use futures_util::{future::Either, stream};
use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
use serde::de::DeserializeOwned;

use crate::Context;

/// One attempt of an operation: the request its builder `built` (with the
/// client that sends it), prepared by the client's [`Context`] and sent,
/// then its response read by `decode` (the operation's reading of each
/// status). What progenitor's `dispatch()` does with its hooks, as a future
/// that holds at each step only what that step needs: the request until it
/// is sent, the sending until a response came, then the reading; where an
/// `async fn` would keep the builder, the request and the sending side by
/// side for the whole attempt, and every move of the call would copy them.
///
/// Built, prepared and its sending begun when called, in the call's scope.
/// The sending is boxed, so the exchange is the same few bytes whatever the
/// client (a builder that holds its own client, `into_owned()`, owns what a
/// borrowed client lends) and a move of the call's future copies little.
///
/// Not inlined, and `built` by [`build`]: the frames that built the request
/// are off the stack when it is sent, and reqwest's frames lie that much
/// less deep.
#[inline(never)]
pub fn exchange<'a, C, T, E, D, F>(
    built: Result<(Cow<'a, C>, reqwest::Request), Error<E>>,
    decode: D,
) -> impl Future<Output = Result<T, Error<E>>> + 'a
where
    C: ClientInfo<Context> + Clone + 'a,
    D: FnOnce(reqwest::Response) -> F + 'a,
    F: Future<Output = Result<T, Error<E>>> + 'a,
    T: 'a,
    E: 'a,
{
    let (client, mut request) = match built {
        Ok(built) => built,
        Err(error) => return failed(error),
    };
    if let Err(message) = client.inner().prepare(&mut request) {
        return failed(Error::Custom(message));
    }
    let sending = Box::pin(match client {
        Cow::Borrowed(client) => Either::Left(client.inner().execute(client.client(), request)),
        Cow::Owned(client) => {
            let (context, http) = (client.inner().clone(), client.client().clone());
            Either::Right(async move { context.execute(&http, request).await })
        }
    });
    Exchange {
        step: Step::Sending {
            sending,
            decode: Some(decode),
        },
    }
}

/// An [`exchange`] that failed before anything was sent.
fn failed<S, D, F, E>(error: Error<E>) -> Exchange<S, D, F, E> {
    Exchange {
        step: Step::Failed { error: Some(error) },
    }
}

/// Runs `build` (a generated `dispatch()`'s building of its request) in a
/// stack frame of its own, gone when the request is sent (see [`exchange`]).
#[inline(never)]
pub fn build<B>(build: impl FnOnce() -> B) -> B {
    build()
}

pin_project_lite::pin_project! {
    /// An [`exchange`] under way.
    struct Exchange<S, D, F, E> {
        #[pin]
        step: Step<S, D, F, E>,
    }
}

pin_project_lite::pin_project! {
    #[project = StepNow]
    enum Step<S, D, F, E> {
        Sending { #[pin] sending: S, decode: Option<D> },
        Reading { #[pin] reading: F },
        Failed { error: Option<Error<E>> },
    }
}

impl<S, D, F, T, E> Future for Exchange<S, D, F, E>
where
    S: Future<Output = reqwest::Result<reqwest::Response>>,
    D: FnOnce(reqwest::Response) -> F,
    F: Future<Output = Result<T, Error<E>>>,
{
    type Output = Result<T, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<Self::Output> {
        let mut step = self.project().step;
        loop {
            match step.as_mut().project() {
                StepNow::Sending { sending, decode } => {
                    let response = std::task::ready!(sending.poll(cx));
                    let decode = decode.take().expect("`Exchange` polled after completion");
                    if let Some(error) = begin_reading(step.as_mut(), decode, response) {
                        return Poll::Ready(Err(error));
                    }
                }
                // Apart: the reading's frame (the decoding's) is not beneath the sending's polls.
                StepNow::Reading { reading } => return crate::call::poll_apart(reading, cx),
                StepNow::Failed { error } => {
                    return Poll::Ready(Err(error.take().expect("`Exchange` polled after completion")));
                }
            }
        }
    }
}

/// The step after the sending: the reading of the response, or the error
/// that came instead. Apart from [`Exchange::poll`], whose stack frame would
/// otherwise hold room for the reading as it is built, beneath every poll
/// of the sending.
#[inline(never)]
fn begin_reading<S, D, F, E>(
    mut step: Pin<&mut Step<S, D, F, E>>,
    decode: D,
    response: reqwest::Result<reqwest::Response>,
) -> Option<Error<E>>
where
    D: FnOnce(reqwest::Response) -> F,
{
    match response {
        Ok(response) => {
            step.set(Step::Reading {
                reading: decode(response),
            });
            None
        }
        Err(error) => {
            step.set(Step::Failed { error: None });
            Some(Error::from(error))
        }
    }
}

/// Adds the query parameter `name` to the request's URL, as reqwest's
/// `RequestBuilder::query` would: an array as repeated keys (`ids=a&ids=b`).
///
/// # Errors
///
/// A value that cannot be put in a query (a nested object): the message
/// names the parameter, and the request must not be sent.
pub fn query<T: serde::Serialize>(request: &mut reqwest::Request, name: &str, value: &T) -> Result<(), String> {
    let url = request.url_mut();
    let outcome = {
        let mut pairs = url.query_pairs_mut();
        serde::Serialize::serialize(
            &progenitor_client::QueryParam::new(name, value),
            serde_urlencoded::Serializer::new(&mut pairs),
        )
        // Its `Ok` borrows the URL, which is read next.
        .map(drop)
    };
    if url.query() == Some("") {
        url.set_query(None);
    }
    outcome.map_err(|error| format!("query parameter `{name}` cannot be sent: {error}"))
}

/// Adds the optional query parameter `name`, if it has a value.
///
/// # Errors
///
/// As [`query`].
#[inline]
pub fn query_if_set<T: serde::Serialize>(
    request: &mut reqwest::Request,
    name: &str,
    value: &Option<T>,
) -> Result<(), String> {
    match value {
        Some(value) => query(request, name, value),
        None => Ok(()),
    }
}

/// Puts the operation's header parameters on the request, each replacing
/// any value of the same name, as reqwest's `RequestBuilder::headers` does.
#[inline]
pub fn replace_headers(request: &mut reqwest::Request, headers: reqwest::header::HeaderMap) {
    if !headers.is_empty() {
        replace_each(request, headers);
    }
}

/// [`replace_headers`] of a map with headers in it.
fn replace_each(request: &mut reqwest::Request, headers: reqwest::header::HeaderMap) {
    let target = request.headers_mut();
    let mut last = None;
    for (name, value) in headers {
        // A name comes once, before the first of its values; the others follow it.
        match name {
            Some(name) => {
                target.insert(&name, value);
                last = Some(name);
            }
            None => {
                if let Some(name) = &last {
                    target.append(name, value);
                }
            }
        }
    }
}

/// The response's JSON body as a `T`. A body that is not a `T` is
/// progenitor's `InvalidResponsePayload`, and its status and headers go to
/// the call's error.
///
/// Not an `async fn`: a body already read is decoded in a future no larger
/// than its outcome (outside a call, the body is read first).
///
/// # Errors
///
/// When the body cannot be read, or is not a `T`.
pub fn json_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    match crate::call::take_body() {
        Some(body) => Either::Left(std::future::ready(decoded(status, headers, body))),
        None => Either::Right(Box::pin(async move {
            let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
            decoded(status, headers, body)
        })),
    }
}

#[allow(
    clippy::result_large_err,
    reason = "progenitor's error, as its generated code returns it"
)]
fn decoded<T: DeserializeOwned, E>(
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
) -> Result<ResponseValue<T>, Error<E>> {
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(error) => {
            crate::call::record_head(status, headers);
            Err(Error::InvalidResponsePayload(body, error))
        }
    }
}

/// The response's body as a stream of bytes, for bodies read as text or by
/// status.
pub fn stream_response(mut response: reqwest::Response) -> ResponseValue<ByteStream> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = match crate::call::take_body() {
        Some(body) => ByteStream::new(Box::pin(stream::once(std::future::ready(Ok(body))))),
        None => ByteStream::new(Box::pin(response.bytes_stream())),
    };
    ResponseValue::new(body, status, headers)
}

#[cfg(test)]
mod tests {
    use futures_util::TryStreamExt;

    use super::*;

    fn response(status: u16, body: &'static str) -> reqwest::Response {
        let mut response = http::Response::new(reqwest::Body::from(body));
        *response.status_mut() = reqwest::StatusCode::from_u16(status).unwrap();
        response.headers_mut().insert("x-request-id", "req-1".parse().unwrap());
        reqwest::Response::from(response)
    }

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap())
    }

    #[test]
    fn query_parameters_are_set_as_reqwest_sets_them_and_unset_ones_not_at_all() {
        let mut built = request("http://127.0.0.1/things");
        query_if_set::<String>(&mut built, "cursor", &None).unwrap();
        assert_eq!(
            built.url().as_str(),
            "http://127.0.0.1/things",
            "no `?` for unset parameters"
        );
        query_if_set(&mut built, "cursor", &Some("a b&c")).unwrap();
        query(&mut built, "ids", &vec!["x", "y"]).unwrap();
        query(&mut built, "page", &2).unwrap();

        // The runtime's own HTTP client: it chooses the TLS backend a feature
        // set needs (`reqwest::Client::new` panics with `rustls-ring` alone).
        static API: crate::Api = crate::Api::new("Example", "example/1", &[]);
        let by_reqwest = crate::plumbing::http_client(&API, &crate::Config::default())
            .unwrap()
            .get("http://127.0.0.1/things")
            .query(&progenitor_client::QueryParam::new("cursor", &"a b&c"))
            .query(&progenitor_client::QueryParam::new("ids", &vec!["x", "y"]))
            .query(&progenitor_client::QueryParam::new("page", &2))
            .build()
            .unwrap();
        assert_eq!(built.url(), by_reqwest.url());
        assert_eq!(built.url().query(), Some("cursor=a+b%26c&ids=x&ids=y&page=2"));
    }

    #[test]
    fn a_value_a_query_cannot_hold_is_refused_with_its_name() {
        let mut built = request("http://127.0.0.1/things");
        let nested = serde_json::json!({"a": {"b": 1}});
        let error = query(&mut built, "filter", &nested).unwrap_err();
        assert!(error.starts_with("query parameter `filter` cannot be sent"), "{error}");
    }

    #[test]
    fn header_parameters_replace_headers_of_the_same_name_with_all_their_values() {
        let mut built = request("http://127.0.0.1/things");
        built
            .headers_mut()
            .append("accept", "application/json".parse().unwrap());
        built.headers_mut().append("x-api-version", "1".parse().unwrap());
        let mut parameters = reqwest::header::HeaderMap::new();
        parameters.append("x-api-version", "2".parse().unwrap());
        parameters.append("x-api-version", "3".parse().unwrap());
        parameters.append("x-trace", "t".parse().unwrap());
        replace_headers(&mut built, parameters);
        let values = |name| {
            built
                .headers()
                .get_all(name)
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(values("x-api-version"), ["2", "3"]);
        assert_eq!(values("x-trace"), ["t"]);
        assert_eq!(values("accept"), ["application/json"], "others are kept");
    }

    #[tokio::test]
    async fn outside_a_call_the_body_is_read_from_the_response() {
        let value = json_response::<serde_json::Value, ()>(response(200, r#"{"a":1}"#))
            .await
            .unwrap();
        assert_eq!(value.status(), 200);
        assert_eq!(value.headers()["x-request-id"], "req-1", "the headers come along");
        assert_eq!(value.into_inner(), serde_json::json!({"a": 1}));

        let error = json_response::<Vec<u8>, ()>(response(200, "not json"))
            .await
            .err()
            .unwrap();
        assert!(
            matches!(error, Error::InvalidResponsePayload(ref body, _) if body == "not json"),
            "{error:?}"
        );

        let stream = stream_response(response(400, "plain text"));
        assert_eq!(stream.status(), 400);
        let chunks: Vec<bytes::Bytes> = stream.into_inner().into_inner().try_collect().await.unwrap();
        assert_eq!(chunks.concat(), b"plain text");
    }
}
