//! Tokens that expire, on the wire through a generated client (Delay's,
//! whose spec puts a bearer token in `Authorization`), against one local
//! server that is both the OAuth2 token endpoint and the API: a
//! client-credentials token renewed between two pages, once for concurrent
//! calls; a refused grant as an error without a secret; a 401 that asks an
//! async source again, once.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use workspaces_sdk_delay::{Client, Config, Credential, ErrorKind, OAuth2, Paging, Retry, Token};
use workspaces_sdk_tests::capture::{Captured, Reply, serve_with};

fn workspace(n: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("98d91cd7-860d-4869-937a-5af32eff2f{n:02}"),
        "identifier": format!("w{n}"),
        "name": format!("Workspace {n}"),
        "workspace_type": "team",
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:00:00Z"
    })
}

fn json(value: &serde_json::Value) -> Reply {
    Reply::new(200, value.to_string().as_bytes())
}

/// A token endpoint at `/oauth/token` that issues `token-1`, `token-2`, ...
/// valid for `lifetime`, and an API at `/workspaces` that answers `page` to
/// a request with a live token and 401 to any other.
struct Issuer {
    issued: Mutex<Vec<(String, Instant)>>,
    lifetime: Duration,
}

impl Issuer {
    fn new(lifetime: Duration) -> Arc<Self> {
        Arc::new(Self {
            issued: Mutex::default(),
            lifetime,
        })
    }

    fn answer(&self, request: &Captured, page: impl Fn(&Captured) -> Reply) -> Reply {
        if request.target.starts_with("/oauth/token") {
            let mut issued = self.issued.lock().unwrap();
            let token = format!("token-{}", issued.len() + 1);
            issued.push((token.clone(), Instant::now()));
            return json(&serde_json::json!({
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.lifetime.as_secs_f64(),
            }));
        }
        let sent = request
            .header("authorization")
            .first()
            .map(|v| v.to_string())
            .unwrap_or_default();
        let live = self
            .issued
            .lock()
            .unwrap()
            .iter()
            .any(|(token, at)| sent == format!("Bearer {token}") && at.elapsed() < self.lifetime);
        match live {
            true => page(request),
            false => Reply::new(401, br#"{"message":"expired"}"#),
        }
    }

    fn tokens(&self) -> usize {
        self.issued.lock().unwrap().len()
    }
}

fn grant(base_url: &str) -> OAuth2 {
    OAuth2::client_credentials("app-7", "cs-secret-4321")
        .token_url(format!("{base_url}/oauth/token"))
        .scopes(["workspaces:read", "profile"])
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_credentials_token_that_expires_between_two_pages_is_asked_for_again_and_the_listing_completes() {
    // The first page takes longer than the token lives, less the margin.
    let issuer = Issuer::new(Duration::from_millis(1500));
    let server = Arc::clone(&issuer);
    let (base_url, requests) = serve_with(8, move |request| {
        server.answer(request, |request| {
            match request.query("page").first().map(String::as_str) {
                Some("1") => json(&serde_json::json!([workspace(1), workspace(2)])).after(Duration::from_millis(1400)),
                _ => json(&serde_json::json!([workspace(3)])),
            }
        })
    });
    let client = Client::with_base_url(&base_url, grant(&base_url)).unwrap();
    let paging = Paging {
        prefetch: 1,
        page_size: Some(2),
        ..Paging::default()
    };
    let items: Vec<_> = futures_util::TryStreamExt::try_collect::<Vec<_>>(client.list_workspaces().stream_with(paging))
        .await
        .unwrap();
    assert_eq!(
        items.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(),
        ["Workspace 1", "Workspace 2", "Workspace 3"]
    );
    assert_eq!(issuer.tokens(), 2, "one token for each page");

    let sent: Vec<Captured> = requests.try_iter().collect();
    let targets: Vec<(&str, &str)> = sent.iter().map(|r| (r.method.as_str(), r.target.as_str())).collect();
    assert_eq!(
        targets,
        [
            ("POST", "/oauth/token"),
            ("GET", "/workspaces?page=1&page_size=2"),
            ("POST", "/oauth/token"),
            ("GET", "/workspaces?page=2&page_size=2"),
        ],
        "renewed before the second page, never refused"
    );
    assert_eq!(sent[3].header("authorization"), ["Bearer token-2"]);
    // The token request: the grant and scopes in the form, the client in
    // HTTP basic, and nothing of the client's secret on the API's requests.
    let token_request = &sent[0];
    assert_eq!(
        String::from_utf8_lossy(&token_request.body),
        "grant_type=client_credentials&scope=workspaces%3Aread+profile"
    );
    // `app-7:cs-secret-4321`.
    let basic = "YXBwLTc6Y3Mtc2VjcmV0LTQzMjE=";
    assert_eq!(
        token_request.header("authorization"),
        [format!("Basic {basic}").as_str()]
    );
    assert_eq!(
        token_request.header("content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert!(
        sent[1]
            .headers
            .iter()
            .all(|(_, value)| !value.contains("cs-secret") && !value.contains(basic))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_calls_wait_for_one_token_request() {
    let issuer = Issuer::new(Duration::from_secs(3600));
    let server = Arc::clone(&issuer);
    let (base_url, requests) = serve_with(9, move |request| {
        server.answer(request, |_| json(&serde_json::json!([])))
    });
    let client = Client::with_base_url(&base_url, grant(&base_url)).unwrap();
    let calls = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_workspaces().send().await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(issuer.tokens(), 1);
    let sent: Vec<Captured> = requests.try_iter().collect();
    assert_eq!(sent.len(), 9);
    assert!(
        sent.iter()
            .filter(|r| r.method == "GET")
            .all(|r| r.header("authorization") == ["Bearer token-1"])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_grant_is_a_credential_error_that_names_the_refusal_and_no_secret() {
    let (base_url, requests) = serve_with(2, |request| {
        match request.target.as_str() {
        "/oauth/token" => Reply::new(
            400,
            br#"{"error":"invalid_grant","error_description":"refresh token rt-live-98765 was revoked for cs-secret-4321"}"#,
        ),
        _ => Reply::new(200, b"[]"),
    }
    });
    let credential = OAuth2::refresh_token("app-7", Some("cs-secret-4321"), "rt-live-98765")
        .token_url(format!("{base_url}/oauth/token"));
    let client = Client::with_base_url(&base_url, credential).unwrap();
    let error = client.list_workspaces().send().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Credential(_)), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(
            "refused with 400 Bad Request (invalid_grant: refresh token <redacted> was revoked for <redacted>)"
        ),
        "{message}"
    );
    assert!(message.contains("refresh-token grant"), "{message}");
    for secret in ["rt-live-98765", "cs-secret-4321"] {
        assert!(
            !message.contains(secret) && !format!("{error:?}").contains(secret),
            "{message}"
        );
    }
    let sent: Vec<Captured> = requests.try_iter().collect();
    assert_eq!(sent.len(), 1, "nothing was sent to the API");
    assert_eq!(
        String::from_utf8_lossy(&sent[0].body),
        "grant_type=refresh_token&refresh_token=rt-live-98765"
    );

    // A token endpoint in clear text, off loopback: refused before anything is sent.
    let refused = Client::with_base_url(
        &base_url,
        OAuth2::client_credentials("app-7", "cs-secret-4321").token_url("http://id.example/token"),
    )
    .unwrap_err()
    .to_string();
    assert!(refused.contains("is not https"), "{refused}");
    // Delay's spec declares no OAuth2 flow: the endpoint must be given.
    let none = Client::with_base_url(&base_url, Credential::client_credentials("app-7", "cs-secret-4321"))
        .unwrap_err()
        .to_string();
    assert!(none.contains("declares no OAuth2 client-credentials flow"), "{none}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_asks_an_async_source_again_and_sends_the_call_once_more() {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let credential = Credential::from_async_source(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok::<_, std::io::Error>(Token::new(format!("vault-{n}"))) }
    });
    // Refused once, then accepted.
    let (base_url, requests) = serve_with(2, |request| match request.header("authorization")[..] {
        ["Bearer vault-1"] => Reply::new(401, br#"{"message":"expired"}"#),
        _ => Reply::new(200, b"[]"),
    });
    let client = Client::with_base_url(&base_url, credential.clone()).unwrap();
    client.list_workspaces().send().await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    let sent: Vec<Captured> = requests.try_iter().collect();
    let tokens: Vec<&str> = sent.iter().map(|r| r.header("authorization")[0]).collect();
    assert_eq!(tokens, ["Bearer vault-1", "Bearer vault-2"]);

    // Refused twice: the second 401 is the outcome, after one more attempt.
    let (base_url, requests) = serve_with(3, |_| Reply::new(401, br#"{"message":"no"}"#));
    let client = Client::with_base_url(&base_url, credential.clone()).unwrap();
    let error = client.list_workspaces().send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(requests.try_iter().count(), 2);

    // Without retries, or with a fixed key, a 401 is the outcome at once.
    for (credential, config) in [
        (credential, Config::default().retry(Retry::disabled())),
        (Credential::new("sk-fixed"), Config::default()),
    ] {
        let (base_url, requests) = serve_with(2, |_| Reply::new(401, br#"{"message":"no"}"#));
        let client = Client::with_config(&base_url, credential, config).unwrap();
        let error = client.list_workspaces().send().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
        assert_eq!(requests.try_iter().count(), 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_async_source_fails_the_call_with_its_reason_and_sends_nothing() {
    let credential =
        Credential::from_async_source(|| async { Err::<Token, _>(std::io::Error::other("the vault is sealed")) });
    let (base_url, requests) = serve_with(1, |_| Reply::new(200, b"[]"));
    let client = Client::with_base_url(&base_url, credential).unwrap();
    let error = client.list_workspaces().send().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Credential(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "Delay listWorkspaces: no token, nothing was sent: the vault is sealed"
    );
    assert!(requests.recv_timeout(Duration::from_millis(200)).is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_public_client_s_refresh_token_is_replaced_by_the_one_the_endpoint_returns() {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&issued);
    // Each token answer rotates the refresh token; the first access token
    // is refused by the API, so a second is asked for.
    let (base_url, requests) = serve_with(4, move |request| match request.target.as_str() {
        "/oauth/token" => {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            json(
                &serde_json::json!({"access_token": format!("at-{n}"), "token_type": "bearer", "refresh_token": format!("rt-rotated-{n}")}),
            )
        }
        _ if request.header("authorization") == ["Bearer at-1"] => Reply::new(401, br#"{"message":"revoked"}"#),
        _ => Reply::new(200, b"[]"),
    });
    let grant = OAuth2::refresh_token("public-app", None, "rt-first-0").token_url(format!("{base_url}/oauth/token"));
    let client = Client::with_base_url(&base_url, grant).unwrap();
    client.list_workspaces().send().await.unwrap();
    let sent: Vec<Captured> = requests.try_iter().collect();
    let forms: Vec<String> = sent
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert_eq!(
        forms,
        [
            "grant_type=refresh_token&refresh_token=rt-first-0&client_id=public-app",
            "grant_type=refresh_token&refresh_token=rt-rotated-1&client_id=public-app"
        ]
    );
    assert!(
        sent.iter()
            .filter(|r| r.method == "POST")
            .all(|r| r.header("authorization").is_empty()),
        "a public client sends no HTTP basic"
    );
}
