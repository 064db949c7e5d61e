//! The credential never shows in the message of a panic on an unwrapped
//! error, even when the server echoes the credential back (the logs are
//! checked in `logs.rs`).

use workspaces_sdk_runtime::Config;
use workspaces_sdk_tests::{Arguments, PROVIDERS, capture::serve_once, runtime};

const CREDENTIAL: &str = "super-secret-credential-4242";

#[test]
fn a_panic_on_an_unwrapped_error_never_shows_the_credential() {
    // A client without credential has none to show.
    for provider in PROVIDERS.iter().filter(|p| p.call.is_some() && p.takes_credential) {
        let echo = format!(
            "{{\"message\": \"bad key {CREDENTIAL}\", \"detail\": \"{CREDENTIAL}\", \"error_msg\": \"{CREDENTIAL}\"}}"
        );
        for status in [401, 418] {
            let (base, _received) = serve_once(status, "application/json", echo.clone().into_bytes());
            let call = (provider.call.unwrap())(
                base,
                CREDENTIAL.into(),
                Arguments::None,
                Config::default().without_retries(),
            );
            let error = runtime().block_on(call).unwrap_err();
            // What `.unwrap()` and `{:?}` would print.
            let shown = format!("{error:?} {error}");
            assert!(!shown.contains(CREDENTIAL), "{} {status}: {shown}", provider.id);
        }
        let debug = (provider.client_debug)("https://example.com", CREDENTIAL).unwrap();
        let panic = std::panic::catch_unwind(|| panic!("client: {debug}")).unwrap_err();
        let message = panic.downcast_ref::<String>().unwrap();
        assert!(!message.contains(CREDENTIAL), "{}: {message}", provider.id);
    }
}
