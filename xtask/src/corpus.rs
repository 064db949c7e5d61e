//! `cargo xtask corpus <folder>`: how the generator reads a collection of
//! published OpenAPI 3.0 and 3.1 descriptions, against progenitor alone on the same
//! files. The descriptions are the maintainer's own collection (they are not
//! part of this repository); a spec only needs to be OpenAPI 3.0 or 3.1, none of this
//! project's extensions.

use std::path::{Path, PathBuf};

/// What became of one file.
#[derive(Debug)]
pub struct Outcome {
    pub file: PathBuf,
    /// progenitor alone: generated, or why not.
    pub alone: Result<(), String>,
    /// The generator: generated with this many rewrites, or why not.
    pub generator: Result<usize, String>,
}

/// Runs both on every spec (`*.yaml`, `*.yml`, `*.json`) of `dir`.
pub fn run(dir: &Path) -> Result<Vec<Outcome>, String> {
    let files = crate::load::spec_files(dir)?;
    if files.is_empty() {
        return Err(format!("{}: no OpenAPI spec (*.yaml, *.json) found", dir.display()));
    }
    Ok(files.into_iter().map(|file| outcome(&file)).collect())
}

fn outcome(file: &Path) -> Outcome {
    let alone = crate::load::parse_file(file)
        .map_err(|e| e.message)
        .and_then(|raw| crate::progenitor_call::progenitor_alone(&raw));
    let generator = crate::vet::read_for_progenitor(file)
        .map_err(|e| e.to_string())
        .and_then(|reading| {
            crate::progenitor::module_without_panicking(&reading.raw, &reading.openapi, &reading.splits)
                .map(|_| reading.rewrites.len())
        });
    Outcome {
        file: file.to_owned(),
        alone,
        generator,
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
        out += &format!("{name}: progenitor alone {alone}; the generator {generator}\n");
    }
    let alone = outcomes.iter().filter(|o| o.alone.is_ok()).count();
    let generator = outcomes.iter().filter(|o| o.generator.is_ok()).count();
    out += &format!(
        "{} specs: progenitor alone generates {alone}, the generator {generator}\n",
        outcomes.len()
    );
    out
}
