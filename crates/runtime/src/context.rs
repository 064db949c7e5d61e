//! The per-client state that prepares every request.

use std::{
    fmt,
    future::Future,
    sync::Arc,
    time::{Duration, SystemTime},
};

use futures_util::future::Either;
use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};
use tracing::Instrument;

use crate::{
    Api, Config, ConfigError, Credential, Operation, Retry,
    auth::Credentials,
    exchange::Sent,
    request_changes::checked_header,
    resilience::{RateLimiter, is_idempotent, is_retryable, retry_after},
};

/// The state a generated client carries for its hooks: the provider's [`Api`]
/// and the credentials, each checked once and, when fixed, already in the
/// form it goes on the wire.
///
/// Its `Debug` output names the provider and the security schemes, never a
/// credential.
///
/// Cloned with its client: the clone shares this state (one allocation,
/// made once), so that a client and each request that holds its own clone
/// stay small.
#[derive(Clone)]
pub struct Context(Arc<State>);

struct State {
    api: &'static Api,
    credentials: Credentials,
    user_agent: HeaderValue,
    retry: Retry,
    limiter: Option<Arc<RateLimiter>>,
    max_body: usize,
    observer: Option<crate::Observer>,
    /// `Config::default_header`, checked.
    default_headers: HeaderMap,
    on_request: Option<crate::RequestHook>,
}

impl Context {
    /// Checks the credentials and the `User-Agent` once, so that preparing a
    /// request can fail only on its arguments or a token source. `credential`
    /// goes into the API's first security scheme (`None` for an API that takes
    /// none), the configuration's credentials into the others.
    pub fn new(api: &'static Api, credential: Option<Credential>, config: &Config) -> Result<Self, ConfigError> {
        Self::at(api, credential, config, "")
    }

    /// [`Self::new`] for a client of the server at `base_url`, against which
    /// a spec's relative OAuth2 token endpoint is resolved.
    pub fn at(
        api: &'static Api,
        credential: Option<Credential>,
        config: &Config,
        base_url: &str,
    ) -> Result<Self, ConfigError> {
        let credentials = Credentials::configured(api, credential, &config.credentials, config, base_url)?;
        let user_agent = HeaderValue::try_from(api.user_agent()).map_err(|_| ConfigError::InvalidApi {
            provider: api.provider(),
            header: "User-Agent",
        })?;
        let mut default_headers = HeaderMap::new();
        for (name, value) in &config.default_headers {
            let (name, value) = checked_header(name, value, api).map_err(|reason| ConfigError::InvalidHeader {
                provider: api.provider(),
                reason,
            })?;
            default_headers.append(name, value);
        }
        Ok(Self(Arc::new(State {
            api,
            credentials,
            user_agent,
            retry: config.retry,
            limiter: config
                .requests_per_minute
                .map(|rpm| Arc::new(RateLimiter::per_minute(rpm))),
            max_body: config.max_body_bytes,
            observer: config.observer.clone(),
            default_headers,
            on_request: config.on_request.clone(),
        })))
    }

    /// The provider's API description.
    pub fn api(&self) -> &'static Api {
        self.0.api
    }

    /// The client's tokens that expire, if it keeps any.
    pub(crate) fn renewal(&self) -> Option<&crate::token::Renewal> {
        self.0.credentials.renewal()
    }

    /// Checks a request of the call under way against its operation's
    /// bounds, then puts on it what the provider documents and progenitor
    /// does not send: the credentials (none on a public operation), the
    /// operation's header defaults, and the `User-Agent`. Outside a call, the
    /// request is taken as one of an operation with neither bounds nor
    /// defaults that takes the credentials.
    ///
    /// # Errors
    ///
    /// A query parameter outside its bounds, or a token source that failed:
    /// the message says which, and the request must not be sent.
    pub fn prepare(&self, request: &mut reqwest::Request) -> Result<(), String> {
        static ANY: Operation = Operation::new("");
        let Some((options, attempt, operation)) = crate::call::current_attempt() else {
            return self.prepare_with(request, &ANY, &[], 1);
        };
        let headers = options.headers.as_deref().map(Vec::as_slice).unwrap_or_default();
        self.prepare_with(request, operation, headers, attempt.number)
    }

    /// [`Self::prepare`] for a request of `operation`.
    ///
    /// # Errors
    ///
    /// As for [`Self::prepare`].
    pub fn prepare_as(&self, request: &mut reqwest::Request, operation: &Operation) -> Result<(), String> {
        self.prepare_with(request, operation, &[], 1)
    }

    /// [`Self::prepare_as`] for attempt `attempt` of a call with its own
    /// `headers` (`with_header`): those, then the client's default headers
    /// and the operation's header defaults where the request has none, then
    /// the request hook, then the credentials (so that the hook never sees
    /// them), then the `User-Agent`.
    fn prepare_with(
        &self,
        request: &mut reqwest::Request,
        operation: &Operation,
        call_headers: &[(String, String)],
        attempt: u32,
    ) -> Result<(), String> {
        crate::links::follow_next_link(request)?;
        if let Some(violation) = operation.violation(request.url().query_pairs()) {
            return Err(violation);
        }
        let headers = request.headers_mut();
        for (name, value) in call_headers {
            let (name, value) = checked_header(name, value, self.0.api)?;
            headers.insert(name, value);
        }
        for (name, value) in &self.0.default_headers {
            headers.entry(name).or_insert_with(|| value.clone());
        }
        for default in operation.defaults() {
            let (name, value) = default.header();
            headers.entry(name).or_insert(value);
        }
        if let Some(hook) = &self.0.on_request {
            let info = crate::RequestInfo {
                operation: operation.id(),
                attempt,
            };
            hook.run(request, info);
        }
        self.0.credentials.apply(request, operation.is_public())?;
        request
            .headers_mut()
            .entry(USER_AGENT)
            .or_insert_with(|| self.0.user_agent.clone());
        Ok(())
    }

    /// Sends one attempt of a request as the client's configuration says (the
    /// `exec` hook): it waits for the rate limiter, runs in a tracing span
    /// (provider, operation, attempt; status and latency recorded, the
    /// credential never), and the body of the response it returns is read
    /// within the attempt (so a body that stalls is a timeout), at most
    /// `max_body_bytes` of it. The call's own timeout and retry policy, if
    /// set, replace the client's.
    ///
    /// Within a generated call, an idempotent request that failed in a
    /// retryable way is sent again after its back-off or `Retry-After`: this
    /// attempt tells the call so (its body is then not read), and the call
    /// dispatches the request again, credentials asked anew. Outside a call,
    /// a request is sent once.
    ///
    /// Not an `async fn`: without a rate limiter, the request is handed to
    /// reqwest before the future is returned, so that the future keeps only
    /// what the response needs (it is moved with every call, and every byte
    /// of it is touched). Not inlined: built in place, its future would save
    /// two copies of 0.7 KB a call, but the call's path would be longer, and
    /// one call at a time was measured 1% slower.
    pub fn execute<'a>(
        &'a self,
        http: &'a reqwest::Client,
        mut request: reqwest::Request,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + 'a {
        let in_call = crate::call::current_attempt();
        let retried = in_call.is_some() && is_idempotent(request.method());
        let (options, attempt, operation) = match in_call {
            Some((options, attempt, operation)) => (options, attempt, operation.id()),
            None => Default::default(),
        };
        if let Some(timeout) = options.attempt_timeout() {
            *request.timeout_mut() = Some(timeout);
        }
        match &self.0.limiter {
            None => Either::Left(self.send(http, request, operation, attempt.number, retried)),
            // Boxed: only a client with a rate limiter waits before sending.
            Some(limiter) => Either::Right(Box::pin(async move {
                limiter.acquire().await;
                self.send(http, request, operation, attempt.number, retried).await
            })),
        }
    }

    /// Sends `request` now, in a tracing span (provider, operation, attempt;
    /// status and latency recorded, the credential never), and reads the body
    /// of the response it returns, unless another attempt follows.
    fn send<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
        attempt: u32,
        retried: bool,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + 'a {
        // What an observer is shown of the request, read only for one.
        let sent = self
            .0
            .observer
            .as_ref()
            .map(|_| Sent::of(&request, operation, attempt, &self.0.credentials));
        let span = tracing::info_span!(target: crate::TRACE_REQUEST, "request", provider = self.0.api.provider(), operation, attempt);
        // The method and URL of the attempt's event, read only for a
        // subscriber that takes it; a credential in the query redacted.
        // Boxed: the attempt's future is smaller without room for them.
        let line = tracing::enabled!(target: crate::TRACE_REQUEST, tracing::Level::DEBUG).then(|| {
            let mut url = request.url().clone();
            self.0.credentials.redact_url(&mut url);
            Box::new((request.method().clone(), url))
        });
        let started = tokio::time::Instant::now();
        // Not instrumented when no subscriber listens to the span.
        let response = match span.is_disabled() {
            false => Either::Left(http.execute(request).instrument(span.clone())),
            true => Either::Right(http.execute(request)),
        };
        async move {
            // In a block of its own: the outcome is not kept beside the
            // reading of the body.
            let response = {
                let result = response.await;
                if let (Ok(response), Some(line)) = (&result, &line) {
                    let (method, url) = &**line;
                    // The clock is read only when a subscriber listens.
                    tracing::debug!(
                        target: crate::TRACE_REQUEST,
                        parent: &span,
                        method = %method,
                        url = %url,
                        status = response.status().as_u16(),
                        latency_ms = latency_ms(started),
                        "response"
                    );
                }
                let again = self.next_attempt(retried, &result, &span, started);
                // The body of a response that will be returned, not retried; a
                // body that stalls is retried as a timeout is.
                match (result, again) {
                    (Ok(response), None) => response,
                    (other, _) => return self.settle(other, again, &span, started),
                }
            };
            let read = self.read_body(response, sent.as_deref()).await;
            let again = match &read {
                Ok(_) => None,
                Err(_) => self.next_attempt(retried, &read, &span, started),
            };
            self.settle(read, again, &span, started)
        }
    }

    /// The outcome of an attempt, a query credential never in an error's
    /// URL; the call under way told when another attempt follows.
    fn settle(
        &self,
        result: reqwest::Result<reqwest::Response>,
        again: Option<Duration>,
        span: &tracing::Span,
        started: tokio::time::Instant,
    ) -> reqwest::Result<reqwest::Response> {
        let result = result.map_err(|error| self.0.credentials.redact_error(error));
        if let Err(error) = &result {
            tracing::warn!(target: crate::TRACE_REQUEST, parent: span, error = %error, latency_ms = latency_ms(started), "request failed");
        }
        if let Some(delay) = again {
            let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            tracing::info!(target: crate::TRACE_RETRY, parent: span, delay_ms, "retrying");
            crate::call::retry_in(delay);
        }
        result
    }

    /// The wait before another attempt of a request the call under way may
    /// send again (`retried`), if its outcome is worth one, the call's retry
    /// policy (its own, or the client's) allows it (attempts left, and the
    /// wait within the call's total), and the token sources answer. A 401
    /// to a credential asked of a source is worth one more attempt, of any
    /// request: the server refused it before acting on it.
    fn next_attempt(
        &self,
        retried: bool,
        result: &reqwest::Result<reqwest::Response>,
        span: &tracing::Span,
        sent_at: tokio::time::Instant,
    ) -> Option<Duration> {
        if let Ok(response) = result
            && response.status() == reqwest::StatusCode::UNAUTHORIZED
        {
            return self.reauthenticate(sent_at, span);
        }
        if !retried || !is_retryable(result) {
            return None;
        }
        let (options, attempt, operation) = crate::call::current_attempt()?;
        let retry = options.retry.unwrap_or(self.0.retry);
        if attempt.number >= retry.max_attempts {
            return None;
        }
        let after = result
            .as_ref()
            .ok()
            .and_then(|r| retry_after(r.headers(), SystemTime::now()));
        let delay = retry.delay(attempt.number, after);
        let in_time = attempt.waited + delay <= retry.max_total_delay && options.leaves_time_for(delay);
        (in_time && self.sources_answer(operation.is_public(), span)).then_some(delay)
    }

    /// After a 401: within a call whose credential is asked of a source, not
    /// yet sent again after a 401, and allowed retries, the tokens sent are
    /// marked refused (asked for anew before the next attempt, which
    /// follows at once).
    #[cold]
    #[inline(never)]
    fn reauthenticate(&self, sent_at: tokio::time::Instant, span: &tracing::Span) -> Option<Duration> {
        let (options, attempt, operation) = crate::call::current_attempt()?;
        let retry = options.retry.unwrap_or(self.0.retry);
        if operation.is_public()
            || attempt.reauthenticated
            || retry.max_attempts <= 1
            || !self.0.credentials.has_sources()
        {
            return None;
        }
        self.0.credentials.refused(sent_at);
        crate::call::reauthenticating();
        tracing::info!(target: crate::TRACE_RETRY, parent: span, "the server refused the token: asking for another");
        Some(Duration::ZERO)
    }

    /// Whether the token sources answer before another attempt is promised:
    /// one that fails now would fail the next attempt before it is sent, so
    /// this attempt's outcome is then the call's. Apart from the call's path,
    /// which seldom comes here.
    #[cold]
    #[inline(never)]
    fn sources_answer(&self, public: bool, span: &tracing::Span) -> bool {
        match self.0.credentials.sources_answer(public) {
            Ok(()) => true,
            Err(reason) => {
                tracing::warn!(parent: span, reason, "not retried");
                false
            }
        }
    }

    /// The response with its body read, at most `max_body` bytes of it, kept
    /// for the call under way to decode (or put back in the response outside
    /// a call); past the limit, the response without its body, and the call
    /// under way told.
    ///
    /// Not an `async fn`: its future is the read's, which holds the response
    /// once, and what follows it takes no space.
    fn read_body<'a>(
        &'a self,
        response: reqwest::Response,
        sent: Option<&'a Sent>,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + 'a {
        use futures_util::FutureExt;
        crate::body::read(response, self.0.max_body).map(move |read| match read? {
            crate::body::Read::Whole(response, body) => {
                if let (Some(observer), Some(sent)) = (&self.0.observer, sent) {
                    observer.show(&sent.exchange(self.0.api.provider(), &response, &body, &self.0.credentials));
                }
                self.keep(response, body)
            }
            crate::body::Read::TooLarge(response, too_large) => {
                crate::call::record_too_large(too_large, response.headers().clone());
                Ok(response)
            }
        })
    }

    /// The body kept for the call under way to decode, or put back in the
    /// response outside a call.
    fn keep(&self, response: reqwest::Response, body: bytes::Bytes) -> reqwest::Result<reqwest::Response> {
        match crate::call::keep_body(body) {
            Ok(()) => Ok(response),
            Err(body) => Ok(crate::body::without_body(response, body)),
        }
    }

    /// Text with every credential replaced by `<redacted>`: response bodies
    /// may echo what was sent.
    pub fn redact(&self, text: &str) -> String {
        self.0.credentials.redact(text)
    }

    /// A decoded body with the credential replaced by `<redacted>` in every
    /// string of it (kept as it is if it does not survive the round trip).
    pub fn redact_value<B: serde::Serialize + serde::de::DeserializeOwned>(&self, body: B) -> B {
        fn walk(value: &mut serde_json::Value, redact: &dyn Fn(&str) -> String) {
            match value {
                serde_json::Value::String(s) => *s = redact(s),
                serde_json::Value::Array(items) => items.iter_mut().for_each(|v| walk(v, redact)),
                serde_json::Value::Object(map) => map.values_mut().for_each(|v| walk(v, redact)),
                _ => {}
            }
        }
        let Ok(mut value) = serde_json::to_value(&body) else {
            return body;
        };
        let before = value.clone();
        walk(&mut value, &|s| self.redact(s));
        if value == before {
            return body;
        }
        serde_json::from_value(value).unwrap_or(body)
    }

    /// progenitor's message for an argument its builder refused, in the terms
    /// of the spec: "conversion to `NonZeroU64` for page failed" names the
    /// parameter's bounds.
    pub fn explain_invalid_request(&self, operation: &Operation, message: &str) -> String {
        let parameter = message
            .strip_prefix("conversion to `")
            .and_then(|rest| rest.split_once("` for "))
            .and_then(|(_, rest)| rest.strip_suffix(" failed"));
        let Some(parameter) = parameter else {
            return message.to_owned();
        };
        match operation.bound(parameter) {
            Some(bound) => format!("parameter `{parameter}` must be {}", bound.range()),
            None => format!("parameter `{parameter}` has a value of the wrong type or out of range"),
        }
    }
}

/// The milliseconds since `started`.
fn latency_ms(started: tokio::time::Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("provider", &self.0.api.provider())
            .field("security_schemes", &self.0.credentials.schemes())
            .field("credentials", &"<redacted>")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::{Auth, Bound, HeaderDefault, Place};

    static API: Api = Api::new(
        "Example",
        "workspaces-sdk-example/1.2.3",
        &[Auth {
            scheme: "token",
            place: Place::Header {
                name: "Authorization",
                prefix: "Token ",
            },
        }],
    );

    static LIST_THINGS: Operation = Operation::new("listThings")
        .header_defaults(&[HeaderDefault::new("x-api-version", "v1")])
        .bounds(&[Bound::new("page_size").at_least(1.0).at_most(100.0)]);

    static OTHER: Operation = Operation::new("other");

    static PING: Operation = Operation::new("ping").public();

    fn request() -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/things".parse().unwrap())
    }

    #[test]
    fn prepare_sets_credential_defaults_and_user_agent() {
        let context = Context::new(&API, Some("s3cret".into()), &Config::default()).unwrap();
        let mut request = request();
        context.prepare_as(&mut request, &LIST_THINGS).unwrap();
        let headers = request.headers();
        assert_eq!(headers["authorization"], "Token s3cret");
        assert!(headers["authorization"].is_sensitive());
        assert_eq!(headers["x-api-version"], "v1");
        assert_eq!(headers["user-agent"], "workspaces-sdk-example/1.2.3");
    }

    #[test]
    fn a_public_operation_gets_no_credential() {
        let context = Context::new(&API, Some("s3cret".into()), &Config::default()).unwrap();
        let mut request = request();
        context.prepare_as(&mut request, &PING).unwrap();
        assert!(!request.headers().contains_key("authorization"));
        assert_eq!(request.headers()["user-agent"], "workspaces-sdk-example/1.2.3");
    }

    #[test]
    fn outside_a_call_a_request_takes_the_credentials_and_nothing_else() {
        let context = Context::new(&API, Some("s3cret".into()), &Config::default()).unwrap();
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/things?page_size=1000".parse().unwrap(),
        );
        context.prepare(&mut request).unwrap();
        assert_eq!(request.headers()["authorization"], "Token s3cret");
        assert!(!request.headers().contains_key("x-api-version"));
    }

    #[test]
    fn header_defaults_apply_only_to_their_operation_and_never_override() {
        let context = Context::new(&API, Some("s3cret".into()), &Config::default()).unwrap();
        let mut other = request();
        context.prepare_as(&mut other, &OTHER).unwrap();
        assert!(!other.headers().contains_key("x-api-version"));

        let mut chosen = request();
        chosen
            .headers_mut()
            .insert("x-api-version", HeaderValue::from_static("v2"));
        context.prepare_as(&mut chosen, &LIST_THINGS).unwrap();
        assert_eq!(chosen.headers()["x-api-version"], "v2");
    }

    #[test]
    fn bounds_are_checked_before_anything_is_sent() {
        let context = Context::new(&API, Some("s3cret".into()), &Config::default()).unwrap();
        let at = |query: &str, operation: &Operation| {
            let url = format!("http://127.0.0.1/things?{query}");
            let mut request = reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap());
            context.prepare_as(&mut request, operation)
        };
        assert_eq!(at("page_size=100", &LIST_THINGS), Ok(()));
        assert_eq!(at("page_size=1&page=7", &LIST_THINGS), Ok(()));
        assert_eq!(
            at("page_size=101", &LIST_THINGS),
            Err("parameter `page_size` must be between 1 and 100, got 101".into())
        );
        assert_eq!(
            at("page=2&page_size=0", &LIST_THINGS),
            Err("parameter `page_size` must be between 1 and 100, got 0".into())
        );
        assert_eq!(
            at("page_size=x", &LIST_THINGS),
            Err("parameter `page_size` must be a number between 1 and 100, got `x`".into())
        );
        assert_eq!(at("page_size=101", &OTHER), Ok(()), "another operation's bounds");
    }

    #[test]
    fn refused_arguments_are_explained_in_the_terms_of_the_spec() {
        let context = Context::new(&API, Some("s3cret".into()), &Config::default()).unwrap();
        let message = "conversion to `:: std :: num :: NonZeroU64` for page_size failed";
        assert_eq!(
            context.explain_invalid_request(&LIST_THINGS, message),
            "parameter `page_size` must be between 1 and 100"
        );
        assert_eq!(
            context.explain_invalid_request(&OTHER, message),
            "parameter `page_size` has a value of the wrong type or out of range"
        );
        let other = "conversion to `:: std :: num :: NonZeroU64` for page failed";
        assert_eq!(
            context.explain_invalid_request(&LIST_THINGS, other),
            "parameter `page` has a value of the wrong type or out of range"
        );
        assert_eq!(
            context.explain_invalid_request(&LIST_THINGS, "something else"),
            "something else"
        );
    }

    #[test]
    fn bodies_that_echo_the_credential_are_redacted() {
        let context = Context::new(&API, Some("s3cret-value".into()), &Config::default()).unwrap();
        assert_eq!(
            context.redact("bad token s3cret-value given"),
            "bad token <redacted> given"
        );
    }

    #[test]
    fn bad_credentials_are_refused_without_echoing_them() {
        let error = Context::new(&API, Some("sekrit\nvalue".into()), &Config::default())
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("invalid Example credential: "), "{error}");
        assert!(!error.contains("sekrit"), "{error}");
        let empty = Context::new(&API, Some(" ".into()), &Config::default())
            .unwrap_err()
            .to_string();
        assert_eq!(empty, "invalid Example credential: it is empty");
    }

    #[test]
    fn debug_never_shows_the_credential() {
        let context = Context::new(&API, Some("s3cret".into()), &Config::default()).unwrap();
        let shown = format!("{context:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("Example"), "{shown}");
    }
}
