//! `cargo xtask generate [--check]`: every spec in `openapi/` becomes a
//! client crate under `crates/providers/`, plus the facade's and the test
//! crate's provider lists. Nothing here names a provider.

// The stages, in the order a spec goes through them (`pipeline.rs` runs
// them); each file uses only files of its own stage or earlier ones
// (`stages.rs` checks it).
pub mod open_enums;
pub mod overlay;
pub mod progenitor_call;
pub mod releases;
pub mod runtime_paths;
pub mod rust_names;
pub mod samples;
pub mod type_index;

pub mod codegen;
pub mod files;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod probe;
pub mod render;
pub mod rewrite;
pub mod vet;

pub mod corpus;
pub mod docs;
pub mod propose;
pub mod publish;
pub mod rehearsal;
pub mod release;
pub mod tools;

use std::{
    collections::BTreeMap,
    fmt,
    path::{Path, PathBuf},
};

use files::rustfmt;
pub use files::{check, stale_dirs, write};
use load::SpecError;
use model::Spec;

/// The progenitor version the generator is pinned to (see `xtask/Cargo.toml`).
pub const PROGENITOR_VERSION: &str = "0.15.1";

/// Where the generated provider crates live, relative to the workspace root.
pub const PROVIDERS_DIR: &str = "crates/providers";

/// Where the generated mock crates live, relative to the workspace root.
pub const MOCKS_DIR: &str = "crates/mocks";

/// The facade crate, relative to the workspace root.
pub const FACADE_DIR: &str = "crates/workspaces-sdk";

/// Why generation failed.
#[derive(Debug)]
pub enum GenerateError {
    /// One or more specs cannot be turned into crates.
    Specs(Vec<SpecError>),
    /// Anything else: a missing folder, rustfmt, the workspace manifest.
    Other(String),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Specs(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                f.write_str(&lines.join("\n"))
            }
            Self::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GenerateError {}

/// The workspace this xtask belongs to.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_owned()
}

/// Loads and vets every spec in `<root>/openapi`, reporting every bad file.
pub fn load_specs(root: &Path) -> Result<Vec<Spec>, GenerateError> {
    let files = load::spec_files(&root.join("openapi")).map_err(GenerateError::Other)?;
    if files.is_empty() {
        return Err(GenerateError::Other(format!(
            "{}: no OpenAPI spec (*.yaml, *.json) found",
            root.join("openapi").display()
        )));
    }
    let (specs, errors): (Vec<_>, Vec<_>) = files
        .iter()
        .map(|file| pipeline::read_spec(file))
        .partition(Result::is_ok);
    let errors: Vec<SpecError> = errors.into_iter().filter_map(Result::err).collect();
    if !errors.is_empty() {
        return Err(GenerateError::Specs(errors));
    }
    let specs: Vec<Spec> = specs.into_iter().filter_map(Result::ok).collect();
    for pair in specs.windows(2) {
        if pair[0].id == pair[1].id {
            return Err(GenerateError::Specs(vec![SpecError {
                file: pair[1].file.clone(),
                pointer: String::new(),
                message: format!(
                    "provider `{}` has two specs ({} too)",
                    pair[1].id,
                    pair[0].file.display()
                ),
            }]));
        }
    }
    Ok(specs)
}

/// Every generated file, by path relative to `root`, with its content.
pub fn generate(root: &Path) -> Result<BTreeMap<PathBuf, String>, GenerateError> {
    generate_reporting(root).map(|(files, _)| files)
}

/// [`generate`], and one line for each rewrite of a spec before progenitor
/// read it: the file, the JSON pointer, what was done.
pub fn generate_reporting(root: &Path) -> Result<(BTreeMap<PathBuf, String>, Vec<String>), GenerateError> {
    generate_with_warnings(root).map(|output| (output.files, output.rewrites))
}

/// What `cargo xtask generate` writes and says.
#[derive(Debug)]
pub struct Output {
    /// Every generated file, by path relative to the workspace root.
    pub files: BTreeMap<PathBuf, String>,
    /// One line for each rewrite of a spec before progenitor read it: the
    /// file, the JSON pointer, what was done.
    pub rewrites: Vec<String>,
    /// One line for each warning: the file, the JSON pointer, what is wrong.
    pub warnings: Vec<String>,
    /// One line for each pass over progenitor's output of each spec, with
    /// how many sites it changed.
    pub passes: Vec<String>,
}

/// [`generate`], with its rewrites and warnings.
pub fn generate_with_warnings(root: &Path) -> Result<Output, GenerateError> {
    let specs = load_specs(root)?;
    let lines = |of: fn(&Spec) -> &[rewrite::Rewrite]| -> Vec<String> {
        specs
            .iter()
            .flat_map(|spec| {
                of(spec)
                    .iter()
                    .map(|n| format!("{}: at {}: {}", render::spec_path(spec), n.pointer, n.action))
            })
            .collect()
    };
    let (rewrites, warnings) = (lines(|spec| &spec.rewrites), lines(|spec| &spec.warnings));
    let (files, passes) = generate_files_and_passes(root, &specs)?;
    Ok(Output {
        files,
        rewrites,
        warnings,
        passes,
    })
}

/// Every generated file of a workspace at `root` whose specs are `specs`
/// (its release record and rustfmt settings read from `root`).
pub fn generate_files(root: &Path, specs: &[Spec]) -> Result<BTreeMap<PathBuf, String>, GenerateError> {
    generate_files_and_passes(root, specs).map(|(files, _)| files)
}

/// [`generate_files`], and one line for each pass over progenitor's output
/// of each spec: the spec, the client or the mock, the pass, how many sites
/// it changed and how many the plan expected.
fn generate_files_and_passes(
    root: &Path,
    specs: &[Spec],
) -> Result<(BTreeMap<PathBuf, String>, Vec<String>), GenerateError> {
    let releases = releases::Releases::read(root).map_err(GenerateError::Other)?;
    let mut generated = Vec::new();
    let mut errors = Vec::new();
    for spec in specs {
        match pipeline::generate(spec) {
            Ok(g) => generated.push(g),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(GenerateError::Specs(errors));
    }

    let mut files = BTreeMap::new();
    let mut mocks = Vec::new();
    let mut passes = Vec::new();
    let lines = |spec: &Spec, of: &str, applied: &[codegen::Applied]| -> Vec<String> {
        applied
            .iter()
            .map(|a| {
                format!(
                    "{}: {of}: {} changed {} site(s) (expected {})",
                    render::spec_path(spec),
                    a.name,
                    a.count,
                    a.expect
                )
            })
            .collect()
    };
    for (spec, g) in specs.iter().zip(&generated) {
        let dir = Path::new(PROVIDERS_DIR).join(&spec.id);
        let module = rustfmt(root, &render::provider_module(spec, g))?;
        let version = releases.version(&spec.sdk.crate_name);
        files.insert(dir.join("Cargo.toml"), render::provider_manifest(spec, g, version));
        files.insert(dir.join("README.md"), render::provider_readme(spec, g, version));
        files.insert(
            dir.join("src/lib.rs"),
            rustfmt(
                root,
                &render::provider_lib(spec, g, root.join(&dir).join(render::CUSTOM_ENTRY).is_file())
                    .map_err(|e| GenerateError::Specs(vec![e]))?,
            )?,
        );
        files.insert(dir.join("src/generated.rs"), module);

        let mock_dir = Path::new(MOCKS_DIR).join(&spec.id);
        let mock_version = releases.version(&render::mock_crate_name(spec));
        let mock = pipeline::generate_mock(spec, &g.plans, &render::crate_ident(&spec.sdk.crate_name));
        let mock = mock.map_err(|e| GenerateError::Specs(vec![e]))?;
        let mock_module = rustfmt(root, &render::mock_module(spec, &mock.file))?;
        files.insert(
            mock_dir.join("Cargo.toml"),
            render::mock_manifest(spec, mock_version, version, &mock.file),
        );
        files.insert(mock_dir.join("README.md"), render::mock_readme(spec, g, mock_version));
        files.insert(mock_dir.join("src/lib.rs"), rustfmt(root, &render::mock_lib(spec, g))?);
        files.insert(mock_dir.join("src/generated.rs"), mock_module);
        passes.extend(lines(spec, "client", &g.passes));
        passes.extend(lines(spec, "mock", &mock.passes));
        mocks.push(mock);
    }
    // The facade and the command line list the providers with `x-workspaces`.
    let (listed, listed_generated): (Vec<&Spec>, Vec<&codegen::Generated>) = specs
        .iter()
        .zip(&generated)
        .filter(|(spec, _)| spec.workspaces.is_some())
        .unzip();
    let unlisted: Vec<&Spec> = specs.iter().filter(|spec| spec.workspaces.is_none()).collect();
    for spec in &listed {
        files.insert(
            Path::new(FACADE_DIR).join(render::facade_description_path(spec)),
            render::facade_description(spec),
        );
    }
    files.insert(
        "crates/workspaces-sdk/Cargo.toml".into(),
        render::facade_manifest(&listed, &releases),
    );
    files.insert(
        "crates/workspaces-sdk/src/generated.rs".into(),
        rustfmt(
            root,
            &render::facade_module(&listed, &listed_generated, &unlisted).map_err(|e| GenerateError::Specs(vec![e]))?,
        )?,
    );
    files.insert(
        "crates/cli/src/generated.rs".into(),
        rustfmt(
            root,
            &render::cli_module(&listed, &listed_generated).map_err(|e| GenerateError::Specs(vec![e]))?,
        )?,
    );
    // What progenitor alone generates for each spec, for the benchmarks.
    let mut alone = Vec::new();
    for spec in specs {
        if let Ok(code) = progenitor_call::progenitor_alone_code(&spec.written) {
            let file = format!("tests/benches/sdk/progenitor_alone/{}.rs", spec.id);
            files.insert(
                file.into(),
                rustfmt(root, &render::progenitor_alone_module(spec, &code))?,
            );
            alone.push(spec);
        }
    }
    files.insert(
        "tests/benches/sdk/progenitor_alone/mod.rs".into(),
        rustfmt(root, &render::progenitor_alone_index(&alone))?,
    );
    files.insert("tests/Cargo.toml".into(), render::tests_manifest(specs));
    files.insert(
        "tests/src/generated.rs".into(),
        rustfmt(
            root,
            &render::tests_registry(specs, &generated, &mocks).map_err(|e| GenerateError::Specs(vec![e]))?,
        )?,
    );
    Ok((files, passes))
}

#[cfg(test)]
mod stages;
