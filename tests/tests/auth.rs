//! Every way a spec may ask for a credential, on the wire against a loopback
//! server through the runtime every generated client uses: an API key in a
//! header, the query or a cookie, a bearer token (also what `oauth2` and
//! `openIdConnect` schemes send), HTTP basic, two schemes at once, a token
//! source asked again for a retry, public operations, an API without any
//! credential; and the secret never in an error or its text.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use workspaces_sdk_runtime::{
    Config, Credential, Retry,
    plumbing::{Api, Auth, Context, Operation, Place},
};
use workspaces_sdk_tests::capture::{
    Captured, LIST_THINGS, PING, Reply, example_api as api, one_scheme as auth, send, serve_script,
};

/// Sends one request of `operation` through a client of `api` to a server
/// answering `replies`: the outcome (status, or the error's text) and what
/// the server received.
fn exchange(
    api: &'static Api,
    credential: Option<Credential>,
    config: Config,
    operation: &'static Operation,
    replies: Vec<Reply>,
) -> (Result<u16, String>, Vec<Captured>) {
    let expected = replies.len();
    let (base, received) = serve_script(replies);
    let outcome = send(api, credential, config, operation, &format!("{base}/things?page=2"));
    let captured = (0..expected)
        .map_while(|_| received.recv_timeout(Duration::from_secs(5)).ok())
        .collect();
    (outcome, captured)
}

fn ok() -> Vec<Reply> {
    vec![Reply::new(200, b"{}")]
}

#[test]
fn each_scheme_puts_the_credential_where_the_spec_says_and_nowhere_else() {
    let bearer = Place::Header {
        name: "Authorization",
        prefix: "Bearer ",
    };
    type Carried = fn(&Captured) -> bool;
    let cases: Vec<(Place, Credential, Carried)> = vec![
        (
            Place::Header {
                name: "X-API-Key",
                prefix: "",
            },
            "key-0123456789".into(),
            |r| r.header("x-api-key") == ["key-0123456789"],
        ),
        (bearer, "oauth-access-token".into(), |r| {
            r.header("authorization") == ["Bearer oauth-access-token"]
        }),
        (Place::Basic, Credential::basic("ada", "pa55word"), |r| {
            r.header("authorization") == ["Basic YWRhOnBhNTV3b3Jk"]
        }),
        (Place::Query("api_key"), "query-key-0123".into(), |r| {
            r.target == "/things?page=2&api_key=query-key-0123"
        }),
        (Place::Cookie("sid"), "cookie-key-0123".into(), |r| {
            r.header("cookie") == ["sid=cookie-key-0123"]
        }),
    ];
    for (place, credential, carried) in cases {
        let api = api(auth("scheme", place));
        let (outcome, received) = exchange(api, Some(credential.clone()), Config::default(), &LIST_THINGS, ok());
        assert_eq!(outcome, Ok(200), "{place:?}");
        assert!(carried(&received[0]), "{place:?}: {:?}", received[0]);
        // A public operation (`security: []`) carries none of it.
        let (outcome, received) = exchange(api, Some(credential), Config::default(), &PING, ok());
        assert_eq!(outcome, Ok(200), "{place:?}");
        let request = &received[0];
        assert!(
            request.target == "/things?page=2"
                && request.header("authorization").is_empty()
                && request.header("cookie").is_empty()
                && request.header("x-api-key").is_empty(),
            "{place:?}: a public operation carried a credential: {request:?}"
        );
    }
}

#[test]
fn an_api_without_security_sends_no_credential_and_wants_none() {
    let api = api(&[]);
    let (outcome, received) = exchange(api, None, Config::default(), &LIST_THINGS, ok());
    assert_eq!(outcome, Ok(200));
    let names: Vec<&str> = received[0].headers.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        !names.contains(&"authorization") && !names.contains(&"cookie"),
        "{names:?}"
    );
    assert_eq!(received[0].target, "/things?page=2");
}

#[test]
fn among_alternatives_the_credential_s_kind_picks_the_scheme_on_the_wire() {
    // OAuth2 first, HTTP basic as the other choice (the vendor's recommended one).
    static OAUTH: &[Auth] = &[Auth {
        scheme: "oauth",
        place: Place::Header {
            name: "Authorization",
            prefix: "Bearer ",
        },
    }];
    static BASIC: &[Auth] = &[Auth {
        scheme: "basic",
        place: Place::Basic,
    }];
    let offered: &'static Api = Box::leak(Box::new(Api::new("Example", "example/1", OAUTH).or(BASIC)));
    let sent = |credential: Credential| {
        let (outcome, received) = exchange(offered, Some(credential), Config::default(), &LIST_THINGS, ok());
        assert_eq!(outcome, Ok(200));
        received[0].header("authorization").join(",")
    };
    assert_eq!(sent(Credential::basic("ada", "pa55word")), "Basic YWRhOnBhNTV3b3Jk");
    assert_eq!(sent(Credential::new("access-token")), "Bearer access-token");
    // `<ID>_BASIC_AUTH` holds `user:password` for HTTP basic.
    // SAFETY: no other thread of this test binary reads this variable.
    unsafe { std::env::set_var("EXAMPLE_ALTERNATIVES_BASIC_AUTH", "ada:pa55word") };
    let from_env = Credential::from_env("EXAMPLE_ALTERNATIVES_BASIC_AUTH").unwrap();
    assert_eq!(sent(from_env), "Basic YWRhOnBhNTV3b3Jk");
    // A generated client's `from_env` reads whichever of its variables is set.
    let variables = ["EXAMPLE_ALTERNATIVES_TOKEN", "EXAMPLE_ALTERNATIVES_BASIC_AUTH"];
    assert_eq!(
        sent(Credential::from_env_any(&variables).unwrap()),
        "Basic YWRhOnBhNTV3b3Jk"
    );
    // SAFETY: as above.
    unsafe { std::env::set_var("EXAMPLE_ALTERNATIVES_TOKEN", "access-token") };
    let both = Credential::from_env_any(&variables).unwrap_err().to_string();
    assert_eq!(
        both,
        "EXAMPLE_ALTERNATIVES_TOKEN and EXAMPLE_ALTERNATIVES_BASIC_AUTH are set: set only one"
    );
    unsafe { std::env::remove_var("EXAMPLE_ALTERNATIVES_BASIC_AUTH") };
    assert_eq!(
        sent(Credential::from_env_any(&variables).unwrap()),
        "Bearer access-token"
    );
}

#[test]
fn a_requirement_of_two_schemes_sends_both_credentials() {
    static BOTH: &[Auth] = &[
        Auth {
            scheme: "key",
            place: Place::Query("key"),
        },
        Auth {
            scheme: "token",
            place: Place::Query("token"),
        },
    ];
    let config = Config::default().credential("token", "second-credential");
    let (outcome, received) = exchange(api(BOTH), Some("first-credential".into()), config, &LIST_THINGS, ok());
    assert_eq!(outcome, Ok(200));
    assert_eq!(received[0].query("key"), ["first-credential"]);
    assert_eq!(received[0].query("token"), ["second-credential"]);
    let missing = Context::new(api(BOTH), Some("first-credential".into()), &Config::default())
        .unwrap_err()
        .to_string();
    assert!(missing.contains("`token` needs a credential too"), "{missing}");
}

#[test]
fn a_token_source_is_asked_before_every_attempt_so_a_retry_uses_the_refreshed_token() {
    let asked = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&asked);
    let source = Credential::from_source(move || {
        let mut asked = counted.lock().unwrap();
        *asked += 1;
        Ok(format!("access-token-{asked}"))
    });
    let oauth = auth(
        "oauth",
        Place::Header {
            name: "Authorization",
            prefix: "Bearer ",
        },
    );
    let quick = Config::default().retry(Retry {
        initial_delay: Duration::from_millis(1),
        ..Retry::default()
    });
    let replies = vec![Reply::new(503, b"{}"), Reply::new(200, b"{}")];
    let (outcome, received) = exchange(api(oauth), Some(source), quick.clone(), &LIST_THINGS, replies);
    assert_eq!(outcome, Ok(200));
    assert_eq!(received[0].header("authorization"), ["Bearer access-token-1"]);
    // Asked once more before the retry was promised, then for the retry.
    assert_eq!(received[1].header("authorization"), ["Bearer access-token-3"]);

    // A source that fails before a retry: the attempt before is the outcome.
    let asked = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&asked);
    let expiring = Credential::from_source(move || {
        let mut asked = counted.lock().unwrap();
        *asked += 1;
        match *asked {
            1 => Ok("access-token-1".into()),
            _ => Err("the refresh token expired".into()),
        }
    });
    let (base, received) = serve_script(vec![Reply::new(503, b"{}"), Reply::new(200, b"{}")]);
    let outcome = send(api(oauth), Some(expiring), quick.clone(), &LIST_THINGS, &base);
    assert_eq!(outcome, Ok(503), "not retried");
    assert_eq!(received.try_iter().count(), 1, "one request went out");

    // A source that fails: nothing is sent, and the call says why.
    let failing = Credential::from_source(|| Err("the refresh token expired".into()));
    let (base, received) = serve_script(ok());
    let refused = send(api(oauth), Some(failing), quick, &LIST_THINGS, &base);
    assert_eq!(
        refused,
        Err("the token source of the security scheme `oauth` failed: the refresh token expired".into())
    );
    assert!(
        received.recv_timeout(Duration::from_millis(200)).is_err(),
        "a request went out"
    );
}

#[test]
fn a_query_credential_never_shows_in_an_error_and_echoed_secrets_are_redacted() {
    // A port nothing listens on: the connection fails, and reqwest's error
    // names the URL.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/things?page=2", closed.local_addr().unwrap());
    drop(closed);
    let query = api(auth("key", Place::Query("api_key")));
    let error = send(
        query,
        Some("query-secret-0123".into()),
        Config::default().without_retries(),
        &LIST_THINGS,
        &url,
    )
    .unwrap_err();
    assert!(!error.contains("query-secret-0123"), "{error}");
    assert!(error.contains("api_key=redacted"), "{error}");

    let basic = api(auth("basic", Place::Basic));
    let context = Context::new(basic, Some(Credential::basic("ada", "pa55word")), &Config::default()).unwrap();
    assert_eq!(
        context.redact("{\"error\": \"bad password pa55word in YWRhOnBhNTV3b3Jk\"}"),
        "{\"error\": \"bad password <redacted> in <redacted>\"}"
    );
    let shown = format!("{context:?}");
    assert!(!shown.contains("pa55word") && shown.contains("basic"), "{shown}");
}

#[test]
fn an_observer_sees_each_exchange_with_no_trace_of_the_credential_wherever_it_goes() {
    for (place, credential, secrets) in workspaces_sdk_tests::capture::credential_places() {
        // The server echoes every secret in a header and in the body.
        let echo = secrets.join(" ");
        let body = format!("{{\"echo\": \"{echo}\"}}");
        let reply = Reply::new(200, body.as_bytes()).header("x-echo", &echo);
        let seen = workspaces_sdk_tests::capture::observed(place, credential, reply);
        assert_eq!(seen.len(), 1, "{place:?}");
        let one = &seen[0];
        assert_eq!(
            (one.operation_id, one.method.as_str(), one.status),
            ("listThings", "GET", 200)
        );
        assert!(one.url.contains("/things?page=2"), "{}", one.url);
        let redacted = vec!["<redacted>"; secrets.len()].join(" ");
        assert_eq!(one.body, format!("{{\"echo\": \"{redacted}\"}}"), "{place:?}");
        let shown = format!("{one:?} {}", String::from_utf8_lossy(&one.body));
        for secret in &secrets {
            assert!(!shown.contains(secret), "{place:?}: {secret} shown in {shown}");
        }
    }
}
