//! HTTP servers on loopback for the tests on the wire: each records the
//! requests it receives and answers with scripted or computed replies.

use std::{
    io::{BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    sync::mpsc,
    thread,
    time::{Duration, Instant},
};

/// A request as received on the wire.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    /// Header names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body, as long as its `content-length` says (at most 64 KiB).
    pub body: Vec<u8>,
}

impl Captured {
    /// Every value of a header.
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The path and query as sent, without the query parameters that carry
    /// a credential (checked on their own).
    pub fn target_without_credentials(&self, auth: &xtask::model::Auth) -> String {
        let names = credential_query_names(auth);
        let Some((path, query)) = self.target.split_once('?') else {
            return self.target.clone();
        };
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !names.iter().any(|name| pair.split('=').next() == Some(name.as_str())))
            .collect();
        match kept.is_empty() {
            true => path.to_owned(),
            false => format!("{path}?{}", kept.join("&")),
        }
    }

    /// The values of a query parameter, decoded.
    pub fn query(&self, name: &str) -> Vec<String> {
        let query = self.target.split_once('?').map(|(_, q)| q).unwrap_or_default();
        reqwest::Url::parse(&format!("http://x/?{query}"))
            .map(|url| {
                url.query_pairs()
                    .filter(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One reply: status, headers, body, how long to wait before sending it, and
/// how its body goes on the wire.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    pub sending: Sending,
}

/// How a reply's body goes on the wire: as a server should send it, or as a
/// broken or hostile one does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sending {
    /// At once, with its true `content-length`.
    Whole,
    /// At once, announcing `content-length: n` whatever its true length,
    /// then the connection closed.
    Announcing(u64),
    /// Chunked, the body over and over without end, until the client hangs up.
    Endless,
    /// With its true `content-length`, one byte every `interval`, until the
    /// client hangs up.
    Trickling(Duration),
}

impl Reply {
    /// A reply with a status and JSON body, at once.
    pub fn new(status: u16, body: &[u8]) -> Self {
        let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        Self {
            status,
            headers,
            body: body.to_vec(),
            delay: Duration::ZERO,
            sending: Sending::Whole,
        }
    }

    /// A reply with exactly these headers.
    pub fn with_headers(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> Self {
        let headers = headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        Self {
            status,
            headers,
            body,
            delay: Duration::ZERO,
            sending: Sending::Whole,
        }
    }

    /// The same reply with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The same reply, sent after `delay`.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The same reply, its body sent as `sending` says.
    pub fn sent(mut self, sending: Sending) -> Self {
        self.sending = sending;
        self
    }

    fn write_to(&self, stream: &mut TcpStream) {
        thread::sleep(self.delay);
        let headers: String = self.headers.iter().map(|(n, v)| format!("{n}: {v}\r\n")).collect();
        let length = match self.sending {
            Sending::Announcing(length) => format!("content-length: {length}"),
            Sending::Endless => "transfer-encoding: chunked".to_owned(),
            Sending::Whole | Sending::Trickling(_) => format!("content-length: {}", self.body.len()),
        };
        let head = format!(
            "HTTP/1.1 {} Status\r\n{headers}{length}\r\nconnection: close\r\n\r\n",
            self.status
        );
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        match self.sending {
            Sending::Whole | Sending::Announcing(_) => {
                let _ = stream.write_all(&self.body);
            }
            Sending::Endless => {
                let chunk = [format!("{:x}\r\n", self.body.len()).as_bytes(), &self.body, b"\r\n"].concat();
                // Until the client hangs up (or 4 GiB, should it never).
                for _ in 0..(4u64 << 30) / chunk.len().max(1) as u64 {
                    if stream.write_all(&chunk).is_err() {
                        return;
                    }
                }
            }
            Sending::Trickling(interval) => {
                for byte in &self.body {
                    thread::sleep(interval);
                    if stream.write_all(std::slice::from_ref(byte)).is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// Serves up to `max` requests on `127.0.0.1`, one connection each, answering
/// each with what `answer` makes of it; every request received is sent on the
/// channel. A connection the client closed before sending a request (a
/// prefetched page's, dropped at the end of a listing) is no request. The
/// server gives up 10 s after the last request (or its start).
pub fn serve_with(
    max: usize,
    answer: impl Fn(&Captured) -> Reply + Send + 'static,
) -> (String, mpsc::Receiver<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    // Non-blocking accepts, so that a test expecting no request ends the
    // thread by the deadline instead of leaving it blocked.
    listener.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        let mut served = 0;
        while served < max {
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut stream = loop {
                match listener.accept() {
                    Ok((stream, _)) => break stream,
                    Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
                    Err(_) => return,
                }
            };
            stream.set_nonblocking(false).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let captured = read_request(&stream);
            if captured.method.is_empty() {
                continue;
            }
            served += 1;
            let reply = answer(&captured);
            // Reported before the reply goes out: once a client has its
            // response, the test can count the request without waiting.
            let listening = sender.send(captured).is_ok();
            // Each reply on its own thread, so that a slow one does not hold
            // back the client's next connection (a retry).
            thread::spawn(move || reply.write_to(&mut stream));
            if !listening {
                return;
            }
        }
    });
    (base, receiver)
}

/// Serves the replies in order.
pub fn serve_script(replies: Vec<Reply>) -> (String, mpsc::Receiver<Captured>) {
    let count = replies.len();
    let replies = std::sync::Mutex::new(replies.into_iter());
    serve_with(count, move |_| {
        replies.lock().unwrap().next().expect("one reply a request")
    })
}

/// Serves one request with `status`, `content-type` and `body`.
pub fn serve_once(status: u16, content_type: &str, body: Vec<u8>) -> (String, mpsc::Receiver<Captured>) {
    serve_once_with(status, &[("content-type", content_type)], body)
}

/// [`serve_once`] with any response headers.
pub fn serve_once_with(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> (String, mpsc::Receiver<Captured>) {
    serve_script(vec![Reply::with_headers(status, headers, body)])
}

/// Reads one request: its head, and its body when it has a `content-length`.
pub fn read_request(stream: &TcpStream) -> Captured {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length.min(64 * 1024)];
    if std::io::Read::read_exact(&mut reader, &mut body).is_err() {
        body.clear();
    }
    Captured {
        method,
        target,
        headers,
        body,
    }
}

/// Where each credential went on a request, and the headers they take.
pub struct CredentialsOnWire {
    /// For each scheme: where (`header X-API-Key`), what was expected there,
    /// what was found.
    pub found: Vec<(String, Vec<String>, Vec<String>)>,
    /// The headers credentials take, lowercased.
    pub headers: Vec<String>,
}

/// The credentials a spec's security puts on a request, as the registry's
/// clients give them (`credential` for the first scheme, `test-<scheme>` for
/// the others, `test-user:` before a basic one): for each, where it went
/// and what was found there, to compare with what was expected. The names of
/// the headers they take come back too.
pub fn credentials_on_wire(
    auth: &xtask::model::Auth,
    request: &Captured,
    credential: &str,
    operation_id: &str,
) -> CredentialsOnWire {
    use xtask::model::Place;
    let mut found = Vec::new();
    let mut headers = Vec::new();
    let public = auth.public_operations.iter().any(|id| id == operation_id);
    for (index, scheme) in auth.schemes.iter().enumerate() {
        let value = match index {
            0 => credential.to_owned(),
            _ => format!("test-{}", scheme.name),
        };
        let sent = |text: String| if public { Vec::new() } else { vec![text] };
        let owned = |values: Vec<&str>| values.into_iter().map(str::to_owned).collect::<Vec<_>>();
        let (place, expected, seen) = match &scheme.place {
            Place::Header { name, prefix } => {
                headers.push(name.to_lowercase());
                (
                    format!("header {name}"),
                    sent(format!("{prefix}{value}")),
                    owned(request.header(name)),
                )
            }
            Place::Basic => {
                headers.push("authorization".into());
                let basic = reqwest::Client::new()
                    .get("http://127.0.0.1/")
                    .basic_auth("test-user", Some(&value))
                    .build()
                    .expect("a request");
                let header = basic.headers()["authorization"].to_str().unwrap_or_default().to_owned();
                ("basic".into(), sent(header), owned(request.header("authorization")))
            }
            Place::Query(name) => (format!("query {name}"), sent(value), request.query(name)),
            Place::Cookie(name) => {
                headers.push("cookie".into());
                let cookies = request.header("cookie").join("; ");
                let seen = cookies
                    .split(';')
                    .filter_map(|pair| pair.trim().strip_prefix(name.as_str())?.strip_prefix('='))
                    .map(str::to_owned)
                    .collect();
                (format!("cookie {name}"), sent(value), seen)
            }
        };
        found.push((place, expected, seen));
    }
    CredentialsOnWire { found, headers }
}

/// The query parameters a spec's security puts credentials in.
pub fn credential_query_names(auth: &xtask::model::Auth) -> Vec<String> {
    auth.schemes
        .iter()
        .filter_map(|scheme| match &scheme.place {
            xtask::model::Place::Query(name) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// Every place a security scheme may put a credential, each with a
/// credential and the secrets it is made of (for basic: the password and
/// the encoded pair).
pub fn credential_places() -> Vec<(
    workspaces_sdk_runtime::plumbing::Place,
    workspaces_sdk_runtime::Credential,
    Vec<&'static str>,
)> {
    use workspaces_sdk_runtime::{Credential, plumbing::Place};
    vec![
        (
            Place::Header {
                name: "X-API-Key",
                prefix: "",
            },
            "key-0123456789".into(),
            vec!["key-0123456789"],
        ),
        (
            Place::Header {
                name: "Authorization",
                prefix: "Bearer ",
            },
            "oauth-access-token".into(),
            vec!["oauth-access-token"],
        ),
        (
            Place::Basic,
            Credential::basic("ada", "pa55word"),
            vec!["pa55word", "YWRhOnBhNTV3b3Jk"],
        ),
        (Place::Query("api_key"), "query-key-0123".into(), vec!["query-key-0123"]),
        (Place::Cookie("sid"), "cookie-key-0123".into(), vec!["cookie-key-0123"]),
    ]
}

/// The API of an example provider, whose credentials go into `auth`.
pub fn example_api(
    auth: &'static [workspaces_sdk_runtime::plumbing::Auth],
) -> &'static workspaces_sdk_runtime::plumbing::Api {
    Box::leak(Box::new(workspaces_sdk_runtime::plumbing::Api::new(
        "Example",
        "workspaces-sdk-example/1.0.0",
        auth,
    )))
}

/// The example provider's `listThings`, which takes its credentials.
pub static LIST_THINGS: workspaces_sdk_runtime::plumbing::Operation =
    workspaces_sdk_runtime::plumbing::Operation::new("listThings");

/// The example provider's `ping`, which is public (`security: []`).
pub static PING: workspaces_sdk_runtime::plumbing::Operation =
    workspaces_sdk_runtime::plumbing::Operation::new("ping").public();

/// A requirement of one security scheme, its credential at `place`.
pub fn one_scheme(
    scheme: &'static str,
    place: workspaces_sdk_runtime::plumbing::Place,
) -> &'static [workspaces_sdk_runtime::plumbing::Auth] {
    Box::leak(Box::new([workspaces_sdk_runtime::plumbing::Auth { scheme, place }]))
}

/// Sends one `GET url` of `operation` through the runtime every generated
/// client uses, as a client of `api` with `config`, each attempt dispatched
/// as a generated operation's is: the status, or the error's text.
pub fn send(
    api: &'static workspaces_sdk_runtime::plumbing::Api,
    credential: Option<workspaces_sdk_runtime::Credential>,
    config: workspaces_sdk_runtime::Config,
    operation: &'static workspaces_sdk_runtime::plumbing::Operation,
    url: &str,
) -> Result<u16, String> {
    use std::borrow::Cow;
    use workspaces_sdk_runtime::plumbing::{Context, call, http_client, progenitor_client};

    /// What a generated operation's builder holds, as far as one attempt needs.
    #[derive(Clone)]
    struct Get<'a> {
        context: &'a Context,
        http: &'a reqwest::Client,
        url: reqwest::Url,
    }

    /// One attempt, as a generated `dispatch()` makes it: every status is the
    /// outcome.
    async fn dispatch(get: Get<'_>) -> Result<progenitor_client::ResponseValue<()>, progenitor_client::Error<()>> {
        let mut request = reqwest::Request::new(reqwest::Method::GET, get.url);
        get.context
            .prepare(&mut request)
            .map_err(progenitor_client::Error::Custom)?;
        let response = get.context.execute(get.http, request).await?;
        Ok(progenitor_client::ResponseValue::new(
            (),
            response.status(),
            response.headers().clone(),
        ))
    }

    let context = Context::new(api, credential, &config).map_err(|e| e.to_string())?;
    let http = http_client(api, &config).map_err(|e| e.to_string())?;
    let get = Get {
        context: &context,
        http: &http,
        url: url.parse().map_err(|e| format!("{url}: {e}"))?,
    };
    let outcome = call(
        Cow::Borrowed(&context),
        operation,
        Default::default(),
        get,
        dispatch,
        |_, _, ()| async { Ok(()) },
    );
    crate::runtime()
        .block_on(outcome)
        .map(|response| response.status().as_u16())
        .map_err(|error| match error.kind() {
            workspaces_sdk_runtime::ErrorKind::InvalidRequest(message) => message.clone(),
            _ => error.to_string(),
        })
}

/// The exchanges an observer is shown of one `GET {base}/things?page=2`
/// (operation `listThings`) sent by a client whose one security scheme puts
/// `credential` at `place`, to a server that answers `reply`.
pub fn observed(
    place: workspaces_sdk_runtime::plumbing::Place,
    credential: workspaces_sdk_runtime::Credential,
    reply: Reply,
) -> Vec<workspaces_sdk_runtime::Exchange> {
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<workspaces_sdk_runtime::Exchange>>> = Arc::default();
    let kept = seen.clone();
    let config =
        workspaces_sdk_runtime::Config::default().observe(move |exchange| kept.lock().unwrap().push(exchange.clone()));
    let (base, _received) = serve_script(vec![reply]);
    let api = example_api(one_scheme("scheme", place));
    send(
        api,
        Some(credential),
        config,
        &LIST_THINGS,
        &format!("{base}/things?page=2"),
    )
    .unwrap();
    seen.lock().unwrap().clone()
}
