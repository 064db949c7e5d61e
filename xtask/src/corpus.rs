//! `cargo xtask corpus [--build] <folder>`: how the generator reads a
//! collection of published OpenAPI 3.0 and 3.1 descriptions, against
//! progenitor alone on the same files, and, with `--build`, whether each
//! crate builds. The descriptions are the maintainer's own collection
//! (`scripts/fetch-corpus` fetches pinned ones from the npm registry); a spec
//! only needs to be OpenAPI 3.0 or 3.1, none of this project's extensions.
//! The report ends with what was refused, grouped by reason.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

/// What became of one file.
#[derive(Debug)]
pub struct Outcome {
    pub file: PathBuf,
    /// progenitor alone: generated, or why not.
    pub alone: Result<(), String>,
    /// The generator (every file `cargo xtask generate` writes for the spec
    /// alone: its crate, its mock crate, the facade's and the tests' tables):
    /// generated with this many rewrites, or why not.
    pub generator: Result<usize, String>,
    /// With `--build`, for a spec the generator generates: whether its
    /// crate and mock crate build, or the first error.
    pub built: Option<Result<(), String>>,
}

impl Outcome {
    /// The spec's name: its file name without the extension.
    pub fn stem(&self) -> String {
        self.file.file_stem().unwrap_or_default().to_string_lossy().into_owned()
    }

    /// Why the spec did not come through, if it did not.
    pub fn refused(&self) -> Option<&str> {
        match (&self.generator, &self.built) {
            (Err(why), _) | (Ok(_), Some(Err(why))) => Some(why),
            _ => None,
        }
    }
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
    expect
        .iter()
        .filter_map(|id| match outcomes.iter().find(|o| o.stem() == *id) {
            None => Some(format!("{id}: expected, but no such spec in the folder")),
            Some(o) => match (&o.generator, &o.built) {
                (Err(why), _) => Some(format!("{id}: expected to generate, but {why}")),
                (Ok(_), Some(Err(why))) => Some(format!("{id}: expected to build, but {why}")),
                (Ok(_), _) => None,
            },
        })
        .collect()
}

/// Runs both on every spec (`*.yaml`, `*.yml`, `*.json`) of `dir`, the
/// generator with the settings of the workspace at `root`.
pub fn run(root: &Path, dir: &Path) -> Result<Vec<Outcome>, String> {
    let files = crate::load::spec_files(dir)?;
    if files.is_empty() {
        return Err(format!("{}: no OpenAPI spec (*.yaml, *.json) found", dir.display()));
    }
    Ok(files.into_iter().map(|file| outcome(root, &file)).collect())
}

/// [`run`], then every crate the generator generates built (with its mock
/// crate) in one workspace under `target/corpus/`, in `target/nested`: the
/// target folder of the tests' scratch workspaces, whose dependencies the
/// test run has already built. A crate that does not build does not stop
/// the others.
pub fn run_and_build(root: &Path, dir: &Path) -> Result<Vec<Outcome>, String> {
    let mut outcomes = run(root, dir)?;
    let generated: Vec<&mut Outcome> = outcomes.iter_mut().filter(|o| o.generator.is_ok()).collect();
    if generated.is_empty() {
        return Ok(outcomes);
    }
    let scratch = root.join("target/corpus");
    let _ = std::fs::remove_dir_all(&scratch);
    scratch_workspace(root, &scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    for outcome in &generated {
        let name = outcome.file.file_name().unwrap_or_default();
        std::fs::copy(&outcome.file, scratch.join("openapi").join(name)).map_err(|e| e.to_string())?;
    }
    let files = crate::generate(&scratch).map_err(|e| e.to_string())?;
    crate::write(&scratch, &files).map_err(|e| e.to_string())?;
    let crates: Vec<String> = generated
        .iter()
        .flat_map(|o| {
            let krate = format!("workspaces-sdk-{}", o.stem());
            [format!("{krate}-mock"), krate]
        })
        .collect();
    let errors = build_errors(root, &scratch, &crates)?;
    for outcome in generated {
        let krate = format!("workspaces-sdk-{}", outcome.stem());
        let error = errors.get(&krate).or_else(|| errors.get(&format!("{krate}-mock")));
        outcome.built = Some(match error {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        });
    }
    Ok(outcomes)
}

/// Builds `crates` in the workspace at `scratch`, going on past a crate
/// that fails; returns the first error of each crate that does not build.
fn build_errors(root: &Path, scratch: &Path, crates: &[String]) -> Result<BTreeMap<String, String>, String> {
    let output = crate::tools::cargo()
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", root.join("target/nested"))
        .args(["build", "--quiet", "--keep-going", "--message-format", "json"])
        .args(crates.iter().flat_map(|krate| ["-p", krate.as_str()]))
        .output()
        .map_err(|e| format!("cargo: {e}"))?;
    let mut errors = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let level = message.pointer("/message/level").and_then(serde_json::Value::as_str);
        if message["reason"] != "compiler-message" || level != Some("error") {
            continue;
        }
        let krate = message["target"]["name"].as_str().unwrap_or_default().replace('_', "-");
        let text = message.pointer("/message/message").and_then(serde_json::Value::as_str);
        let code = message
            .pointer("/message/code/code")
            .and_then(serde_json::Value::as_str);
        let first = match code {
            Some(code) => format!("error[{code}]: {}", text.unwrap_or_default()),
            None => format!("error: {}", text.unwrap_or_default()),
        };
        errors.entry(krate).or_insert(first);
    }
    if !output.status.success() && errors.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|line| line.starts_with("error"))
            .unwrap_or("cargo build failed");
        return Err(first.to_owned());
    }
    Ok(errors)
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

fn outcome(root: &Path, file: &Path) -> Outcome {
    let alone = crate::load::parse_file(file)
        .map_err(|e| e.message)
        .and_then(|raw| crate::progenitor_call::progenitor_alone(&raw));
    let generator = crate::progenitor_call::without_panicking(|| {
        let spec = crate::pipeline::read_spec(file).map_err(|e| located(&e))?;
        crate::generate_files(root, std::slice::from_ref(&spec)).map_err(|e| match e {
            crate::GenerateError::Specs(errors) => errors.iter().map(located).collect::<Vec<_>>().join("; "),
            crate::GenerateError::Other(message) => message,
        })?;
        Ok(spec.rewrites.len())
    })
    .unwrap_or_else(|panic| Err(format!("the generator panicked: {panic}")));
    Outcome {
        file: file.to_owned(),
        alone,
        generator,
        built: None,
    }
}

/// An error with its JSON pointer, without the file (the report names it).
fn located(error: &crate::load::SpecError) -> String {
    match error.pointer.is_empty() {
        true => error.message.clone(),
        false => format!("at {}: {}", error.pointer, error.message),
    }
}

/// The reason of a refusal, as the report groups them: the message without
/// its pointer and with what it names (between backticks) left out.
pub fn reason(why: &str) -> String {
    let why = match why.strip_prefix("at ") {
        Some(rest) => rest.split_once(": ").map_or(rest, |(_, message)| message),
        None => why,
    };
    let mut out = String::new();
    for (i, part) in why.split('`').enumerate() {
        out += if i % 2 == 1 { "…" } else { part };
    }
    out.chars().take(140).collect()
}

/// One line per file, then the counts, then what was refused by reason.
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
    let mut refused: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for outcome in outcomes {
        if let Some(why) = outcome.refused() {
            refused.entry(reason(why)).or_default().push(outcome.stem());
        }
    }
    let mut refused: Vec<(String, Vec<String>)> = refused.into_iter().collect();
    refused.sort_by_key(|(_, specs)| std::cmp::Reverse(specs.len()));
    for (reason, specs) in refused {
        out += &format!("refused, {}: {reason} ({})\n", specs.len(), specs.join(", "));
    }
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

    #[test]
    fn what_is_refused_is_grouped_by_reason_most_first() {
        let outcomes = [
            outcome(
                "a",
                Err("at /servers/0/url: `ftp://a` is not an http(s) URL".into()),
                None,
            ),
            outcome(
                "b",
                Ok(1),
                Some(Err("error[E0124]: field `x` is already declared".into())),
            ),
            outcome(
                "c",
                Err("at /servers/0/url: `ftp://c` is not an http(s) URL".into()),
                None,
            ),
            outcome("d", Ok(0), Some(Ok(()))),
        ];
        let report = report(&outcomes);
        let groups: Vec<&str> = report.lines().filter(|l| l.starts_with("refused")).collect();
        assert_eq!(
            groups,
            [
                "refused, 2: … is not an http(s) URL (a, c)",
                "refused, 1: error[E0124]: field … is already declared (b)",
            ]
        );
        assert!(report.contains("4 specs: progenitor alone generates 4, the generator 2, 1 crate(s) build\n"));
    }
}
