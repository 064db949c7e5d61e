//! `cargo xtask test`: the test tools the suite needs (an OpenAPI validator
//! from PyPI, the Prism mock server from npm), installed on first use into
//! `target/tools`, then `cargo test` over the whole workspace.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// The OpenAPI validator the suite runs on every spec, pinned.
pub const VALIDATOR: &str = "openapi-spec-validator==0.9.0";

/// The environment variable through which the suite finds the validator.
pub const VALIDATOR_ENV: &str = "OPENAPI_SPEC_VALIDATOR";

/// The independent OpenAPI mock server the suite checks requests with, pinned.
pub const PRISM: &str = "@stoplight/prism-cli@5.16.0";

/// The environment variable through which the suite finds Prism.
pub const PRISM_ENV: &str = "PRISM";

/// Where Prism is installed.
pub fn prism_path(root: &Path) -> PathBuf {
    root.join("target/tools/node/node_modules/.bin/prism")
}

/// Installs Prism with npm under `target/tools/node` unless it is there
/// already, and returns the path of its command.
pub fn ensure_prism(root: &Path) -> Result<PathBuf, String> {
    let prism = prism_path(root);
    if prism.is_file() {
        return Ok(prism);
    }
    let prefix = root.join("target/tools/node");
    std::fs::create_dir_all(&prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
    run(
        Command::new("npm").arg("install").arg("--prefix").arg(&prefix).args([
            "--no-audit",
            "--no-fund",
            "--silent",
            PRISM,
        ]),
        "npm install",
    )?;
    Ok(prism)
}

/// Installs the validator into a virtual environment under `target/tools`
/// unless it is there already, and returns the path of its command.
pub fn ensure_validator(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/tools/venv");
    let validator = venv.join("bin/openapi-spec-validator");
    if validator.is_file() {
        return Ok(validator);
    }
    run(
        Command::new("python3").arg("-m").arg("venv").arg(&venv),
        "python3 -m venv",
    )?;
    run(
        Command::new(venv.join("bin/pip")).args(["install", "--quiet", "--disable-pip-version-check", VALIDATOR]),
        "pip install",
    )?;
    Ok(validator)
}

/// The cargo that runs this xtask (`$CARGO`), or else the one on the path.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The semver checker `cargo xtask release` cross-checks each release with, pinned.
pub const SEMVER_CHECKS: (&str, &str) = ("cargo-semver-checks", "0.51.0");

/// Installs `cargo-semver-checks` from crates.io under
/// `target/tools/cargo-semver-checks` unless it is there already (a build
/// of some minutes, once), and returns the path of its command.
pub fn ensure_semver_checks(root: &Path) -> Result<PathBuf, String> {
    ensure_installed(root, SEMVER_CHECKS)
}

/// Installs the crate `name` at `version` (its locked dependencies) from
/// crates.io under `target/tools/<name>` unless it is there already, and
/// returns the path of its command.
pub fn ensure_installed(root: &Path, (name, version): (&str, &str)) -> Result<PathBuf, String> {
    let prefix = root.join("target/tools").join(name);
    let command = prefix.join("bin").join(name);
    if command.is_file() {
        return Ok(command);
    }
    eprintln!("installing {name} {version} into {} (once)", prefix.display());
    run(
        cargo()
            .args(["install", "--locked", "--quiet", name, "--version", version, "--root"])
            .arg(&prefix),
        &format!("cargo install {name} {version}"),
    )?;
    Ok(command)
}

/// Runs the whole test suite with the tools in place. `Ok(false)` when tests failed.
pub fn run_tests(root: &Path, cargo_args: &[&str]) -> Result<bool, String> {
    let validator = ensure_validator(root)?;
    let prism = ensure_prism(root)?;
    let status = cargo()
        .current_dir(root)
        .args(["test", "--workspace", "--no-fail-fast"])
        .args(cargo_args)
        .env(VALIDATOR_ENV, validator)
        .env(PRISM_ENV, prism)
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    Ok(status.success())
}

/// Runs the benchmarks (`tests/benches/sdk`), each against its baseline in
/// the same run, with `bench_args` (`--quick`, `--rounds N`, sections):
/// `cargo bench` for the full run, `cargo test --bench` for a quick one,
/// which needs no release build.
pub fn run_benchmarks(root: &Path, bench_args: &[&str]) -> Result<bool, String> {
    let mode = match bench_args.contains(&"--quick") {
        true => "test",
        false => "bench",
    };
    let status = cargo()
        .current_dir(root)
        .args([mode, "-p", "workspaces-sdk-tests", "--bench", "sdk", "--"])
        .args(bench_args)
        .status()
        .map_err(|e| format!("cannot run cargo {mode}: {e}"))?;
    Ok(status.success())
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
