//! The cross-check of a release's level: `cargo-semver-checks` (installed
//! by `crate::tools::ensure_semver_checks`) compares a crate's library with
//! the same crate built at its last release's commit, and says what level
//! Rust's semver rules require, naming each item that requires it. The
//! release fails when that level is above the one the spec's changes gave.

use std::path::Path;

use super::api_diff::Level;

/// What `cargo-semver-checks` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The level Rust's rules require (`Patch`: no update required).
    pub required: Level,
    /// Each failed lint with its description and the items it names.
    pub failures: Vec<Failure>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub lint: String,
    pub description: String,
    pub items: Vec<String>,
}

/// Reads what `cargo semver-checks check-release --release-type patch`
/// printed.
pub fn parse(output: &str) -> Result<Verdict, String> {
    let summary = output
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("Summary "))
        .ok_or_else(|| format!("cargo-semver-checks printed no summary:\n{output}"))?;
    let required = if summary.starts_with("semver requires new major version") {
        Level::Breaking
    } else if summary.starts_with("semver requires new minor version") {
        Level::Minor
    } else if summary.starts_with("no semver update required") {
        Level::Patch
    } else {
        return Err(format!("cargo-semver-checks: an unknown summary: {summary}"));
    };
    let mut failures: Vec<Failure> = Vec::new();
    let mut in_items = false;
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            let rest = rest.trim_end_matches(" ---");
            let (lint, description) = rest.split_once(": ").unwrap_or((rest, ""));
            failures.push(Failure {
                lint: lint.to_owned(),
                description: description.to_owned(),
                items: Vec::new(),
            });
            in_items = false;
        } else if line.trim() == "Failed in:" {
            in_items = true;
        } else if in_items && line.starts_with("  ") && !line.trim().is_empty() {
            if let Some(failure) = failures.last_mut() {
                failure.items.push(line.trim().to_owned());
            }
        } else {
            in_items = false;
        }
    }
    Ok(Verdict { required, failures })
}

/// Runs the check of crate `name` in the workspace at `root` against its
/// build at `baseline` (a commit).
pub fn check(root: &Path, tool: &Path, name: &str, baseline: &str) -> Result<Verdict, String> {
    let output = std::process::Command::new(tool)
        .args([
            "semver-checks",
            "check-release",
            "--color",
            "never",
            "--release-type",
            "patch",
        ])
        .args(["-p", name, "--baseline-rev", baseline])
        .current_dir(root)
        .output()
        .map_err(|e| format!("{}: {e}", tool.display()))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    parse(&text).map_err(|e| format!("{name}: {e}"))
}

/// `Ok` when Rust's rules require no more than `ours`; else an error naming
/// every item that requires more.
pub fn agree(name: &str, ours: Level, theirs: &Verdict) -> Result<(), String> {
    if theirs.required <= ours {
        return Ok(());
    }
    let mut message = format!(
        "{name}: the spec's changes make this a {} release, but cargo-semver-checks requires {}:",
        ours.as_str(),
        theirs.required.as_str()
    );
    for failure in &theirs.failures {
        message.push_str(&format!("\n  {}: {}", failure.lint, failure.description));
        for item in &failure.items {
            message.push_str(&format!("\n    {item}"));
        }
    }
    Err(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What cargo-semver-checks 0.51.0 printed for a provider crate whose
    /// structs had become `#[non_exhaustive]`.
    const MARKED_NON_EXHAUSTIVE: &str = "     Cloning 738a5e3
    Building workspaces-sdk-motion v0.1.0 (current)
       Built [  65.472s] (current)
    Checking workspaces-sdk-motion v0.1.0 -> v0.1.0 (assume patch)
     Checked [   0.028s] 202 checks: 201 pass, 1 fail, 0 warn, 58 skip

--- failure struct_marked_non_exhaustive: struct marked #[non_exhaustive] ---

Description:
A public struct has been marked #[non_exhaustive], which will prevent it from being constructed using a struct literal outside of its crate.
        ref: https://doc.rust-lang.org/cargo/reference/semver.html#attr-adding-non-exhaustive

Failed in:
  struct Status in /work/main/crates/providers/motion/src/generated.rs:64
  struct Workspace in /work/main/crates/providers/motion/src/generated.rs:85

     Summary semver requires new major version: 1 major and 0 minor checks failed
    Finished [ 121.760s] workspaces-sdk-motion
";

    #[test]
    fn a_failed_check_names_its_lint_and_items() {
        let verdict = parse(MARKED_NON_EXHAUSTIVE).unwrap();
        assert_eq!(verdict.required, Level::Breaking);
        assert_eq!(verdict.failures.len(), 1);
        assert_eq!(verdict.failures[0].lint, "struct_marked_non_exhaustive");
        assert_eq!(
            verdict.failures[0].items,
            [
                "struct Status in /work/main/crates/providers/motion/src/generated.rs:64",
                "struct Workspace in /work/main/crates/providers/motion/src/generated.rs:85"
            ]
        );
        assert!(agree("workspaces-sdk-motion", Level::Breaking, &verdict).is_ok());
        let error = agree("workspaces-sdk-motion", Level::Minor, &verdict).unwrap_err();
        assert!(
            error.contains("a minor release, but cargo-semver-checks requires breaking"),
            "{error}"
        );
        assert!(error.contains("struct Workspace in"), "{error}");
    }

    #[test]
    fn a_passing_check_requires_nothing() {
        let verdict =
            parse("     Checked [   0.020s] 202 checks: 202 pass, 58 skip\n     Summary no semver update required\n")
                .unwrap();
        assert_eq!(verdict.required, Level::Patch);
        assert!(verdict.failures.is_empty());
        assert!(parse("error: no such package").is_err());
    }
}
