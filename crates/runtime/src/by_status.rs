//! Bodies whose type depends on their status. An operation whose statuses
//! document different bodies (a `{"error_msg"}` on 400 and a `{"detail"}` on
//! 401, a body on 200 and none on 204) gets a generated enum per class of
//! statuses (success, error), with one variant per documented status. The
//! enum implements [`ByStatus`]; the generated `send()` decodes through it.

use progenitor_client::{ByteStream, ResponseValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::{
    Context,
    call::read_all,
    error::{Error, Undecodable},
};

/// A body decoded by the status it came with, as the spec documents each
/// status. Implemented by the generated per-operation enums.
pub trait ByStatus: Sized {
    /// Decodes `body`, received with `status`; the error says why it is not
    /// of the type the spec documents for that status.
    fn from_status(status: StatusCode, body: &[u8]) -> Result<Self, String>;
}

/// A JSON body of the documented type (for the generated [`ByStatus`] impls).
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

/// A body the spec documents in another media type than JSON, as text.
pub fn text_body(body: &[u8]) -> Result<String, String> {
    Ok(String::from_utf8_lossy(body).into_owned())
}

/// Reads a documented error body whose type depends on the status (for
/// `call`); the credential is redacted before decoding.
pub async fn by_status<B: ByStatus>(context: Context, status: StatusCode, body: ByteStream) -> Result<B, Undecodable> {
    let bytes = read_all(body.into_inner())
        .await
        .map_err(|e| Undecodable::new("", format!("the body could not be read: {e}")))?;
    let text = context.redact(&String::from_utf8_lossy(&bytes));
    B::from_status(status, text.as_bytes()).map_err(|reason| Undecodable::new(&text, reason))
}

/// Decodes a success whose body type depends on the status, read as bytes by
/// progenitor; a body that is not of its status's type is an
/// [`ErrorKind::InvalidBody`](crate::ErrorKind::InvalidBody) naming the
/// provider and the operation.
///
/// # Errors
///
/// When the body cannot be read or is not of the type documented for its status.
pub async fn success_by_status<B: ByStatus, E>(
    context: &Context,
    operation: &'static str,
    value: ResponseValue<ByteStream>,
) -> Result<ResponseValue<B>, Error<E>> {
    let (status, headers) = (value.status(), value.headers().clone());
    let body = match read_all(value.into_inner().into_inner()).await {
        Ok(body) => body,
        Err(e) => return Err(Error::transport(context, operation, e)),
    };
    match B::from_status(status, &body) {
        Ok(decoded) => Ok(ResponseValue::new(decoded, status, headers)),
        Err(reason) => {
            let text = context.redact(&String::from_utf8_lossy(&body));
            Err(Error::invalid_body(context, operation, status, headers, &text, reason))
        }
    }
}
