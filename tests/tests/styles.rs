//! The pagination styles no seed provider uses (offsets, a next link in the
//! body, a `Link` header), each a fixture spec (`tests/fixtures/styles/`)
//! added to a scratch workspace as the README says: its crate, the facade
//! and the command line built from it, listing on the wire every item of
//! servers that cap their pages below the size asked, with every filter
//! kept; `mock serve` (through `workspaces demo`) answering in each style;
//! and a next link to another origin refused, nothing sent there. Their
//! workspaces normalize an integer id (Linkup) and a name under a nested
//! object (Hopper). Hopper's spec declares an OAuth2 client-credentials flow
//! with a token endpoint relative to its server: the command line asks it
//! for a token with `HOPPER_CLIENT_ID` and `HOPPER_CLIENT_SECRET`.

use std::process::Command;

use workspaces_sdk_tests::{
    capture::{Captured, Reply, serve_with},
    root,
    workspace::{command_line_of, workspace_with_spec},
};

const STYLES: [&str; 3] = ["tally", "linkup", "hopper"];

/// Seven workspaces, as `(id, name)`.
fn workspace(n: usize) -> (String, String) {
    (format!("w{n}"), format!("Workspace {n}"))
}

/// The first `max` of the seven workspaces from `skip`, the most a page of
/// these servers holds being two, whatever was asked.
fn slice(skip: usize, asked: usize) -> Vec<usize> {
    (1..=7).skip(skip).take(asked.min(2)).collect()
}

fn number(request: &Captured, name: &str, default: usize) -> usize {
    request.query(name).first().map_or(default, |v| v.parse().unwrap())
}

/// The link to page `n`: this request's path and query, its page replaced.
fn link(request: &Captured, n: usize) -> String {
    let path = request.target.split('?').next().unwrap();
    format!("{path}?owner={}&page={n}", request.query("owner").join(""))
}

/// What each style's server answers.
fn answer(style: &'static str, elsewhere: Option<String>) -> impl Fn(&Captured) -> Reply + Send + 'static {
    move |request| {
        let json = |body: serde_json::Value| serde_json::to_vec(&body).unwrap();
        let page = number(request, "page", 1);
        if request.target == "/oauth/token" {
            let basic = request.header("authorization").join("");
            // `hopper-app:hs-secret-77`, the only client the endpoint knows.
            return match basic == "Basic aG9wcGVyLWFwcDpocy1zZWNyZXQtNzc=" {
                true => Reply::new(
                    200,
                    br#"{"access_token":"issued-1","token_type":"bearer","expires_in":3600}"#,
                ),
                false => Reply::new(401, br#"{"error":"invalid_client"}"#),
            };
        }
        match style {
            "tally" => {
                let items = slice(number(request, "offset", 0), number(request, "limit", 100));
                let data: Vec<_> = items
                    .iter()
                    .map(|&n| serde_json::json!({"id": workspace(n).0, "name": workspace(n).1}))
                    .collect();
                Reply::with_headers(
                    200,
                    &[("content-type", "application/json")],
                    json(serde_json::json!({ "data": data })),
                )
            }
            "linkup" => {
                let items = slice((page - 1) * 2, 2);
                let results: Vec<_> = items
                    .iter()
                    .map(|&n| serde_json::json!({"id": n, "title": workspace(n).1}))
                    .collect();
                let more = page < 4;
                let host = request.header("host")[0].to_owned();
                let next = match (&elsewhere, more) {
                    (Some(other), _) => serde_json::json!(format!("{other}{}", link(request, page + 1))),
                    (None, true) => serde_json::json!(format!("http://{host}{}", link(request, page + 1))),
                    (None, false) => serde_json::Value::Null,
                };
                let body = serde_json::json!({"results": results, "has_more": more, "next": next});
                Reply::with_headers(200, &[("content-type", "application/json")], json(body))
            }
            _ => {
                let items = slice((page - 1) * 2, 2);
                let teams: Vec<_> = items
                    .iter()
                    .map(|&n| serde_json::json!({"id": workspace(n).0, "profile": {"name": workspace(n).1}}))
                    .collect();
                let next = format!(
                    "<{}>; rel=\"next\", </teams?page=1>; rel=\"first\"",
                    link(request, page + 1)
                );
                let mut headers = vec![("content-type", "application/json")];
                if page < 4 {
                    headers.push(("link", &next));
                }
                Reply::with_headers(200, &headers, json(serde_json::json!(teams)))
            }
        }
    }
}

/// The normalized field `name` of each workspace `workspaces ... --output json` printed.
fn field(stdout: &[u8], name: &str) -> Vec<String> {
    let listed: Vec<serde_json::Value> =
        serde_json::from_slice(stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(stdout)));
    listed
        .iter()
        .map(|workspace| workspace[name].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// `workspaces mock serve <args>` started, with the URL it prints.
fn mock_serve(binary: &std::path::Path, args: &[&str]) -> (std::process::Child, String) {
    let mut serve = Command::new(binary)
        .args(["mock", "serve"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(serve.stdout.take().unwrap()), &mut line).unwrap();
    let url = line.split_whitespace().last().unwrap_or_default().to_owned();
    (serve, url)
}

fn workspaces(binary: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(binary);
    command.args(args);
    for style in STYLES {
        let id = style.to_uppercase();
        command
            .env(format!("{id}_TOKEN"), "sk-test")
            .env(format!("{id}_API_KEY"), "sk-test");
    }
    command.output().unwrap()
}

#[test]
fn each_pagination_style_lists_every_item_on_the_wire_and_from_its_mock() {
    let fixture = |id: &str| std::fs::read_to_string(root().join(format!("tests/fixtures/styles/{id}.yaml"))).unwrap();
    let dir = workspace_with_spec("styles", STYLES[0], &fixture(STYLES[0]));
    for id in &STYLES[1..] {
        std::fs::write(dir.join(format!("openapi/{id}.yaml")), fixture(id)).unwrap();
    }
    let (binary, _nested) = command_line_of(&dir);

    for style in STYLES {
        let (base, requests) = serve_with(20, answer(style, None));
        let run = workspaces(
            &binary,
            &["list", style, "--base-url", &base, "--owner", "ada", "--output", "json"],
        );
        assert!(
            run.status.success(),
            "{style}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let expected: Vec<String> = (1..=7).map(|n| workspace(n).1).collect();
        assert_eq!(
            field(&run.stdout, "name"),
            expected,
            "{style}: every item once, in order"
        );
        let requests: Vec<Captured> = requests.try_iter().collect();
        for request in &requests {
            assert_eq!(request.query("owner"), ["ada"], "{style}: {}", request.target);
        }
        if style != "linkup" {
            assert_eq!(requests[0].header("authorization"), ["Bearer sk-test"], "{style}");
        }
        match style {
            // Capped at two where the paging asks for more: on past them,
            // until an empty page.
            "tally" => {
                let mut offsets: Vec<usize> = requests.iter().map(|r| number(r, "offset", 0)).collect();
                offsets.sort_unstable();
                let (read, past) = offsets.split_at(offsets.iter().position(|&o| o > 7).unwrap_or(offsets.len()));
                assert_eq!(read, [0, 2, 4, 6, 7], "{style}: {offsets:?}");
                assert!(
                    past.len() < 6,
                    "{style}: past the end, at most the pages prefetched: {offsets:?}"
                );
            }
            // The end said by `has_more`, or by no `Link`: no request past it.
            _ => assert_eq!(requests.len(), 4, "{style}"),
        }
    }

    // HTTP basic beside the token: the variable set picks the scheme.
    let (base, requests) = serve_with(20, answer("tally", None));
    let basic = Command::new(&binary)
        .args(["list", "tally", "--base-url", &base, "--output", "json"])
        .env("TALLY_BASIC_AUTH", "ada:pa55word")
        .env_remove("TALLY_TOKEN")
        .output()
        .unwrap();
    assert!(basic.status.success(), "{}", String::from_utf8_lossy(&basic.stderr));
    assert_eq!(
        requests.recv().unwrap().header("authorization"),
        ["Basic YWRhOnBhNTV3b3Jk"]
    );
    let both = Command::new(&binary)
        .args(["list", "tally", "--base-url", &base])
        .env("TALLY_BASIC_AUTH", "ada:pa55word")
        .env("TALLY_TOKEN", "sk-test")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&both.stderr);
    assert_eq!(both.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("TALLY_TOKEN and TALLY_BASIC_AUTH are set for Tally: set only one"),
        "{stderr}"
    );

    // OAuth2 client credentials from the environment, the token endpoint
    // the spec's, relative to the base URL.
    let (base, requests) = serve_with(20, answer("hopper", None));
    let oauth = |secret: &str, base: &str| {
        let mut command = Command::new(&binary);
        command
            .args(["list", "hopper", "--base-url", base, "--output", "json"])
            .env("HOPPER_CLIENT_ID", "hopper-app")
            .env_remove("HOPPER_TOKEN");
        match secret {
            "" => command.env_remove("HOPPER_CLIENT_SECRET"),
            secret => command.env("HOPPER_CLIENT_SECRET", secret),
        };
        command.output().unwrap()
    };
    let run = oauth("hs-secret-77", &base);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(field(&run.stdout, "name").len(), 7);
    let sent: Vec<Captured> = requests.try_iter().collect();
    assert_eq!(
        (sent[0].method.as_str(), sent[0].target.as_str()),
        ("POST", "/oauth/token")
    );
    assert!(
        sent[1..]
            .iter()
            .all(|r| r.header("authorization") == ["Bearer issued-1"])
    );
    let refused = oauth("wrong-secret-1", &base);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("refused with 401 Unauthorized (invalid_client)"),
        "{stderr}"
    );
    assert!(!stderr.contains("wrong-secret-1"), "{stderr}");
    let missing = oauth("", &base);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("HOPPER_CLIENT_SECRET"), "{stderr}");

    // A next link to another origin: refused, nothing sent there.
    let (other, elsewhere) = serve_with(1, |_| Reply::new(200, b"{}"));
    let (base, _served) = serve_with(5, answer("linkup", Some(other)));
    let run = workspaces(&binary, &["list", "linkup", "--base-url", &base, "--owner", "ada"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    assert!(stderr.contains("another origin"), "{stderr}");
    assert!(
        elsewhere.recv_timeout(std::time::Duration::from_millis(300)).is_err(),
        "a request reached the other origin"
    );

    // A listing recorded from a server replays from the mock, whose links
    // then name the mock, not the server recorded against.
    let cassettes = root().join("target/tmp/styles-cassettes");
    std::fs::create_dir_all(&cassettes).unwrap();
    for style in ["linkup", "hopper"] {
        // The receiver kept: the server answers while it is there.
        let (base, _received) = serve_with(20, answer(style, None));
        let cassette = cassettes.join(format!("{style}.json"));
        let recorded = workspaces(
            &binary,
            &[
                "record",
                style,
                "--base-url",
                &base,
                "--out",
                cassette.to_str().unwrap(),
            ],
        );
        assert!(
            recorded.status.success(),
            "{style}: {}",
            String::from_utf8_lossy(&recorded.stderr)
        );
        let (mut serve, url) = mock_serve(&binary, &[style, "--replay", cassette.to_str().unwrap()]);
        let replayed = workspaces(&binary, &["list", style, "--base-url", &url, "--output", "json"]);
        let _ = serve.kill();
        let _ = serve.wait();
        assert!(
            replayed.status.success(),
            "{style}: {}",
            String::from_utf8_lossy(&replayed.stderr)
        );
        let expected: Vec<String> = (1..=7).map(|n| workspace(n).1).collect();
        assert_eq!(field(&replayed.stdout, "name"), expected, "{style}: replayed");
    }

    // Each style's mock (`mock serve`) answers as its own spec says, every page.
    for style in STYLES {
        let (mut serve, url) = mock_serve(&binary, &[style]);
        let check = workspaces(
            &binary,
            &["check", style, "--base-url", &url, "--strict", "--output", "json"],
        );
        let _ = serve.kill();
        let _ = serve.wait();
        let report: serde_json::Value = serde_json::from_slice(&check.stdout)
            .unwrap_or_else(|e| panic!("{style}: {e}: {}", String::from_utf8_lossy(&check.stderr)));
        assert_eq!(report["holds"], true, "{style}: {report}");
        assert!(
            report["responses"].as_u64().unwrap() >= 2,
            "{style}: every page checked: {report}"
        );
        assert_eq!(check.status.code(), Some(0), "{style}: {report}");
    }

    // Each style's mock serves its pages as the client reads them.
    let demo = workspaces(&binary, &["demo", "--output", "json"]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let listed = field(&demo.stdout, "name");
    for name in ["Alpha", "Beta", "Gamma", "One", "Two", "Three", "Red", "Green", "Blue"] {
        assert_eq!(listed.iter().filter(|n| *n == name).count(), 1, "{name} in {listed:?}");
    }
    // An integer id is normalized as its decimal text (Linkup's), a name
    // read under a nested object (Hopper's `/profile/name`).
    let ids = field(&demo.stdout, "id");
    assert!(
        ["11", "12", "13"].iter().all(|id| ids.iter().any(|i| i == id)),
        "{ids:?}"
    );
}
