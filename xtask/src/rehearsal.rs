//! `cargo xtask publish --rehearse`: the ordered publish into a real
//! registry, run on this machine. A local registry server
//! (`cargo-http-registry`, installed under `target/tools` on first use) is
//! started on a free loopback port; every published crate goes into it in
//! dependency order (`cargo xtask publish --registry rehearsal`), cargo
//! waiting for each one's index entry before the next; then a fresh project
//! that depends on the facade and Motion's crate by version, from that
//! registry alone, with `rustls-ring`, is built and lists the workspaces of
//! the Motion mock (`workspaces mock serve`).
//!
//! Cargo takes a path dependency without a `registry` key to come from
//! crates.io, so the crates are published from a copy of the workspace
//! whose manifests name the rehearsal registry on each dependency on
//! another crate of the workspace: nothing else differs from a real publish.

use std::{
    io::BufRead,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use crate::{
    release::workspace::{Package, copy_working_tree, packages},
    tools::cargo,
};

/// The registry server, pinned.
pub const REGISTRY_SERVER: (&str, &str) = ("cargo-http-registry", "0.1.8");

/// The registry's name in cargo's configuration.
const NAME: &str = "rehearsal";

/// Runs the rehearsal; a line per step.
pub fn run(root: &Path) -> Result<Vec<String>, String> {
    let server = crate::tools::ensure_installed(root, REGISTRY_SERVER)?;
    let dir = root.join("target/rehearsal");
    let _ = std::fs::remove_dir_all(&dir);
    let registry = Registry::start(&server, &dir.join("registry"))?;
    let mut lines = vec![format!(
        "registry `{NAME}` at {} ({})",
        registry.api,
        registry.index.display()
    )];
    lines.extend(publish_into(root, NAME, &registry.env(), &dir)?);
    let packages = packages(root)?;
    let consumer = dir.join("consumer");
    write_consumer(root, &consumer, &packages)?;
    let mut build = cargo();
    build
        .current_dir(&consumer)
        .envs(registry.env())
        // The workspace's own build folder: the dependencies it built are
        // reused where their features agree.
        .env("CARGO_TARGET_DIR", root.join("target"))
        .args(["build", "--quiet"]);
    let output = build.output().map_err(|e| format!("cargo build: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the consumer does not build from the registry:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    lines.push("a new project built with workspaces-sdk and workspaces-sdk-motion from the registry".into());

    let mock = Mock::start(root)?;
    let output = Command::new(root.join("target/debug/rehearsal-consumer"))
        .env("MOCK_URL", &mock.url)
        .output()
        .map_err(|e| format!("the consumer: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let listed = |prefix: &str| {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<usize>().ok())
    };
    match (
        output.status.success(),
        listed("workspaces-sdk-motion: "),
        listed("workspaces-sdk: "),
    ) {
        (true, Some(direct), Some(facade)) if direct > 0 && facade >= direct => {
            lines.push(format!(
                "it listed the mock's workspaces: {direct} through workspaces-sdk-motion, {facade} through workspaces-sdk"
            ));
            Ok(lines)
        }
        _ => Err(format!(
            "the consumer did not list the mock's workspaces:\n{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// Publishes every crate of the workspace at `root`, in dependency order,
/// into the registry `registry` (configured in cargo's configuration or
/// its environment `env`), from a copy in `dir` whose manifests name that
/// registry on each dependency on another crate of the workspace; a line
/// per crate.
pub fn publish_into(root: &Path, registry: &str, env: &[(String, String)], dir: &Path) -> Result<Vec<String>, String> {
    let workspace = dir.join("workspace");
    let _ = std::fs::remove_dir_all(&workspace);
    copy_working_tree(root, &workspace)?;
    let packages = packages(&workspace)?;
    name_the_registry(&workspace, &packages, registry)?;
    publish_to(&workspace, &packages, registry, env, &dir.join("target"))
}

/// Publishes `packages` (the workspace at `root`'s, in dependency order)
/// into the registry `registry`, each after cargo saw the one before in
/// the index; a line per crate.
fn publish_to(
    root: &Path,
    packages: &[Package],
    registry: &str,
    env: &[(String, String)],
    target_dir: &Path,
) -> Result<Vec<String>, String> {
    let mut done = Vec::new();
    for package in packages {
        let output = cargo()
            .current_dir(root)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("CARGO_TARGET_DIR", target_dir)
            // Each package was verified by `cargo xtask publish --dry-run`.
            .args([
                "publish",
                "--no-verify",
                "--allow-dirty",
                "--registry",
                registry,
                "-p",
                &package.name,
            ])
            .output()
            .map_err(|e| format!("cargo publish: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let published = format!(
            "Published {} v{} at registry `{registry}`",
            package.name, package.version
        );
        if !output.status.success() || !log.contains(&published) {
            return Err(format!(
                "cargo publish -p {} into `{registry}` failed; the crates before it are published:\n{}\n{log}",
                package.name,
                done.join("\n")
            ));
        }
        done.push(format!(
            "published {} {} into `{registry}`",
            package.name, package.version
        ));
    }
    Ok(done)
}

/// Names `registry` on every dependency on a published crate of the
/// workspace, in the root manifest and each crate's.
fn name_the_registry(workspace: &Path, packages: &[Package], registry: &str) -> Result<(), String> {
    let manifests =
        std::iter::once(PathBuf::from("Cargo.toml")).chain(packages.iter().map(|p| p.dir.join("Cargo.toml")));
    for manifest in manifests {
        let file = workspace.join(&manifest);
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let named: Vec<String> = text
            .lines()
            .map(|line| {
                let key = line.split('=').next().unwrap_or_default().trim();
                match packages.iter().any(|p| p.name == key) && line.contains("{ path = ") {
                    true => line.replacen("{ path = ", &format!("{{ registry = \"{registry}\", path = "), 1),
                    false => line.to_owned(),
                }
            })
            .collect();
        std::fs::write(&file, named.join("\n") + "\n").map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(())
}

/// A project that depends on the published facade and Motion's crate by
/// exact version from the registry, with `rustls-ring`.
fn write_consumer(root: &Path, dir: &Path, packages: &[Package]) -> Result<(), String> {
    let version = |name: &str| {
        packages
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.version.to_string())
            .ok_or_else(|| format!("no published crate {name}"))
    };
    let manifest = format!(
        r#"[package]
name = "rehearsal-consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
workspaces-sdk = {{ version = "={facade}", registry = "{NAME}", default-features = false, features = ["motion", "rustls-ring"] }}
workspaces-sdk-motion = {{ version = "={motion}", registry = "{NAME}", default-features = false, features = ["rustls-ring"] }}
tokio = {{ version = "1", features = ["rt", "macros"] }}
futures-util = {{ version = "0.3", default-features = false, features = ["std"] }}

# As the workspace builds, so that what it built is reused.
[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false

[workspace]
"#,
        facade = version("workspaces-sdk")?,
        motion = version("workspaces-sdk-motion")?,
    );
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("xtask/consumer/main.rs"), dir.join("src/main.rs")).map_err(|e| e.to_string())?;
    // The versions of crates.io's crates the workspace was tested with.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
}

/// The registry server, stopped when dropped.
struct Registry {
    child: Child,
    index: PathBuf,
    api: String,
}

impl Registry {
    fn start(server: &Path, index: &Path) -> Result<Self, String> {
        let child = Command::new(server)
            .arg(index)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", server.display()))?;
        let mut registry = Self {
            child,
            index: index.to_owned(),
            api: String::new(),
        };
        // Ready once its index says where its API listens.
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let config = std::fs::read_to_string(index.join("config.json")).unwrap_or_default();
            let api = serde_json::from_str::<serde_json::Value>(&config)
                .ok()
                .and_then(|c| c["api"].as_str().map(str::to_owned))
                .filter(|api| !api.ends_with(":0"));
            if let Some(api) = api {
                registry.api = api;
                return Ok(registry);
            }
            if let Ok(Some(status)) = registry.child.try_wait() {
                return Err(format!("the registry server stopped: {status}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("the registry server did not start within 20 s".into())
    }

    /// Cargo's configuration of the registry, in its environment.
    fn env(&self) -> Vec<(String, String)> {
        let upper = NAME.to_uppercase();
        vec![
            (
                format!("CARGO_REGISTRIES_{upper}_INDEX"),
                format!("file://{}", self.index.display()),
            ),
            // The server checks no token; cargo wants one.
            (format!("CARGO_REGISTRIES_{upper}_TOKEN"), "rehearsal".into()),
        ]
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `workspaces mock serve motion`, stopped when dropped.
struct Mock {
    child: Child,
    url: String,
}

impl Mock {
    fn start(root: &Path) -> Result<Self, String> {
        let status = cargo()
            .current_dir(root)
            .args(["build", "--quiet", "-p", "workspaces-cli"])
            .status()
            .map_err(|e| format!("cargo build: {e}"))?;
        if !status.success() {
            return Err("the workspaces command does not build".into());
        }
        let mut child = Command::new(root.join("target/debug/workspaces"))
            .args(["mock", "serve", "motion"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("workspaces mock serve: {e}"))?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        }
        let url = line.split_whitespace().last().unwrap_or_default().to_owned();
        let mock = Self { child, url };
        match mock.url.starts_with("http://") {
            true => Ok(mock),
            false => Err(format!("workspaces mock serve printed no URL: {line:?}")),
        }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dependencies_on_published_crates_of_the_workspace_name_the_registry() {
        let dir = std::env::temp_dir().join(format!("rehearsal-manifests-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("crates/a")).unwrap();
        std::fs::create_dir_all(dir.join("crates/b")).unwrap();
        std::fs::write(dir.join("crates/b/Cargo.toml"), "[package]\nname = \"b\"\n").unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            "[workspace.dependencies]\na = { path = \"crates/a\", version = \"=0.1.0\" }\nserde = \"1\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("crates/a/Cargo.toml"),
            "[dependencies]\nb = { path = \"../b\", version = \"=0.2.0\", optional = true }\n\
             tests = { path = \"../../tests\" }\nab = { version = \"1\" }\n",
        )
        .unwrap();
        let package = |name: &str, dir: &str| Package {
            name: name.into(),
            dir: dir.into(),
            version: crate::releases::Version::parse("0.1.0").unwrap(),
            spec: None,
            dependencies: Vec::new(),
            library: true,
            generated_manifest: false,
        };
        name_the_registry(&dir, &[package("a", "crates/a"), package("b", "crates/b")], "staging").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("Cargo.toml")).unwrap(),
            "[workspace.dependencies]\na = { registry = \"staging\", path = \"crates/a\", version = \"=0.1.0\" }\nserde = \"1\"\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("crates/a/Cargo.toml")).unwrap(),
            "[dependencies]\nb = { registry = \"staging\", path = \"../b\", version = \"=0.2.0\", optional = true }\n\
             tests = { path = \"../../tests\" }\nab = { version = \"1\" }\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
