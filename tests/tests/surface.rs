//! The public surface of each generated crate (types, fields and their Rust
//! types, the client's methods, each operation builder's methods), and how
//! each example of its spec decodes, are one snapshot per provider, so that
//! a spec change shows up as a reviewable API diff, and a new provider as
//! one new snapshot.

use workspaces_sdk_tests::{PROVIDERS, decoded_examples, root, surface};

#[test]
fn public_surface_of_every_generated_crate() {
    for provider in PROVIDERS {
        let dir = root().join("crates/providers").join(provider.id).join("src");
        let lib = std::fs::read_to_string(dir.join("lib.rs")).unwrap();
        let generated = std::fs::read_to_string(dir.join("generated.rs")).unwrap();
        let text = surface::render(&[&lib, &generated]).unwrap_or_else(|e| panic!("{}: {e}", provider.crate_name));
        // The constructors and hooks every client has: the runtime's `client!`.
        assert!(
            text.contains("workspaces_sdk_runtime::client!(API"),
            "{}: no constructors",
            provider.crate_name
        );
        let mut text = text;
        for example in decoded_examples(provider) {
            text += &format!("\n# example {}\n{}\n", example.name, example.decoded.debug);
        }
        insta::assert_snapshot!(format!("{}__surface", provider.id), text);
    }
}
