//! Every response body a client reads is read here, whole and at most
//! [`Config::max_body_bytes`](crate::Config::max_body_bytes) of it, chunk by
//! chunk, so that memory stays near the limit whatever the server sends: a
//! body that never ends, a `Content-Length` that lies, a body far larger than
//! announced.

use std::future::Future;

use bytes::BytesMut;
use reqwest::StatusCode;

/// The default limit on a response body: 16 MiB, hundreds of times the
/// largest page these APIs document.
pub const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;

/// A response whose body went past the limit: its status, and the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge {
    pub status: StatusCode,
    pub limit: usize,
}

/// A response's body, read.
pub(crate) enum Read {
    /// The response (its own body read to the end) and its whole body.
    Whole(reqwest::Response, bytes::Bytes),
    /// The body went past the limit (or announced it would): what is left of
    /// the response has no body.
    TooLarge(reqwest::Response, TooLarge),
}

/// Reads the body of `response`, at most `limit` bytes of it; an error while
/// reading (a timeout, a connection reset, a length that the body does not
/// reach) is the transport's error.
///
/// Not an `async fn`: its future holds the response once, not also the
/// argument it was given.
pub(crate) fn read(mut response: reqwest::Response, limit: usize) -> impl Future<Output = reqwest::Result<Read>> {
    let too_large = TooLarge {
        status: response.status(),
        limit,
    };
    let announced = response
        .headers()
        .get(reqwest::header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<u64>().ok())
        .or(response.content_length());
    async move {
        if announced.is_some_and(|length| length > limit as u64) {
            return Ok(Read::TooLarge(without_body(response, Vec::new()), too_large));
        }
        // A body that comes in one chunk (most of them) is kept as it came;
        // others are joined as they come.
        let Some(first) = response.chunk().await? else {
            return Ok(Read::Whole(response, bytes::Bytes::new()));
        };
        if first.len() > limit {
            return Ok(Read::TooLarge(without_body(response, Vec::new()), too_large));
        }
        let Some(second) = response.chunk().await? else {
            return Ok(Read::Whole(response, first));
        };
        let mut body = BytesMut::with_capacity(announced.map_or(0, |n| n as usize).max(first.len() + second.len()));
        body.extend_from_slice(&first);
        let mut next = Some(second);
        while let Some(chunk) = next {
            if chunk.len() > limit - body.len() {
                return Ok(Read::TooLarge(without_body(response, Vec::new()), too_large));
            }
            body.extend_from_slice(&chunk);
            next = response.chunk().await?;
        }
        Ok(Read::Whole(response, body.freeze()))
    }
}

/// The head of `response` with `body` in place of what was left of its own.
pub(crate) fn without_body(response: reqwest::Response, body: impl Into<reqwest::Body>) -> reqwest::Response {
    let (parts, _rest) = http::Response::from(response).into_parts();
    reqwest::Response::from(http::Response::from_parts(parts, body.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(chunks: Vec<&'static [u8]>, announced: Option<u64>) -> reqwest::Response {
        let stream = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
        let mut response = http::Response::new(reqwest::Body::wrap_stream(stream));
        if let Some(length) = announced {
            response
                .headers_mut()
                .insert(reqwest::header::CONTENT_LENGTH, length.into());
        }
        reqwest::Response::from(response)
    }

    async fn outcome(response: reqwest::Response, limit: usize) -> Result<Vec<u8>, TooLarge> {
        match read(response, limit).await.unwrap() {
            Read::Whole(_, body) => Ok(body.to_vec()),
            Read::TooLarge(response, too_large) => {
                assert!(
                    response.bytes().await.unwrap().is_empty(),
                    "nothing of the body is kept"
                );
                Err(too_large)
            }
        }
    }

    #[tokio::test]
    async fn a_body_up_to_the_limit_is_read_whole_and_one_byte_more_is_not() {
        let chunks = vec![&b"{\"a\":"[..], &b" 1}"[..]];
        assert_eq!(
            outcome(response(chunks.clone(), None), 9).await,
            Ok(b"{\"a\": 1}".to_vec())
        );
        assert_eq!(outcome(response(vec![&b"{}"[..]], None), 9).await, Ok(b"{}".to_vec()));
        assert_eq!(outcome(response(vec![], None), 9).await, Ok(Vec::new()));
        let too_large = TooLarge {
            status: StatusCode::OK,
            limit: 7,
        };
        assert_eq!(outcome(response(chunks, None), 7).await, Err(too_large));
    }

    #[tokio::test]
    async fn a_body_announced_past_the_limit_is_refused_before_it_is_read() {
        let announced = response(vec![&b"{}"[..]], Some(1 << 40));
        assert_eq!(outcome(announced, 1024).await.unwrap_err().limit, 1024);
    }
}
