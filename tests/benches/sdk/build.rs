//! Build cost: a clean debug build of Motion's crate with its slimmest
//! features (`default-features = false`, `rustls-ring`) against a clean
//! build of a hand-written Motion client with the same TLS choice
//! (`benches/build/`: reqwest with `json` and `query`, rustls with `ring`,
//! serde, tokio), each a project of its own under
//! `target/bench-build/`, its dependencies at the workspace's locked
//! versions, offline, rounds interleaved. The quick run type-checks each
//! once (`cargo check`), timing nothing worth comparing.

use std::{path::Path, process::Command, time::Duration};

use workspaces_sdk_tests::root;

use crate::{measure, settings::Settings};

const TARGET: f64 = 1.10;

pub fn run(settings: &Settings) {
    let dir = root().join("target/bench-build");
    let reqwest = workspace_requirement("reqwest");
    let sides = [
        (
            "sdk",
            format!(
                "workspaces-sdk-motion = {{ path = {:?}, default-features = false, features = [\"rustls-ring\"] }}\n",
                root().join("crates/providers/motion").display().to_string()
            ),
            "pub use workspaces_sdk_motion::*;\n".to_owned(),
        ),
        (
            "hand",
            format!(
                "reqwest = {{ version = {reqwest:?}, default-features = false, features = [\"json\", \"query\", \"rustls-no-provider\"] }}\n\
                 rustls = {{ version = \"0.23\", default-features = false, features = [\"ring\", \"std\", \"tls12\"] }}\n\
                 serde = {{ version = \"1\", features = [\"derive\"] }}\n\
                 serde_json = \"1\"\n"
            ),
            "//! A hand-written Motion client with rustls and `ring`.\n\
             pub mod motion_client;\npub mod motion_types;\n\n\
             /// TLS by rustls with `ring`, unless the application chose first.\n\
             pub fn use_ring() {\n    let _ = rustls::crypto::ring::default_provider().install_default();\n}\n"
                .to_owned(),
        ),
    ];
    for (name, dependencies, lib) in &sides {
        write_project(&dir.join(name), name, dependencies, lib);
    }
    for module in ["motion_client.rs", "motion_types.rs"] {
        let from = root().join("tests/benches/build").join(module);
        std::fs::copy(from, dir.join("hand/src").join(module)).expect("the hand-written client");
    }
    let (command, rounds) = match settings.quick {
        true => ("check", 1),
        false => ("build", settings.build_rounds),
    };
    println!(
        "build: a clean `cargo {command}` of workspaces-sdk-motion (rustls-ring, no default features) vs a hand-written Motion client with the same TLS ({rounds} round(s))"
    );
    let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        // Each side first in turn.
        let order: [usize; 2] = if round % 2 == 0 { [1, 0] } else { [0, 1] };
        for side in order {
            let project = dir.join(sides[side].0);
            times[side].push(clean_build(&project, command));
        }
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (sdk, hand) = (median(&mut times[0]), median(&mut times[1]));
    let ratio = sdk.as_secs_f64() / hand.as_secs_f64();
    measure::report(
        "clean build time, SDK crate / hand-written crate",
        &format!(
            "{ratio:.3}x ({:.1} s vs {:.1} s)",
            sdk.as_secs_f64(),
            hand.as_secs_f64()
        ),
        ratio <= TARGET,
        &format!("<= {TARGET:.2}x"),
    );
}

/// The requirement of `name` in the workspace's `[workspace.dependencies]`.
fn workspace_requirement(name: &str) -> String {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("the workspace's manifest");
    manifest
        .lines()
        .find_map(|line| {
            let rest = line.strip_prefix(name)?.trim_start().strip_prefix('=')?;
            let version = rest.split("version = \"").nth(1)?.split('"').next()?;
            Some(version.to_owned())
        })
        .unwrap_or_else(|| panic!("no {name} in [workspace.dependencies]"))
}

/// A library project of its own, its dependencies locked as the workspace's.
fn write_project(dir: &Path, name: &str, dependencies: &str, lib: &str) {
    std::fs::create_dir_all(dir.join("src")).expect("the project's folder");
    let manifest = format!(
        "[package]\nname = \"bench-build-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{dependencies}tokio = {{ version = \"1\", default-features = false, features = [\"rt\", \"time\"] }}\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("its manifest");
    std::fs::write(dir.join("src/lib.rs"), lib).expect("its library");
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("the workspace's lock file");
}

/// The time of a `cargo <command>` of `project` from nothing.
fn clean_build(project: &Path, command: &str) -> Duration {
    let target = project.join("target");
    let _ = std::fs::remove_dir_all(&target);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = std::time::Instant::now();
    let status = Command::new(cargo)
        .current_dir(project)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env("CARGO_INCREMENTAL", "0")
        .args([command, "--offline", "--quiet"])
        .status()
        .expect("cargo runs");
    let took = started.elapsed();
    assert!(status.success(), "cargo {command} of {} failed", project.display());
    took
}
