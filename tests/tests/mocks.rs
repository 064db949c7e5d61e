//! Each provider's typed httpmock crate, as a user's own tests would use it:
//! the mock's `When` expects every parameter with the operation's own types
//! (Motion's `ids` array included), its `Then` answers with a typed body, and
//! the generated client's request matches it, or, lacking the parameters,
//! does not.

use workspaces_sdk_tests::{PROVIDERS, root, runtime, success_example};
use xtask::pipeline::read_spec;

#[test]
fn every_typed_mock_matches_the_clients_request() {
    let mut checked = 0;
    for provider in PROVIDERS {
        let Some(mock) = provider.mock else { continue };
        let spec = read_spec(&root().join(provider.spec)).unwrap();
        let body = serde_json::to_vec(&success_example(&spec, provider.first_operation)).unwrap();

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
