//! What each operation's generated `dispatch()` calls in place of
//! progenitor's own: an optional query parameter set only when it has a
//! value (no work for those left unset), and the response read with the body
//! the attempt already read (never read twice, never copied) and its headers
//! moved into the value, not copied.

use std::future::Future;

use futures_util::{future::Either, stream};
use progenitor_client::{ByteStream, Error, ResponseValue};
use serde::de::DeserializeOwned;

/// The request with the optional query parameter `name`, if it has a value.
pub fn query_if_set<T: serde::Serialize>(
    request: reqwest::RequestBuilder,
    name: &str,
    value: &Option<T>,
) -> reqwest::RequestBuilder {
    match value {
        Some(value) => request.query(&progenitor_client::QueryParam::new(name, value)),
        None => request,
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
