//! Each generated client, against a real HTTP server on loopback, sends its
//! first operation as the spec documents it: method and path under the base
//! URL given, the credential in the documented header, header defaults, the
//! crate's `User-Agent`, and not progenitor's `api-version` header. And the
//! client never shows the credential in its `Debug` output.

use std::time::Duration;

use workspaces_sdk_tests::{PROVIDERS, Provider, capture::serve_once, is_success, root};
use xtask::spec::{Spec, is_json, load, operations, response_examples};

const CREDENTIAL: &str = "test-credential-0123456789";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Sends the provider's first operation to a loopback server under `prefix`
/// and returns what the server received, with the spec.
fn send(provider: &Provider, prefix: &str) -> Option<(Spec, &'static str, workspaces_sdk_tests::capture::Captured)> {
    let call = provider.call?;
    let spec = load(&root().join(provider.spec)).unwrap();
    // Answer with the operation's first documented success example.
    let example = response_examples(&spec.raw)
        .into_iter()
        .find(|e| is_success(&e.status) && is_json(&e.media_type))
        .expect("a success example");
    let body = serde_json::to_vec(&example.value).unwrap();
    let (base, received) = serve_once(200, "application/json", body);
    let (operation_id, status) = runtime()
        .block_on(call(format!("{base}{prefix}"), CREDENTIAL.to_owned()))
        .unwrap_or_else(|e| panic!("{}: the call failed: {e}", provider.id));
    assert_eq!(status, 200, "{}", provider.id);
    let captured = received
        .recv_timeout(Duration::from_secs(10))
        .expect("the server got a request");
    Some((spec, operation_id, captured))
}

#[test]
fn every_client_sends_its_request_as_documented() {
    let mut sent = 0;
    for provider in PROVIDERS {
        for prefix in ["", "/", "/mount/point/"] {
            let Some((spec, operation_id, request)) = send(provider, prefix) else {
                continue;
            };
            let (pointer, ..) = operations(&spec.raw)
                .into_iter()
                .find(|(_, id, _)| id.as_deref() == Some(operation_id))
                .unwrap();
            // "/paths/~1api~1v2.1~1workspaces~1/get" gives "GET" and "/api/v2.1/workspaces/".
            let (path, method) = pointer.trim_start_matches("/paths/").rsplit_once('/').unwrap();
            let path = path.replace("~1", "/").replace("~0", "~");
            let expected_path = format!("{}{path}", prefix.trim_end_matches('/'));
            let place = format!("{} {operation_id} with base URL prefix `{prefix}`", provider.id);

            assert_eq!(request.method, method.to_uppercase(), "{place}");
            assert_eq!(request.target, expected_path, "{place}");
            assert_eq!(
                request.header(&spec.auth.header),
                [format!("{}{CREDENTIAL}", spec.auth.prefix)],
                "{place}"
            );
            for default in spec.header_defaults.iter().filter(|d| d.operation_id == operation_id) {
                assert_eq!(request.header(&default.header), [default.value.as_str()], "{place}");
            }
            let user_agent = format!(
                "{}/{}",
                provider.crate_name,
                env!("CARGO_PKG_VERSION").replace("0.0.0", "0.1.0")
            );
            assert_eq!(request.header("user-agent"), [user_agent.as_str()], "{place}");
            assert!(
                request.header("api-version").is_empty(),
                "{place}: progenitor's api-version header went out"
            );
            sent += 1;
        }
    }
    assert!(sent >= 3 * PROVIDERS.len(), "only {sent} requests were checked");
}

#[test]
fn a_client_never_shows_its_credential() {
    for provider in PROVIDERS {
        let debug = (provider.client_debug)("https://example.com/base/", CREDENTIAL).unwrap();
        assert!(!debug.contains(CREDENTIAL), "{}: {debug}", provider.id);
        assert!(debug.contains("<redacted>"), "{}: {debug}", provider.id);
        assert!(debug.contains("https://example.com/base"), "{}: {debug}", provider.id);

        let error = (provider.client_debug)("https://example.com/", "line\nbreak").unwrap_err();
        assert!(
            error.starts_with("invalid ") && error.contains("credential"),
            "{}: {error}",
            provider.id
        );
        assert!(!error.contains("line\nbreak"), "{}: {error}", provider.id);
        let error = (provider.client_debug)("example.com", CREDENTIAL).unwrap_err();
        assert_eq!(
            error, "invalid base URL `example.com`: not an absolute URL",
            "{}",
            provider.id
        );
    }
}
