//! Retries, back-off, `Retry-After`, rate limit and timeouts, for every
//! provider's generated client against scripted servers on loopback. Waits are
//! kept to a second or less: tokio's paused clock would jump to the client's
//! own timeout timers while a real socket is pending, so these tests run on
//! the real clock (the back-off and the rate limiter's arithmetic are tested
//! on the paused clock in the runtime crate).

use std::{
    sync::mpsc::Receiver,
    time::{Duration, Instant},
};

use workspaces_sdk_runtime::{Config, Retry};
use workspaces_sdk_tests::{
    Arguments, CallError, Provider, callable_providers,
    capture::{Captured, Reply, serve_script},
    runtime,
};

/// Fast back-off, so that the tests stay fast; the caps are the defaults.
fn quick() -> Config {
    Config::default().retry(Retry {
        initial_delay: Duration::from_millis(20),
        ..Retry::default()
    })
}

fn run(
    provider: &Provider,
    replies: Vec<Reply>,
    config: Config,
) -> (Result<(&'static str, u16), CallError>, usize, Duration) {
    let (base, received): (String, Receiver<Captured>) = serve_script(replies);
    let started = Instant::now();
    let outcome = runtime().block_on((provider.call.unwrap())(
        base,
        "test-credential".into(),
        Arguments::None,
        config,
    ));
    let elapsed = started.elapsed();
    (outcome, received.try_iter().count(), elapsed)
}

#[test]
fn a_429_with_retry_after_in_seconds_is_retried_after_that_wait() {
    for (provider, ok) in callable_providers() {
        let replies = vec![Reply::new(429, b"{}").header("retry-after", "1"), Reply::new(200, &ok)];
        let (outcome, requests, elapsed) = run(provider, replies, quick());
        assert_eq!(outcome.map(|(_, s)| s), Ok(200), "{}", provider.id);
        assert_eq!(requests, 2, "{}", provider.id);
        assert!(
            elapsed >= Duration::from_secs(1),
            "{}: retried after {elapsed:?}",
            provider.id
        );
    }
}

#[test]
fn retry_after_as_an_http_date_is_honoured() {
    for (provider, ok) in callable_providers() {
        let date = httpdate_in(Duration::from_secs(2));
        let replies = vec![Reply::new(503, b"").header("retry-after", &date), Reply::new(200, &ok)];
        let (outcome, requests, elapsed) = run(provider, replies, quick());
        assert_eq!(outcome.map(|(_, s)| s), Ok(200), "{}", provider.id);
        assert_eq!(requests, 2, "{}", provider.id);
        // The date has a resolution of one second.
        assert!(
            elapsed >= Duration::from_millis(900),
            "{}: retried after {elapsed:?}",
            provider.id
        );
    }
}

fn httpdate_in(wait: Duration) -> String {
    let when = std::time::SystemTime::now() + wait;
    // RFC 7231 IMF-fixdate, as servers send it.
    let seconds = when.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let (year, month, day) = civil_from_days(days as i64);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][month as usize - 1];
    format!("{weekday}, {day:02} {month} {year} {h:02}:{m:02}:{s:02} GMT")
}

/// Days since 1970-01-01 to (year, month, day), after H. Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[test]
fn a_503_three_times_gives_up_after_three_attempts() {
    for (provider, ok) in callable_providers() {
        let replies = vec![
            Reply::new(503, b""),
            Reply::new(503, b""),
            Reply::new(503, b""),
            Reply::new(200, &ok),
        ];
        let (outcome, requests, _) = run(provider, replies, quick());
        let error = outcome.unwrap_err();
        assert_eq!(error.status, Some(503), "{}: {error}", provider.id);
        assert_eq!(requests, 3, "{}", provider.id);
    }
}

#[test]
fn a_retried_request_goes_out_as_the_first_attempt_did() {
    for (provider, ok) in callable_providers() {
        let (base, received) = serve_script(vec![Reply::new(503, b""), Reply::new(200, &ok)]);
        let outcome = runtime().block_on((provider.call.unwrap())(
            base,
            "test-credential".into(),
            Arguments::Every,
            quick(),
        ));
        assert_eq!(outcome.map(|(_, s)| s), Ok(200), "{}", provider.id);
        let attempts: Vec<Captured> = received.try_iter().collect();
        assert_eq!(attempts.len(), 2, "{}", provider.id);
        let (first, second) = (&attempts[0], &attempts[1]);
        assert_eq!(
            (&second.method, &second.target),
            (&first.method, &first.target),
            "{}",
            provider.id
        );
        assert_eq!(second.headers, first.headers, "{}", provider.id);
        assert_eq!(first.header("user-agent").len(), 1, "{}", provider.id);
    }
}

#[test]
fn other_4xx_statuses_are_never_retried() {
    for (provider, ok) in callable_providers() {
        for status in [400, 401, 403, 404, 409, 422] {
            let (outcome, requests, _) = run(provider, vec![Reply::new(status, b"{}"), Reply::new(200, &ok)], quick());
            assert_eq!(outcome.unwrap_err().status, Some(status), "{}", provider.id);
            assert_eq!(requests, 1, "{} {status} was retried", provider.id);
        }
    }
}

#[test]
fn retries_can_be_turned_off() {
    for (provider, ok) in callable_providers() {
        let replies = vec![Reply::new(503, b""), Reply::new(200, &ok)];
        let (outcome, requests, _) = run(provider, replies, Config::default().without_retries());
        assert_eq!(outcome.unwrap_err().status, Some(503), "{}", provider.id);
        assert_eq!(requests, 1, "{}", provider.id);
    }
}

#[test]
fn a_wait_longer_than_the_budget_is_not_cut_short_but_returned() {
    for (provider, ok) in callable_providers() {
        // Motion's real 429 asks for 60 s; a budget of 5 s gives it back at once.
        let budget = Retry {
            max_total_delay: Duration::from_secs(5),
            ..Retry::default()
        };
        let replies = vec![Reply::new(429, b"{}").header("retry-after", "60"), Reply::new(200, &ok)];
        let (outcome, requests, elapsed) = run(provider, replies, Config::default().retry(budget));
        let error = outcome.unwrap_err();
        assert_eq!(error.status, Some(429), "{}: {error}", provider.id);
        assert!(
            error.headers.contains(&("retry-after".into(), "60".into())),
            "{}",
            provider.id
        );
        assert_eq!(requests, 1, "{}", provider.id);
        assert!(elapsed < Duration::from_secs(5), "{}: waited {elapsed:?}", provider.id);
    }
}

#[test]
fn a_response_slower_than_the_timeout_is_a_timeout_error() {
    for (provider, ok) in callable_providers() {
        let slow = Reply::new(200, &ok).after(Duration::from_millis(1500));
        let config = Config::default().without_retries().timeout(Duration::from_millis(200));
        let (outcome, _, elapsed) = run(provider, vec![slow], config);
        let error = outcome.unwrap_err();
        assert_eq!(error.kind, "Transport", "{}: {error}", provider.id);
        assert!(error.message.contains("timed out"), "{}: {error}", provider.id);
        assert!(
            elapsed < Duration::from_millis(1200),
            "{}: gave up after {elapsed:?}",
            provider.id
        );
    }
}

#[test]
fn the_rate_limit_spaces_a_clients_requests() {
    for (provider, ok) in callable_providers() {
        let config = Config::default().requests_per_minute(300); // one every 200 ms
        let (outcome, requests, elapsed) = {
            let (base, received) = serve_script(vec![Reply::new(200, &ok); 3]);
            let started = Instant::now();
            let call = (provider.call.unwrap())(base, "test-credential".into(), Arguments::Repeated(3), config);
            let outcome = runtime().block_on(call);
            (outcome, received.try_iter().count(), started.elapsed())
        };
        assert_eq!(outcome.map(|(_, s)| s), Ok(200), "{}", provider.id);
        assert_eq!(requests, 3, "{}", provider.id);
        assert!(
            elapsed >= Duration::from_millis(400),
            "{}: 3 requests in {elapsed:?}",
            provider.id
        );
    }
}

#[test]
fn a_refused_connection_is_retried() {
    for (provider, ok) in callable_providers() {
        // A port with nothing on it, until a server takes it 30 ms later.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let body = ok.clone();
        let server = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
            let (mut stream, _) = listener.accept().unwrap();
            let _ = workspaces_sdk_tests::capture::read_request(&stream);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
            std::io::Write::write_all(&mut stream, &body).unwrap();
        });
        let retry = Retry {
            max_attempts: 6,
            initial_delay: Duration::from_millis(400),
            ..Retry::default()
        };
        let call = (provider.call.unwrap())(
            format!("http://127.0.0.1:{port}"),
            "test-credential".into(),
            Arguments::None,
            Config::default().retry(retry),
        );
        let outcome = runtime().block_on(call);
        assert_eq!(
            outcome.map(|(_, s)| s),
            Ok(200),
            "{}: a refused connection was not retried",
            provider.id
        );
        server.join().unwrap();
    }
}

#[test]
fn a_429_from_a_gateway_with_an_html_or_empty_body_is_retried_like_any_429() {
    for (provider, ok) in callable_providers() {
        let html = Reply::with_headers(429, &[("content-type", "text/html")], b"<html>Too Many</html>".to_vec());
        let empty = Reply::with_headers(429, &[], Vec::new()).header("retry-after", "0");
        let (outcome, requests, _) = run(provider, vec![html, empty, Reply::new(200, &ok)], quick());
        assert_eq!(outcome.map(|(_, s)| s), Ok(200), "{}", provider.id);
        assert_eq!(requests, 3, "{}", provider.id);
        // After the retries, the status is what a caller reads, whatever the body.
        let html = Reply::with_headers(429, &[("content-type", "text/html")], b"<html>Too Many</html>".to_vec());
        let (outcome, ..) = run(provider, vec![html], Config::default().without_retries());
        let error = outcome.unwrap_err();
        assert_eq!(error.status, Some(429), "{}: {error}", provider.id);
        assert!(
            error.message.contains("HTTP 429 Too Many Requests"),
            "{}: {error}",
            provider.id
        );
    }
}

#[test]
fn an_error_names_the_request_id_the_server_gave() {
    for (provider, _) in callable_providers() {
        let reply = Reply::new(404, b"{}").header("x-request-id", "req-7f3a");
        let (outcome, ..) = run(provider, vec![reply], quick());
        let error = outcome.unwrap_err();
        assert!(
            error.message.ends_with("(request id req-7f3a)"),
            "{}: {error}",
            provider.id
        );
        let (outcome, ..) = run(provider, vec![Reply::new(404, b"{}")], quick());
        let error = outcome.unwrap_err();
        assert!(!error.message.contains("request id"), "{}: {error}", provider.id);
    }
}

#[test]
fn a_call_s_own_timeout_and_retry_policy_replace_the_client_s() {
    use workspaces_sdk_tests::capture::serve_script;
    let runtime = runtime();
    let page = br#"{"meta": {}, "workspaces": []}"#;
    // The client retries three times and waits 30 s; this call waits 200 ms, once.
    let slow = Reply::new(200, page).after(Duration::from_millis(1500));
    let (base, received) = serve_script(vec![slow, Reply::new(200, page)]);
    let client = workspaces_sdk_motion::Client::with_config(&base, "k", quick()).unwrap();
    let started = Instant::now();
    let call = client
        .list_workspaces()
        .with_timeout(Duration::from_millis(200))
        .with_retry(Retry::disabled())
        .send();
    let error = runtime.block_on(call).unwrap_err();
    assert!(error.to_string().contains("timed out"), "{error}");
    assert!(
        started.elapsed() < Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received.try_iter().count(), 1, "sent once");

    // The client sends once; this call retries a 503.
    let (base, received) = serve_script(vec![Reply::new(503, b""), Reply::new(200, b"[]")]);
    let client = workspaces_sdk_delay::Client::with_config(&base, "k", Config::default().without_retries()).unwrap();
    let retry = Retry {
        initial_delay: Duration::from_millis(20),
        ..Retry::default()
    };
    let listed = runtime
        .block_on(client.list_workspaces().with_retry(retry).send())
        .unwrap();
    assert!(listed.into_inner().is_empty());
    assert_eq!(received.try_iter().count(), 2, "retried once");
}
