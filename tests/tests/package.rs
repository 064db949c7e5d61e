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
    for name in ["workspaces-sdk", "workspaces-sdk-runtime", "workspaces-sdk-motion"] {
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
