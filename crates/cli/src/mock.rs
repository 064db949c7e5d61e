//! A local server that answers like a provider's API, with the examples of
//! its spec: every operation that documents a JSON success example, the
//! credential checked where the spec puts it, and long listings split into
//! pages as the spec's `x-pagination` describes them.

use std::{convert::Infallible, net::SocketAddr};

use http_body_util::Full;
use hyper::{Request, Response, StatusCode, body::Bytes, header, service::service_fn};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::{net::TcpListener, task::JoinHandle};
use workspaces_sdk::Provider;

use crate::cassette::Cassette;

/// What a provider's mock answers (generated from its spec).
pub(crate) struct Mock {
    pub provider: &'static str,
    pub auth: MockAuth,
    pub routes: &'static [Route],
}

/// Where the spec puts the credential (each place a spec may name, whether
/// or not a provider of this build uses it).
#[allow(dead_code)]
pub(crate) enum MockAuth {
    /// A header, its value a prefix and the credential.
    Header { name: &'static str, prefix: &'static str },
    /// HTTP basic: `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// A query parameter.
    Query(&'static str),
    /// A cookie.
    Cookie(&'static str),
}

impl MockAuth {
    /// The credential a request presents, if any.
    fn presented<B>(&self, request: &Request<B>, query: &[(String, String)]) -> Option<String> {
        use base64::Engine as _;
        let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
        let found = match *self {
            Self::Header { name, prefix } => header(name)?.strip_prefix(prefix)?.to_owned(),
            Self::Basic => {
                let encoded = header("authorization")?.strip_prefix("Basic ")?;
                let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
                String::from_utf8(decoded).ok()?
            }
            Self::Query(name) => query.iter().find(|(key, _)| key == name)?.1.clone(),
            Self::Cookie(name) => header("cookie")?
                .split(';')
                .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))?
                .to_owned(),
        };
        Some(found).filter(|credential| !credential.trim().is_empty())
    }
}

/// One operation: its documented success example, and its 401 example if any.
pub(crate) struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub success: &'static str,
    pub unauthorized: Option<&'static str>,
    pub paging: Option<MockPaging>,
    pub filters: Option<MockFilters>,
}

/// How a listing's query parameters pick its items, which the mock applies:
/// a request's value (or values, for a list) must equal the item's property.
pub(crate) struct MockFilters {
    /// The items in a response (a JSON pointer).
    pub items: &'static str,
    /// `(parameter, property)`: `ids` picks items by their `id`.
    pub by_property: &'static [(&'static str, &'static str)],
    /// The listing's other query parameters, which the mock does not apply.
    pub ignored: &'static [&'static str],
}

impl MockFilters {
    /// The items of `page` that every filter of the request keeps.
    fn apply(&self, page: &mut Value, query: &[(String, String)]) {
        let Some(items) = page.pointer_mut(self.items).and_then(Value::as_array_mut) else {
            return;
        };
        for (parameter, property) in self.by_property {
            let wanted: Vec<&str> = query
                .iter()
                .filter(|(key, _)| key == parameter)
                .map(|(_, value)| value.as_str())
                .collect();
            if wanted.is_empty() {
                continue;
            }
            items.retain(|item| match item.get(*property) {
                Some(Value::String(text)) => wanted.contains(&text.as_str()),
                Some(Value::Null) | None => false,
                Some(other) => wanted.contains(&other.to_string().as_str()),
            });
        }
    }
}

/// What each route of `provider`'s mock does not apply of its listing's
/// filters, one line each (empty when it applies them all).
pub fn ignored_filters(provider: Provider) -> Vec<String> {
    Mock::ALL
        .iter()
        .filter(|m| m.provider == provider.id())
        .flat_map(|m| m.routes)
        .filter_map(|route| {
            let ignored = route.filters.as_ref()?.ignored;
            (!ignored.is_empty()).then(|| format!("{} {} ignores {}", route.method, route.path, ignored.join(", ")))
        })
        .collect()
}

/// How a listing is split into pages (the spec's `x-pagination`).
pub(crate) enum MockPaging {
    Cursor {
        parameter: &'static str,
        next_cursor: &'static str,
        items: &'static str,
        /// Whether the cursor is an integer (else a string).
        integer: bool,
        /// What marks the last page: the member at this pointer (the cursor
        /// or an object holding it) set as the spec allows.
        end: (&'static str, PageEnd),
        /// Each object on the way to the cursor, outermost first, with a
        /// valid instance of it (JSON) for a page that lacks it.
        objects: &'static [(&'static str, &'static str)],
    },
    Page {
        page: &'static str,
        size: &'static str,
        items: &'static str,
    },
}

/// How the last page of a cursor listing says that none follows.
#[allow(
    dead_code,
    reason = "each mark a spec may call for, whether or not a provider of this build does"
)]
pub(crate) enum PageEnd {
    Null,
    Absent,
    Empty,
}

/// How a mock behaves.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// The one credential accepted (`None`: any non-empty credential).
    pub credential: Option<String>,
    /// Items per page of a listing split into pages, when the request does
    /// not ask for a size.
    pub page_size: usize,
    /// A cassette to answer from instead of the spec's examples.
    pub replay: Option<std::sync::Arc<Cassette>>,
}

impl Default for MockOptions {
    fn default() -> Self {
        Self {
            credential: None,
            page_size: 1,
            replay: None,
        }
    }
}

/// A mock server running on the current tokio runtime; dropping it stops it.
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    task: JoinHandle<()>,
}

impl MockServer {
    /// The base URL to give a client.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts `provider`'s mock on `127.0.0.1:port` (`0`: any free port).
///
/// # Errors
///
/// When the port cannot be bound, or the spec of `provider` documents no
/// example to answer with.
pub async fn start(provider: Provider, port: u16, options: MockOptions) -> Result<MockServer, String> {
    let mock = Mock::ALL
        .iter()
        .find(|m| m.provider == provider.id())
        .filter(|m| !m.routes.is_empty())
        .ok_or_else(|| format!("the {provider} spec documents no JSON success example to serve"))?;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let options = std::sync::Arc::new(options);
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let options = options.clone();
            let service = service_fn(move |request| {
                let response = answer(mock, &options, &request);
                async move { Ok::<_, Infallible>(response) }
            });
            tokio::spawn(hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service));
        }
    });
    Ok(MockServer { address, task })
}

/// The answer to one request.
fn answer<B>(mock: &Mock, options: &MockOptions, request: &Request<B>) -> Response<Full<Bytes>> {
    let path = request.uri().path();
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    if let Some(cassette) = &options.replay {
        return replay(mock, options, cassette, request, &query);
    }
    let Some(route) = mock
        .routes
        .iter()
        .find(|r| r.path == path && r.method == request.method().as_str())
    else {
        let message = format!("no {} {path} in this mock", request.method());
        return reply(StatusCode::NOT_FOUND, json!({ "message": message }));
    };
    if !accepted(mock, options, request, &query) {
        let body = route
            .unauthorized
            .and_then(|body| serde_json::from_str(body).ok())
            .unwrap_or_else(|| json!({ "message": "missing or invalid credential" }));
        return reply(StatusCode::UNAUTHORIZED, body);
    }
    let mut example: Value = serde_json::from_str(route.success).unwrap_or(Value::Null);
    if let Some(filters) = &route.filters {
        filters.apply(&mut example, &query);
    }
    match &route.paging {
        None => reply(StatusCode::OK, example),
        Some(paging) => match page_of(example, paging, &query, options.page_size) {
            Ok(page) => reply(StatusCode::OK, page),
            Err(message) => reply(StatusCode::BAD_REQUEST, json!({ "message": message })),
        },
    }
}

/// Whether the request presents the credential the mock accepts.
fn accepted<B>(mock: &Mock, options: &MockOptions, request: &Request<B>, query: &[(String, String)]) -> bool {
    match (mock.auth.presented(request, query), &options.credential) {
        (None, _) => false,
        (Some(given), Some(expected)) => given == *expected,
        (Some(_), None) => true,
    }
}

/// The recorded answer to a request: the response of the cassette's
/// interaction of the same method, path and query (the credential aside).
fn replay<B>(
    mock: &Mock,
    options: &MockOptions,
    cassette: &Cassette,
    request: &Request<B>,
    query: &[(String, String)],
) -> Response<Full<Bytes>> {
    let (method, path) = (request.method().as_str(), request.uri().path());
    if !accepted(mock, options, request, query) {
        return reply(
            StatusCode::UNAUTHORIZED,
            json!({ "message": "missing or invalid credential" }),
        );
    }
    let ignored = match mock.auth {
        MockAuth::Query(name) => Some(name),
        _ => None,
    };
    let Some(recorded) = cassette.answer(method, path, query, ignored) else {
        let message = format!("no {method} {path} with this query in the cassette");
        return reply(StatusCode::NOT_FOUND, json!({ "message": message }));
    };
    let mut response = Response::new(Full::new(Bytes::from(recorded.bytes())));
    *response.status_mut() = StatusCode::from_u16(recorded.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let framing = ["content-length", "transfer-encoding", "connection", "content-encoding"];
    for (name, value) in recorded
        .headers
        .iter()
        .filter(|(name, _)| !framing.contains(&name.to_ascii_lowercase().as_str()))
    {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::try_from(name.as_str()),
            header::HeaderValue::try_from(value.as_str()),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// The page of `example` a request asks for: its items cut to the page, and,
/// for cursor listings, the cursor of the next page (`page-2`, ..., or `2`,
/// ... for an integer cursor) set, or the mark of the last page.
fn page_of(
    mut example: Value,
    paging: &MockPaging,
    query: &[(String, String)],
    default_size: usize,
) -> Result<Value, String> {
    let value = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let number = |name: &str, text: &str| match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{name}` must be a positive integer, got `{text}`")),
    };
    let (items, page, size) = match paging {
        MockPaging::Cursor {
            parameter,
            items,
            integer,
            ..
        } => {
            let page = match value(parameter) {
                None => 1,
                Some(cursor) => match integer {
                    true => Some(cursor),
                    false => cursor.strip_prefix("page-"),
                }
                .and_then(|n| number(parameter, n).ok())
                .ok_or_else(|| format!("unknown cursor `{cursor}`"))?,
            };
            (*items, page, default_size)
        }
        MockPaging::Page { page, size, items } => {
            let number_of = |name: &str, default| value(name).map_or(Ok(default), |text| number(name, text));
            (*items, number_of(page, 1)?, number_of(size, default_size)?)
        }
    };
    let size = size.max(1);
    let list = example
        .pointer_mut(items)
        .and_then(Value::as_array_mut)
        .ok_or("the example has no list of items where the spec says")?;
    let all = std::mem::take(list);
    let more = all.len() > page.saturating_mul(size);
    *list = all
        .into_iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .collect();
    if let MockPaging::Cursor {
        next_cursor,
        integer,
        end,
        objects,
        ..
    } = paging
    {
        match more {
            true => {
                for (pointer, instance) in *objects {
                    if !example.pointer(pointer).is_some_and(Value::is_object) {
                        set(&mut example, pointer, serde_json::from_str(instance).ok());
                    }
                }
                let next = match integer {
                    true => json!(page + 1),
                    false => json!(format!("page-{}", page + 1)),
                };
                set(&mut example, next_cursor, Some(next));
            }
            false => match end.1 {
                PageEnd::Null => set(&mut example, end.0, Some(Value::Null)),
                PageEnd::Absent => set(&mut example, end.0, None),
                PageEnd::Empty => set(&mut example, end.0, Some(json!(""))),
            },
        }
    }
    Ok(example)
}

/// Sets (or, for `None`, removes) the member at `pointer` of `page`, whose
/// parent is an object.
fn set(page: &mut Value, pointer: &str, value: Option<Value>) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(object) = page.pointer_mut(parent).and_then(Value::as_object_mut) {
        match value {
            Some(value) => object.insert(key, value),
            None => object.remove(&key),
        };
    }
}

fn reply(status: StatusCode, body: Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_credential_is_read_where_the_spec_puts_it() {
        let request = Request::builder()
            .uri("/things?api_key=q-key")
            .header("x-api-key", "h-key")
            .header("authorization", "Basic YWRhOnBhNTV3b3Jk")
            .header("cookie", "theme=dark; sid=c-key")
            .body(())
            .unwrap();
        let pairs = query(&[("api_key", "q-key")]);
        let read = |auth: MockAuth| auth.presented(&request, &pairs);
        let header = MockAuth::Header {
            name: "x-api-key",
            prefix: "",
        };
        assert_eq!(read(header).as_deref(), Some("h-key"));
        assert_eq!(read(MockAuth::Basic).as_deref(), Some("ada:pa55word"));
        assert_eq!(read(MockAuth::Query("api_key")).as_deref(), Some("q-key"));
        assert_eq!(read(MockAuth::Cookie("sid")).as_deref(), Some("c-key"));
        assert_eq!(read(MockAuth::Cookie("si")), None);
        let bearer = MockAuth::Header {
            name: "authorization",
            prefix: "Bearer ",
        };
        assert_eq!(read(bearer), None);
    }

    const CURSOR: MockPaging = MockPaging::Cursor {
        parameter: "cursor",
        next_cursor: "/meta/next",
        items: "/items",
        integer: false,
        end: ("/meta/next", PageEnd::Absent),
        objects: &[("/meta", r#"{"next": ""}"#)],
    };
    const PAGE: MockPaging = MockPaging::Page {
        page: "page",
        size: "size",
        items: "",
    };

    #[test]
    fn a_cursor_listing_is_cut_into_pages_chained_by_cursor() {
        let example = json!({"meta": {"next": "stale"}, "items": [1, 2, 3]});
        let first = page_of(example.clone(), &CURSOR, &[], 2).unwrap();
        assert_eq!(first, json!({"meta": {"next": "page-2"}, "items": [1, 2]}));
        let last = page_of(example.clone(), &CURSOR, &query(&[("cursor", "page-2")]), 2).unwrap();
        assert_eq!(last, json!({"meta": {}, "items": [3]}));
        let error = page_of(example, &CURSOR, &query(&[("cursor", "nope")]), 2).unwrap_err();
        assert_eq!(error, "unknown cursor `nope`");
    }

    #[test]
    fn a_cursor_under_a_nullable_object_is_an_integer_of_its_own_and_ends_with_null() {
        const OFFSET: MockPaging = MockPaging::Cursor {
            parameter: "offset",
            next_cursor: "/next_page/offset",
            items: "/data",
            integer: true,
            end: ("/next_page", PageEnd::Null),
            objects: &[("/next_page", r#"{"offset": 0, "uri": "https://example.com/"}"#)],
        };
        let example = json!({"data": [1, 2, 3], "next_page": null});
        let first = page_of(example.clone(), &OFFSET, &[], 2).unwrap();
        assert_eq!(
            first,
            json!({"data": [1, 2], "next_page": {"offset": 2, "uri": "https://example.com/"}})
        );
        let last = page_of(example, &OFFSET, &query(&[("offset", "2")]), 2).unwrap();
        assert_eq!(last, json!({"data": [3], "next_page": null}));
    }

    #[test]
    fn a_page_listing_honours_the_requested_page_and_size() {
        let example = json!([1, 2, 3, 4, 5]);
        assert_eq!(page_of(example.clone(), &PAGE, &[], 2).unwrap(), json!([1, 2]));
        let third = query(&[("page", "3"), ("size", "2")]);
        assert_eq!(page_of(example.clone(), &PAGE, &third, 9).unwrap(), json!([5]));
        let past = query(&[("page", "9"), ("size", "2")]);
        assert_eq!(page_of(example.clone(), &PAGE, &past, 9).unwrap(), json!([]));
        let error = page_of(example, &PAGE, &query(&[("page", "0")]), 2).unwrap_err();
        assert_eq!(error, "`page` must be a positive integer, got `0`");
    }
}
