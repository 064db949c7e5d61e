//! `cargo xtask release` in scratch clones of the workspace, each with every
//! published crate released at its current version: a change to Motion's
//! spec gives its semver verdict, the next versions of exactly the crates it
//! reaches (Motion's, its mock's, the facade's and the command line's), and
//! changelog lines that name what changed in the API.

use std::path::{Path, PathBuf};

use workspaces_sdk_tests::workspace::{commit, scratch_clone};
use xtask::{
    release::{
        self, Plan, Planned,
        api_diff::{Level, Section},
        workspace::packages,
    },
    releases::{RECORD, Release, Releases},
};

const MOTION: &str = "workspaces-sdk-motion";
const MOTION_MOCK: &str = "workspaces-sdk-motion-mock";
const FACADE: &str = "workspaces-sdk";
const CLI: &str = "workspaces-cli";

/// A scratch clone whose every published crate is released at its commit.
fn released(name: &str) -> PathBuf {
    let (dir, head) = scratch_clone(name);
    let mut record = Releases::default();
    for package in packages(&dir).unwrap() {
        record.0.insert(
            package.name,
            Release {
                version: package.version.to_string(),
                commit: head.clone(),
            },
        );
    }
    std::fs::write(dir.join(RECORD), record.render()).unwrap();
    commit(&dir, "every crate released");
    dir
}

/// Motion's spec with `from` (which it must hold) replaced by `to`, the
/// crates generated again, and all of it committed.
fn change_motion(dir: &Path, from: &str, to: &str) {
    let file = dir.join("openapi/motion.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "motion.yaml has no {from:?}");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    let files = xtask::generate(dir).unwrap_or_else(|e| panic!("{e}"));
    xtask::write(dir, &files).unwrap();
    commit(dir, "Motion's spec changed");
}

fn planned<'a>(plan: &'a Plan, name: &str) -> &'a Planned {
    plan.releases
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} is not released:\n{}", release::render(plan)))
}

/// The plan after a change to Motion's spec: only Motion's crates, the
/// facade and the command line, with these versions and levels.
fn assert_reaches_motion_only(plan: &Plan, motion: (&str, Level)) {
    let names: Vec<&str> = plan.releases.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, [MOTION, FACADE, MOTION_MOCK, CLI], "{}", release::render(plan));
    let (version, level) = motion;
    // The command line's library (its mock server, its cassettes) uses the
    // facade's types, so it takes the facade's level too.
    for name in [MOTION, MOTION_MOCK, FACADE, CLI] {
        let p = planned(plan, name);
        assert_eq!((p.to.to_string().as_str(), p.level), (version, level), "{name}");
    }
    let cli = planned(plan, CLI);
    assert!(
        cli.changes()
            .iter()
            .any(|c| c.text == format!("Depends on `{FACADE}` {version} ({}).", level.as_str())),
        "{:?}",
        cli.changes()
    );
}

fn api_lines(plan: &Plan) -> Vec<(Level, Section, String)> {
    planned(plan, MOTION)
        .api
        .iter()
        .map(|c| (c.level, c.section, c.text.clone()))
        .collect()
}

/// In a released scratch clone, Motion's spec with `from` replaced by `to`:
/// the plan, which releases Motion's crates, the facade and the command line
/// only, at `version`, with `change` as the one change of Motion's API.
fn motion_change(name: &str, from: &str, to: &str, version: &str, change: (Level, Section, &str)) -> (PathBuf, Plan) {
    let dir = released(name);
    change_motion(&dir, from, to);
    let plan = release::plan(&dir).unwrap();
    let (level, section, line) = change;
    assert_reaches_motion_only(&plan, (version, level));
    assert_eq!(api_lines(&plan), [(level, section, line.to_owned())]);
    (dir, plan)
}

#[test]
fn an_unchanged_clone_has_nothing_to_release() {
    let dir = released("release-unchanged");
    let plan = release::plan(&dir).unwrap();
    assert!(plan.releases.is_empty(), "{}", release::render(&plan));
    assert!(release::render(&plan).starts_with("nothing to release"));
}

#[test]
fn an_optional_field_added_is_minor_and_applied_to_motion_its_mock_the_facade_and_the_command_line() {
    let (dir, plan) = motion_change(
        "release-field-added",
        "      properties:\n        id:\n          type: string\n          description: The ID of the workspace.\n",
        "      properties:\n        color:\n          type: string\n          description: The workspace's color.\n        id:\n          type: string\n          description: The ID of the workspace.\n",
        "0.1.1",
        (
            Level::Minor,
            Section::Added,
            "Added the optional field `Workspace.color`.",
        ),
    );
    let facade = planned(&plan, FACADE).changes();
    assert!(
        facade
            .iter()
            .any(|c| c.text == "`workspaces-sdk-motion`: Added the optional field `Workspace.color`."),
        "{facade:?}"
    );

    let head = workspaces_sdk_tests::workspace::git(&dir, &["rev-parse", "HEAD"]);
    release::apply(&dir, &plan, "2026-11-23").unwrap_or_else(|e| panic!("{e}"));
    let record = Releases::read(&dir).unwrap();
    for (name, version) in [
        (MOTION, "0.1.1"),
        (MOTION_MOCK, "0.1.1"),
        (FACADE, "0.1.1"),
        (CLI, "0.1.1"),
        ("workspaces-sdk-runtime", "0.1.0"),
        ("workspaces-sdk-delay", "0.1.0"),
        ("workspaces-sdk-delay-mock", "0.1.0"),
        ("workspaces-sdk-asters", "0.1.0"),
        ("workspaces-sdk-seatable", "0.1.0"),
    ] {
        assert_eq!(record.version(name), version, "{name}");
    }
    assert_eq!(record.0[MOTION].commit, head.trim());
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).unwrap();
    assert!(read("crates/providers/motion/Cargo.toml").contains("\nversion = \"0.1.1\"\n"));
    assert!(read("crates/providers/delay/Cargo.toml").contains("\nversion = \"0.1.0\"\n"));
    assert!(read("crates/mocks/motion/Cargo.toml").contains("path = \"../../providers/motion\", version = \"=0.1.1\""));
    let facade_manifest = read("crates/workspaces-sdk/Cargo.toml");
    assert!(facade_manifest.contains("\nversion = \"0.1.1\"\n"), "{facade_manifest}");
    assert!(facade_manifest.contains("path = \"../providers/motion\", version = \"=0.1.1\""));
    assert!(facade_manifest.contains("path = \"../providers/delay\", version = \"=0.1.0\""));
    let cli_manifest = read("crates/cli/Cargo.toml");
    assert!(cli_manifest.contains("\nversion = \"0.1.1\"\n"), "{cli_manifest}");
    assert!(cli_manifest.contains("path = \"../workspaces-sdk\", version = \"=0.1.1\""));
    assert!(read("Cargo.toml").contains("path = \"crates/runtime\", version = \"=0.1.0\""));
    assert!(read("Cargo.lock").contains("name = \"workspaces-sdk-motion\"\nversion = \"0.1.1\""));
    let changelog = read("crates/providers/motion/CHANGELOG.md");
    assert!(
        changelog.contains(
            "## [Unreleased]\n\n## [0.1.1] - 2026-11-23\n\n### Added\n\n- Added the optional field `Workspace.color`.\n"
        ),
        "{changelog}"
    );
    assert!(
        !std::fs::read_to_string(dir.join("crates/providers/delay/CHANGELOG.md"))
            .unwrap_or_default()
            .contains("0.1.1")
    );
    xtask::check(&dir, &xtask::generate(&dir).unwrap()).unwrap_or_else(|e| panic!("{e}"));

    commit(&dir, "release");
    let after = release::plan(&dir).unwrap();
    assert!(after.releases.is_empty(), "{}", release::render(&after));
}

#[test]
fn a_field_removed_is_breaking() {
    motion_change(
        "release-field-removed",
        "        teamId:\n          type: string\n          nullable: true\n          description: |\n            The ID of the team. Read as optional and nullable: an individual\n            workspace has no team, and a server may send `null` or leave the key\n            out (a JavaScript server drops `undefined` fields).\n",
        "",
        "0.2.0",
        (
            Level::Breaking,
            Section::Removed,
            "Removed the field `Workspace.teamId`.",
        ),
    );
}

#[test]
fn a_value_added_to_an_open_enum_is_minor() {
    motion_change(
        "release-enum-value",
        "enum: [team, individual]",
        "enum: [team, individual, organization]",
        "0.1.1",
        (
            Level::Minor,
            Section::Added,
            "Added the value `organization` to `WorkspaceType`.",
        ),
    );
}

#[test]
fn a_description_changed_is_a_patch() {
    motion_change(
        "release-description",
        "description: The name of the workspace.",
        "description: The workspace's name, as its owner set it.",
        "0.1.1",
        (
            Level::Patch,
            Section::Changed,
            "The description of `Workspace.name` changed.",
        ),
    );
}

#[test]
fn a_runtime_change_is_a_patch_for_every_crate_unless_semver_checks_requires_more() {
    let dir = released("release-runtime");
    let lib = dir.join("crates/runtime/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        format!("{text}\n/// A constant added.\npub const ADDED: u8 = 1;\n"),
    )
    .unwrap();
    commit(&dir, "the runtime changed");
    let plan = release::plan(&dir).unwrap();
    let published = packages(&dir).unwrap().len();
    assert_eq!(
        plan.releases.len(),
        published,
        "every crate: {}",
        release::render(&plan)
    );
    let runtime = planned(&plan, "workspaces-sdk-runtime");
    assert_eq!(
        (runtime.to.to_string().as_str(), runtime.level),
        ("0.1.1", Level::Patch)
    );
    assert_eq!(runtime.changes()[0].text, "Changed `src/lib.rs`.");
    assert!(
        plan.releases
            .iter()
            .all(|p| p.level == Level::Patch && p.to.to_string() == "0.1.1"),
        "{}",
        release::render(&plan)
    );

    // cargo-semver-checks requiring a breaking release of the runtime makes
    // every crate that re-exports it breaking too.
    let floors = std::collections::BTreeMap::from([(
        "workspaces-sdk-runtime".to_owned(),
        release::semver_checks::Verdict {
            required: Level::Breaking,
            failures: vec![release::semver_checks::Failure {
                lint: "function_missing".into(),
                description: "pub fn removed or renamed".into(),
                items: vec!["function workspaces_sdk_runtime::gone".into()],
            }],
        },
    )]);
    let plan = release::plan_with(&dir, &floors).unwrap();
    let runtime = planned(&plan, "workspaces-sdk-runtime");
    assert_eq!(
        (runtime.to.to_string().as_str(), runtime.level),
        ("0.2.0", Level::Breaking)
    );
    assert!(
        runtime.changes().iter().any(
            |c| c.text == "Rust's semver rules require a breaking release (cargo-semver-checks: function_missing)."
        ),
        "{:?}",
        runtime.changes()
    );
    assert!(
        plan.releases
            .iter()
            .all(|p| p.level == Level::Breaking && p.to.to_string() == "0.2.0"),
        "{}",
        release::render(&plan)
    );
}

/// Puts a stand-in for `cargo-semver-checks` where `cargo xtask release`
/// finds it, printing `output` as the real one prints its verdict.
fn semver_checks_saying(dir: &Path, output: &str) {
    use std::os::unix::fs::PermissionsExt;
    let tool = dir.join("target/tools/cargo-semver-checks/bin/cargo-semver-checks");
    std::fs::create_dir_all(tool.parent().unwrap()).unwrap();
    std::fs::write(&tool, format!("#!/bin/sh\ncat >&2 <<'END'\n{output}END\n")).unwrap();
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn the_release_fails_when_cargo_semver_checks_requires_more_than_the_spec_says() {
    let (dir, _) = motion_change(
        "release-cross-check",
        "description: The name of the workspace.",
        "description: The workspace's name.",
        "0.1.1",
        (
            Level::Patch,
            Section::Changed,
            "The description of `Workspace.name` changed.",
        ),
    );
    semver_checks_saying(
        &dir,
        "--- failure struct_missing: pub struct removed or renamed ---\n\nFailed in:\n  struct Workspace, previously in file src/generated.rs:80\n\n     Summary semver requires new major version: 1 major and 0 minor checks failed\n",
    );
    let error = release::run(&dir, true, true).unwrap_err();
    assert!(
        error.contains("workspaces-sdk-motion: the spec's changes make this a patch release, but cargo-semver-checks requires breaking"),
        "{error}"
    );
    assert!(
        error.contains("struct_missing: pub struct removed or renamed"),
        "{error}"
    );
    assert!(error.contains("struct Workspace, previously in file"), "{error}");
    // Nothing was applied.
    assert_eq!(Releases::read(&dir).unwrap().version(MOTION), "0.1.0");

    semver_checks_saying(&dir, "     Summary no semver update required\n");
    release::run(&dir, true, true).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Releases::read(&dir).unwrap().version(MOTION), "0.1.1");
}

/// The way from drift to a release: responses recorded from Motion with an
/// undeclared field, a type outside its enum and a `null` name; `cargo
/// xtask propose` writes the smallest change as an overlay, which the
/// generated crates and the emitted description take in; the same responses
/// then hold, and the release names each change at its level.
#[test]
fn a_proposed_overlay_makes_recorded_drift_hold_and_releases_it_at_its_level() {
    let dir = released("propose");
    let body = serde_json::json!({"meta": {"pageSize": 2, "nextCursor": null}, "workspaces": [
        {"id": "w1", "name": "Home", "type": "galaxy", "labels": [], "statuses": [], "color": "red"},
        {"id": "w2", "name": null, "type": "team", "labels": [], "statuses": [], "color": "blue"}
    ]});
    let cassette = serde_json::json!({
        "format": "workspaces-cassette/1",
        "provider": "motion",
        "interactions": [{
            "operation": "listWorkspaces",
            "request": {"method": "GET", "path": "/workspaces", "query": [], "headers": []},
            "response": {"status": 200, "headers": [["content-type", "application/json"]], "body": body}
        }]
    });
    let file = dir.join("motion-cassette.json");
    std::fs::write(&file, cassette.to_string()).unwrap();
    let drift = |description: &str| {
        let description = workspaces_sdk::drift::Description::from_json(description).unwrap();
        let findings = description
            .check(
                "listWorkspaces",
                200,
                Some("application/json"),
                body.to_string().as_bytes(),
            )
            .unwrap();
        findings
            .iter()
            .map(|f| format!("{} {}", f.kind, f.pointer))
            .collect::<Vec<_>>()
    };
    let emitted = || std::fs::read_to_string(dir.join("crates/workspaces-sdk/openapi/motion.json")).unwrap();
    assert_eq!(
        drift(&emitted()),
        [
            "unknown-enum-value /workspaces/0/type",
            "undeclared-field /workspaces/0/color",
            "unexpected-null /workspaces/1/name",
            "undeclared-field /workspaces/1/color"
        ]
    );

    let report = xtask::propose::run(&dir, "motion", std::slice::from_ref(&file)).unwrap();
    assert_eq!(
        report,
        "motion: 3 change(s) proposed from 1 response(s) in 1 cassette(s)\n  \
         value \"galaxy\" added to the enum of `WorkspaceType`: seen 1 time(s), first in listWorkspaces 200 at /workspaces/0/type\n  \
         field `color` added to `Workspace`, optional, as {\"type\":\"string\"}: seen 2 time(s), first in listWorkspaces 200 at /workspaces/0/color\n  \
         `Workspace.name` made nullable: seen 1 time(s), first in listWorkspaces 200 at /workspaces/1/name\n\
         wrote openapi/overlays/motion.yaml: review it, then `cargo xtask generate` and `cargo xtask release`\n"
    );
    // The spec itself is as it was: the change is the overlay, a plain diff.
    assert_eq!(
        std::fs::read(dir.join("openapi/motion.yaml")).unwrap(),
        std::fs::read(workspaces_sdk_tests::root().join("openapi/motion.yaml")).unwrap()
    );
    let files = xtask::generate(&dir).unwrap_or_else(|e| panic!("{e}"));
    xtask::write(&dir, &files).unwrap();
    std::fs::remove_file(&file).unwrap();
    commit(&dir, "Motion's spec changed by its overlay");
    assert_eq!(drift(&emitted()), Vec::<String>::new(), "the recorded responses hold");
    let generated = std::fs::read_to_string(dir.join("crates/providers/motion/src/generated.rs")).unwrap();
    assert!(generated.contains("pub color: ::std::option::Option<::std::string::String>"));

    let plan = release::plan(&dir).unwrap();
    assert_reaches_motion_only(&plan, ("0.2.0", Level::Breaking));
    assert_eq!(
        api_lines(&plan),
        [
            (
                Level::Breaking,
                Section::Changed,
                "`Workspace.name` is now nullable.".to_owned()
            ),
            (
                Level::Minor,
                Section::Added,
                "Added the optional field `Workspace.color`.".to_owned()
            ),
            (
                Level::Minor,
                Section::Added,
                "Added the value `galaxy` to `WorkspaceType`.".to_owned()
            ),
        ]
    );
    let rendered = release::render(&plan);
    assert!(rendered.contains("workspaces-sdk-motion 0.1.0 -> 0.2.0"), "{rendered}");
    // Proposing again from the same responses: nothing left to change.
    let cassette_again = dir.join("again.json");
    std::fs::write(&cassette_again, cassette.to_string()).unwrap();
    let again = xtask::propose::run(&dir, "motion", &[cassette_again]).unwrap();
    assert!(again.starts_with("motion: 0 change(s) proposed"), "{again}");
}
