//! What a user changes on requests beside what the spec says: headers on
//! one call (`with_header` on a request builder), headers on every request
//! of a client (`Config::default_header`), and a hook that may change each
//! request before each attempt (`Config::on_request`). None may touch the
//! credential: a header that carries it is refused, and the hook runs before
//! the credential is put on the request.

use std::{fmt, sync::Arc};

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};

use crate::{Api, Auth, Place};

/// A header as the user gave it, checked where it is used: a name and value
/// that HTTP allows, and not one that carries the client's credential.
pub(crate) fn checked_header(name: &str, value: &str, api: &Api) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::try_from(name).map_err(|_| format!("`{name}` is not a valid header name"))?;
    let offered = || api.auth().iter().chain(api.alternatives());
    if credential_headers(offered()).any(|credential| credential == header_name) {
        return Err(format!(
            "the header `{header_name}` carries the client's credential: give the credential to the client instead"
        ));
    }
    let value =
        HeaderValue::try_from(value).map_err(|_| format!("the value of the header `{header_name}` is not valid"))?;
    Ok((header_name, value))
}

/// The headers the API's security schemes put a credential in.
fn credential_headers<'a>(auth: impl Iterator<Item = &'a Auth>) -> impl Iterator<Item = HeaderName> {
    auth.filter_map(|auth| match auth.place {
        Place::Header { name, .. } => HeaderName::try_from(name).ok(),
        Place::Basic => Some(AUTHORIZATION),
        Place::Cookie(_) => Some(COOKIE),
        Place::Query(_) => None,
    })
}

/// What a request hook is told of the request it may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestInfo {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// Which attempt of its call this is, from 1.
    pub attempt: u32,
}

/// A function that may change each request before each attempt (add a
/// header, say). It runs before the credential is put on the request, so it
/// never sees it, and whatever it does to the credential's header is
/// replaced. Two hooks are equal when they are the same function.
#[derive(Clone)]
pub struct RequestHook(Arc<HookFn>);

/// The function a [`RequestHook`] calls.
type HookFn = dyn Fn(&mut reqwest::Request, RequestInfo) + Send + Sync;

impl RequestHook {
    /// A hook calling `hook`.
    pub fn new(hook: impl Fn(&mut reqwest::Request, RequestInfo) + Send + Sync + 'static) -> Self {
        Self(Arc::new(hook))
    }

    pub(crate) fn run(&self, request: &mut reqwest::Request, info: RequestInfo) {
        (self.0)(request, info);
    }
}

impl fmt::Debug for RequestHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RequestHook")
    }
}

impl PartialEq for RequestHook {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for RequestHook {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_that_carries_the_credential_or_is_not_http_is_refused() {
        static AUTH: [Auth; 2] = [
            Auth {
                scheme: "key",
                place: Place::Header {
                    name: "X-Api-Key",
                    prefix: "",
                },
            },
            Auth {
                scheme: "session",
                place: Place::Cookie("sid"),
            },
        ];
        static API: Api = Api::new("Example", "example/1", &AUTH);
        let auth = &API;
        let (name, value) = checked_header("X-Trace-Id", "abc-123", auth).unwrap();
        assert_eq!((name.as_str(), value.to_str().unwrap()), ("x-trace-id", "abc-123"));
        for credential in ["x-api-key", "Cookie"] {
            let refused = checked_header(credential, "mine", auth).unwrap_err();
            assert!(refused.contains("carries the client's credential"), "{refused}");
        }
        static BASIC: Api = Api::new("Example", "example/1", &[]).or(&[Auth {
            scheme: "basic",
            place: Place::Basic,
        }]);
        assert!(
            checked_header("authorization", "Basic x", &BASIC).is_err(),
            "an alternative's header too"
        );
        assert!(
            checked_header("bad name", "v", auth)
                .unwrap_err()
                .contains("not a valid header name")
        );
        assert!(
            checked_header("x-ok", "line\nbreak", auth)
                .unwrap_err()
                .contains("not valid")
        );
    }
}
