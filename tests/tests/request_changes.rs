//! What a user changes on requests beside the spec, on the wire through a
//! generated client (Delay's): a header on one call, a header on every
//! request of a client that keeps its timeouts, and a hook that sees each
//! attempt's operation and number but never the credential; a header that
//! carries the credential refused, nothing sent.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use workspaces_sdk_delay::{Client, Config, ConfigError, ErrorKind, Retry};
use workspaces_sdk_tests::capture::{Reply, serve_script};

fn page() -> Reply {
    Reply::new(200, b"[]")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_header_on_one_call_goes_with_that_call_alone() {
    let (base_url, requests) = serve_script(vec![page(), page()]);
    let client = Client::with_base_url(&base_url, "sk-delay").unwrap();
    client
        .list_workspaces()
        .with_header("x-correlation-id", "run-7")
        .send()
        .await
        .unwrap();
    client.list_workspaces().send().await.unwrap();
    let (first, second) = (requests.recv().unwrap(), requests.recv().unwrap());
    assert_eq!(first.header("x-correlation-id"), ["run-7"]);
    assert!(second.header("x-correlation-id").is_empty(), "the next call has none");
    assert_eq!(first.header("authorization"), ["Bearer sk-delay"]);

    // The credential's header: refused, nothing sent.
    let (base_url, requests) = serve_script(vec![page()]);
    let client = Client::with_base_url(&base_url, "sk-delay").unwrap();
    let error = client
        .list_workspaces()
        .with_header("Authorization", "Bearer stolen")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::InvalidRequest(_)), "{error}");
    assert!(error.to_string().contains("carries the client's credential"), "{error}");
    assert!(
        requests.recv_timeout(Duration::from_millis(300)).is_err(),
        "nothing was sent"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_s_default_header_keeps_its_timeouts_and_a_call_s_own_wins() {
    // The first answer comes too late for the client's timeout: a default
    // header does not replace the client's HTTP settings.
    let slow = page().after(Duration::from_millis(800));
    let (base_url, requests) = serve_script(vec![slow, page(), page()]);
    let config = Config::default()
        .timeout(Duration::from_millis(200))
        .without_retries()
        .default_header("x-team", "platform");
    let client = Client::with_config(&base_url, "sk-delay", config).unwrap();
    let late = client.list_workspaces().send().await.unwrap_err();
    assert!(
        matches!(late.kind(), ErrorKind::Transport(e) if e.is_timeout()),
        "{late}"
    );
    client.list_workspaces().send().await.unwrap();
    client
        .list_workspaces()
        .with_header("x-team", "data")
        .send()
        .await
        .unwrap();
    let sent: Vec<_> = requests.try_iter().collect();
    assert_eq!(sent[1].header("x-team"), ["platform"]);
    assert_eq!(sent[2].header("x-team"), ["data"], "the call's own header wins");

    let refused =
        Client::with_config(&base_url, "k", Config::default().default_header("authorization", "x")).unwrap_err();
    assert!(matches!(refused, ConfigError::InvalidHeader { .. }), "{refused}");
    assert!(
        refused.to_string().contains("carries the client's credential"),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_hook_sees_each_attempt_but_never_the_credential() {
    let (base_url, requests) = serve_script(vec![Reply::new(503, b"{}"), page()]);
    let seen: Arc<Mutex<Vec<(String, u32, bool)>>> = Arc::default();
    let kept = seen.clone();
    let config = Config::default()
        .retry(Retry {
            max_attempts: 2,
            initial_delay: Duration::from_millis(10),
            ..Retry::default()
        })
        .on_request(move |request, info| {
            let credential = request.headers().contains_key("authorization");
            kept.lock()
                .unwrap()
                .push((info.operation.to_owned(), info.attempt, credential));
            let value = format!("attempt-{}", info.attempt);
            request.headers_mut().insert("x-attempt", value.parse().unwrap());
            // Whatever the hook puts in the credential's header is replaced.
            request
                .headers_mut()
                .insert("authorization", "Bearer hook".parse().unwrap());
        });
    let client = Client::with_config(&base_url, "sk-delay", config).unwrap();
    client.list_workspaces().send().await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("listWorkspaces".to_owned(), 1, false),
            ("listWorkspaces".to_owned(), 2, false)
        ]
    );
    let sent: Vec<_> = requests.try_iter().collect();
    assert_eq!(sent[0].header("x-attempt"), ["attempt-1"]);
    assert_eq!(sent[1].header("x-attempt"), ["attempt-2"]);
    assert_eq!(sent[1].header("authorization"), ["Bearer sk-delay"]);
}
