//! A client's base URL, checked and parsed once, when the client is made:
//! each request's URL is the base URL with the operation's path after its
//! own, built without parsing the scheme and host again.

use std::{
    fmt::{self, Write},
    sync::Arc,
};

use reqwest::Url;

use crate::ConfigError;

/// A checked base URL: absolute, `http` or `https`, with a host, without a
/// user name, password, query or fragment; shown without a trailing slash
/// (`https://host/prefix/` and `https://host/prefix` address the same paths).
///
/// Shared by the clones of its client: a client stays a few words long.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Its path without a trailing slash but for the root's `/`.
    url: Arc<Url>,
}

impl BaseUrl {
    /// Checks `input` (surrounding spaces ignored).
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidBaseUrl`] with the reason; a password in `input`
    /// is not repeated.
    pub fn parse(input: &str) -> Result<Self, ConfigError> {
        let invalid = |url: &str, reason| ConfigError::InvalidBaseUrl {
            url: url.to_owned(),
            reason,
        };
        let mut url = Url::parse(input.trim()).map_err(|_| invalid(input, "not an absolute URL"))?;
        if !url.username().is_empty() || url.password().is_some() {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            return Err(invalid(
                url.as_str(),
                "it contains a user name or password; pass the credential to the client instead",
            ));
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(input, "the scheme must be http or https"));
        }
        if url.scheme() == "https" && !cfg!(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")) {
            return Err(invalid(
                input,
                "an https URL needs TLS: enable the `rustls`, `rustls-ring` or `native-tls` feature",
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid(input, "it has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(input, "it must not have a query or a fragment"));
        }
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
        Ok(Self { url: Arc::new(url) })
    }

    /// The base URL without a trailing slash.
    pub fn as_str(&self) -> &str {
        self.url.as_str().trim_end_matches('/')
    }

    /// The URL of `path` (which starts with `/`, its arguments already
    /// percent-encoded) under this base: what `Url::parse` makes of the base
    /// URL followed by `path`, with only the path parsed.
    pub fn url(&self, path: fmt::Arguments<'_>) -> Url {
        let mut url = Url::clone(&self.url);
        let prefix = self.url.path().trim_end_matches('/');
        match path.as_str() {
            Some(path) if prefix.is_empty() => url.set_path(path),
            _ => {
                let mut full = String::with_capacity(prefix.len() + 64);
                full.push_str(prefix);
                // Writing to a `String` fails only if a `Display` of an argument does.
                let _ = full.write_fmt(path);
                url.set_path(&full);
            }
        }
        url
    }
}

/// Shown as its text, as a client's `Debug` output shows its base URL.
impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_shown_without_trailing_slash() {
        for (input, shown) in [
            ("https://cloud.seatable.io/", "https://cloud.seatable.io"),
            ("https://cloud.seatable.io", "https://cloud.seatable.io"),
            ("http://127.0.0.1:8080/prefix/", "http://127.0.0.1:8080/prefix"),
            (" https://api.usemotion.com/v1 ", "https://api.usemotion.com/v1"),
        ] {
            let parsed = BaseUrl::parse(input).unwrap();
            assert_eq!(parsed.as_str(), shown, "{input}");
            assert_eq!(format!("{parsed:?}"), format!("{shown:?}"), "{input}");
        }
    }

    #[test]
    fn a_request_url_is_the_one_the_whole_text_parses_to() {
        let bases = [
            "https://api.example.test",
            "https://api.example.test/",
            "http://127.0.0.1:8080/prefix/",
            "https://API.Example.test/v1/api",
        ];
        let encoded = progenitor_client::encode_path("a b/c?d#e%f..é");
        for base in bases {
            let parsed = BaseUrl::parse(base).unwrap();
            let whole = |path: &str| Url::parse(&format!("{}{path}", parsed.as_str())).unwrap();
            assert_eq!(parsed.url(format_args!("/workspaces")), whole("/workspaces"), "{base}");
            assert_eq!(
                parsed.url(format_args!("/api/v2.1/workspaces/")),
                whole("/api/v2.1/workspaces/"),
                "{base}"
            );
            assert_eq!(
                parsed.url(format_args!("/things/{}/items", encoded)),
                whole(&format!("/things/{encoded}/items")),
                "{base}"
            );
            assert_eq!(
                parsed.url(format_args!("/things/{}", "..")),
                whole("/things/.."),
                "{base}"
            );
        }
    }

    #[test]
    fn an_https_url_is_refused_only_by_a_build_without_tls() {
        let outcome = BaseUrl::parse("https://api.example.test");
        match cfg!(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")) {
            true => assert!(outcome.is_ok(), "{outcome:?}"),
            false => assert!(outcome.unwrap_err().to_string().contains("enable the `rustls`")),
        }
        assert!(
            BaseUrl::parse("http://127.0.0.1:8080").is_ok(),
            "plain http needs no TLS"
        );
    }

    #[test]
    fn bad_base_urls_are_refused_with_the_reason() {
        let message = |input| BaseUrl::parse(input).unwrap_err().to_string();
        assert_eq!(
            message("cloud.seatable.io"),
            "invalid base URL `cloud.seatable.io`: not an absolute URL"
        );
        assert_eq!(
            message("ftp://host/x"),
            "invalid base URL `ftp://host/x`: the scheme must be http or https"
        );
        assert_eq!(
            message("https://host/x?a=1"),
            "invalid base URL `https://host/x?a=1`: it must not have a query or a fragment"
        );
        let with_password = message("https://user:hunter2@host/");
        assert!(with_password.contains("user name or password"), "{with_password}");
        assert!(!with_password.contains("hunter2"), "{with_password}");
    }
}
