//! Scratch copies of the workspace for tests that run the generator or cargo
//! on something other than the committed tree.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::atomic::{AtomicUsize, Ordering},
};

use crate::root;

/// A fresh, empty folder under `target/`, unique to this call.
pub fn scratch_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = root().join("target/scratch").join(format!(
        "{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A workspace that holds the runtime crate and `openapi/<provider>.yaml`
/// with `spec` as its text, and no provider crate yet.
pub fn workspace_with_spec(name: &str, provider: &str, spec: &str) -> PathBuf {
    let dir = scratch_dir(name);
    xtask::corpus::scratch_workspace(&root(), &dir).unwrap();
    std::fs::write(dir.join("openapi").join(format!("{provider}.yaml")), spec).unwrap();
    dir
}

/// Adds the command line (`crates/cli`, without its tests) to a workspace
/// made by [`workspace_with_spec`]; `cargo xtask generate` writes its table.
pub fn with_command_line(dir: &Path) {
    let cli = dir.join("crates/cli");
    copy_dir(&root().join("crates/cli/src"), &cli.join("src"));
    std::fs::write(cli.join("README.md"), "").unwrap();
    // Its dev-dependencies (the test crate) are not in the scratch workspace.
    let manifest = std::fs::read_to_string(root().join("crates/cli/Cargo.toml")).unwrap();
    let manifest = manifest.split("[dev-dependencies]").next().unwrap();
    std::fs::write(cli.join("Cargo.toml"), manifest).unwrap();
    let workspace = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let workspace = workspace.replace(r#""crates/mocks/*"]"#, r#""crates/mocks/*", "crates/cli"]"#);
    std::fs::write(dir.join("Cargo.toml"), workspace).unwrap();
}

/// The `workspaces` command of the workspace at `dir` (made by
/// [`workspace_with_spec`]): the command line added, every file generated,
/// built in `target/nested`. Returned with the lock on `target/nested`,
/// held while the binary runs, so that no other test's build replaces it.
pub fn command_line_of(dir: &Path) -> (PathBuf, std::sync::MutexGuard<'static, ()>) {
    with_command_line(dir);
    let files = xtask::generate(dir).unwrap_or_else(|e| panic!("{e}"));
    xtask::write(dir, &files).unwrap();
    let nested = nested_cargo();
    let build = cargo(dir)
        .args(["build", "--offline", "--quiet", "-p", "workspaces-cli"])
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    (root().join("target/nested/debug/workspaces"), nested)
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    xtask::corpus::copy_dir(from, to).unwrap();
}

/// Held while a test runs cargo in `target/nested`: tests of one binary run
/// at once, and one's build must not replace the libraries another's doc
/// tests are linking.
pub fn nested_cargo() -> std::sync::MutexGuard<'static, ()> {
    static NESTED: std::sync::Mutex<()> = std::sync::Mutex::new(());
    NESTED.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `cargo` with a target folder of its own (`target/nested`), so that it never
/// waits on the build of the test run that started it.
pub fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/nested"));
    command
}

/// A scratch clone of the workspace: every file git tracks or would track
/// (a new provider's spec and crates before they are committed, say), as it
/// is in the working tree, committed once in a repository of its own (whose
/// `HEAD` is returned with the folder).
pub fn scratch_clone(name: &str) -> (PathBuf, String) {
    let dir = scratch_dir(name);
    xtask::release::workspace::copy_working_tree(&root(), &dir).unwrap_or_else(|e| panic!("{e}"));
    git(&dir, &["init", "--quiet"]);
    let head = commit(&dir, "the workspace");
    (dir, head)
}

/// Commits everything in the repository at `dir`; returns the new `HEAD`.
pub fn commit(dir: &Path, message: &str) -> String {
    git(dir, &["add", "--all"]);
    git(
        dir,
        &[
            "-c",
            "user.name=workspaces-sdk tests",
            "-c",
            "user.email=tests@workspaces-sdk.invalid",
            "commit",
            "--quiet",
            "--allow-empty",
            "-m",
            message,
        ],
    );
    git(dir, &["rev-parse", "HEAD"]).trim().to_owned()
}

/// Runs git in `dir`; panics with its error when it fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    xtask::release::workspace::git(dir, args).unwrap_or_else(|e| panic!("{e}"))
}
