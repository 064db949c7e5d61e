//! Shared runtime of the workspaces-sdk provider clients.
//!
//! Every provider crate is generated from an OpenAPI description by
//! `cargo xtask generate`, and re-exports what of this crate its users need:
//!
//! - [`Credential`]: a secret that never shows in `Debug` or `Display`
//!   output, from a string, an environment variable or a file;
//! - [`Config`] and [`Retry`]: retries with back-off and `Retry-After`, a
//!   client-side rate limit, timeouts and a limit on every body read
//!   ([`DEFAULT_MAX_BODY`]); redirects followed only within the origin of the
//!   base URL ([`RefusedRedirect`]);
//! - [`Error`], [`ErrorKind`] and [`Response`]: the error of every call,
//!   naming provider, operation and status; [`RequestId`]: the id the server
//!   gave a request, on a successful response too;
//! - [`Pages`], [`Items`] and [`Paging`]: the streams of paginated listings,
//!   where one item that does not decode does not hide the others;
//! - [`Exchange`] and [`Observer`]: every request and response, credentials
//!   taken out, shown to a function of yours ([`Config::observe`]);
//! - [`IntoOptionalText`]: what an optional text field of a generated type
//!   takes (`&str`, `String`, `Option<String>`);
//! - [`reqwest`]: the version the clients are built on.
//!
//! The rest (the static description of an API and of each operation, the
//! per-client `Context`, the functions the generated code calls, in the
//! module `plumbing`, and the two macros it expands, `client!` and `send!`)
//! is written once here for every provider and hidden from this
//! documentation: it is the generated crates' to use, not an API of its own.

//!
//! # Logs
//!
//! Every attempt of a call is a [`tracing`](https://docs.rs/tracing) span
//! `request` (provider, operation, attempt number) with, at `DEBUG`, one
//! event `response` (method, URL with any query credential redacted,
//! status, latency in milliseconds), at `WARN` one for a request that
//! failed, and at `INFO` one when the call tries again (the wait). The
//! targets are [`TRACE_REQUEST`] and [`TRACE_RETRY`]; a credential never
//! appears. With `tracing-subscriber`:
//! `RUST_LOG=workspaces_sdk::request=debug`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// The `tracing` target of each attempt's span and events.
pub const TRACE_REQUEST: &str = "workspaces_sdk::request";

/// The `tracing` target of the event that says a call tries again.
pub const TRACE_RETRY: &str = "workspaces_sdk::retry";

mod api;
mod auth;
mod base_url;
mod body;
mod by_status;
mod call;
mod config;
mod context;
mod credential;
mod dispatch;
mod error;
mod exchange;
mod glue;
mod links;
mod oauth2;
mod open_enum;
mod options;
mod paginate;
mod recover;
mod redirect;
mod request_changes;
mod resilience;
mod setters;
mod token;

pub use body::DEFAULT_MAX_BODY;
pub use config::{Config, ConfigError};
pub use credential::{Credential, TokenResult};
pub use error::{Error, ErrorKind, MAX_ERROR_BODY, RequestId, Response};
pub use exchange::{Exchange, Observer};
pub use oauth2::OAuth2;
pub use paginate::{Items, Pages, Paging};
pub use redirect::{MAX_REDIRECTS, RefusedRedirect};
pub use request_changes::{RequestHook, RequestInfo};
pub use token::Token;

/// The `reqwest` the clients are built on: a `reqwest::Client` of your own
/// (`with_http_client`) must come from this version.
#[doc(no_inline)]
pub use reqwest;
pub use resilience::{Retry, retry_after};
pub use setters::IntoOptionalText;

/// What only the generated crates (and the facade over them) call: the
/// static description of an API and of each operation, the per-client
/// [`Context`](plumbing::Context), a call and its pieces, the walks of
/// paginated listings. Public for them, hidden from this documentation, and
/// the one place such an item goes: `cargo xtask docs` fails on a hidden
/// item anywhere else. The macros `client!` and `send!` (in `glue.rs`),
/// which `#[macro_export]` puts at the crate's root, expand to these paths.
#[doc(hidden)]
pub mod plumbing {
    pub use crate::api::{Api, Auth, Bound, Flow, HeaderDefault, Operation, Place, TokenUrl};
    pub use crate::base_url::BaseUrl;
    pub use crate::by_status::{ByStatus, by_status, json_body, success_by_status, text_body};
    pub use crate::call::{call, read_text, typed};
    pub use crate::config::http_client;
    pub use crate::context::Context;
    pub use crate::dispatch::{build, exchange, json_response, query, query_if_set, replace_headers, stream_response};
    pub use crate::error::{Undecodable, body_text};
    pub use crate::glue::context_of;
    pub use crate::links::{ByLink, by_link, link_header_next};
    pub use crate::open_enum::open_enum;
    pub use crate::options::CallOptions;
    pub use crate::paginate::{
        ByCursor, ByPosition, Counting, Recover, as_u64, by_cursor, by_position, items, one_page,
    };
    pub use crate::recover::{ItemLists, Recovered, recover};
    pub use progenitor_client;
    pub use reqwest;
}

use api::{Api, Auth, Operation, Place};
use context::Context;
use error::Undecodable;
use options::CallOptions;
