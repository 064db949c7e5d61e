//! Every crate that will be published packages and builds from its package
//! alone (`cargo package` verifies each, in dependency order).

use workspaces_sdk_tests::{root, workspace::cargo};

#[test]
fn every_published_crate_packages() {
    let metadata = cargo(&root())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .unwrap();
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let published: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|package| {
            package["publish"]
                .as_array()
                .is_none_or(|registries| !registries.is_empty())
        })
        .map(|package| package["name"].as_str().unwrap())
        .collect();
    for name in [
        "workspaces-sdk",
        "workspaces-sdk-runtime",
        "workspaces-sdk-motion",
        "workspaces-cli",
    ] {
        assert!(published.contains(&name), "{name} is not published: {published:?}");
    }
    assert!(
        !published.contains(&"xtask") && !published.contains(&"workspaces-sdk-tests"),
        "{published:?}"
    );

    for name in &published {
        let manifest = metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == *name)
            .unwrap();
        for field in ["description", "license", "repository", "readme"] {
            assert!(manifest[field].is_string(), "{name} has no {field}");
        }
    }

    forget_unpacked_packages(&published);
    let mut command = cargo(&root());
    command.args(["package", "--allow-dirty"]);
    for name in &published {
        command.args(["-p", name]);
    }
    let output = command.output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo package failed:\n{log}");
    for name in &published {
        assert!(
            log.contains(&format!("Verifying {name} v")),
            "{name} was not verified:\n{log}"
        );
    }
}

/// `cargo package` unpacks each packaged crate it depends on from its local
/// registry into `$CARGO_HOME/registry/src/-<hash>/`, and builds it once,
/// reusing both while the version stays the same (registry crates never
/// change): removing the copies and the build fingerprints of this
/// workspace's crates makes verification build the tree as it is now.
fn forget_unpacked_packages(names: &[&str]) {
    let fingerprints = root().join("target/nested/debug/.fingerprint");
    for entry in std::fs::read_dir(fingerprints).into_iter().flatten().flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if names.iter().any(|name| {
            file_name
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('-') && !rest[1..].contains('-'))
        }) {
            std::fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let Ok(registries) = std::fs::read_dir(home.join("registry/src")) else {
        return;
    };
    for registry in registries
        .flatten()
        .filter(|r| r.file_name().to_string_lossy().starts_with('-'))
    {
        for unpacked in std::fs::read_dir(registry.path()).into_iter().flatten().flatten() {
            let file_name = unpacked.file_name().to_string_lossy().into_owned();
            if names.iter().any(|name| {
                file_name
                    .strip_prefix(name)
                    .is_some_and(|v| v.starts_with("-0") || v.starts_with("-1"))
            }) {
                std::fs::remove_dir_all(unpacked.path()).unwrap();
            }
        }
    }
}
