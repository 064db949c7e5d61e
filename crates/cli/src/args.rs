//! The command line: subcommands and options (each provider's filters are
//! generated from its spec: `filters.rs`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use workspaces_sdk::Provider;

use crate::filters::Filters;

/// List the workspaces of Asters, Delay, Motion and SeaTable accounts, or
/// serve local mocks of their APIs.
#[derive(Debug, Parser)]
#[command(name = "workspaces", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every workspace a credential can reach, across all pages.
    ///
    /// The credential comes from the provider's environment variable
    /// (ASTERS_API_KEY, DELAY_TOKEN, MOTION_API_KEY, SEATABLE_TOKEN) or
    /// --credential-file. Exit codes: 0 success, 2 usage, 3 authentication
    /// refused, 4 rate-limited after retries, 1 anything else.
    List(Box<ListArgs>),
    /// Serve a local mock of a provider's API.
    #[command(subcommand)]
    Mock(MockCommand),
    /// List the workspaces of every provider from local mocks, through the
    /// real clients: no account, no network.
    Demo(DemoArgs),
    /// Print the completion script of a shell, for example
    /// `workspaces completions bash > /etc/bash_completion.d/workspaces`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum MockCommand {
    /// Answer on 127.0.0.1 with the examples of the provider's spec, long
    /// listings split into pages, until stopped.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The provider to mock.
    #[arg(value_parser = parse_provider)]
    pub provider: Provider,
    /// The port (0: any free port; the URL is printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Accept only this credential (default: any non-empty one).
    #[arg(long)]
    pub credential: Option<String>,
    /// Items per page of a listing split into pages, unless a request asks.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub page_size: u64,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How to print the workspaces.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The provider: asters, delay, motion or seatable.
    #[arg(value_parser = parse_provider)]
    pub provider: Provider,
    /// The server, for self-hosted ones, proxies and mocks (Delay has no default).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Read the credential from this file instead of the environment.
    #[arg(long, value_name = "PATH")]
    pub credential_file: Option<PathBuf>,
    /// How to print the workspaces (default: a table on a terminal, JSON lines otherwise).
    #[arg(long, value_enum)]
    pub output: Option<Output>,
    /// No progress on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Each provider's filters, from the query parameters of its listing.
    #[command(flatten)]
    pub filters: Filters,
}

/// How workspaces are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned columns, for people.
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line, printed as pages arrive.
    Ndjson,
}

fn parse_provider(text: &str) -> Result<Provider, String> {
    text.parse().map_err(|e: workspaces_sdk::UnknownProvider| e.to_string())
}
