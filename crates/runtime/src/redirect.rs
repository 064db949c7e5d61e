//! Where a client follows a redirect: within the origin it was given (the
//! scheme, host and port of its base URL), a few times at most. A redirect
//! to another origin, `https` to `http` included, is refused before anything
//! is sent there, so the credential (whatever header, query parameter or
//! cookie carries it) never leaves its origin; no `Referer` is ever sent.

use std::fmt;

use reqwest::{Url, redirect::Policy};

/// At most this many redirects a request follows.
pub const MAX_REDIRECTS: usize = 5;

/// A redirect a client refused to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefusedRedirect {
    /// The server sent the request to another origin: `target` is that
    /// origin (`scheme://host:port`, never the path or query).
    OtherOrigin {
        /// The origin the redirect pointed to.
        target: String,
    },
    /// The redirects went on past [`MAX_REDIRECTS`].
    TooMany,
}

impl fmt::Display for RefusedRedirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OtherOrigin { target } => write!(
                f,
                "refused a redirect to another origin, {target}: the credential is sent only to the origin it was given for"
            ),
            Self::TooMany => write!(f, "refused a redirect: more than {MAX_REDIRECTS} in a row"),
        }
    }
}

impl std::error::Error for RefusedRedirect {}

/// The redirect policy of the clients' HTTP client: same-origin redirects
/// followed up to [`MAX_REDIRECTS`] when `follow` is set, none otherwise.
pub(crate) fn policy(follow: bool) -> Policy {
    if !follow {
        return Policy::none();
    }
    Policy::custom(|attempt| {
        let Some(first) = attempt.previous().first() else {
            return attempt.follow();
        };
        match refusal(first, attempt.url(), attempt.previous().len()) {
            Some(refused) => attempt.error(refused),
            None => attempt.follow(),
        }
    })
}

/// Why a redirect from a request first sent to `first` to `next`, after
/// `followed` requests, must not be followed, if it must not.
fn refusal(first: &Url, next: &Url, followed: usize) -> Option<RefusedRedirect> {
    if origin(first) != origin(next) {
        return Some(RefusedRedirect::OtherOrigin { target: origin(next) });
    }
    (followed > MAX_REDIRECTS).then_some(RefusedRedirect::TooMany)
}

/// `scheme://host:port`, the port always given.
fn origin(url: &Url) -> String {
    let port = url.port_or_known_default().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{}://{}{port}", url.scheme(), url.host_str().unwrap_or_default())
}

/// The redirect a transport error is, if it is one.
pub(crate) fn refused(error: &reqwest::Error) -> Option<&RefusedRedirect> {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<RefusedRedirect>() {
            return Some(refused);
        }
        source = cause.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(first: &str, next: &str, followed: usize) -> Option<RefusedRedirect> {
        refusal(&first.parse().unwrap(), &next.parse().unwrap(), followed)
    }

    #[test]
    fn only_the_same_scheme_host_and_port_is_followed() {
        let start = "https://api.example.test/v1/workspaces?key=s3cret";
        assert_eq!(decide(start, "https://api.example.test/v2/workspaces", 1), None);
        assert_eq!(decide(start, "https://api.example.test:443/other", 1), None);
        let other = |target: &str| Some(RefusedRedirect::OtherOrigin { target: target.into() });
        assert_eq!(
            decide(start, "http://api.example.test/v1/workspaces", 1),
            other("http://api.example.test:80"),
            "https to http"
        );
        assert_eq!(
            decide(start, "https://evil.test/collect?key=s3cret", 1),
            other("https://evil.test:443")
        );
        assert_eq!(
            decide(start, "https://api.example.test:8443/", 1),
            other("https://api.example.test:8443")
        );
        assert_eq!(
            decide("http://127.0.0.1:8080/a", "https://127.0.0.1:8080/a", 1),
            other("https://127.0.0.1:8080"),
            "http to https is another origin too"
        );
    }

    #[test]
    fn redirects_stop_after_the_maximum() {
        let start = "https://api.example.test/a";
        assert_eq!(decide(start, start, MAX_REDIRECTS), None);
        assert_eq!(decide(start, start, MAX_REDIRECTS + 1), Some(RefusedRedirect::TooMany));
    }

    #[test]
    fn the_message_names_the_target_origin_and_nothing_of_the_url_after_it() {
        let refused = decide("https://a.test/x", "https://b.test/collect?key=s3cret", 1).unwrap();
        let message = refused.to_string();
        assert!(message.contains("https://b.test:443"), "{message}");
        assert!(!message.contains("s3cret") && !message.contains("collect"), "{message}");
    }
}
