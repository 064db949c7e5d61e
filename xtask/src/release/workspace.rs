//! The published crates of the workspace, in the order they can be released
//! (each after the crates it depends on), and what git says of their files.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::Value;

use crate::releases::Version;

/// A crate that is published (its manifest does not say `publish = false`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    /// Its folder, relative to the workspace root.
    pub dir: PathBuf,
    /// The version its manifest says.
    pub version: Version,
    /// The spec it is generated from (`package.metadata.workspaces-sdk.spec`).
    pub spec: Option<PathBuf>,
    /// The published crates of the workspace it depends on (not as a
    /// dev-dependency).
    pub dependencies: Vec<String>,
    /// Whether it has a library (its API is Rust items), not only binaries.
    pub library: bool,
    /// Whether its manifest is generated (else written by hand).
    pub generated_manifest: bool,
}

/// The published crates of the workspace at `root`, each after the ones it
/// depends on (ties by name).
pub fn packages(root: &Path) -> Result<Vec<Package>, String> {
    let output = crate::tools::cargo()
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let all = metadata["packages"].as_array().cloned().unwrap_or_default();
    let published: Vec<&Value> = all
        .iter()
        .filter(|p| p["publish"].as_array().is_none_or(|registries| !registries.is_empty()))
        .collect();
    let names: BTreeSet<&str> = published.iter().filter_map(|p| p["name"].as_str()).collect();
    let mut found = Vec::new();
    for p in &published {
        let name = p["name"].as_str().unwrap_or_default().to_owned();
        let manifest = PathBuf::from(p["manifest_path"].as_str().unwrap_or_default());
        let dir = manifest
            .parent()
            .and_then(|dir| dir.strip_prefix(root).ok())
            .ok_or_else(|| {
                format!(
                    "{name}: its manifest {} is outside {}",
                    manifest.display(),
                    root.display()
                )
            })?
            .to_owned();
        let version = Version::parse(p["version"].as_str().unwrap_or_default()).map_err(|e| format!("{name}: {e}"))?;
        let mut dependencies: Vec<String> = p["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["kind"].as_str() != Some("dev"))
            .filter_map(|d| d["name"].as_str())
            .filter(|d| names.contains(d))
            .map(str::to_owned)
            .collect();
        dependencies.sort();
        dependencies.dedup();
        let manifest_text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
        found.push(Package {
            name,
            dir,
            version,
            spec: p
                .pointer("/metadata/workspaces-sdk/spec")
                .and_then(Value::as_str)
                .map(PathBuf::from),
            dependencies,
            library: p["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|t| t["kind"].as_array().is_some_and(|k| k.iter().any(|k| k == "lib"))),
            generated_manifest: manifest_text.starts_with("# @generated"),
        });
    }
    in_dependency_order(found)
}

/// `packages`, each after the ones it depends on: by depth (a crate with
/// no published dependency first), then by name.
pub fn in_dependency_order(packages: Vec<Package>) -> Result<Vec<Package>, String> {
    let mut depth: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    while depth.len() < packages.len() {
        let before = depth.len();
        for p in &packages {
            if depth.contains_key(&p.name) {
                continue;
            }
            let deps: Option<Vec<usize>> = p.dependencies.iter().map(|d| depth.get(d).copied()).collect();
            if let Some(deps) = deps {
                depth.insert(p.name.clone(), deps.into_iter().max().map_or(0, |d| d + 1));
            }
        }
        if depth.len() == before {
            let names: Vec<&str> = packages
                .iter()
                .filter(|p| !depth.contains_key(&p.name))
                .map(|p| p.name.as_str())
                .collect();
            return Err(format!(
                "the published crates depend on each other in a cycle: {names:?}"
            ));
        }
    }
    let mut packages = packages;
    packages.sort_by(|a, b| (depth[&a.name], &a.name).cmp(&(depth[&b.name], &b.name)));
    Ok(packages)
}

/// Every file git tracks or would track under `root` (a new provider's
/// spec and crates before they are committed, say), as it is in the working
/// tree, copied to the same place under `to`.
pub fn copy_working_tree(root: &Path, to: &Path) -> Result<(), String> {
    let listed = git(root, &["ls-files", "-z", "--cached", "--others", "--exclude-standard"])?;
    for file in listed.split('\0').filter(|f| !f.is_empty()) {
        let from = root.join(file);
        if from.is_file() {
            let target = to.join(file);
            std::fs::create_dir_all(target.parent().unwrap_or(to)).map_err(|e| e.to_string())?;
            std::fs::copy(&from, &target).map_err(|e| format!("{file}: {e}"))?;
        }
    }
    Ok(())
}

/// Runs git in `root`, returning what it printed.
pub fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("git {}: {e}", args.join(" ")))?;
    if !output.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("git {}: not UTF-8: {e}", args.join(" ")))
}

/// A file as it was at `commit` (`None`: it did not exist then), or an
/// error when git does not know the commit (a shallow clone, say).
pub fn file_at(root: &Path, commit: &str, path: &Path) -> Result<Option<String>, String> {
    git(root, &["cat-file", "-e", &format!("{commit}^{{commit}}")]).map_err(|_| {
        format!("commit {commit} of releases.toml is not in this clone's history (a shallow clone? fetch it)")
    })?;
    let spec = format!("{commit}:{}", path.display());
    match git(root, &["cat-file", "-e", &spec]) {
        Ok(_) => git(root, &["show", &spec]).map(Some),
        Err(_) => Ok(None),
    }
}

/// The files of `dir` that differ between `commit` and the working tree, or
/// that git does not track yet, relative to `dir`.
pub fn changed_files(root: &Path, commit: &str, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let dir_text = dir.display().to_string();
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    let tracked = git(root, &["diff", "--name-only", commit, "--", &dir_text])?;
    let untracked = git(root, &["ls-files", "--others", "--exclude-standard", "--", &dir_text])?;
    for line in tracked.lines().chain(untracked.lines()) {
        if let Ok(relative) = Path::new(line).strip_prefix(dir) {
            files.insert(relative.to_owned());
        }
    }
    Ok(files.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, dependencies: &[&str]) -> Package {
        Package {
            name: name.into(),
            dir: PathBuf::from(name),
            version: Version::parse("0.1.0").unwrap(),
            spec: None,
            dependencies: dependencies.iter().map(|d| (*d).to_owned()).collect(),
            library: true,
            generated_manifest: false,
        }
    }

    #[test]
    fn each_crate_comes_after_what_it_depends_on() {
        let ordered = in_dependency_order(vec![
            package("cli", &["facade"]),
            package("facade", &["runtime", "motion"]),
            package("motion-mock", &["motion"]),
            package("motion", &["runtime"]),
            package("runtime", &[]),
        ])
        .unwrap();
        let names: Vec<&str> = ordered.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["runtime", "motion", "facade", "motion-mock", "cli"]);

        let error = in_dependency_order(vec![package("a", &["b"]), package("b", &["a"])]).unwrap_err();
        assert!(error.contains("cycle"), "{error}");
    }
}
