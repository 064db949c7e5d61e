//! The generated files on disk: written where they changed, compared under
//! `--check` with a diff, Rust formatted with the workspace's rustfmt, and
//! generated crates whose spec is gone found.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::{FACADE_DIR, GenerateError, MOCKS_DIR, PROVIDERS_DIR};

/// Generated provider and mock crates whose spec is gone, and the facade's
/// copies of descriptions whose spec is gone or lists no workspaces.
pub fn stale_dirs(root: &Path, files: &BTreeMap<PathBuf, String>) -> Vec<PathBuf> {
    let descriptions = Path::new(FACADE_DIR).join("openapi");
    let stale_descriptions = std::fs::read_dir(root.join(&descriptions))
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .map(|entry| descriptions.join(entry.file_name()))
        .filter(|file| !files.contains_key(file));
    let mut stale: Vec<PathBuf> = [PROVIDERS_DIR, MOCKS_DIR]
        .into_iter()
        .flat_map(|parent| {
            std::fs::read_dir(root.join(parent))
                .into_iter()
                .flatten()
                .filter_map(|entry| entry.ok())
                .map(move |entry| Path::new(parent).join(entry.file_name()))
        })
        .filter(|dir| !files.contains_key(&dir.join("Cargo.toml")))
        .chain(stale_descriptions)
        .collect();
    stale.sort();
    stale
}

/// Writes every generated file that changed and removes stale provider
/// crates (never a provider's own code in `custom/`: a stale crate that has
/// some is an error).
/// Returns the paths written or removed.
pub fn write(root: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Vec<PathBuf>, String> {
    let mut changed = Vec::new();
    for dir in stale_dirs(root, files) {
        let full = root.join(&dir);
        if full.join("custom").exists() {
            return Err(format!(
                "{}: its spec is gone, but it holds hand-written code in custom/: move that away first",
                dir.display()
            ));
        }
        let removed = match full.is_dir() {
            true => std::fs::remove_dir_all(&full),
            false => std::fs::remove_file(&full),
        };
        removed.map_err(|e| format!("{}: cannot remove: {e}", dir.display()))?;
        changed.push(dir);
    }
    for (path, content) in files {
        let full = root.join(path);
        if std::fs::read_to_string(&full).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: cannot create: {e}", parent.display()))?;
        }
        std::fs::write(&full, content).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        changed.push(path.clone());
    }
    Ok(changed)
}

/// Compares the generated files with what is on disk: `Err` holds a readable
/// report (a unified diff per stale file).
pub fn check(root: &Path, files: &BTreeMap<PathBuf, String>) -> Result<(), String> {
    const MAX_DIFF_LINES: usize = 80;
    let mut report = String::new();
    for dir in stale_dirs(root, files) {
        report += &format!(
            "{}: generated crate without a spec in openapi/ (run `cargo xtask generate`)\n",
            dir.display()
        );
    }
    for (path, expected) in files {
        let actual = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        if actual == *expected {
            continue;
        }
        let diff = similar::TextDiff::from_lines(&actual, expected);
        let text = diff
            .unified_diff()
            .context_radius(2)
            .header(
                &format!("committed {}", path.display()),
                &format!("generated {}", path.display()),
            )
            .to_string();
        let lines: Vec<&str> = text.lines().collect();
        report += &lines[..lines.len().min(MAX_DIFF_LINES)].join("\n");
        report += "\n";
        if lines.len() > MAX_DIFF_LINES {
            report += &format!("... ({} more diff lines)\n", lines.len() - MAX_DIFF_LINES);
        }
    }
    if report.is_empty() { Ok(()) } else { Err(report) }
}

/// Formats Rust source with the workspace's `rustfmt.toml`, so that the
/// generated files pass `cargo fmt --check` as they are.
pub(crate) fn rustfmt(root: &Path, source: &str) -> Result<String, GenerateError> {
    use std::io::Write;
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2024", "--emit", "stdout", "--config-path"])
        .arg(root.join("rustfmt.toml"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            GenerateError::Other(format!(
                "cannot run rustfmt ({e}): install it with `rustup component add rustfmt`"
            ))
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| GenerateError::Other(format!("rustfmt failed: {e}")))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(GenerateError::Other(format!(
            "rustfmt rejected generated code: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .next()
                .unwrap_or_default()
        )));
    }
    String::from_utf8(output.stdout).map_err(|_| GenerateError::Other("rustfmt printed invalid UTF-8".into()))
}
