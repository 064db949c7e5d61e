//! The `workspaces` command: list the workspaces of any provider of
//! `workspaces-sdk`, serve local mocks of their APIs, and a demo that needs
//! no account.
//!
//! The library holds the mock server, for tests of your own that need a
//! provider's API on loopback ([`mock::start`]), and the cassettes that
//! `workspaces record` writes and the mock replays ([`cassette`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod args;
pub mod cassette;
mod check;
mod demo;
mod exit;
mod filters;
mod generated;
mod list;
pub mod mock;
mod mock_pages;
mod output;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, MockCommand};

/// clap's message of a usage error on one line, every detail kept (the
/// arguments missing, the possible values, a similar subcommand), its usage
/// summary and pointer to `--help` left out.
fn usage_line(rendered: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for line in rendered.lines().map(str::trim).filter(|line| !line.is_empty()) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            continue;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        match (line.starts_with("tip:"), parts.last_mut()) {
            (false, Some(last)) => *last = format!("{last} {line}"),
            _ => parts.push(line.to_owned()),
        }
    }
    parts.join("; ")
}

/// Runs the command line as given, and tells how it ended.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("workspaces: internal error: {message}");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help, --version
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            let line = usage_line(&error.render().to_string());
            return exit::Failure::usage(format!("{line} (see --help)")).report();
        }
    };
    if let Command::Completions { shell } = cli.command {
        let mut command = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(shell, &mut command, "workspaces", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => return exit::Failure::other(format!("cannot start: {e}")).report(),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::List(args) => list::list(*args).await,
            Command::Check(args) => check::check(*args).await,
            Command::Record(args) => check::record(*args).await,
            Command::Mock(MockCommand::Serve(args)) => demo::serve(args).await,
            Command::Demo(args) => demo::demo(args).await,
            Command::Completions { .. } => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if failure.code == 0 => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_usage_error_keeps_clap_s_detail_on_one_line() {
        let missing = "error: the following required arguments were not provided:\n  --out <FILE>\n\nUsage: workspaces record --out <FILE> <PROVIDER>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            super::usage_line(missing),
            "the following required arguments were not provided: --out <FILE>"
        );
        let values = "error: invalid value 'yaml' for '--output <OUTPUT>'\n  [possible values: table, json, ndjson]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            super::usage_line(values),
            "invalid value 'yaml' for '--output <OUTPUT>' [possible values: table, json, ndjson]"
        );
        let typo = "error: unrecognized subcommand 'lst'\n\n  tip: a similar subcommand exists: 'list'\n\nUsage: workspaces <COMMAND>\n";
        assert_eq!(
            super::usage_line(typo),
            "unrecognized subcommand 'lst'; tip: a similar subcommand exists: 'list'"
        );
    }
}
