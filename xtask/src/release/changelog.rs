//! Each published crate's `CHANGELOG.md`, in the "Keep a Changelog" layout:
//! a release's changes go under `## [version] - date`, below
//! `## [Unreleased]`, grouped by section.

use super::api_diff::{Change, Section};

/// The heading every changelog starts with.
fn header(name: &str) -> String {
    format!(
        "# Changelog

All notable changes to `{name}`, newest first.

The format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and versions follow [Semantic Versioning](https://semver.org/spec/v2.0.0.html):
before 1.0, a breaking change bumps the minor version and any other change
the patch version. Written by `cargo xtask release --apply`.

## [Unreleased]
"
    )
}

/// A release's section: its heading, then its changes by section (Added,
/// Changed, Deprecated, Removed), each in the order given.
pub fn section(version: &str, date: &str, changes: &[Change]) -> String {
    let mut out = format!("## [{version}] - {date}\n");
    for kind in [Section::Added, Section::Changed, Section::Deprecated, Section::Removed] {
        let lines: Vec<&Change> = changes.iter().filter(|c| c.section == kind).collect();
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {}\n\n", kind.as_str()));
        for change in lines {
            out.push_str(&format!("- {}\n", change.text));
        }
    }
    out
}

/// `existing` (a crate's changelog, or `None`) with `release` (a
/// [`section`]) added as the newest release.
pub fn with_release(name: &str, existing: Option<&str>, release: &str) -> String {
    let text = existing.map_or_else(|| header(name), str::to_owned);
    const UNRELEASED: &str = "## [Unreleased]\n";
    match text.find(UNRELEASED) {
        Some(at) => {
            let after = at + UNRELEASED.len();
            let (head, rest) = text.split_at(after);
            let rest = rest.trim_start_matches('\n');
            if rest.is_empty() {
                format!("{head}\n{release}")
            } else {
                format!("{head}\n{release}\n{rest}")
            }
        }
        None => format!("{}\n{release}", text.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::api_diff::Level;

    #[test]
    fn releases_go_below_unreleased_newest_first() {
        let first = section(
            "0.1.0",
            "2026-11-01",
            &[Change {
                level: Level::Minor,
                section: Section::Added,
                text: "First release.".into(),
            }],
        );
        let once = with_release("workspaces-sdk-motion", None, &first);
        assert!(once.starts_with("# Changelog\n"), "{once}");
        assert!(
            once.ends_with("## [Unreleased]\n\n## [0.1.0] - 2026-11-01\n\n### Added\n\n- First release.\n"),
            "{once}"
        );
        let second = section(
            "0.2.0",
            "2026-11-23",
            &[
                Change {
                    level: Level::Breaking,
                    section: Section::Removed,
                    text: "Removed the field `Workspace.color`.".into(),
                },
                Change {
                    level: Level::Minor,
                    section: Section::Added,
                    text: "Added the optional field `Workspace.owner`.".into(),
                },
            ],
        );
        let twice = with_release("workspaces-sdk-motion", Some(&once), &second);
        assert!(
            twice.contains(
                "## [Unreleased]\n\n## [0.2.0] - 2026-11-23\n\n### Added\n\n- Added the optional field `Workspace.owner`.\n\n### Removed\n\n- Removed the field `Workspace.color`.\n\n## [0.1.0] - 2026-11-01\n"
            ),
            "{twice}"
        );
    }
}
