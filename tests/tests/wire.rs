//! Each generated client against a real HTTP server on loopback, driven by
//! the specs: the request exactly as documented (method, path under any base
//! URL, every parameter's encoding, the credential, header defaults, the
//! `User-Agent` and no undocumented header), the spec's bounds enforced before
//! anything is sent, and every response, documented or not, well-formed or
//! not, turned into a value or an error that names provider, operation and
//! status, never a panic and never the credential.

use std::time::Duration;

use workspaces_sdk_tests::{
    Arguments, CallError, PROVIDERS, Provider,
    capture::{Captured, credentials_on_wire, serve_once, serve_once_with},
    is_success, normalize, root, runtime, success_example,
};
use xtask::{
    load::{is_json, operations, parameter_schema, parameters, response_examples},
    model::Spec,
    pipeline::read_spec,
    samples::sample,
};

const CREDENTIAL: &str = "test-credential-0123456789";

/// The providers whose first operation the registry can call, with their spec.
fn callable() -> Vec<(&'static Provider, Spec)> {
    let providers: Vec<_> = PROVIDERS
        .iter()
        .filter(|p| p.call.is_some())
        .map(|p| (p, read_spec(&root().join(p.spec)).unwrap()))
        .collect();
    assert!(!providers.is_empty());
    providers
}

/// One attempt per call: these tests look at single responses (retries are
/// tested in `resilience.rs`).
fn call(provider: &Provider, base: String, arguments: Arguments) -> Result<(&'static str, u16), CallError> {
    let config = workspaces_sdk_runtime::Config::default().without_retries();
    runtime().block_on((provider.call.unwrap())(base, CREDENTIAL.to_owned(), arguments, config))
}

/// The success example of the operation the registry calls, as a JSON body.
fn success_body(provider: &Provider, spec: &Spec) -> Vec<u8> {
    serde_json::to_vec(&success_example(spec, provider.first_operation)).unwrap()
}

/// Sends the first operation to a loopback server under `prefix`.
fn send(provider: &Provider, spec: &Spec, prefix: &str, arguments: Arguments) -> (&'static str, Captured) {
    let (base, received) = serve_once(200, "application/json", success_body(provider, spec));
    let (operation_id, status) = call(provider, format!("{base}{prefix}"), arguments)
        .unwrap_or_else(|e| panic!("{}: the call failed: {e}", provider.id));
    assert_eq!(status, 200, "{}", provider.id);
    (
        operation_id,
        received
            .recv_timeout(Duration::from_secs(10))
            .expect("the server got a request"),
    )
}

/// `GET` and `/api/v2.1/workspaces/` of an operation.
fn method_and_path(spec: &Spec, operation_id: &str) -> (String, String) {
    let (pointer, ..) = operations(&spec.raw)
        .into_iter()
        .find(|(_, id, _)| id.as_deref() == Some(operation_id))
        .unwrap();
    let (path, method) = pointer.trim_start_matches("/paths/").rsplit_once('/').unwrap();
    (method.to_uppercase(), path.replace("~1", "/").replace("~0", "~"))
}

/// `application/x-www-form-urlencoded`, as a query string carries it.
fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[test]
fn every_client_sends_its_request_as_documented() {
    let mut sent = 0;
    for (provider, spec) in callable() {
        for prefix in ["", "/", "/mount/point", "/mount/point/"] {
            let (operation_id, request) = send(provider, &spec, prefix, Arguments::None);
            let (method, path) = method_and_path(&spec, operation_id);
            let place = format!("{} {operation_id} with base URL prefix `{prefix}`", provider.id);

            assert_eq!(request.method, method, "{place}");
            assert_eq!(
                request.target_without_credentials(&spec.auth),
                format!("{}{path}", prefix.trim_end_matches('/')),
                "{place}"
            );
            let credentials = credentials_on_wire(&spec.auth, &request, CREDENTIAL, operation_id);
            for (at, expected, seen) in credentials.found {
                assert_eq!(seen, expected, "{place}: the credential in the {at}");
            }
            let defaults: Vec<_> = spec
                .operation(operation_id)
                .into_iter()
                .flat_map(|op| &op.parameters)
                .filter_map(|p| Some((&p.name, p.header_default.as_ref()?)))
                .collect();
            for (header, value) in &defaults {
                assert_eq!(request.header(header), [value.as_str()], "{place}");
            }
            let user_agent = format!("{}/0.1.0", provider.crate_name);
            assert_eq!(request.header("user-agent"), [user_agent.as_str()], "{place}");
            assert_eq!(request.header("accept"), ["application/json"], "{place}");

            // Nothing undocumented: progenitor's `api-version` header above all.
            let mut allowed = vec!["host".to_owned(), "accept".into(), "user-agent".into()];
            allowed.extend(credentials.headers);
            allowed.extend(defaults.iter().map(|(header, _)| header.to_lowercase()));
            for (name, _) in &request.headers {
                assert!(allowed.contains(name), "{place}: undocumented header `{name}` went out");
            }
            sent += 1;
        }
    }
    assert_eq!(sent, 4 * callable().len());
}

#[test]
fn every_documented_parameter_goes_on_the_wire_as_documented() {
    for (provider, spec) in callable() {
        let (operation_id, request) = send(provider, &spec, "", Arguments::Every);
        let place = format!("{} {operation_id}", provider.id);
        let documented = parameters(&spec.raw, operation_id);

        // Every parameter the schema lets a sample be made up for.
        let sampled = |name: &str| {
            parameter_schema(&spec.raw, operation_id, name)
                .and_then(|s| sample(name, s))
                .is_some()
        };
        let mut names: Vec<&str> = documented.iter().map(|(name, ..)| name.as_str()).collect();
        for name in names.iter().filter(|name| !sampled(name)) {
            eprintln!("{place}: `{name}` is not sent: no example, and its schema's pattern takes no made-up value");
        }
        names.retain(|name| sampled(name));
        let mut set = provider.parameters_set.to_vec();
        names.sort();
        set.sort();
        assert_eq!(set, names, "{place}: the call does not set every documented parameter");

        let mut expected_query = Vec::new();
        for (name, location, _) in documented.iter().filter(|(name, ..)| sampled(name)) {
            let schema = parameter_schema(&spec.raw, operation_id, name).unwrap();
            let values = sample(name, schema).unwrap().wire_values();
            match location.as_str() {
                "query" => expected_query.extend(
                    values
                        .iter()
                        .map(|v| format!("{}={}", form_encode(name), form_encode(v))),
                ),
                "header" => assert_eq!(request.header(name), values, "{place}: header `{name}`"),
                other => panic!("{place}: no wire check for {other} parameters yet"),
            }
        }
        let target = request.target_without_credentials(&spec.auth);
        let (_, query) = target.split_once('?').unwrap_or((&target, ""));
        let mut sent_query: Vec<&str> = query.split('&').filter(|s| !s.is_empty()).collect();
        sent_query.sort();
        expected_query.sort();
        assert_eq!(sent_query, expected_query, "{place}: query string `{query}`");
    }
}

#[test]
fn query_encodings_match_the_providers_documentation() {
    // The documented forms, spelled out: a change in the sample rule or the
    // encoder shows here as well as above.
    let expected = [
        ("motion", "ids=ids-1&ids=ids-2"),
        ("seatable", "detail=false"),
        ("delay", "created_at_from=2024-02-29T23%3A59%3A58Z"),
        ("delay", "sort_order=desc"),
        ("delay", "page=2"),
        ("delay", "page_size=100"),
        ("delay", "search=search-sample"),
    ];
    for (provider, spec) in callable() {
        let (_, request) = send(provider, &spec, "", Arguments::Every);
        for (id, part) in expected.iter().filter(|(id, _)| *id == provider.id) {
            assert!(
                request.target.contains(part),
                "{id}: `{part}` not in `{}`",
                request.target
            );
        }
    }
}

#[test]
fn seatable_detail_goes_out_as_the_literal_true_or_false() {
    for detail in [true, false] {
        let (base, received) = serve_once(200, "application/json", br#"{"workspace_list": []}"#.to_vec());
        runtime()
            .block_on(async {
                let client = workspaces_sdk_seatable::Client::with_base_url(&base, CREDENTIAL)?;
                client.list_workspaces().detail(detail).send().await?;
                Ok::<_, Box<dyn std::error::Error>>(())
            })
            .unwrap();
        let request = received.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(request.target, format!("/api/v2.1/workspaces/?detail={detail}"));
    }
}

#[test]
fn bounds_from_the_spec_are_enforced_before_anything_is_sent() {
    let mut checked = 0;
    for (provider, spec) in callable() {
        let bounded = spec
            .operations
            .iter()
            .flat_map(|op| op.parameters.iter().map(move |p| (&op.id, p)))
            .filter_map(|(operation_id, p)| Some((operation_id, &p.name, p.bounds?)));
        for (operation_id, name, bound) in bounded {
            let outside = [bound.maximum.map(|m| m as i64 + 1), bound.minimum.map(|m| m as i64 - 1)];
            for value in outside.into_iter().flatten() {
                let (base, received) = serve_once(200, "application/json", success_body(provider, &spec));
                let parameter: &'static str = Box::leak(name.clone().into_boxed_str());
                let error = call(provider, base, Arguments::Bounded(parameter, value)).unwrap_err();
                let place = format!("{} {name} = {value}", provider.id);
                assert_eq!(error.kind, "InvalidRequest", "{place}: {error}");
                let start = format!(
                    "{} {}: invalid request, nothing was sent: ",
                    spec.sdk.provider, operation_id
                );
                assert!(error.message.starts_with(&start), "{place}: {error}");
                assert!(
                    error.message.contains(&format!("parameter `{name}` must be ")),
                    "{place}: {error}"
                );
                assert!(
                    received.recv_timeout(Duration::from_millis(300)).is_err(),
                    "{place}: a request went out"
                );
                checked += 1;
            }
        }
    }
    // Delay: page below 1, page_size below 1 and above 100.
    assert!(checked >= 3, "only {checked} bounds checked");
}

#[test]
fn documented_error_statuses_decode_into_their_documented_bodies() {
    let mut checked = 0;
    for (provider, spec) in callable() {
        for example in response_examples(&spec.raw)
            .into_iter()
            .filter(|e| !is_success(&e.status))
        {
            let Ok(status) = example.status.parse::<u16>() else {
                continue;
            };
            let body = match example.value.as_str() {
                Some(text) if !is_json(&example.media_type) => text.as_bytes().to_vec(),
                _ => serde_json::to_vec(&example.value).unwrap(),
            };
            let (base, _received) = serve_once(status, &example.media_type.replace("*/*", "text/plain"), body);
            let error = call(provider, base, Arguments::None).unwrap_err();
            let place = format!("{} {} example `{}`", provider.id, example.status, example.name);
            assert_eq!((error.kind, error.status), ("Status", Some(status)), "{place}: {error}");
            let start = format!("{} {}: HTTP {status} ", spec.sdk.provider, example.operation_id);
            assert!(error.message.starts_with(&start), "{place}: {error}");
            assert_eq!(error.message.lines().count(), 1, "{place}: {error}");
            let body = error.body.unwrap();
            match example.value.as_str() {
                Some(text) if !is_json(&example.media_type) => assert_eq!(body, text, "{place}"),
                _ => assert_eq!(
                    normalize(&serde_json::from_str(&body).unwrap()),
                    normalize(&example.value),
                    "{place}"
                ),
            }
            checked += 1;
        }
    }
    // Asters 500, Motion 429, SeaTable 400 and 401.
    assert!(checked >= 4, "only {checked} error examples checked");
}

/// Answers the first operation with `status`, `headers` and `body`.
fn answer(
    provider: &Provider,
    status: u16,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<(&'static str, u16), CallError> {
    let (base, _received) = serve_once_with(status, headers, body);
    call(provider, base, Arguments::None)
}

#[test]
fn undocumented_statuses_keep_status_headers_and_raw_body() {
    for (provider, spec) in callable() {
        let headers = [("content-type", "text/plain"), ("x-request-id", "req-42")];
        let error = answer(provider, 418, &headers, b"I'm a teapot\n".to_vec()).unwrap_err();
        assert_eq!(
            (error.kind, error.status),
            ("UnexpectedStatus", Some(418)),
            "{}: {error}",
            provider.id
        );
        assert!(
            error.headers.contains(&("x-request-id".into(), "req-42".into())),
            "{}: {:?}",
            provider.id,
            error.headers
        );
        assert_eq!(error.body.as_deref(), Some("I'm a teapot\n"));
        let operation = provider
            .first_operation
            .expect("a callable provider calls an operation");
        assert_eq!(
            error.message,
            format!(
                "{} {operation}: undocumented HTTP 418 I'm a teapot: I'm a teapot (request id req-42)",
                spec.sdk.provider
            ),
            "{}",
            provider.id
        );

        let error = answer(provider, 503, &headers, Vec::new()).unwrap_err();
        assert_eq!(error.status, Some(503), "{}: {error}", provider.id);
        if error.kind == "UnexpectedStatus" {
            assert!(
                error.message.ends_with("(empty body) (request id req-42)"),
                "{}: {error}",
                provider.id
            );
        }
    }
}

/// A case, a status, response headers and a body.
type Answer<'a> = (&'a str, u16, &'a [(&'a str, &'a str)], Vec<u8>);

#[test]
fn no_response_of_any_shape_makes_a_client_panic() {
    let json = [("content-type", "application/json")];
    let html = [("content-type", "text/html")];
    let huge: Vec<u8> = format!("[{}0]", "0,".repeat(8 * 1024 * 1024)).into_bytes();
    let cases: Vec<Answer> = vec![
        ("truncated JSON", 200, &json, b"{\"workspace".to_vec()),
        (
            "an HTML error page",
            200,
            &html,
            b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
        ),
        ("JSON of the wrong shape", 200, &json, b"\"just a string\"".to_vec()),
        ("an empty body", 200, &json, Vec::new()),
        ("a huge body of the wrong shape", 200, &json, huge),
        (
            "an HTML page on an error status",
            500,
            &html,
            b"<html>Internal Server Error</html>".to_vec(),
        ),
    ];
    for (provider, spec) in callable() {
        for (case, status, headers, body) in &cases {
            let place = format!("{}: {case}", provider.id);
            let outcome = std::panic::catch_unwind(|| answer(provider, *status, headers, body.clone()));
            let error = outcome
                .unwrap_or_else(|_| panic!("{place}: the client panicked"))
                .unwrap_err();
            assert_eq!(error.status, Some(*status), "{place}: {error}");
            // The huge body (16 MiB and 2 bytes) is past the default limit.
            let kinds: &[&str] = match body.len() > workspaces_sdk_runtime::DEFAULT_MAX_BODY {
                true => &["BodyTooLarge"],
                false => &["InvalidBody", "Status", "UnexpectedStatus"],
            };
            assert!(kinds.contains(&error.kind), "{place}: {error}");
            assert!(
                error.message.starts_with(&format!("{} ", spec.sdk.provider)),
                "{place}: {error}"
            );
            assert!(error.message.contains(&format!("HTTP {status}")), "{place}: {error}");
            assert!(
                error.message.len() < 1000,
                "{place}: a message of {} bytes",
                error.message.len()
            );
            assert!(
                error
                    .body
                    .as_ref()
                    .is_none_or(|b| b.len() <= workspaces_sdk_runtime::MAX_ERROR_BODY),
                "{place}"
            );
        }
        // A body of the documented shape under the wrong content type decodes.
        let body = success_body(provider, &spec);
        answer(provider, 200, &[("content-type", "text/plain")], body)
            .unwrap_or_else(|e| panic!("{}: {e}", provider.id));
    }
}

#[test]
fn errors_never_carry_the_credential() {
    for (provider, spec) in callable() {
        let echo = format!("{{\"message\": \"invalid key {CREDENTIAL}\", \"detail\": \"{CREDENTIAL}\"}}");
        // A client without credential has none a server could echo.
        let echoes = if provider.takes_credential {
            [401, 418].as_slice()
        } else {
            &[]
        };
        for &status in echoes {
            let error = answer(
                provider,
                status,
                &[("content-type", "application/json")],
                echo.clone().into_bytes(),
            )
            .unwrap_err();
            assert!(!error.message.contains(CREDENTIAL), "{} {status}: {error}", provider.id);
            assert!(
                !error.body.unwrap_or_default().contains(CREDENTIAL),
                "{} {status}",
                provider.id
            );
        }
        // A refused connection names provider and operation too.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let error = call(provider, base, Arguments::None).unwrap_err();
        assert_eq!(error.kind, "Transport", "{}: {error}", provider.id);
        assert!(
            error.message.starts_with(&format!("{} ", spec.sdk.provider)),
            "{}: {error}",
            provider.id
        );
        assert!(!error.message.contains(CREDENTIAL), "{}: {error}", provider.id);
    }
}

#[test]
fn a_client_never_shows_its_credential() {
    for provider in PROVIDERS {
        let debug = (provider.client_debug)("https://example.com/base/", CREDENTIAL).unwrap();
        assert!(!debug.contains(CREDENTIAL), "{}: {debug}", provider.id);
        assert!(debug.contains("<redacted>"), "{}: {debug}", provider.id);
        assert!(debug.contains("https://example.com/base"), "{}: {debug}", provider.id);

        if provider.takes_credential {
            let error = (provider.client_debug)("https://example.com/", "line\nbreak").unwrap_err();
            assert!(
                error.starts_with("invalid ") && error.contains("credential"),
                "{}: {error}",
                provider.id
            );
            assert!(!error.contains("line\nbreak"), "{}: {error}", provider.id);
        }
        let error = (provider.client_debug)("example.com", CREDENTIAL).unwrap_err();
        assert_eq!(
            error, "invalid base URL `example.com`: not an absolute URL",
            "{}",
            provider.id
        );
    }
}
