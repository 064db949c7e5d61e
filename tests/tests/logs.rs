//! Each attempt is a tracing span whose events name provider, operation,
//! attempt, method, URL and status, under the documented targets, and never
//! the credential, even when the server echoes it back or it is in the query. (One test alone in its binary: a scoped subscriber and tracing's
//! per-callsite cache do not mix with other tests on other threads.)

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use workspaces_sdk_runtime::Config;
use workspaces_sdk_tests::{Arguments, PROVIDERS, capture::serve_once, root, runtime};
use xtask::pipeline::read_spec;

const CREDENTIAL: &str = "super-secret-credential-4242";

/// A log sink the subscriber writes into.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn logs_name_the_request_but_never_the_credential() {
    for provider in PROVIDERS.iter().filter(|p| p.call.is_some()) {
        let spec = read_spec(&root().join(provider.spec)).unwrap();
        let logs = Logs::default();
        let sink = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .finish();
        let echo = format!("{{\"message\": \"bad key {CREDENTIAL}\"}}");
        let (base, _received) = serve_once(401, "application/json", echo.into_bytes());
        tracing::subscriber::with_default(subscriber, || {
            let call = (provider.call.unwrap())(base, CREDENTIAL.into(), Arguments::None, Config::default());
            let _ = runtime().block_on(call);
        });
        let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
        assert!(
            text.contains(&format!("provider=\"{}\"", spec.sdk.provider)),
            "{}: {text}",
            provider.id
        );
        assert!(
            text.contains("operation=") && text.contains("attempt=1"),
            "{}: {text}",
            provider.id
        );
        assert!(text.contains("status=401"), "{}: {text}", provider.id);
        // One DEBUG event per attempt, under the documented target, with the
        // method and URL (its credentials redacted) and the latency.
        let event = text
            .lines()
            .find(|line| line.contains(" DEBUG ") && line.contains("response"))
            .unwrap_or_else(|| panic!("{}: no DEBUG response event in {text}", provider.id));
        assert!(event.contains(workspaces_sdk_runtime::TRACE_REQUEST), "{event}");
        assert!(
            event.contains("method=") && event.contains("url=http://127.0.0.1:"),
            "{event}"
        );
        assert!(event.contains("latency_ms="), "{event}");
        assert!(
            !text.contains(CREDENTIAL),
            "{}: the credential is in the logs:\n{text}",
            provider.id
        );
    }
}
