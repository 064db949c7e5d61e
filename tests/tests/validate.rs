//! Every spec passes a real OpenAPI 3.0 validator (openapi-spec-validator,
//! installed by `cargo xtask test`), and the validator does reject a bad one.
//! A provider of the facade's spec is written here, and is checked as it is
//! written; a description published elsewhere, as the generator reads it
//! (its rewrites reported by `cargo xtask generate`).

use std::{path::PathBuf, process::Command};

use workspaces_sdk_tests::root;

fn validator() -> PathBuf {
    let path = std::env::var_os(xtask::tools::VALIDATOR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/tools/venv/bin/openapi-spec-validator"));
    assert!(
        path.is_file(),
        "{} not found: run the suite with `cargo xtask test`, which installs it",
        path.display()
    );
    path
}

fn validate(file: &std::path::Path) -> (bool, String) {
    let output = Command::new(validator()).arg(file).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn every_spec_is_valid_openapi() {
    let files = xtask::load::spec_files(&root().join("openapi")).unwrap();
    assert!(!files.is_empty());
    let scratch = workspaces_sdk_tests::workspace::scratch_dir("validated-readings");
    for written in files {
        let spec = xtask::pipeline::read_spec(&written).unwrap_or_else(|e| panic!("{e}"));
        let file = match spec.workspaces {
            Some(_) => written,
            None => {
                let reading = scratch.join(format!("{}.json", spec.id));
                std::fs::write(&reading, serde_json::to_string(&spec.raw).unwrap()).unwrap();
                reading
            }
        };
        let (ok, text) = validate(&file);
        assert!(ok && text.contains("OK"), "{}: {text}", file.display());
    }
}

#[test]
fn the_validator_rejects_an_invalid_spec() {
    let dir = workspaces_sdk_tests::workspace::scratch_dir("invalid-openapi");
    let spec = std::fs::read_to_string(root().join("tests/fixtures/new/acme.yaml")).unwrap();
    // A response without its required `description`.
    let invalid = spec.replace("          description: The projects.\n", "");
    assert_ne!(spec, invalid);
    let file = dir.join("acme.yaml");
    std::fs::write(&file, invalid).unwrap();
    let (ok, text) = validate(&file);
    assert!(!ok, "the validator accepted an invalid spec: {text}");
    assert!(text.contains("description"), "{text}");
}
