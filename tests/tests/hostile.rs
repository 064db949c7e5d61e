//! Broken and hostile servers, for every provider's generated client, on
//! loopback: redirects to another origin, bodies without end or with a
//! `Content-Length` that lies, bodies that trickle or stall. Each call ends
//! with a clear error, soon, and the credential appears nowhere but in the
//! requests to the origin it was given for.

use std::{
    sync::mpsc::Receiver,
    time::{Duration, Instant},
};

use workspaces_sdk_runtime::{Config, DEFAULT_MAX_BODY, Retry};
use workspaces_sdk_tests::{
    Arguments, CallError, Provider,
    capture::{Captured, Reply, Sending, credentials_on_wire, serve_script},
    root, runtime,
};
use xtask::pipeline::read_spec;

const CREDENTIAL: &str = "test-credential-6f1d";

/// Every callable provider with its success body, at least 256 bytes long
/// (whitespace before the JSON): a body that trickles outlasts a timeout,
/// one sent without end is sent in chunks of a useful size, and half of one
/// is never the whole JSON, whatever the size of the spec's example.
fn callable_providers() -> Vec<(&'static Provider, Vec<u8>)> {
    workspaces_sdk_tests::callable_providers()
        .into_iter()
        .map(|(provider, ok)| {
            let padding = 256usize.saturating_sub(ok.len());
            (provider, [vec![b' '; padding], ok].concat())
        })
        .collect()
}

/// Calls `provider`'s listing at `base` with `config`: the outcome and how
/// long it took. An error never shows the credential.
fn call(provider: &Provider, base: String, config: Config) -> (Result<u16, CallError>, Duration) {
    let started = Instant::now();
    let outcome = runtime().block_on((provider.call.unwrap())(
        base,
        CREDENTIAL.into(),
        Arguments::None,
        config,
    ));
    let elapsed = started.elapsed();
    if let Err(error) = &outcome {
        assert!(
            !format!("{error} {error:?}").contains(CREDENTIAL),
            "{}: {error}",
            provider.id
        );
    }
    (outcome.map(|(_, status)| status), elapsed)
}

/// Fast back-off, so that retries stay quick.
fn quick() -> Config {
    Config::default().retry(Retry {
        initial_delay: Duration::from_millis(20),
        ..Retry::default()
    })
}

fn redirect_to(location: &str) -> Reply {
    Reply::new(302, b"").header("location", location)
}

/// A server that records what it receives and answers `ok`.
fn other_origin(ok: &[u8]) -> (String, Receiver<Captured>) {
    serve_script(vec![Reply::new(200, ok)])
}

#[test]
fn a_redirect_to_another_origin_is_refused_and_nothing_is_sent_there() {
    for (provider, ok) in callable_providers() {
        let (elsewhere, received_there) = other_origin(&ok);
        let (base, received) = serve_script(vec![redirect_to(&format!("{elsewhere}/collect?from=redirect"))]);
        let (outcome, elapsed) = call(provider, base, quick());
        let error = outcome.unwrap_err();
        assert_eq!(error.kind, "Redirect", "{}: {error}", provider.id);
        assert!(
            error
                .message
                .contains(&format!("refused a redirect to another origin, {elsewhere}")),
            "{}: {error}",
            provider.id
        );
        assert!(!error.message.contains("collect"), "{}: {error}", provider.id);
        assert_eq!(received.try_iter().count(), 1, "{}: not retried", provider.id);
        assert_eq!(
            received_there.try_iter().count(),
            0,
            "{}: the other origin got a request",
            provider.id
        );
        eprintln!("{}: cross-origin redirect refused in {elapsed:?}", provider.id);
    }
}

#[test]
fn a_redirect_to_another_scheme_on_the_same_host_and_port_is_another_origin() {
    for (provider, _) in callable_providers() {
        let (base, _received) = serve_script(vec![Reply::new(200, b"")]);
        let https = base.replacen("http://", "https://", 1);
        let (base, _received) = serve_script(vec![redirect_to(&format!("{https}/x"))]);
        let (outcome, _) = call(provider, base, quick());
        let error = outcome.unwrap_err();
        assert_eq!(error.kind, "Redirect", "{}: {error}", provider.id);
        assert!(error.message.contains(&https), "{}: {error}", provider.id);
    }
}

#[test]
fn a_redirect_within_the_origin_is_followed_with_the_credential_and_no_referer() {
    for (provider, ok) in callable_providers() {
        let (base, received) = serve_script(vec![
            Reply::new(307, b"").header("location", "/moved?page=1"),
            Reply::new(200, &ok),
        ]);
        let (outcome, _) = call(provider, base, quick());
        assert_eq!(outcome, Ok(200), "{}", provider.id);
        let requests: Vec<Captured> = received.try_iter().collect();
        assert_eq!(requests.len(), 2, "{}", provider.id);
        let moved = &requests[1];
        assert_eq!(moved.target, "/moved?page=1", "{}", provider.id);
        // Headers and cookies keep the credential; a query credential goes
        // only where the `Location` says (here, without it).
        let spec = read_spec(&root().join(provider.spec)).unwrap();
        let operation = provider.first_operation.unwrap_or_default();
        for (at, expected, seen) in credentials_on_wire(&spec.auth, moved, CREDENTIAL, operation).found {
            if !at.starts_with("query") {
                assert_eq!(
                    seen, expected,
                    "{}: the same origin keeps the credential in the {at}",
                    provider.id
                );
            }
        }
        assert!(
            moved.header("referer").is_empty(),
            "{}: {:?}",
            provider.id,
            moved.headers
        );
    }
}

#[test]
fn with_redirects_off_a_redirect_is_returned_as_it_came() {
    for (provider, ok) in callable_providers() {
        let (elsewhere, received_there) = other_origin(&ok);
        let (base, _received) = serve_script(vec![redirect_to(&elsewhere)]);
        let (outcome, _) = call(provider, base, quick().without_redirects());
        let error = outcome.unwrap_err();
        assert_eq!(
            (error.kind, error.status),
            ("UnexpectedStatus", Some(302)),
            "{}: {error}",
            provider.id
        );
        assert_eq!(received_there.try_iter().count(), 0, "{}", provider.id);
    }
}

#[test]
fn a_body_without_end_is_read_up_to_the_limit_and_no_further() {
    for (provider, ok) in callable_providers() {
        for (config, limit) in [
            (quick(), DEFAULT_MAX_BODY),
            (quick().max_body_bytes(64 * 1024), 64 * 1024),
        ] {
            let (base, received) = serve_script(vec![Reply::new(200, &ok).sent(Sending::Endless)]);
            let (outcome, elapsed) = call(provider, base, config);
            let error = outcome.unwrap_err();
            assert_eq!(
                (error.kind, error.status),
                ("BodyTooLarge", Some(200)),
                "{}: {error}",
                provider.id
            );
            let said = format!("the body is longer than the limit of {limit} bytes");
            assert!(error.message.contains(&said), "{}: {error}", provider.id);
            assert_eq!(received.try_iter().count(), 1, "{}: not retried", provider.id);
            eprintln!("{}: endless body stopped at {limit} bytes in {elapsed:?}", provider.id);
        }
    }
}

#[test]
fn a_body_announced_longer_than_the_limit_is_not_read_at_all() {
    for (provider, ok) in callable_providers() {
        let huge = Reply::new(200, &ok).sent(Sending::Announcing(1 << 40));
        let (base, _received) = serve_script(vec![huge]);
        let (outcome, elapsed) = call(provider, base, quick());
        let error = outcome.unwrap_err();
        assert_eq!(
            (error.kind, error.status),
            ("BodyTooLarge", Some(200)),
            "{}: {error}",
            provider.id
        );
        assert!(elapsed < Duration::from_secs(2), "{}: {elapsed:?}", provider.id);
    }
}

#[test]
fn a_content_length_that_lies_is_a_clear_error() {
    for (provider, ok) in callable_providers() {
        // Shorter than the body: the client reads what was announced, which
        // is not the documented JSON.
        let short = Reply::new(200, &ok).sent(Sending::Announcing(ok.len() as u64 / 2));
        let (base, _received) = serve_script(vec![short]);
        let error = call(provider, base, quick()).0.unwrap_err();
        assert_eq!(
            (error.kind, error.status),
            ("InvalidBody", Some(200)),
            "{}: {error}",
            provider.id
        );
        // Longer than the body, then the connection closes: the body ends early.
        let long = Reply::new(200, &ok).sent(Sending::Announcing(ok.len() as u64 + 100));
        let (base, _received) = serve_script(vec![long]);
        let error = call(provider, base, quick()).0.unwrap_err();
        assert_eq!(error.kind, "Transport", "{}: {error}", provider.id);
    }
}

#[test]
fn a_trickling_body_times_out_and_is_retried_as_the_policy_says() {
    for (provider, ok) in callable_providers() {
        let trickle = Reply::new(200, &ok).sent(Sending::Trickling(Duration::from_millis(100)));
        let (base, received) = serve_script(vec![trickle.clone(), trickle]);
        let retry = Retry {
            max_attempts: 2,
            initial_delay: Duration::from_millis(20),
            ..Retry::default()
        };
        let config = Config::default().retry(retry).timeout(Duration::from_millis(500));
        let (outcome, elapsed) = call(provider, base, config);
        let error = outcome.unwrap_err();
        assert_eq!(error.kind, "Transport", "{}: {error}", provider.id);
        assert!(error.message.contains("timed out"), "{}: {error}", provider.id);
        assert_eq!(received.try_iter().count(), 2, "{}: attempts", provider.id);
        assert!(
            (Duration::from_millis(1000)..Duration::from_millis(2500)).contains(&elapsed),
            "{}: two attempts of 500 ms took {elapsed:?}",
            provider.id
        );
        eprintln!("{}: trickling body, 2 attempts, gave up in {elapsed:?}", provider.id);
    }
}

#[test]
fn a_body_that_stalls_after_the_headers_times_out() {
    for (provider, ok) in callable_providers() {
        let stall = Reply::new(200, &ok).sent(Sending::Trickling(Duration::from_secs(30)));
        let (base, _received) = serve_script(vec![stall]);
        let config = quick().without_retries().timeout(Duration::from_millis(300));
        let (outcome, elapsed) = call(provider, base, config);
        let error = outcome.unwrap_err();
        assert_eq!(error.kind, "Transport", "{}: {error}", provider.id);
        assert!(error.message.contains("timed out"), "{}: {error}", provider.id);
        assert!(elapsed < Duration::from_secs(2), "{}: {elapsed:?}", provider.id);
        eprintln!("{}: stalled body, gave up in {elapsed:?}", provider.id);
    }
}
