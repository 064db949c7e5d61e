//! Each provider's typed httpmock crate, as a user's own tests would use it:
//! the mock's `When` expects every parameter with the operation's own types
//! (Motion's `ids` array included), its `Then` answers with a typed body, and
//! the generated client's request matches it, or, lacking the parameters,
//! does not.

use workspaces_sdk_tests::{PROVIDERS, is_success, root};
use xtask::spec::{is_json, load, response_examples};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn every_typed_mock_matches_the_clients_request() {
    let mut checked = 0;
    for provider in PROVIDERS {
        let Some(mock) = provider.mock else { continue };
        let spec = load(&root().join(provider.spec)).unwrap();
        let example = response_examples(&spec.raw)
            .into_iter()
            .find(|e| is_success(&e.status) && is_json(&e.media_type))
            .expect("a success example");
        let body = serde_json::to_vec(&example.value).unwrap();

        let matched = runtime().block_on(mock(body.clone(), true));
        assert_eq!(
            matched,
            Ok(1),
            "{}: the mock did not match the request with every parameter",
            provider.id
        );

        if !provider.parameters_set.is_empty() {
            // Without its parameters the request matches nothing: httpmock answers 404.
            let unmatched = runtime().block_on(mock(body, false));
            assert_eq!(
                unmatched,
                Ok(1404),
                "{}: the mock matched a request without its parameters",
                provider.id
            );
        }
        checked += 1;
    }
    assert_eq!(checked, PROVIDERS.len());
}
