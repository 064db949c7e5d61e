//! Code every application writes, against the crates as a user depends on
//! them: a listing that keeps the request's own page size and start page, a
//! facade listing returned from a function that owns its client and run in a
//! task, errors printed in generic code (each cause once), `&str` for an
//! optional text field, a request id on a success, and a deadline on a call
//! that is retried.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use workspaces_sdk::{Client, Credentials, Provider, Workspaces};
use workspaces_sdk_tests::capture::{Reply, serve_script, serve_with};

fn delay_workspace(n: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"), "identifier": format!("w{n}"), "name": format!("W{n}"),
        "workspace_type": "multi_user", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
    })
}

/// A page of `count` Delay workspaces, from the `start`-th.
fn delay_page(start: usize, count: usize) -> Reply {
    let page: Vec<_> = (start..start + count).map(delay_workspace).collect();
    Reply::new(200, serde_json::to_string(&page).unwrap().as_bytes())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listing_keeps_the_request_s_own_page_size_and_start_page() {
    // Two full pages of 50, then a short one.
    let (base_url, requests) = serve_script(vec![delay_page(0, 50), delay_page(50, 50), delay_page(100, 3)]);
    let client = workspaces_sdk_delay::Client::with_base_url(&base_url, "k").unwrap();
    let paging = workspaces_sdk_delay::Paging {
        prefetch: 1,
        ..workspaces_sdk_delay::Paging::default()
    };
    let items: Vec<_> = client
        .list_workspaces()
        .page(3)
        .page_size(50)
        .sort_order(workspaces_sdk_delay::types::SortOrder::Desc)
        .stream_with(paging)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 103);
    let sent: Vec<_> = requests.try_iter().collect();
    assert_eq!(sent.len(), 3);
    for (i, request) in sent.iter().enumerate() {
        assert_eq!(
            request.query("page_size"),
            ["50"],
            "request {i}: the request's own size"
        );
        assert_eq!(
            request.query("page"),
            [(3 + i).to_string()],
            "request {i}: from its own page"
        );
        assert_eq!(request.query("sort_order"), ["desc"], "request {i}");
    }

    // Paging's own size wins over the request's.
    let (base_url, requests) = serve_script(vec![delay_page(0, 2)]);
    let client = workspaces_sdk_delay::Client::with_base_url(&base_url, "k").unwrap();
    let paging = workspaces_sdk_delay::Paging {
        page_size: Some(10),
        ..workspaces_sdk_delay::Paging::default()
    };
    let items: Vec<_> = client
        .list_workspaces()
        .page_size(50)
        .stream_with(paging)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(requests.recv().unwrap().query("page_size"), ["10"]);
}

/// The facade's listing, returned by a function that owns the client.
fn motion_workspaces(base_url: &str) -> Workspaces<'static> {
    let client = Client::with_base_url(base_url, Credentials::new(Provider::Motion, "k")).unwrap();
    client.workspaces()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_facade_s_listing_outlives_its_client_and_runs_in_a_task() {
    let page = serde_json::json!({"meta": {}, "workspaces": [
        {"id": "w-1", "name": "One", "type": "team", "labels": [], "statuses": []},
    ]});
    let (base_url, _requests) = serve_script(vec![Reply::new(200, page.to_string().as_bytes())]);
    let listing = motion_workspaces(&base_url);
    let listed = tokio::spawn(async move { listing.try_collect::<Vec<_>>().await })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id(), "w-1");
}

/// Generic code over the SDK's errors: no bound on the body's type.
fn describe<E>(error: &workspaces_sdk_motion::Error<E>) -> String {
    format!("{error}")
}

/// Every message of an error's chain, as `anyhow`'s `{:#}` prints it.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text += &format!(": {cause}");
        source = cause.source();
    }
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_prints_in_generic_code_with_each_cause_once() {
    let (base_url, _requests) = serve_script(vec![Reply::new(429, br#"{"message": "slow down"}"#)]);
    let client = workspaces_sdk_motion::Client::with_base_url(&base_url, "k").unwrap();
    let once = workspaces_sdk_motion::Retry::disabled();
    let error = client.list_workspaces().with_retry(once).send().await.unwrap_err();
    let printed = describe(&error);
    assert!(
        printed.ends_with("HTTP 429 Too Many Requests: {\"message\":\"slow down\"}"),
        "{printed}"
    );

    // Nothing listens there: the transport's causes, each once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let config = workspaces_sdk_motion::Config::default().without_retries();
    let client = workspaces_sdk_motion::Client::with_config(&url, "k", config).unwrap();
    let error = client.list_workspaces().send().await.unwrap_err();
    let printed = chain(&error);
    assert!(printed.contains("request failed"), "{printed}");
    let refused = printed.matches("onnection refused").count();
    assert_eq!(refused, 1, "{printed}");
}

#[test]
fn an_optional_text_field_of_a_generated_type_takes_a_str() {
    let meta: workspaces_sdk_motion::types::PageMeta = workspaces_sdk_motion::types::PageMeta::builder()
        .next_cursor("c-2")
        .page_size(1)
        .try_into()
        .unwrap();
    assert_eq!(meta.next_cursor.as_deref(), Some("c-2"));
    let workspace: workspaces_sdk_motion::types::Workspace = workspaces_sdk_motion::types::Workspace::builder()
        .id("w-1")
        .name("One")
        .type_("team")
        .labels(vec![])
        .statuses(vec![])
        .team_id("t")
        .try_into()
        .unwrap();
    assert_eq!(workspace.team_id.as_deref(), Some("t"));
    let owned = String::from("t-2");
    let cleared: workspaces_sdk_motion::types::Workspace = workspaces_sdk_motion::types::Workspace::builder()
        .id("w-1")
        .name("One")
        .type_("team")
        .labels(vec![])
        .statuses(vec![])
        .team_id(&owned)
        .team_id(None)
        .try_into()
        .unwrap();
    assert_eq!(cleared.team_id, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_successful_response_has_its_request_id() {
    use workspaces_sdk_motion::RequestId;
    let page = br#"{"meta": {}, "workspaces": []}"#;
    let reply = Reply::new(200, page).header("x-request-id", "req-42");
    let (base_url, _requests) = serve_script(vec![reply]);
    let client = workspaces_sdk_motion::Client::with_base_url(&base_url, "k").unwrap();
    let response = client.list_workspaces().send().await.unwrap();
    assert_eq!(response.request_id(), Some("req-42"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deadline_bounds_a_call_retries_and_waits_included() {
    // Rate-limited, asked to wait two seconds each time: without a
    // deadline the call would wait and try again.
    let limited = || Reply::new(429, br#"{"message": "slow down"}"#).header("retry-after", "2");
    let (base_url, requests) = serve_with(5, move |_| limited());
    let client = workspaces_sdk_motion::Client::with_base_url(&base_url, "k").unwrap();
    let started = Instant::now();
    let error = client
        .list_workspaces()
        .with_timeout(Duration::from_secs(1))
        .with_deadline(Duration::from_secs(1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        requests.try_iter().count(),
        1,
        "no retry that would end after the deadline"
    );

    // A server that answers too late: the attempt under way fails at the deadline.
    let slow = Reply::new(200, br#"{"meta": {}, "workspaces": []}"#).after(Duration::from_secs(3));
    let (base_url, _requests) = serve_script(vec![slow]);
    let client = workspaces_sdk_motion::Client::with_base_url(&base_url, "k").unwrap();
    let started = Instant::now();
    let error = client
        .list_workspaces()
        .with_deadline(Duration::from_millis(300))
        .send()
        .await
        .unwrap_err();
    let workspaces_sdk_motion::ErrorKind::Transport(transport) = error.kind() else {
        panic!("not a timeout: {error}")
    };
    assert!(transport.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}
