//! The `workspaces` binary end to end: against each provider's mock, against
//! scripted servers for the failures, and its exit codes.

mod common;

use std::{
    io::{BufRead, BufReader},
    process::Stdio,
};

use assert_cmd::Command;
use common::{Run, run, workspaces};
use futures_util::TryStreamExt;
use workspaces_cli::mock::{self, MockOptions};
use workspaces_sdk::{Client, Credentials, Provider};
use workspaces_sdk_tests::capture::{Reply, serve_script};

fn list(provider: Provider, base_url: &str, credential: &str) -> Command {
    let mut command = workspaces();
    command
        .args(["list", provider.id(), "--base-url", base_url])
        .env(provider.credential_variable(), credential);
    command
}

/// An error is one line on stderr, never the credential.
fn assert_one_line_error(run: &Run, secret: &str) {
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.starts_with("workspaces: error: "))
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("backtrace"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains(secret) && !run.stdout.contains(secret),
        "{}",
        run.stderr
    );
}

/// What the library lists from `provider`'s mock, serialized as the command
/// line prints it (`--output json`).
async fn listed_by_the_library(provider: Provider) -> Vec<serde_json::Value> {
    let server = mock::start(provider, 0, MockOptions::default()).await.unwrap();
    let client = Client::with_base_url(&server.base_url(), Credentials::new(provider, "k")).unwrap();
    let workspaces: Vec<workspaces_sdk::Workspace> = client.workspaces().try_collect().await.unwrap();
    workspaces.iter().map(|w| serde_json::to_value(w).unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_lists_the_workspaces_of_every_provider() {
    let demo = |output: Option<&str>| {
        let mut command = workspaces();
        command.arg("demo");
        if let Some(output) = output {
            command.args(["--output", output]);
        }
        run(command)
    };
    let (table, lines) = (demo(None).await, demo(Some("ndjson")).await);
    assert_eq!((table.code, lines.code), (0, 0), "{}{}", table.stderr, lines.stderr);
    assert!(table.stdout.starts_with("PROVIDER  ID"), "{}", table.stdout);
    for &provider in Provider::ALL {
        assert!(
            table
                .stderr
                .contains(&format!("{provider}: mock API on http://127.0.0.1:")),
            "{}",
            table.stderr
        );
        // Each workspace the library lists from the provider's mock, in order.
        let listed = listed_by_the_library(provider).await;
        let rows: Vec<serde_json::Value> = lines
            .stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .filter(|row: &serde_json::Value| row["provider"] == provider.id())
            .collect();
        assert!(!rows.is_empty(), "no {provider} row:\n{}", lines.stdout);
        assert_eq!(rows, listed, "{provider}");
        let in_table = table
            .stdout
            .lines()
            .filter(|l| l.split(' ').next() == Some(provider.id()));
        assert_eq!(in_table.count(), listed.len(), "{provider}:\n{}", table.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn list_prints_every_workspace_of_each_provider_across_pages() {
    for &provider in Provider::ALL {
        let server = mock::start(provider, 0, MockOptions::default()).await.unwrap();
        let mut command = list(provider, &server.base_url(), "sk-test-credential");
        command.args(["--output", "json"]);
        let run = run(command).await;
        assert_eq!(run.code, 0, "{provider}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{provider}: page 1 loaded")),
            "{}",
            run.stderr
        );
        let workspaces: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
        assert!(!workspaces.is_empty(), "{provider}");
        assert!(workspaces.iter().all(|w| w["provider"] == provider.id()), "{provider}");
        assert_eq!(workspaces, listed_by_the_library(provider).await, "{provider}");
    }
}

/// Each documented provider's workspaces, as `--output json` prints them:
/// the normalized fields read as each spec's `x-workspaces` says.
#[tokio::test(flavor = "multi_thread")]
async fn the_json_of_each_documented_provider_is_its_reviewed_snapshot() {
    for provider in ["asters", "delay", "motion", "seatable"] {
        let provider: Provider = provider.parse().unwrap();
        let server = mock::start(provider, 0, MockOptions::default()).await.unwrap();
        let mut command = list(provider, &server.base_url(), "sk-test-credential");
        command.args(["--output", "json", "--quiet"]);
        let run = run(command).await;
        assert_eq!(run.code, 0, "{provider}: {}", run.stderr);
        insta::assert_snapshot!(format!("list_json_{}", provider.id()), run.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn off_a_terminal_the_output_is_json_lines_and_a_table_on_request() {
    let server = mock::start(Provider::Motion, 0, MockOptions::default()).await.unwrap();
    let lines = run(list(Provider::Motion, &server.base_url(), "k")).await;
    assert_eq!(lines.code, 0, "{}", lines.stderr);
    let ids: Vec<String> = lines
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, ["workspace_123", "workspace_456"]);
    assert!(
        lines.stderr.contains("Motion: page 2 loaded, 2 workspaces so far"),
        "{}",
        lines.stderr
    );

    let mut command = list(Provider::Motion, &server.base_url(), "k");
    command.args(["--output", "table", "--quiet"]);
    let table = run(command).await;
    assert_eq!(table.stderr, "");
    insta::assert_snapshot!("list_table_motion", table.stdout);
}

/// Provider, flags, the server's reply, the query pairs expected on the wire.
type FilterCase = (
    Provider,
    &'static [&'static str],
    &'static [u8],
    &'static [(&'static str, &'static str)],
);

/// Arguments, an environment variable, the error expected.
type UsageCase<'a> = (Vec<&'a str>, Option<(&'a str, &'a str)>, &'a str);

#[tokio::test(flavor = "multi_thread")]
async fn each_provider_s_filters_reach_the_wire() {
    let empty_motion = br#"{"meta": {}, "workspaces": []}"#;
    let cases: [FilterCase; 3] = [
        (
            Provider::Motion,
            &["--ids", "w1,w2", "--ids", "w3"],
            empty_motion,
            &[("ids", "w1"), ("ids", "w2"), ("ids", "w3")],
        ),
        (
            Provider::SeaTable,
            &["--detail"],
            br#"{"workspace_list": []}"#,
            &[("detail", "true")],
        ),
        (
            Provider::Delay,
            &[
                "--sort-by",
                "name",
                "--sort-order",
                "desc",
                "--workspace-type",
                "multi_user",
                "--created-at-from",
                "2024-02-29T23:59:58Z",
                "--search",
                "acme co",
                "--page-size",
                "7",
            ],
            b"[]",
            &[
                ("sort_by", "name"),
                ("sort_order", "desc"),
                ("workspace_type", "multi_user"),
                ("created_at_from", "2024-02-29T23:59:58Z"),
                ("search", "acme co"),
                ("page", "1"),
                ("page_size", "7"),
            ],
        ),
    ];
    for (provider, flags, body, expected) in cases {
        let (base_url, requests) = serve_script(vec![Reply::new(200, body)]);
        let mut command = list(provider, &base_url, "k");
        command.args(flags);
        let run = run(command).await;
        assert_eq!(run.code, 0, "{provider}: {}", run.stderr);
        let request = requests.recv().unwrap();
        for (name, value) in expected {
            let values = request.query(name);
            assert!(
                values.contains(&value.to_string()),
                "{provider}: {name}={value} not in {}",
                request.target
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_2_with_one_line() {
    let server = mock::start(Provider::Motion, 0, MockOptions::default()).await.unwrap();
    let url = server.base_url();
    let ids: Vec<&str> = Provider::ALL.iter().map(|p| p.id()).collect();
    let unknown = format!("unknown provider `nope`: use one of {}", ids.join(", "));
    let cases: Vec<UsageCase> = vec![
        (vec!["list", "nope"], None, &unknown),
        (
            vec!["list", "motion", "--base-url", &url],
            None,
            "no Motion credential: set MOTION_API_KEY",
        ),
        (
            vec!["list", "motion", "--base-url", &url],
            Some(("MOTION_API_KEY", "  ")),
            "set MOTION_API_KEY",
        ),
        (
            vec!["list", "delay"],
            Some(("DELAY_TOKEN", "sk-secret-1")),
            "Delay has no default server",
        ),
        (
            vec!["list", "delay", "--base-url", &url, "--ids", "a"],
            Some(("DELAY_TOKEN", "sk-secret-1")),
            "--ids is a filter of motion, not of Delay",
        ),
        (
            vec!["list", "motion", "--base-url", "ftp://example.com"],
            Some(("MOTION_API_KEY", "sk-secret-1")),
            "invalid base URL `ftp://example.com`",
        ),
        (
            vec!["list", "motion", "--credential-file", "/no/such/file"],
            None,
            "cannot read the Motion credential from /no/such/file",
        ),
        (
            vec!["list", "delay", "--page-size", "0"],
            None,
            "invalid value '0' for '--page-size <N>'",
        ),
        (vec!["frobnicate"], None, "unrecognized subcommand 'frobnicate'"),
    ];
    for (args, env, expected) in cases {
        let mut command = workspaces();
        command.args(&args);
        if let Some((name, value)) = env {
            command.env(name, value);
        }
        let run = run(command).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(expected),
            "{args:?}: expected `{expected}` in {}",
            run.stderr
        );
        assert_one_line_error(&run, "sk-secret-1");
        assert_eq!(run.stdout, "", "{args:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_credential_exits_3_without_showing_it() {
    for &provider in Provider::ALL {
        let options = MockOptions {
            credential: Some("the-right-one".into()),
            ..MockOptions::default()
        };
        let server = mock::start(provider, 0, options).await.unwrap();
        let run = run(list(provider, &server.base_url(), "sk-wrong-credential-42")).await;
        assert_eq!(run.code, 3, "{provider}: {}", run.stderr);
        assert!(run.stderr.contains("401"), "{provider}: {}", run.stderr);
        let plain = format!(
            "workspaces: error: the server refused the credential (check {} or --credential-file)",
            provider.credential_variable()
        );
        assert!(run.stderr.contains(&plain), "{provider}: {}", run.stderr);
        assert_one_line_error(&run, "sk-wrong-credential-42");
    }
    // A 403 no spec documents reads the same way.
    let (base_url, _requests) = serve_script(vec![Reply::new(403, b"<html>Forbidden</html>")]);
    let forbidden = run(list(Provider::Delay, &base_url, "sk-wrong-credential-42")).await;
    assert_eq!(forbidden.code, 3, "{}", forbidden.stderr);
    assert!(
        forbidden
            .stderr
            .contains("the server refused the credential (check DELAY_TOKEN or --credential-file)"),
        "{}",
        forbidden.stderr
    );
    assert_one_line_error(&forbidden, "sk-wrong-credential-42");
}

#[tokio::test(flavor = "multi_thread")]
async fn still_rate_limited_after_the_retries_exits_4() {
    let limited = Reply::new(429, br#"{"message":"Rate limit exceeded"}"#).header("retry-after", "0");
    let (base_url, requests) = serve_script(vec![limited.clone(), limited.clone(), limited]);
    let run = run(list(Provider::Motion, &base_url, "sk-secret-2")).await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("Motion listWorkspaces: HTTP 429"), "{}", run.stderr);
    assert_one_line_error(&run, "sk-secret-2");
    assert_eq!(requests.try_iter().count(), 3, "the default retries");
}

#[tokio::test(flavor = "multi_thread")]
async fn any_other_failure_exits_1() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let refused = run(list(Provider::Asters, &closed_url, "sk-secret-3")).await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("Asters listWorkspaces: request failed"),
        "{}",
        refused.stderr
    );
    assert_one_line_error(&refused, "sk-secret-3");

    let html = Reply::new(404, b"<html>\n<body>Not here</body>\n</html>").header("content-type", "text/html");
    let (base_url, _requests) = serve_script(vec![html]);
    let not_found = run(list(Provider::SeaTable, &base_url, "sk-secret-3")).await;
    assert_eq!(not_found.code, 1, "{}", not_found.stderr);
    assert!(
        not_found.stderr.contains("undocumented HTTP 404"),
        "{}",
        not_found.stderr
    );
    assert_one_line_error(&not_found, "sk-secret-3");

    let (elsewhere, received_there) = serve_script(vec![Reply::new(200, b"{}")]);
    let redirect = Reply::new(302, b"").header("location", &format!("{elsewhere}/collect"));
    let (base_url, _requests) = serve_script(vec![redirect]);
    let redirected = run(list(Provider::Motion, &base_url, "sk-secret-3")).await;
    assert_eq!(redirected.code, 1, "{}", redirected.stderr);
    let said = format!("Motion listWorkspaces: refused a redirect to another origin, {elsewhere}:");
    assert!(redirected.stderr.contains(&said), "{}", redirected.stderr);
    assert_one_line_error(&redirected, "sk-secret-3");
    assert_eq!(received_there.try_iter().count(), 0, "the other origin got a request");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_credential_file_is_read_without_its_trailing_newline() {
    let options = MockOptions {
        credential: Some("from-the-file".into()),
        ..MockOptions::default()
    };
    let server = mock::start(Provider::SeaTable, 0, options).await.unwrap();
    let file = std::env::temp_dir().join(format!("workspaces-cli-credential-{}", std::process::id()));
    std::fs::write(&file, "from-the-file\n").unwrap();
    let mut command = workspaces();
    command.args([
        "list",
        "seatable",
        "--base-url",
        &server.base_url(),
        "--credential-file",
    ]);
    command.arg(&file);
    let run = run(command).await;
    std::fs::remove_file(&file).unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn mock_serve_answers_a_client_until_stopped() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("workspaces"))
        .args(["mock", "serve", "delay", "--port", "0", "--credential", "k"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base_url = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(line.starts_with("Delay mock API on http://127.0.0.1:"), "{line}");

    let client = Client::with_base_url(&base_url, Credentials::new(Provider::Delay, "k")).unwrap();
    let paging = workspaces_sdk::Paging {
        page_size: Some(1),
        ..Default::default()
    };
    let request = match &client {
        Client::Delay(delay) => delay.list_workspaces(),
        _ => unreachable!(),
    };
    let workspaces: Vec<_> = workspaces_sdk::ListWorkspaces::workspaces_with(request, paging)
        .try_collect()
        .await
        .unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    let names: Vec<String> = workspaces.iter().map(|w| w.name().into_owned()).collect();
    assert_eq!(names, ["Delay Technologies", "Ben's Coding"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_odd_workspace_is_a_warning_the_others_are_printed_and_the_exit_is_1() {
    let good = |id: &str| serde_json::json!({"id": id, "name": id, "type": "team", "labels": [], "statuses": []});
    let page = serde_json::json!({"meta": {}, "workspaces": [good("w-1"), {"id": 7}, good("w-3")]});
    let (base_url, _requests) = serve_script(vec![Reply::new(200, page.to_string().as_bytes())]);
    let listed = run(list(Provider::Motion, &base_url, "sk-secret-5")).await;
    assert_eq!(listed.code, 1, "{}", listed.stderr);
    let ids: Vec<String> = listed
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"w-1\"", "\"w-3\""]);
    let warnings: Vec<&str> = listed
        .stderr
        .lines()
        .filter(|l| l.starts_with("workspaces: warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", listed.stderr);
    assert!(
        warnings[0].contains("Motion listWorkspaces: item 1 of the page is not of the documented type"),
        "{}",
        warnings[0]
    );
    assert!(
        listed.stderr.contains("1 workspace could not be read"),
        "{}",
        listed.stderr
    );
    assert_one_line_error(&listed, "sk-secret-5");
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_are_printed_for_each_shell_with_the_generated_filters() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let mut command = workspaces();
        command.args(["completions", shell]);
        let printed = run(command).await;
        assert_eq!(printed.code, 0, "{shell}: {}", printed.stderr);
        for word in ["list", "demo", "sort-order", "credential-file"] {
            assert!(printed.stdout.contains(word), "{shell}: no `{word}`");
        }
    }
    let mut command = workspaces();
    command.args(["completions", "tcsh"]);
    assert_eq!(run(command).await.code, 2, "an unknown shell is a usage error");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_provider_s_text_never_writes_escape_sequences_to_the_terminal() {
    let hostile = "\u{1b}[2J\u{1b}]0;title\u{7}Team";
    let page = serde_json::json!({"meta": {}, "workspaces": [
        {"id": "w-1", "name": hostile, "type": "team", "labels": [], "statuses": []},
    ]});
    let (base_url, _requests) = serve_script(vec![Reply::new(200, page.to_string().as_bytes()); 2]);
    let mut table = list(Provider::Motion, &base_url, "k");
    table.args(["--output", "table"]);
    let table = run(table).await;
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(
        !table.stdout.contains('\u{1b}') && !table.stdout.contains('\u{7}'),
        "{:?}",
        table.stdout
    );
    assert!(table.stdout.contains("\\u{1b}[2J"), "{}", table.stdout);
    // JSON stays exact.
    let mut json = list(Provider::Motion, &base_url, "k");
    json.args(["--output", "json"]);
    let json = run(json).await;
    let listed: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(listed[0]["name"], hostile);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_usage_error_keeps_clap_s_detail_and_completions_offer_provider_ids() {
    let cases = [
        (
            vec!["record", "motion"],
            "the following required arguments were not provided: --out <FILE>",
        ),
        (
            vec!["list", "motion", "--output", "yaml"],
            "[possible values: table, json, ndjson]",
        ),
        (vec!["lst"], "tip: a similar subcommand exists: 'list'"),
    ];
    for (args, expected) in cases {
        let mut command = workspaces();
        command.args(&args);
        let run = run(command).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
        assert_one_line_error(&run, "sk-none");
    }
    let mut command = workspaces();
    command.args(["completions", "bash"]);
    let completions = run(command).await;
    for provider in Provider::ALL {
        assert!(
            completions.stdout.contains(provider.id()),
            "no {provider} in the completions"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mock_applies_the_filters_its_spec_lets_it_and_says_which_it_ignores() {
    let server = mock::start(Provider::Motion, 0, MockOptions::default()).await.unwrap();
    let filtered = |ids: &[&str]| {
        let mut command = list(Provider::Motion, &server.base_url(), "k");
        command.args(["--output", "json"]);
        for id in ids {
            command.args(["--ids", id]);
        }
        run(command)
    };
    let one = filtered(&["workspace_456"]).await;
    let listed: Vec<serde_json::Value> = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(listed.len(), 1, "{}", one.stdout);
    assert_eq!(listed[0]["id"], "workspace_456");
    let none = filtered(&["nope"]).await;
    assert!(
        serde_json::from_str::<Vec<serde_json::Value>>(&none.stdout)
            .unwrap()
            .is_empty(),
        "{}",
        none.stdout
    );

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("workspaces"))
        .args(["mock", "serve", "seatable", "--port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(line.contains("GET /api/v2.1/workspaces/ ignores detail"), "{line}");
}
