//! `cargo xtask test`: the test tools the suite needs, installed on first use
//! into `target/tools`, then `cargo test` over the whole workspace.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// The OpenAPI validator the suite runs on every spec, pinned.
pub const VALIDATOR: &str = "openapi-spec-validator==0.9.0";

/// The environment variable through which the suite finds the validator.
pub const VALIDATOR_ENV: &str = "OPENAPI_SPEC_VALIDATOR";

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

/// Runs the whole test suite with the tools in place. `Ok(false)` when tests failed.
pub fn run_tests(root: &Path, cargo_args: &[&str]) -> Result<bool, String> {
    let validator = ensure_validator(root)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["test", "--workspace", "--no-fail-fast"])
        .args(cargo_args)
        .env(VALIDATOR_ENV, validator)
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
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
