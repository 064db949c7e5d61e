//! The release record, `releases.toml` at the workspace root: for every
//! published crate, its version and the commit whose tree that version was
//! released from. `cargo xtask generate` writes each generated crate's
//! version (and its dependents' requirements) from it; `cargo xtask release`
//! compares each crate with its commit and writes the next versions. A crate
//! the record does not name (a provider whose spec was just added) is
//! unreleased, at [`FIRST_VERSION`].

use std::{collections::BTreeMap, fmt::Write as _, path::Path};

/// The record's file, relative to the workspace root.
pub const RECORD: &str = "releases.toml";

/// The version of a crate never released.
pub const FIRST_VERSION: &str = "0.1.0";

/// One crate's last release.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub version: String,
    /// The commit whose tree was released (full hash).
    pub commit: String,
}

/// Every crate's last release, by crate name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Releases(pub BTreeMap<String, Release>);

impl Releases {
    /// Reads `<root>/releases.toml`; a missing file is an empty record.
    pub fn read(root: &Path) -> Result<Self, String> {
        let file = root.join(RECORD);
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(format!("{}: cannot read: {e}", file.display())),
        };
        let record: BTreeMap<String, Release> =
            toml::from_str(&text).map_err(|e| format!("{}: not a release record: {e}", file.display()))?;
        for (name, release) in &record {
            Version::parse(&release.version).map_err(|e| format!("{}: `{name}`: {e}", file.display()))?;
            if release.commit.len() != 40 || !release.commit.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "{}: `{name}`: commit `{}` is not a full commit hash",
                    file.display(),
                    release.commit
                ));
            }
        }
        Ok(Self(record))
    }

    /// The record as `releases.toml` holds it.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# The last release of every published crate: its version and the commit whose\n\
             # tree it was released from. Written by `cargo xtask release --apply`; `cargo\n\
             # xtask generate` writes the versions into the generated manifests.\n",
        );
        for (name, release) in &self.0 {
            write!(
                out,
                "\n[{name}]\nversion = \"{}\"\ncommit = \"{}\"\n",
                release.version, release.commit
            )
            .unwrap();
        }
        out
    }

    /// The version of `krate`: its last release, or [`FIRST_VERSION`].
    pub fn version(&self, krate: &str) -> &str {
        self.0.get(krate).map_or(FIRST_VERSION, |r| r.version.as_str())
    }
}

/// A crate version, `major.minor.patch` (no pre-release or build part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split('.').collect();
        let number = |part: &str| part.parse::<u64>().ok().filter(|_| !part.starts_with('+'));
        match parts[..] {
            [major, minor, patch] => match (number(major), number(minor), number(patch)) {
                (Some(major), Some(minor), Some(patch)) => Ok(Self { major, minor, patch }),
                _ => Err(format!("version `{text}` is not major.minor.patch")),
            },
            _ => Err(format!("version `{text}` is not major.minor.patch")),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_it_was_rendered() {
        let record = Releases(BTreeMap::from([(
            "workspaces-sdk-motion".to_owned(),
            Release {
                version: "0.2.1".into(),
                commit: "0123456789abcdef0123456789abcdef01234567".into(),
            },
        )]));
        let dir = std::env::temp_dir().join(format!("releases-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(RECORD), record.render()).unwrap();
        let read = Releases::read(&dir).unwrap();
        assert_eq!(read, record);
        assert_eq!(read.version("workspaces-sdk-motion"), "0.2.1");
        assert_eq!(read.version("workspaces-sdk-new"), FIRST_VERSION);

        std::fs::write(
            dir.join(RECORD),
            "[workspaces-sdk-motion]\nversion = \"0.2\"\ncommit = \"abc\"\n",
        )
        .unwrap();
        let error = Releases::read(&dir).unwrap_err();
        assert!(
            error.contains("`workspaces-sdk-motion`: version `0.2` is not major.minor.patch"),
            "{error}"
        );
        std::fs::write(
            dir.join(RECORD),
            "[workspaces-sdk-motion]\nversion = \"0.2.0\"\ncommit = \"abc\"\n",
        )
        .unwrap();
        let error = Releases::read(&dir).unwrap_err();
        assert!(error.contains("commit `abc` is not a full commit hash"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
