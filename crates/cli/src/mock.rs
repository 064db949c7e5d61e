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

pub(crate) use crate::mock_pages::{MockPaging, MockStyle, PageEnd};
use crate::{
    cassette::Cassette,
    mock_pages::{Page, page_of},
};

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
        // Links to the next page are absolute (a spec may say `format: uri`).
        Some(paging) => match page_of(example, paging, &here(request, path), &query, options.page_size) {
            Ok(Page { body, link }) => {
                let mut response = reply(StatusCode::OK, body);
                let link = link.and_then(|link| header::HeaderValue::try_from(format!("<{link}>; rel=\"next\"")).ok());
                if let Some(link) = link {
                    response.headers_mut().insert(header::LINK, link);
                }
                response
            }
            Err(message) => reply(StatusCode::BAD_REQUEST, json!({ "message": message })),
        },
    }
}

/// This request's URL without its query, on the host it was sent to.
fn here<B>(request: &Request<B>, path: &str) -> String {
    match request.headers().get(header::HOST).and_then(|host| host.to_str().ok()) {
        Some(host) => format!("http://{host}{path}"),
        None => path.to_owned(),
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
    // What named the server recorded against (a next page's link) names this one.
    let own = here(request, "");
    let relocated = |text: &str| match cassette.base_url.is_empty() || own.is_empty() {
        true => text.to_owned(),
        false => text.replace(&cassette.base_url, &own),
    };
    let body = recorded.bytes();
    let body = match std::str::from_utf8(&body) {
        Ok(text) => relocated(text).into_bytes(),
        Err(_) => body,
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(recorded.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let framing = ["content-length", "transfer-encoding", "connection", "content-encoding"];
    for (name, value) in recorded
        .headers
        .iter()
        .filter(|(name, _)| !framing.contains(&name.to_ascii_lowercase().as_str()))
    {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::try_from(name.as_str()),
            header::HeaderValue::try_from(relocated(value)),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
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
}
