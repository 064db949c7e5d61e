//! `workspaces check`, `workspaces record` and `mock serve --replay` end to
//! end: no drift against each provider's mock, each kind of drift reported
//! with its pointer, cassettes without a trace of the credential, and every
//! cassette under `tests/cassettes/` replayed through the real client.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{run, workspaces};
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use workspaces_cli::{
    cassette::Cassette,
    mock::{self, MockOptions},
};
use workspaces_sdk::{Client, Credentials, Provider};
use workspaces_sdk_tests::capture::{Reply, credential_places, observed, serve_script, serve_with};

fn check(provider: Provider, base_url: &str, extra: &[&str]) -> Command {
    let mut command = workspaces();
    command
        .args(["check", provider.id(), "--base-url", base_url, "--output", "json"])
        .args(extra)
        .env(provider.credential_variable(), "sk-drift-secret");
    command
}

/// The findings of a JSON report: kind, pointer, example.
fn findings(report: &str) -> Vec<(String, String, String)> {
    let report: Value = serde_json::from_str(report).unwrap_or_else(|e| panic!("{e}: {report}"));
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (text(&f["kind"]), text(&f["pointer"]), text(&f["example"])))
        .collect()
}

fn cassettes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cassettes")
}

#[tokio::test(flavor = "multi_thread")]
async fn against_each_provider_s_mock_the_spec_holds() {
    for &provider in Provider::ALL {
        let server = mock::start(provider, 0, MockOptions::default()).await.unwrap();
        let checked = run(check(provider, &server.base_url(), &["--strict"])).await;
        assert_eq!(checked.code, 0, "{provider}: {}", checked.stderr);
        let report: Value = serde_json::from_str(&checked.stdout).unwrap();
        assert_eq!(report["holds"], true, "{provider}: {report}");
        assert!(report["responses"].as_u64().unwrap() >= 1, "{provider}: {report}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_kind_of_drift_is_reported_once_with_its_pointer_and_strict_exits_5() {
    // Motion: a field the spec does not declare, a `type` outside its enum,
    // a `null` name, on two items of the same page (reported once each).
    let odd = json!({"id": "w-1", "name": null, "type": "guild", "labels": [], "statuses": [], "color": "red"});
    let page = json!({"meta": {"pageSize": 2}, "workspaces": [odd, odd]});
    let (base_url, _requests) = serve_script(vec![Reply::new(200, page.to_string().as_bytes())]);
    let drifted = run(check(Provider::Motion, &base_url, &[])).await;
    assert_eq!(
        drifted.code, 0,
        "without --strict, drift is reported only: {}",
        drifted.stderr
    );
    let mut found = findings(&drifted.stdout);
    found.sort();
    let expected = [
        ("undeclared-field", "/workspaces/0/color", "\"red\""),
        ("unexpected-null", "/workspaces/0/name", "null"),
        ("unknown-enum-value", "/workspaces/0/type", "\"guild\""),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(k, p, e)| (k.to_string(), p.to_string(), e.to_string()))
        .collect();
    assert_eq!(found, expected, "{}", drifted.stdout);
    let report: Value = serde_json::from_str(&drifted.stdout).unwrap();
    assert!(
        report["findings"].as_array().unwrap().iter().all(|f| f["count"] == 2),
        "{report}"
    );

    // An undocumented status, under --strict.
    let (base_url, _requests) = serve_script(vec![Reply::new(418, br#"{"message": "teapot"}"#)]);
    let strict = run(check(Provider::Motion, &base_url, &["--strict"])).await;
    assert_eq!(strict.code, 5, "{}", strict.stderr);
    assert_eq!(
        findings(&strict.stdout),
        [("undocumented-status".into(), String::new(), "418".into())]
    );
    assert!(
        strict
            .stderr
            .contains("the Motion API has drifted from its spec: 1 finding(s)"),
        "{}",
        strict.stderr
    );
    assert!(!strict.stderr.contains("sk-drift-secret") && !strict.stdout.contains("sk-drift-secret"));

    // A documented refusal is not drift: it exits as `list` does.
    let refused = Reply::new(401, br#"{"detail": "Invalid token"}"#);
    let (base_url, _requests) = serve_script(vec![refused]);
    let refused = run(check(Provider::SeaTable, &base_url, &["--strict"])).await;
    assert_eq!(refused.code, 3, "{}", refused.stderr);
}

#[test]
fn a_cassette_keeps_no_trace_of_the_credential_wherever_the_scheme_puts_it() {
    for (place, credential, secrets) in credential_places() {
        // The server echoes every secret in a header and in the body.
        let echo = secrets.join(" ");
        let body = json!({"message": format!("bad key {echo}")}).to_string();
        let reply = Reply::new(401, body.as_bytes()).header("www-authenticate", &format!("Key realm={echo}"));
        let exchanges = observed(place, credential, reply);
        let cassette = Cassette::record("example", "http://127.0.0.1/", &exchanges, &[]);
        let text = serde_json::to_string(&cassette).unwrap();
        for secret in &secrets {
            assert!(!text.contains(secret), "{place:?}: {secret} in {text}");
        }
        let interaction = &cassette.interactions[0];
        assert_eq!(
            (interaction.request.path.as_str(), interaction.response.status),
            ("/things", 401)
        );
        assert!(text.contains("<redacted>"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn record_writes_a_cassette_without_the_credential_that_replays_and_decodes() {
    let dir = std::env::temp_dir().join(format!("workspaces-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for &provider in Provider::ALL {
        let server = mock::start(provider, 0, MockOptions::default()).await.unwrap();
        let out = dir.join(format!("{}.json", provider.id()));
        recorded_from_the_mock(provider, &out).await;
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(!text.contains("sk-recorded"), "{provider}: {text}");
        let replayed = replay(provider, &out).await;
        assert_eq!(replayed, listed(provider, &server.base_url()).await, "{provider}");
    }
    // An echoing server: what it sends back is removed too.
    let echo = "sk-echoed-secret-0123";
    let (base_url, _requests) = serve_with(1, move |_| {
        Reply::new(401, format!("{{\"message\": \"bad key {echo}\"}}").as_bytes()).header("x-echo", echo)
    });
    let out = dir.join("echo.json");
    let mut command = workspaces();
    command
        .args(["record", "motion", "--base-url", &base_url, "--out"])
        .arg(&out)
        .env("MOTION_API_KEY", echo);
    let recorded = run(command).await;
    assert_eq!(recorded.code, 3, "{}", recorded.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains(echo) && text.contains("bad key <redacted>"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The ids of every workspace of a listing through the real client.
async fn listed(provider: Provider, base_url: &str) -> Vec<String> {
    let client = Client::with_base_url(base_url, Credentials::new(provider, "sk-replay")).unwrap();
    let workspaces: Vec<_> = client
        .workspaces()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{provider}: {e}"));
    workspaces.iter().map(|w| w.id().to_string()).collect()
}

/// The ids listed from the mock replaying `cassette`.
async fn replay(provider: Provider, cassette: &Path) -> Vec<String> {
    let options = MockOptions {
        replay: Some(std::sync::Arc::new(Cassette::read(cassette, provider.id()).unwrap())),
        ..MockOptions::default()
    };
    let server = mock::start(provider, 0, options).await.unwrap();
    listed(provider, &server.base_url()).await
}

/// A cassette of `provider`'s listing recorded from its mock (the examples
/// of its spec), at `out`.
async fn recorded_from_the_mock(provider: Provider, out: &Path) {
    let server = mock::start(provider, 0, MockOptions::default()).await.unwrap();
    let mut command = workspaces();
    command
        .args(["record", provider.id(), "--base-url", &server.base_url(), "--out"])
        .arg(out)
        .env(provider.credential_variable(), "sk-recorded");
    let recorded = run(command).await;
    assert_eq!(recorded.code, 0, "{provider}: {}", recorded.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_cassette_replays_through_the_client_and_the_plain_ones_hold() {
    let mut replayed = 0;
    let dir = std::env::temp_dir().join(format!("workspaces-cassettes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for &provider in Provider::ALL {
        let mut plain = cassettes().join(format!("{}.json", provider.id()));
        if plain.is_file() {
            replayed += 1;
        } else {
            eprintln!(
                "{provider}: no cassette recorded in tests/cassettes/: checked on one recorded from the mock of its spec's examples"
            );
            plain = dir.join(format!("{}.json", provider.id()));
            recorded_from_the_mock(provider, &plain).await;
        }
        let ids = replay(provider, &plain).await;
        assert!(!ids.is_empty(), "{provider}");
        let mut command = workspaces();
        command
            .args(["check", provider.id(), "--strict", "--cassette"])
            .arg(&plain);
        let checked = run(command).await;
        assert_eq!(checked.code, 0, "{provider}: {}{}", checked.stdout, checked.stderr);
        assert!(checked.stdout.contains("the spec holds"), "{}", checked.stdout);

        let surprises = cassettes().join(format!("{}-surprises.json", provider.id()));
        if !surprises.is_file() {
            eprintln!(
                "{provider}: no tests/cassettes/{}-surprises.json: no known surprises to replay",
                provider.id()
            );
            continue;
        }
        // The surprises a provider is known to send decode as the plain
        // listing does: the same workspaces.
        assert_eq!(replay(provider, &surprises).await, ids, "{provider}");
        // The surprises are drift, each reported: the snapshot is the list.
        let mut command = workspaces();
        command
            .args(["check", provider.id(), "--strict", "--cassette"])
            .arg(&surprises);
        let checked = run(command).await;
        assert_eq!(checked.code, 5, "{provider}: {}", checked.stderr);
        insta::assert_snapshot!(format!("surprises_{}", provider.id()), checked.stdout);
        replayed += 1;
    }
    std::fs::remove_dir_all(&dir).unwrap();
    let on_disk = std::fs::read_dir(cassettes())
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().path().extension().is_some_and(|e| e == "json"))
        .count();
    assert_eq!(replayed, on_disk, "a cassette in tests/cassettes/ is not replayed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cassette_of_another_provider_or_format_is_refused_with_one_line() {
    let mut command = workspaces();
    command
        .args(["check", "delay", "--cassette"])
        .arg(cassettes().join("motion.json"));
    let wrong = run(command).await;
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("is a cassette of `motion`, not delay"),
        "{}",
        wrong.stderr
    );
    let junk = std::env::temp_dir().join(format!("workspaces-junk-{}.json", std::process::id()));
    std::fs::write(
        &junk,
        "{\"format\": \"other/9\", \"provider\": \"motion\", \"interactions\": []}",
    )
    .unwrap();
    let mut command = workspaces();
    command.args(["mock", "serve", "motion", "--replay"]).arg(&junk);
    let refused = run(command).await;
    std::fs::remove_file(&junk).unwrap();
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("not `workspaces-cassette/1`"),
        "{}",
        refused.stderr
    );
}

/// A Motion page of one workspace with `extra` fields, and the next cursor.
fn motion_page(id: &str, extra: Value, next: Option<&str>) -> Reply {
    let mut workspace = json!({"id": id, "name": id, "type": "team", "labels": [], "statuses": []});
    workspace
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let body = json!({"meta": {"nextCursor": next, "pageSize": 1}, "workspaces": [workspace]});
    Reply::new(200, body.to_string().as_bytes())
}

#[tokio::test(flavor = "multi_thread")]
async fn check_and_record_wait_out_a_rate_limit_and_go_on_to_the_next_page() {
    let limited = || Reply::new(429, br#"{"message": "Rate limit exceeded"}"#).header("retry-after", "1");
    let script = || {
        vec![
            motion_page("w-1", json!({}), Some("c-2")),
            limited(),
            motion_page("w-2", json!({"color": "blue"}), None),
        ]
    };
    let (base_url, requests) = serve_script(script());
    let checked = run(check(Provider::Motion, &base_url, &["--strict"])).await;
    assert_eq!(
        checked.code, 5,
        "the drift of the page after the rate limit: {}",
        checked.stderr
    );
    let report: Value = serde_json::from_str(&checked.stdout).unwrap();
    assert_eq!(report["responses"], 2, "{report}");
    assert_eq!(
        findings(&checked.stdout),
        [(
            "undeclared-field".to_owned(),
            "/workspaces/0/color".to_owned(),
            "\"blue\"".to_owned()
        )]
    );
    assert!(checked.stderr.contains("waited out 1 refusal(s)"), "{}", checked.stderr);
    assert_eq!(requests.try_iter().count(), 3);

    let (base_url, _requests) = serve_script(script());
    let out = std::env::temp_dir().join(format!("workspaces-limited-{}.json", std::process::id()));
    let mut command = workspaces();
    command
        .args(["record", "motion", "--base-url", &base_url, "--out"])
        .arg(&out)
        .env("MOTION_API_KEY", "sk-limited");
    let recorded = run(command).await;
    assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    let cassette = Cassette::read(&out, "motion").unwrap();
    let statuses: Vec<u16> = cassette.interactions.iter().map(|i| i.response.status).collect();
    assert_eq!(
        (statuses, cassette.waited_out),
        (vec![200, 200], 1),
        "the answered exchanges"
    );
    assert_eq!(replay(Provider::Motion, &out).await, ["w-1", "w-2"]);
    std::fs::remove_file(&out).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn check_ends_on_a_refused_key_or_an_unreachable_server_as_list_does() {
    let (base_url, _requests) = serve_script(vec![Reply::new(401, br#"{"message": "Unauthorized"}"#)]);
    let refused = run(check(Provider::Motion, &base_url, &[])).await;
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("the server refused the credential (check MOTION_API_KEY"),
        "{}",
        refused.stderr
    );
    assert_eq!(refused.stdout, "", "no drift report for a refused key");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mut command = workspaces();
    command
        .args(["check", "motion", "--base-url", &url])
        .env("MOTION_API_KEY", "sk-drift-secret");
    let unreachable = run(command).await;
    assert_eq!(unreachable.code, 1, "{}", unreachable.stderr);
    assert!(!unreachable.stdout.contains("holds"), "{}", unreachable.stdout);
    assert!(unreachable.stderr.contains("request failed"), "{}", unreachable.stderr);
}
