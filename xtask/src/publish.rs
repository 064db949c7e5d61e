//! `cargo xtask publish [--dry-run]`: the published crates in dependency
//! order (runtime, providers, facade, mocks, command line). `--dry-run`
//! packages every one and verifies each package builds on its own, against
//! the packages before it, offline (`cargo package`, which is what `cargo
//! publish` runs before uploading). Without it, each crate whose version is
//! not on crates.io yet is published, cargo waiting for it to be visible in
//! the index before the next one goes.

use std::path::Path;

use crate::{
    release::workspace::{Package, packages},
    tools::cargo,
};

/// Packages and verifies every published crate of `root`, building in
/// `target_dir`; returns the crates verified, in order.
pub fn dry_run(root: &Path, target_dir: &Path) -> Result<Vec<Package>, String> {
    let packages = packages(root)?;
    forget_unpacked_packages(&packages, target_dir);
    let mut command = cargo();
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["package", "--offline", "--allow-dirty"]);
    for package in &packages {
        command.args(["-p", &package.name]);
    }
    let output = command.output().map_err(|e| format!("cargo package: {e}"))?;
    let log = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("cargo package failed:\n{log}"));
    }
    for package in &packages {
        let verified = format!("Verifying {} v{} (", package.name, package.version);
        if !log.contains(&verified) {
            return Err(format!("{} {} was not verified:\n{log}", package.name, package.version));
        }
    }
    Ok(packages)
}

/// Publishes every crate of `root` whose version crates.io does not have, in
/// dependency order; returns a line per crate saying what was done.
pub fn publish(root: &Path) -> Result<Vec<String>, String> {
    let mut done = Vec::new();
    for package in packages(root)? {
        if on_crates_io(&package)? {
            done.push(format!("{} {} is on crates.io already", package.name, package.version));
            continue;
        }
        let status = cargo()
            .current_dir(root)
            .args(["publish", "-p", &package.name])
            .status()
            .map_err(|e| format!("cargo publish: {e}"))?;
        if !status.success() {
            return Err(format!(
                "cargo publish -p {} failed; the crates before it are published:\n{}",
                package.name,
                done.join("\n")
            ));
        }
        done.push(format!("published {} {}", package.name, package.version));
    }
    Ok(done)
}

/// Whether crates.io has this version of the crate (asked from outside the
/// workspace, so that cargo does not answer with the local package).
fn on_crates_io(package: &Package) -> Result<bool, String> {
    let output = cargo()
        .current_dir(std::env::temp_dir())
        .args(["info", "--registry", "crates-io", "--quiet"])
        .arg(format!("{}@{}", package.name, package.version))
        .output()
        .map_err(|e| format!("cargo info: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    match (output.status.success(), stderr.contains("could not find")) {
        (true, _) => Ok(true),
        (false, true) => Ok(false),
        (false, false) => Err(format!(
            "cannot tell whether crates.io has {} {}: {}",
            package.name,
            package.version,
            stderr.trim()
        )),
    }
}

/// `cargo package` unpacks each packaged crate it depends on from its local
/// registry into `$CARGO_HOME/registry/src/-<hash>/`, and builds it once,
/// reusing both while the version stays the same (registry crates never
/// change): removing the copies and the build fingerprints of the
/// workspace's crates makes verification build the tree as it is now.
fn forget_unpacked_packages(packages: &[Package], target_dir: &Path) {
    let ours = |file_name: &str, versioned: bool| {
        packages.iter().any(|p| {
            file_name
                .strip_prefix(p.name.as_str())
                .is_some_and(|rest| match versioned {
                    true => rest.starts_with(&format!("-{}", p.version)),
                    false => rest.starts_with('-') && !rest[1..].contains('-'),
                })
        })
    };
    let fingerprints = target_dir.join("debug/.fingerprint");
    for entry in std::fs::read_dir(fingerprints).into_iter().flatten().flatten() {
        if ours(&entry.file_name().to_string_lossy(), false) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| std::path::PathBuf::from(home).join(".cargo")));
    let Some(Ok(registries)) = home.map(|home| std::fs::read_dir(home.join("registry/src"))) else {
        return;
    };
    for registry in registries
        .flatten()
        .filter(|r| r.file_name().to_string_lossy().starts_with('-'))
    {
        for unpacked in std::fs::read_dir(registry.path()).into_iter().flatten().flatten() {
            if ours(&unpacked.file_name().to_string_lossy(), true) {
                let _ = std::fs::remove_dir_all(unpacked.path());
            }
        }
    }
}
