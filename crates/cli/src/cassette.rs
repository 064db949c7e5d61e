//! Cassettes: the requests a listing sent and the responses it got, saved
//! as plain JSON with every credential removed, replayed by the mock server
//! (`workspaces mock serve <provider> --replay FILE`) and checked against the
//! spec (`workspaces check <provider> --cassette FILE`).
//!
//! The format (`workspaces-cassette/1`):
//!
//! ```json
//! {
//!   "format": "workspaces-cassette/1",
//!   "provider": "motion",
//!   "base_url": "https://api.usemotion.com/v1",
//!   "interactions": [
//!     {
//!       "operation": "listWorkspaces",
//!       "request": {
//!         "method": "GET",
//!         "path": "/workspaces",
//!         "query": [["cursor", "page-2"]],
//!         "headers": [["x-api-key", "<redacted>"]]
//!       },
//!       "response": {
//!         "status": 200,
//!         "headers": [["content-type", "application/json"]],
//!         "body": {"workspaces": []}
//!       }
//!     }
//!   ]
//! }
//! ```
//!
//! `path` is relative to the base URL (what the spec's paths name); a
//! response's `body` is its JSON, or `text` holds a body that is not JSON.
//! `base_url` is the one recorded against: a replay answers with it replaced
//! by its own (a next page's link in a body or a `Link` header, say).
//! A listing that waited out refusals (a rate limit, an unavailable server)
//! keeps only the responses it was answered with, and says how many it
//! waited out in `"waited_out"` (left out when none).

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use workspaces_sdk::Exchange;

/// The format a cassette declares.
pub const FORMAT: &str = "workspaces-cassette/1";

/// What replaces a credential.
pub const REDACTED: &str = "<redacted>";

/// A recorded listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cassette {
    /// Always [`FORMAT`].
    pub format: String,
    /// The provider's id.
    pub provider: String,
    /// The base URL the listing was recorded against (empty: not known).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub base_url: String,
    /// Each request and its response, in the order sent.
    pub interactions: Vec<Interaction>,
    /// How many refusals (a rate limit, an unavailable server) the listing
    /// waited out before those responses; none are recorded.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub waited_out: u32,
}

fn is_zero(count: &u32) -> bool {
    *count == 0
}

/// One request and its response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// The spec's id of the operation.
    pub operation: String,
    /// The request.
    pub request: RecordedRequest,
    /// Its response.
    pub response: RecordedResponse,
}

/// A request as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// `GET`, ...
    pub method: String,
    /// The path, relative to the base URL.
    pub path: String,
    /// The query's pairs, in order.
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// The headers, names in lower case.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

/// A response as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The status code.
    pub status: u16,
    /// The headers, names in lower case.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body, when it is JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// The body, when it is not JSON (empty: no body).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

impl RecordedResponse {
    /// The body's bytes, as a server sends them again.
    pub fn bytes(&self) -> Vec<u8> {
        match &self.body {
            Some(body) => body.to_string().into_bytes(),
            None => self.text.clone().into_bytes(),
        }
    }

    /// The `Content-Type` header, if recorded.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.as_str())
    }
}

impl Cassette {
    /// A cassette of `exchanges`, paths made relative to `base_url`'s path,
    /// and every occurrence of each of `secrets` (at least 4 characters long)
    /// replaced by [`REDACTED`], beside what the client already removed.
    pub fn record(provider: &str, base_url: &str, exchanges: &[Exchange], secrets: &[&str]) -> Self {
        let prefix = url::Url::parse(base_url)
            .map(|url| url.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        let interactions = exchanges
            .iter()
            .map(|exchange| {
                let url = url::Url::parse(&exchange.url).ok();
                let path = url.as_ref().map_or_else(String::new, |u| u.path().to_owned());
                let path = path
                    .strip_prefix(prefix.as_str())
                    .filter(|p| p.starts_with('/'))
                    .map_or(path.clone(), str::to_owned);
                let query = url.map(|u| u.query_pairs().into_owned().collect()).unwrap_or_default();
                let text = String::from_utf8_lossy(&exchange.body).into_owned();
                let body: Option<Value> = serde_json::from_str(&text).ok();
                Interaction {
                    operation: exchange.operation_id.to_owned(),
                    request: RecordedRequest {
                        method: exchange.method.clone(),
                        path,
                        query,
                        headers: exchange.request_headers.clone(),
                    },
                    response: RecordedResponse {
                        status: exchange.status,
                        headers: exchange.response_headers.clone(),
                        text: if body.is_some() { String::new() } else { text },
                        body,
                    },
                }
            })
            .collect();
        let mut cassette = Self {
            format: FORMAT.to_owned(),
            provider: provider.to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            interactions,
            waited_out: 0,
        };
        cassette.scrub(secrets);
        cassette
    }

    /// Replaces every occurrence of each secret (at least 4 characters long)
    /// in every string of the cassette by [`REDACTED`].
    pub fn scrub(&mut self, secrets: &[&str]) {
        let mut secrets: Vec<&str> = secrets.iter().copied().filter(|s| s.len() >= 4).collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let clean = |text: &mut String| {
            for secret in &secrets {
                if text.contains(secret) {
                    *text = text.replace(secret, REDACTED);
                }
            }
        };
        fn walk(value: &mut Value, clean: &dyn Fn(&mut String)) {
            match value {
                Value::String(text) => clean(text),
                Value::Array(items) => items.iter_mut().for_each(|v| walk(v, clean)),
                Value::Object(map) => {
                    let entries = std::mem::take(map);
                    for (mut key, mut value) in entries {
                        clean(&mut key);
                        walk(&mut value, clean);
                        map.insert(key, value);
                    }
                }
                _ => {}
            }
        }
        for interaction in &mut self.interactions {
            let (request, response) = (&mut interaction.request, &mut interaction.response);
            clean(&mut request.path);
            let pairs = request
                .query
                .iter_mut()
                .chain(&mut request.headers)
                .chain(&mut response.headers);
            for (name, value) in pairs {
                clean(name);
                clean(value);
            }
            clean(&mut response.text);
            if let Some(body) = &mut response.body {
                walk(body, &clean);
            }
        }
    }

    /// Reads a cassette of `provider` (its id).
    ///
    /// # Errors
    ///
    /// When the file cannot be read, is not a cassette, is of another
    /// format, or is another provider's.
    pub fn read(path: &Path, provider: &str) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let cassette: Self =
            serde_json::from_str(&text).map_err(|e| format!("{} is not a cassette: {e}", path.display()))?;
        if cassette.format != FORMAT {
            return Err(format!(
                "{} is a cassette of format `{}`, not `{FORMAT}`",
                path.display(),
                cassette.format
            ));
        }
        if cassette.provider != provider {
            return Err(format!(
                "{} is a cassette of `{}`, not {provider}",
                path.display(),
                cassette.provider
            ));
        }
        Ok(cassette)
    }

    /// Writes the cassette, pretty-printed.
    ///
    /// # Errors
    ///
    /// When the file cannot be written.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// The recorded response to a request, matched by method, path and query
    /// (pairs in any order; `ignored` names a query parameter left out of the
    /// comparison: a credential's, which the cassette holds redacted).
    pub fn answer(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        ignored: Option<&str>,
    ) -> Option<&RecordedResponse> {
        let sorted = |pairs: &[(String, String)]| {
            let mut pairs: Vec<(String, String)> = pairs
                .iter()
                .filter(|(k, _)| Some(k.as_str()) != ignored)
                .cloned()
                .collect();
            pairs.sort();
            pairs
        };
        let wanted = sorted(query);
        self.interactions
            .iter()
            .find(|i| {
                i.request.method.eq_ignore_ascii_case(method)
                    && i.request.path == path
                    && sorted(&i.request.query) == wanted
            })
            .map(|i| &i.response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cassette() -> Cassette {
        Cassette {
            format: FORMAT.into(),
            provider: "example".into(),
            base_url: String::new(),
            waited_out: 0,
            interactions: vec![Interaction {
                operation: "listThings".into(),
                request: RecordedRequest {
                    method: "GET".into(),
                    path: "/things".into(),
                    query: vec![("page".into(), "2".into()), ("key".into(), "s3cret-key".into())],
                    headers: vec![("x-echo".into(), "Bearer s3cret-key".into())],
                },
                response: RecordedResponse {
                    status: 200,
                    headers: vec![("content-type".into(), "application/json".into())],
                    body: Some(serde_json::json!({"s3cret-key": ["echo s3cret-key"], "n": 1})),
                    text: String::new(),
                },
            }],
        }
    }

    #[test]
    fn scrubbing_removes_every_occurrence_of_a_secret() {
        let mut cassette = cassette();
        cassette.scrub(&["s3cret-key", "abc"]);
        let text = serde_json::to_string(&cassette).unwrap();
        assert!(!text.contains("s3cret"), "{text}");
        assert_eq!(cassette.interactions[0].request.headers[0].1, "Bearer <redacted>");
        let body = cassette.interactions[0].response.body.clone().unwrap();
        assert_eq!(body, serde_json::json!({"<redacted>": ["echo <redacted>"], "n": 1}));
    }

    #[test]
    fn a_request_is_answered_by_method_path_and_query_in_any_order() {
        let cassette = cassette();
        let query = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let found = cassette.answer(
            "GET",
            "/things",
            &query(&[("key", "other"), ("page", "2")]),
            Some("key"),
        );
        assert_eq!(found.map(|r| r.status), Some(200));
        assert!(
            cassette
                .answer("GET", "/things", &query(&[("page", "3")]), Some("key"))
                .is_none()
        );
        assert!(
            cassette
                .answer("POST", "/things", &query(&[("page", "2")]), Some("key"))
                .is_none()
        );
        assert!(
            cassette
                .answer("GET", "/things", &query(&[("page", "2")]), None)
                .is_none()
        );
    }
}
