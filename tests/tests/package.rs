//! `cargo xtask publish --dry-run`: every crate that will be published
//! packages and builds from its package alone, against the packages of the
//! crates before it, in an order where each comes after what it depends on.

use workspaces_sdk_tests::root;

#[test]
fn every_published_crate_packages_in_dependency_order() {
    let packages = xtask::publish::dry_run(&root(), &root().join("target/nested")).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
    for name in [
        "workspaces-sdk",
        "workspaces-sdk-runtime",
        "workspaces-sdk-motion",
        "workspaces-sdk-motion-mock",
        "workspaces-cli",
    ] {
        assert!(names.contains(&name), "{name} is not published: {names:?}");
    }
    assert!(
        !names.contains(&"xtask") && !names.contains(&"workspaces-sdk-tests"),
        "{names:?}"
    );
    assert_eq!(names[0], "workspaces-sdk-runtime", "{names:?}");
    assert_eq!(names.last(), Some(&"workspaces-cli"), "{names:?}");
    for (at, package) in packages.iter().enumerate() {
        for dependency in &package.dependencies {
            assert!(
                names[..at].contains(&dependency.as_str()),
                "{} comes before its dependency {dependency}: {names:?}",
                package.name
            );
        }
        let manifest = std::fs::read_to_string(root().join(&package.dir).join("Cargo.toml")).unwrap();
        for field in ["description", "license", "repository", "readme"] {
            assert!(
                manifest.lines().any(|line| line.starts_with(&format!("{field} ="))
                    || line.starts_with(&format!("{field}.workspace = true"))),
                "{} has no {field}",
                package.name
            );
        }
    }
}
