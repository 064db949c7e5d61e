//! `cargo xtask generate [--check]`, `test`, `bench`, `corpus`, `docs`, `propose`, `release` and `publish`.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask generate [--check | --verbose]
       cargo xtask test [-- <cargo test arguments>]
       cargo xtask bench [--quick] [--rounds N] [--build-rounds N] [decode|calls|paging|facade|build]...
       cargo xtask corpus [--build] [--expect ID,...] <folder>
       cargo xtask docs
       cargo xtask propose <provider> --cassette FILE [--cassette FILE]...
       cargo xtask release [--apply] [--skip-semver-checks]
       cargo xtask publish [--dry-run | --registry NAME | --rehearse]

  generate          write every crate generated from openapi/*.yaml
                    (--verbose: each pass over progenitor's output, with how many sites it changed)
  generate --check  fail, with a diff, if any committed generated file is stale
  test              install the test tools if missing, then run the whole test suite
  bench             every benchmark against its baseline, as ratios with their targets
                    (--quick: a short run that shows each works, timing nothing)
  corpus <folder>   generate every OpenAPI 3.0/3.1 spec of a folder, against progenitor alone;
                    with --build, build each crate generated (scripts/fetch-corpus fetches pinned specs);
                    with --expect, fail unless each spec named came through
  docs              the published crates' docs, without warnings, listing their API and no plumbing
  propose           the smallest change to openapi/<provider>.yaml under which the responses of
                    cassettes (`workspaces record`) hold, each with its evidence, written as an
                    OpenAPI Overlay to openapi/overlays/<provider>.yaml (applied when the spec is loaded)
  release           what each published crate's next version is since its last release (releases.toml):
                    the semver level from its spec's changes, cross-checked by cargo-semver-checks
                    (installed into target/tools on first use); --apply writes the versions and changelogs
  publish           publish, in dependency order, every crate whose version crates.io does not have;
                    --dry-run packages and verifies each one, offline; --registry NAME publishes every
                    crate, in order, into a registry cargo's configuration names; --rehearse publishes
                    into a local registry server it starts, then builds a project that depends on the
                    published crates by version and lists the workspaces of a mock with it";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::workspace_root();
    match args.as_slice() {
        ["generate"] | ["generate", "--verbose"] => match xtask::generate_with_warnings(&root)
            .map_err(|e| e.to_string())
            .and_then(|output| {
                for line in &output.rewrites {
                    println!("rewrote {line}");
                }
                if args.contains(&"--verbose") {
                    for line in &output.passes {
                        println!("pass {line}");
                    }
                }
                for line in &output.warnings {
                    eprintln!("warning: {line}");
                }
                xtask::write(&root, &output.files)
            }) {
            Ok(changed) => {
                for path in &changed {
                    println!("wrote {}", path.display());
                }
                println!("{} generated file(s) changed", changed.len());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        ["generate", "--check"] => match xtask::generate(&root).map_err(|e| e.to_string()) {
            Ok(files) => match xtask::check(&root, &files) {
                Ok(()) => {
                    println!("{} generated files are up to date", files.len());
                    ExitCode::SUCCESS
                }
                Err(report) => {
                    eprintln!("{report}");
                    fail("generated files are stale: run `cargo xtask generate` and commit the result")
                }
            },
            Err(e) => fail(&e),
        },
        ["test", rest @ ..] => {
            let rest = if rest.first() == Some(&"--") { &rest[1..] } else { rest };
            match xtask::tools::run_tests(&root, rest) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(e) => fail(&e),
            }
        }
        ["bench", rest @ ..] => {
            let rest = if rest.first() == Some(&"--") { &rest[1..] } else { rest };
            match xtask::tools::run_benchmarks(&root, rest) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(e) => fail(&e),
            }
        }
        ["corpus", rest @ ..] => {
            let args = match xtask::corpus::args(rest) {
                Ok(args) => args,
                Err(e) => return fail(&e),
            };
            let outcomes = match args.build {
                true => xtask::corpus::run_and_build(&root, &args.dir),
                false => xtask::corpus::run(&root, &args.dir),
            };
            match outcomes {
                Ok(outcomes) => {
                    print!("{}", xtask::corpus::report(&outcomes));
                    let unmet = xtask::corpus::unmet(&outcomes, &args.expect);
                    match unmet.is_empty() {
                        true => ExitCode::SUCCESS,
                        false => fail(&unmet.join("\n")),
                    }
                }
                Err(e) => fail(&e),
            }
        }
        ["docs"] => match xtask::docs::build_and_check(&root) {
            Ok(()) => {
                println!("the docs list each crate's API and nothing else");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        ["release", rest @ ..] if rest.iter().all(|a| matches!(*a, "--apply" | "--skip-semver-checks")) => {
            match xtask::release::run(
                &root,
                rest.contains(&"--apply"),
                !rest.contains(&"--skip-semver-checks"),
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
        ["propose", id, rest @ ..] if !id.starts_with('-') => {
            let mut cassettes = Vec::new();
            let mut rest = rest.iter();
            while let Some(arg) = rest.next() {
                match (*arg, rest.next()) {
                    ("--cassette", Some(file)) => cassettes.push(std::path::PathBuf::from(file)),
                    _ => {
                        eprintln!("{USAGE}");
                        return ExitCode::from(2);
                    }
                }
            }
            match xtask::propose::run(&root, id, &cassettes) {
                Ok(report) => {
                    print!("{report}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        ["publish", "--dry-run"] => match xtask::publish::dry_run(&root, &root.join("target")) {
            Ok(packages) => {
                for p in &packages {
                    println!("verified {} {}", p.name, p.version);
                }
                println!("{} crates would be published, in this order", packages.len());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        ["publish", "--registry", name] => {
            match xtask::rehearsal::publish_into(&root, name, &[], &root.join("target/publish").join(name)) {
                Ok(lines) => {
                    lines.iter().for_each(|line| println!("{line}"));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        ["publish", "--rehearse"] => match xtask::rehearsal::run(&root) {
            Ok(lines) => {
                lines.iter().for_each(|line| println!("{line}"));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        ["publish"] => match xtask::publish::publish(&root) {
            Ok(lines) => {
                lines.iter().for_each(|line| println!("{line}"));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn fail(message: &str) -> ExitCode {
    for line in message.lines() {
        eprintln!("error: {line}");
    }
    ExitCode::FAILURE
}
