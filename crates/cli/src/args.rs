//! The command line: subcommands and options (each provider's filters are
//! generated from its spec: `filters.rs`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use workspaces_sdk::Provider;

use crate::filters::Filters;

/// List the workspaces of an account of any provider of workspaces-sdk, or
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
    /// Check what a provider's API sends against its spec: every page of the
    /// listing (or a cassette), each response's status, content type and body
    /// validated against the spec's schemas as written.
    ///
    /// Each finding is reported once, with its JSON pointer and an example:
    /// an undeclared field, a value outside an enum, an unexpected null, a
    /// type mismatch, a missing required field, an undocumented status or
    /// content type. Exit codes: 0 the spec holds (or drift without
    /// --strict), 5 drift with --strict, 2 usage, 3 authentication refused,
    /// 4 rate-limited, 1 anything else.
    Check(Box<CheckArgs>),
    /// Record every request and response of the listing as a cassette (plain
    /// JSON), every credential removed before anything is written.
    Record(Box<RecordArgs>),
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
    #[arg(value_parser = ProviderParser)]
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
    /// Answer from this cassette (`workspaces record`) instead of the spec's
    /// examples: each request by method, path and query.
    #[arg(long, value_name = "FILE")]
    pub replay: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The provider, by its id.
    #[arg(value_parser = ProviderParser)]
    pub provider: Provider,
    /// The server, for self-hosted ones, proxies and mocks (required for a provider without a default server).
    #[arg(long, value_name = "URL", conflicts_with = "cassette")]
    pub base_url: Option<String>,
    /// Read the credential from this file instead of the environment.
    #[arg(long, value_name = "PATH", conflicts_with = "cassette")]
    pub credential_file: Option<PathBuf>,
    /// Check the responses of this cassette instead of calling the API.
    #[arg(long, value_name = "FILE")]
    pub cassette: Option<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,
    /// Exit with 5 when the API has drifted from the spec.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The provider, by its id.
    #[arg(value_parser = ProviderParser)]
    pub provider: Provider,
    /// The cassette to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The server, for self-hosted ones, proxies and mocks (required for a provider without a default server).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Read the credential from this file instead of the environment.
    #[arg(long, value_name = "PATH")]
    pub credential_file: Option<PathBuf>,
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned columns, for people.
    Table,
    /// One JSON object.
    Json,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How to print the workspaces.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The provider, by its id.
    #[arg(value_parser = ProviderParser)]
    pub provider: Provider,
    /// The server, for self-hosted ones, proxies and mocks (required for a provider without a default server).
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

/// A provider by its id or name; its ids offered to shell completions and
/// listed by `--help`.
#[derive(Debug, Clone, Copy)]
struct ProviderParser;

impl clap::builder::TypedValueParser for ProviderParser {
    type Value = Provider;

    fn parse_ref(
        &self,
        command: &clap::Command,
        argument: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Provider, clap::Error> {
        let text = value.to_string_lossy();
        text.parse().map_err(|e: workspaces_sdk::UnknownProvider| {
            let argument = argument.map_or_else(|| "<PROVIDER>".to_owned(), ToString::to_string);
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("invalid value '{text}' for '{argument}': {e}\n"),
            )
            .with_cmd(command)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Provider::ALL
                .iter()
                .map(|provider| clap::builder::PossibleValue::new(provider.id())),
        ))
    }
}
