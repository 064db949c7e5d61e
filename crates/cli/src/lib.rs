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
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, MockCommand};

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
            let text = error.render().to_string();
            let line = text.lines().next().unwrap_or_default();
            let line = line.strip_prefix("error: ").unwrap_or(line);
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
