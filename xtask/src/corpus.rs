//! `cargo xtask corpus [--build] <folder>`: how the generator reads a
//! collection of published OpenAPI 3.0 and 3.1 descriptions, against
//! progenitor alone on the same files, and, with `--build`, whether each
//! crate builds. The descriptions are the maintainer's own collection
//! (`scripts/fetch-corpus` fetches pinned ones from the npm registry); a spec
//! only needs to be OpenAPI 3.0 or 3.1, none of this project's extensions.

use std::path::{Path, PathBuf};

/// What became of one file.
#[derive(Debug)]
pub struct Outcome {
    pub file: PathBuf,
    /// progenitor alone: generated, or why not.
    pub alone: Result<(), String>,
    /// The generator (the spec vetted and modelled, progenitor's output
    /// read): generated with this many rewrites, or why not.
    pub generator: Result<usize, String>,
    /// With `--build`, for a spec the generator generates: whether its
    /// crate and mock crate build, or the first error.
    pub built: Option<Result<(), String>>,
}

/// What `cargo xtask corpus` was asked: `[--build] [--expect ID,...] <folder>`.
#[derive(Debug, PartialEq)]
pub struct Args {
    pub build: bool,
    /// The specs (by file stem) that must come through: generated, and
    /// built with `--build`. Any other outcome of one of them fails the run.
    pub expect: Vec<String>,
    pub dir: PathBuf,
}

/// Reads the command's arguments, or says what is wrong with them.
pub fn args(args: &[&str]) -> Result<Args, String> {
    let (mut build, mut expect, mut dir) = (false, Vec::new(), None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--build" => build = true,
            "--expect" => match rest.next() {
                Some(ids) => expect.extend(ids.split(',').filter(|id| !id.is_empty()).map(str::to_owned)),
                None => return Err("--expect needs a comma-separated list of spec names".into()),
            },
            flag if flag.starts_with('-') => return Err(format!("corpus: unknown option {flag}")),
            folder if dir.is_none() => dir = Some(PathBuf::from(folder)),
            extra => return Err(format!("corpus: one folder only ({extra} is a second)")),
        }
    }
    let dir = dir.ok_or("corpus: which folder? (cargo xtask corpus [--build] [--expect ID,...] <folder>)")?;
    Ok(Args { build, expect, dir })
}

/// Each expected spec that did not come through, with what became of it.
pub fn unmet(outcomes: &[Outcome], expect: &[String]) -> Vec<String> {
    let stem = |o: &Outcome| o.file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    expect
        .iter()
        .filter_map(|id| match outcomes.iter().find(|o| stem(o) == *id) {
            None => Some(format!("{id}: expected, but no such spec in the folder")),
            Some(o) => match (&o.generator, &o.built) {
                (Err(why), _) => Some(format!("{id}: expected to generate, but {why}")),
                (Ok(_), Some(Err(why))) => Some(format!("{id}: expected to build, but {why}")),
                (Ok(_), _) => None,
            },
        })
        .collect()
}

/// Runs both on every spec (`*.yaml`, `*.yml`, `*.json`) of `dir`.
pub fn run(dir: &Path) -> Result<Vec<Outcome>, String> {
    let files = crate::load::spec_files(dir)?;
    if files.is_empty() {
        return Err(format!("{}: no OpenAPI spec (*.yaml, *.json) found", dir.display()));
    }
    Ok(files.into_iter().map(|file| outcome(&file)).collect())
}

/// [`run`], then each crate the generator generates built, alone in a
/// workspace of its own under `target/corpus/`, in `target/nested`: the
/// target folder of the tests' scratch workspaces, whose dependencies the
/// test run has already built.
pub fn run_and_build(root: &Path, dir: &Path) -> Result<Vec<Outcome>, String> {
    let mut outcomes = run(dir)?;
    for outcome in outcomes.iter_mut().filter(|o| o.generator.is_ok()) {
        outcome.built = Some(build(root, &outcome.file));
    }
    Ok(outcomes)
}

fn build(root: &Path, file: &Path) -> Result<(), String> {
    let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let id = file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    let scratch = root.join("target/corpus").join(&id);
    let _ = std::fs::remove_dir_all(&scratch);
    scratch_workspace(root, &scratch).map_err(|e| e.to_string())?;
    std::fs::copy(file, scratch.join("openapi").join(name)).map_err(|e| e.to_string())?;
    let files = crate::generate(&scratch).map_err(|e| e.to_string())?;
    crate::write(&scratch, &files).map_err(|e| e.to_string())?;
    let krate = format!("workspaces-sdk-{id}");
    let output = crate::tools::cargo()
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root.join("target/nested"))
        .args(["build", "--quiet", "-p", &krate, "-p", &format!("{krate}-mock")])
        .output()
        .map_err(|e| format!("cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr
        .lines()
        .find(|line| line.starts_with("error"))
        .unwrap_or("cargo build failed");
    Err(first.to_owned())
}

/// A workspace at `dir` with this one's runtime and the facade's
/// hand-written files, an empty `openapi/`, and the provider and mock
/// crates `cargo xtask generate` will write as its members.
pub fn scratch_workspace(root: &Path, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("openapi"))?;
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let manifest = manifest
        .lines()
        .map(|line| match line.starts_with("members = ") {
            true => r#"members = ["crates/runtime", "crates/workspaces-sdk", "crates/providers/*", "crates/mocks/*"]"#,
            false => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("Cargo.toml"), manifest + "\n")?;
    for file in ["rustfmt.toml", "Cargo.lock"] {
        std::fs::copy(root.join(file), dir.join(file))?;
    }
    copy_dir(&root.join("crates/runtime"), &dir.join("crates/runtime"))?;
    // The facade's hand-written files; `cargo xtask generate` writes the rest.
    copy_dir(&root.join("crates/workspaces-sdk"), &dir.join("crates/workspaces-sdk"))
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn outcome(file: &Path) -> Outcome {
    let alone = crate::load::parse_file(file)
        .map_err(|e| e.message)
        .and_then(|raw| crate::progenitor_call::progenitor_alone(&raw));
    let generator = crate::model::load(file)
        .and_then(|spec| crate::progenitor::generate(&spec).map(|_| spec.rewrites.len()))
        .map_err(|e| match e.pointer.is_empty() {
            true => e.message,
            false => format!("at {}: {}", e.pointer, e.message),
        });
    Outcome {
        file: file.to_owned(),
        alone,
        generator,
        built: None,
    }
}

/// One line per file, then the counts.
pub fn report(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for outcome in outcomes {
        let name = outcome.file.file_name().unwrap_or_default().to_string_lossy();
        let alone = match &outcome.alone {
            Ok(()) => "generates".to_owned(),
            Err(why) => format!("fails ({why})"),
        };
        let generator = match &outcome.generator {
            Ok(rewrites) => format!("generates, {rewrites} rewrite(s)"),
            Err(why) => format!("fails ({why})"),
        };
        let built = match &outcome.built {
            None => String::new(),
            Some(Ok(())) => "; the crate builds".to_owned(),
            Some(Err(why)) => format!("; the crate does not build ({why})"),
        };
        out += &format!("{name}: progenitor alone {alone}; the generator {generator}{built}\n");
    }
    let alone = outcomes.iter().filter(|o| o.alone.is_ok()).count();
    let generator = outcomes.iter().filter(|o| o.generator.is_ok()).count();
    let built = match outcomes.iter().any(|o| o.built.is_some()) {
        true => {
            let count = outcomes.iter().filter(|o| matches!(o.built, Some(Ok(())))).count();
            format!(", {count} crate(s) build")
        }
        false => String::new(),
    };
    out += &format!(
        "{} specs: progenitor alone generates {alone}, the generator {generator}{built}\n",
        outcomes.len()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(stem: &str, generator: Result<usize, String>, built: Option<Result<(), String>>) -> Outcome {
        Outcome {
            file: PathBuf::from(format!("specs/{stem}.yaml")),
            alone: Ok(()),
            generator,
            built,
        }
    }

    #[test]
    fn arguments_are_read_in_any_order_and_mistakes_named() {
        assert_eq!(
            args(&["--expect", "a,b", "specs", "--build"]),
            Ok(Args {
                build: true,
                expect: vec!["a".into(), "b".into()],
                dir: "specs".into()
            })
        );
        assert!(args(&["specs", "--expect"]).unwrap_err().contains("--expect needs"));
        assert!(args(&["--fast", "specs"]).unwrap_err().contains("--fast"));
        assert!(args(&["a", "b"]).unwrap_err().contains("b is a second"));
        assert!(args(&["--build"]).unwrap_err().contains("which folder"));
    }

    #[test]
    fn an_expected_spec_that_is_refused_missing_or_does_not_build_is_named() {
        let outcomes = [
            outcome("built", Ok(2), Some(Ok(()))),
            outcome("generated", Ok(0), None),
            outcome("refused", Err("Swagger 2.0".into()), None),
            outcome("broken", Ok(1), Some(Err("error[E0425]".into()))),
        ];
        let expect = ["built", "generated", "refused", "broken", "absent"].map(String::from);
        assert_eq!(
            unmet(&outcomes, &expect),
            [
                "refused: expected to generate, but Swagger 2.0",
                "broken: expected to build, but error[E0425]",
                "absent: expected, but no such spec in the folder",
            ]
        );
        assert!(unmet(&outcomes, &expect[..2]).is_empty());
    }
}
