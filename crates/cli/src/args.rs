//! The command line: subcommands, options, and each provider's filters.

use std::{num::NonZeroU64, path::PathBuf};

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use workspaces_sdk::Provider;

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
    #[command(flatten)]
    pub motion: MotionFilters,
    #[command(flatten)]
    pub seatable: SeaTableFilters,
    #[command(flatten)]
    pub delay: DelayFilters,
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

#[derive(Debug, Args)]
#[command(next_help_heading = "Motion filters")]
pub struct MotionFilters {
    /// Only these workspace ids (repeat the option, or separate with commas).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub ids: Vec<String>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "SeaTable filters")]
pub struct SeaTableFilters {
    /// Ask for every base and view of each workspace (`detail=true`).
    #[arg(long)]
    pub detail: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Delay filters")]
pub struct DelayFilters {
    /// The field to sort by.
    #[arg(long)]
    pub sort_by: Option<String>,
    /// `asc` or `desc`.
    #[arg(long, value_parser = ["asc", "desc"])]
    pub sort_order: Option<String>,
    /// Only the workspace with this id.
    #[arg(long)]
    pub id: Option<String>,
    /// Only workspaces created by this user id.
    #[arg(long)]
    pub created_by: Option<String>,
    /// Only workspaces last updated by this user id.
    #[arg(long)]
    pub updated_by: Option<String>,
    /// Only workspaces of this type (`single_user`, `multi_user`).
    #[arg(long)]
    pub workspace_type: Option<String>,
    /// Only workspaces owned by this user id.
    #[arg(long)]
    pub owner_id: Option<String>,
    /// Only workspaces created at or after this RFC 3339 time.
    #[arg(long, value_name = "TIME")]
    pub created_at_from: Option<DateTime<Utc>>,
    /// Only workspaces created at or before this RFC 3339 time.
    #[arg(long, value_name = "TIME")]
    pub created_at_to: Option<DateTime<Utc>>,
    /// Only workspaces updated at or after this RFC 3339 time.
    #[arg(long, value_name = "TIME")]
    pub updated_at_from: Option<DateTime<Utc>>,
    /// Only workspaces updated at or before this RFC 3339 time.
    #[arg(long, value_name = "TIME")]
    pub updated_at_to: Option<DateTime<Utc>>,
    /// Fuzzy search.
    #[arg(long)]
    pub search: Option<String>,
    /// Workspaces per page, 1 to 100 (default 100).
    #[arg(long, value_name = "N")]
    pub page_size: Option<NonZeroU64>,
}

impl ListArgs {
    /// The filter options given, with the provider each belongs to.
    pub fn filters_given(&self) -> Vec<(&'static str, &'static str)> {
        let d = &self.delay;
        let delay = [
            ("--sort-by", d.sort_by.is_some()),
            ("--sort-order", d.sort_order.is_some()),
            ("--id", d.id.is_some()),
            ("--created-by", d.created_by.is_some()),
            ("--updated-by", d.updated_by.is_some()),
            ("--workspace-type", d.workspace_type.is_some()),
            ("--owner-id", d.owner_id.is_some()),
            ("--created-at-from", d.created_at_from.is_some()),
            ("--created-at-to", d.created_at_to.is_some()),
            ("--updated-at-from", d.updated_at_from.is_some()),
            ("--updated-at-to", d.updated_at_to.is_some()),
            ("--search", d.search.is_some()),
            ("--page-size", d.page_size.is_some()),
        ];
        let motion = [("--ids", !self.motion.ids.is_empty())];
        let seatable = [("--detail", self.seatable.detail)];
        let tagged = |id: &'static str, flags: &[(&'static str, bool)]| {
            flags
                .iter()
                .filter(|(_, given)| *given)
                .map(move |(flag, _)| (*flag, id))
                .collect::<Vec<_>>()
        };
        [
            tagged("delay", &delay),
            tagged("motion", &motion),
            tagged("seatable", &seatable),
        ]
        .concat()
    }
}

fn parse_provider(text: &str) -> Result<Provider, String> {
    text.parse().map_err(|e: workspaces_sdk::UnknownProvider| e.to_string())
}
