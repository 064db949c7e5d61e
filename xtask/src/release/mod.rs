//! `cargo xtask release`: for every published crate, what changed since its
//! last release (`releases.toml`: its version and commit), the semver level
//! that follows and the next version; with `--apply`, the versions bumped in
//! the record, the manifests and the dependents' requirements, and each
//! crate's `CHANGELOG.md` written.
//!
//! A crate generated from a spec is judged by the spec's changes in the
//! spec's terms (`api_diff`); any crate by what changed in its folder; a crate
//! whose library depends on a released crate (and so re-exports it) takes at
//! least that crate's level, a command line a patch. `cargo-semver-checks`
//! cross-checks each library against its last release (`semver_checks`).

pub mod api_diff;
pub mod changelog;
pub mod semver_checks;
pub mod workspace;

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    path::{Path, PathBuf},
};

use api_diff::{Change, Level, Section};
use semver_checks::Verdict;
use workspace::{Package, changed_files, file_at, git};

use crate::releases::{Release, Releases, Version};

/// One crate's next release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub name: String,
    pub dir: PathBuf,
    /// Its version now (its last release's, or the first version).
    pub from: Version,
    pub to: Version,
    pub level: Level,
    /// The commit of its last release; `None`: it was never released.
    pub since: Option<String>,
    /// Whether it has a library, which `cargo-semver-checks` can check.
    pub library: bool,
    /// Whether it is generated from a spec, whose changes decide its level.
    pub from_spec: bool,
    /// Its spec's changes, in the spec's terms.
    pub api: Vec<Change>,
    /// Everything else: its own files, its dependencies.
    pub other: Vec<Change>,
}

impl Planned {
    /// Every change, the spec's first: its changelog's lines.
    pub fn changes(&self) -> Vec<Change> {
        self.api.iter().chain(&self.other).cloned().collect()
    }
}

/// The crates to release, in the order they can be published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub releases: Vec<Planned>,
}

/// The next version after `version` for a change of `level`; before 1.0 a
/// breaking change bumps the minor version and any other the patch.
pub fn bump(version: Version, level: Level) -> Version {
    let Version { major, minor, patch } = version;
    match (major, level) {
        (0, Level::Breaking) => Version {
            major,
            minor: minor + 1,
            patch: 0,
        },
        (0, _) | (_, Level::Patch) => Version {
            major,
            minor,
            patch: patch + 1,
        },
        (_, Level::Minor) => Version {
            major,
            minor: minor + 1,
            patch: 0,
        },
        (_, Level::Breaking) => Version {
            major: major + 1,
            minor: 0,
            patch: 0,
        },
    }
}

/// What to release in the workspace at `root`, compared with `releases.toml`.
pub fn plan(root: &Path) -> Result<Plan, String> {
    plan_with(root, &BTreeMap::new())
}

/// [`plan`], each crate of `floors` released at least at the level its
/// `cargo-semver-checks` verdict requires.
pub fn plan_with(root: &Path, floors: &BTreeMap<String, Verdict>) -> Result<Plan, String> {
    let record = Releases::read(root)?;
    let packages = workspace::packages(root)?;
    let mut plan = Plan::default();
    for package in &packages {
        let recorded = record.version(&package.name);
        if package.version.to_string() != recorded {
            return Err(format!(
                "{}: its manifest says {} but releases.toml {recorded}: run `cargo xtask generate`, or set the version the record gives",
                package.name, package.version
            ));
        }
        let floor = floors.get(&package.name);
        if let Some(planned) = plan_one(root, package, record.0.get(&package.name), floor, &plan)? {
            plan.releases.push(planned);
        }
    }
    Ok(plan)
}

fn plan_one(
    root: &Path,
    package: &Package,
    last: Option<&Release>,
    floor: Option<&Verdict>,
    plan: &Plan,
) -> Result<Option<Planned>, String> {
    let change = |level, section, text: String| Change { level, section, text };
    let Some(last) = last else {
        return Ok(Some(Planned {
            name: package.name.clone(),
            dir: package.dir.clone(),
            from: package.version,
            to: package.version,
            level: Level::Minor,
            since: None,
            library: package.library,
            from_spec: package.spec.is_some(),
            api: Vec::new(),
            other: vec![change(Level::Minor, Section::Added, "First release.".into())],
        }));
    };
    let mut api = Vec::new();
    if let Some(spec) = &package.spec {
        // Each side with its overlay, as it was generated.
        let now = crate::load::parse_spec(&root.join(spec)).map_err(|e| e.to_string())?;
        api = match file_at(root, &last.commit, spec)? {
            Some(text) => {
                let at = |e: crate::load::SpecError| format!("{e} (at {})", last.commit);
                let mut then = crate::load::parse(spec, &text).map_err(at)?;
                let overlay = crate::overlay::beside(spec);
                if let Some(text) = file_at(root, &last.commit, &overlay)? {
                    crate::load::with_overlay(&mut then, &overlay, &text).map_err(at)?;
                }
                api_diff::diff(&then, &now)
            }
            None => vec![change(
                Level::Breaking,
                Section::Changed,
                format!(
                    "Generated from `{}`, a spec new since the last release.",
                    spec.display()
                ),
            )],
        };
    }
    let mut other = Vec::new();
    for dependency in &package.dependencies {
        let Some(released) = plan.releases.iter().find(|p| &p.name == dependency) else {
            continue;
        };
        let level = if package.library { released.level } else { Level::Patch };
        other.push(change(
            level,
            Section::Changed,
            format!(
                "Depends on `{dependency}` {} ({}).",
                released.to,
                released.level.as_str()
            ),
        ));
        if package.spec.is_none() && package.library {
            other.extend(released.api.iter().map(|c| Change {
                text: format!("`{dependency}`: {}", c.text),
                ..c.clone()
            }));
        }
    }
    if let Some(verdict) = floor {
        let lints: Vec<&str> = verdict.failures.iter().map(|f| f.lint.as_str()).collect();
        other.push(change(
            verdict.required,
            Section::Changed,
            format!(
                "Rust's semver rules require a {} release (cargo-semver-checks: {}).",
                verdict.required.as_str(),
                lints.join(", ")
            ),
        ));
    }
    let files = own_changes(root, &last.commit, &package.dir)?;
    if api.is_empty() && other.is_empty() && !files.is_empty() {
        let names: Vec<String> = files.iter().map(|f| format!("`{}`", f.display())).collect();
        other.push(change(
            Level::Patch,
            Section::Changed,
            format!("Changed {}.", names.join(", ")),
        ));
    }
    let Some(level) = api.iter().chain(&other).map(|c| c.level).max() else {
        return Ok(None);
    };
    Ok(Some(Planned {
        name: package.name.clone(),
        dir: package.dir.clone(),
        from: package.version,
        to: bump(package.version, level),
        level,
        since: Some(last.commit.clone()),
        library: package.library,
        from_spec: package.spec.is_some(),
        api,
        other,
    }))
}

/// The files of a crate that changed since `commit`, leaving out its
/// changelog, its README and its own and its dependencies' versions in its
/// manifest: what a release itself writes.
fn own_changes(root: &Path, commit: &str, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut changed = Vec::new();
    for file in changed_files(root, commit, dir)? {
        let name = file.to_string_lossy();
        if name == "CHANGELOG.md" || name == "README.md" {
            continue;
        }
        if name == "Cargo.toml" {
            let then = file_at(root, commit, &dir.join(&file))?.unwrap_or_default();
            let now = std::fs::read_to_string(root.join(dir).join(&file)).unwrap_or_default();
            if without_versions(&then) == without_versions(&now) {
                continue;
            }
        }
        changed.push(file);
    }
    Ok(changed)
}

/// A manifest without its `version = "..."` line and with every exact
/// requirement (`version = "=0.1.0"`) left blank.
fn without_versions(manifest: &str) -> String {
    manifest
        .lines()
        .filter(|line| !line.starts_with("version = \""))
        .map(|line| match line.find("version = \"=") {
            Some(at) => {
                let rest = &line[at + "version = \"=".len()..];
                let after = rest.find('"').map_or("", |end| &rest[end + 1..]);
                format!("{}version = \"=\"{after}", &line[..at])
            }
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `cargo xtask release [--apply]`: the plan, cross-checked by
/// `cargo-semver-checks` unless `semver_checks` is false, printed as it goes;
/// applied with `apply`. Fails when a crate generated from a spec needs a
/// higher level by Rust's rules than by the spec's changes.
pub fn run(root: &Path, apply_it: bool, semver_checks: bool) -> Result<(), String> {
    let mut plan = plan(root)?;
    let checked: Vec<&Planned> = plan
        .releases
        .iter()
        .filter(|p| p.since.is_some() && p.library)
        .collect();
    if semver_checks && !checked.is_empty() {
        let tool = crate::tools::ensure_semver_checks(root)?;
        let mut floors = BTreeMap::new();
        let mut disagreements = Vec::new();
        for p in checked {
            let since = p.since.as_deref().unwrap_or_default();
            let verdict = semver_checks::check(root, &tool, &p.name, since)?;
            println!(
                "{}: cargo-semver-checks requires {}; the plan says {}",
                p.name,
                verdict.required.as_str(),
                p.level.as_str()
            );
            if p.from_spec {
                if let Err(e) = semver_checks::agree(&p.name, p.level, &verdict) {
                    disagreements.push(e);
                }
            } else if verdict.required > p.level {
                floors.insert(p.name.clone(), verdict);
            }
        }
        if !disagreements.is_empty() {
            return Err(disagreements.join("\n"));
        }
        if !floors.is_empty() {
            plan = plan_with(root, &floors)?;
        }
    } else if !checked.is_empty() {
        println!("not cross-checked by cargo-semver-checks (--skip-semver-checks)");
    }
    print!("{}", render(&plan));
    if apply_it && !plan.releases.is_empty() {
        apply(root, &plan, &today())?;
        println!(
            "applied: releases.toml, the manifests, Cargo.lock and each crate's CHANGELOG.md; review, commit, then `cargo xtask publish`"
        );
    }
    Ok(())
}

/// The plan as `cargo xtask release` prints it.
pub fn render(plan: &Plan) -> String {
    if plan.releases.is_empty() {
        return "nothing to release: every published crate is as its last release in releases.toml\n".into();
    }
    let mut out = String::new();
    for p in &plan.releases {
        let since = p
            .since
            .as_deref()
            .map_or("never released".to_owned(), |c| format!("since {}", &c[..12]));
        let verdict = if p.since.is_none() {
            "first release"
        } else {
            p.level.as_str()
        };
        writeln!(out, "{} {} -> {} ({verdict}; {since})", p.name, p.from, p.to).unwrap();
        for change in p.changes() {
            writeln!(
                out,
                "    {:<8} {:<10} {}",
                change.level.as_str(),
                change.section.as_str(),
                change.text
            )
            .unwrap();
        }
    }
    out
}

/// Writes the release `plan` in the workspace at `root`, released from its
/// `HEAD` on `date` (`YYYY-MM-DD`): the record, every manifest's versions and
/// requirements (the generated ones by generating again), each crate's
/// changelog and `Cargo.lock`. Refuses a tree with uncommitted changes to
/// what is released, or with stale generated files.
pub fn apply(root: &Path, plan: &Plan, date: &str) -> Result<(), String> {
    if plan.releases.is_empty() {
        return Ok(());
    }
    let dirty = git(
        root,
        &[
            "status",
            "--porcelain",
            "--",
            "openapi",
            "crates",
            "Cargo.toml",
            crate::releases::RECORD,
        ],
    )?;
    if !dirty.trim().is_empty() {
        return Err(format!(
            "commit these first, so that the release is a commit's tree:\n{}",
            dirty.trim_end()
        ));
    }
    let files = crate::generate(root).map_err(|e| e.to_string())?;
    crate::check(root, &files)
        .map_err(|report| format!("{report}\ngenerated files are stale: run `cargo xtask generate` and commit"))?;
    let head = git(root, &["rev-parse", "HEAD"])?.trim().to_owned();

    let mut record = Releases::read(root)?;
    for p in &plan.releases {
        record.0.insert(
            p.name.clone(),
            Release {
                version: p.to.to_string(),
                commit: head.clone(),
            },
        );
    }
    write(&root.join(crate::releases::RECORD), &record.render())?;

    let packages = workspace::packages(root)?;
    let hand_written = packages
        .iter()
        .filter(|p| !p.generated_manifest)
        .map(|p| (Some(p.name.as_str()), root.join(&p.dir).join("Cargo.toml")))
        .chain([(None, root.join("Cargo.toml"))]);
    for (own, manifest) in hand_written {
        let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
        write(&manifest, &with_versions(&text, own, plan))?;
    }
    let files = crate::generate(root).map_err(|e| e.to_string())?;
    crate::write(root, &files)?;

    for p in &plan.releases {
        let file = root.join(&p.dir).join("CHANGELOG.md");
        let existing = std::fs::read_to_string(&file).ok();
        let section = changelog::section(&p.to.to_string(), date, &p.changes());
        write(&file, &changelog::with_release(&p.name, existing.as_deref(), &section))?;
    }
    let status = crate::tools::cargo()
        .args(["update", "--workspace", "--offline", "--quiet"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cargo update: {e}"))?;
    if !status.success() {
        return Err("cargo update --workspace failed: Cargo.lock keeps the old versions".into());
    }
    Ok(())
}

fn write(file: &Path, text: &str) -> Result<(), String> {
    std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))
}

/// A hand-written manifest with the versions of `plan`: its own (`own`, the
/// crate it belongs to) and its requirements on the released crates.
fn with_versions(manifest: &str, own: Option<&str>, plan: &Plan) -> String {
    let mut own_done = false;
    let lines = manifest.lines().map(|line| {
        if let Some(p) = own.and_then(|own| plan.releases.iter().find(|p| p.name == own))
            && !own_done
            && line == format!("version = \"{}\"", p.from)
        {
            own_done = true;
            return format!("version = \"{}\"", p.to);
        }
        for p in &plan.releases {
            let named = line
                .strip_prefix(p.name.as_str())
                .is_some_and(|rest| rest.trim_start().starts_with('='));
            if named {
                return line.replace(
                    &format!("version = \"={}\"", p.from),
                    &format!("version = \"={}\"", p.to),
                );
            }
        }
        line.to_owned()
    });
    let mut text = lines.collect::<Vec<_>>().join("\n");
    if manifest.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::releases::FIRST_VERSION;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn versions_bump_by_level_with_the_0_x_convention() {
        assert_eq!(bump(v("0.1.0"), Level::Breaking), v("0.2.0"));
        assert_eq!(bump(v("0.1.3"), Level::Minor), v("0.1.4"));
        assert_eq!(bump(v("0.1.3"), Level::Patch), v("0.1.4"));
        assert_eq!(bump(v("1.2.3"), Level::Breaking), v("2.0.0"));
        assert_eq!(bump(v("1.2.3"), Level::Minor), v("1.3.0"));
        assert_eq!(bump(v("1.2.3"), Level::Patch), v("1.2.4"));
        assert_eq!(FIRST_VERSION, "0.1.0");
    }

    #[test]
    fn a_manifest_takes_the_new_versions_of_itself_and_its_dependencies() {
        let planned = |name: &str, from: &str, to: &str| Planned {
            name: name.into(),
            dir: PathBuf::new(),
            from: v(from),
            to: v(to),
            level: Level::Minor,
            since: None,
            library: true,
            from_spec: false,
            api: Vec::new(),
            other: Vec::new(),
        };
        let plan = Plan {
            releases: vec![
                planned("workspaces-sdk", "0.1.0", "0.1.1"),
                planned("workspaces-cli", "0.1.0", "0.1.1"),
            ],
        };
        let manifest = "[package]\nname = \"workspaces-cli\"\nversion = \"0.1.0\"\n\n[dependencies]\nworkspaces-sdk = { path = \"../workspaces-sdk\", version = \"=0.1.0\", features = [\"drift\"] }\nworkspaces-sdk-runtime = { version = \"=0.1.0\" }\nclap = { version = \"0.1.0\" }\n";
        let after = with_versions(manifest, Some("workspaces-cli"), &plan);
        assert_eq!(
            after,
            "[package]\nname = \"workspaces-cli\"\nversion = \"0.1.1\"\n\n[dependencies]\nworkspaces-sdk = { path = \"../workspaces-sdk\", version = \"=0.1.1\", features = [\"drift\"] }\nworkspaces-sdk-runtime = { version = \"=0.1.0\" }\nclap = { version = \"0.1.0\" }\n"
        );
        assert_eq!(without_versions(manifest), without_versions(&after));
        assert_ne!(
            without_versions(manifest),
            without_versions(&after.replace("clap", "clop"))
        );
    }

    #[test]
    fn today_is_a_date() {
        let today = today();
        assert_eq!(today.len(), 10, "{today}");
        assert!(today.starts_with("20"), "{today}");
    }
}
