//! Shared runtime of the workspaces-sdk provider clients.
//!
//! Every provider crate is generated from an OpenAPI description by
//! `cargo xtask generate`. What the generator cannot express as data lives
//! here, written once for all providers:
//!
//! - [`Credential`]: a secret that never shows in `Debug` or `Display` output;
//! - [`Api`]: the static description of a provider's API that the generator
//!   emits (how the credential goes on the wire, header defaults);
//! - [`Context`]: the per-client state the generated hooks use to prepare
//!   every request;
//! - [`base_url`] and [`http_client`]: checked construction of a client;
//! - [`Config`] and [`Retry`]: retries with back-off and `Retry-After`, a
//!   client-side rate limit, timeouts and a limit on every body read, applied
//!   to every attempt by [`Context::execute`]; redirects followed only within
//!   the origin of the base URL ([`RefusedRedirect`]);
//! - [`Error`]: the error of every call, naming provider, operation and status;
//! - [`ByStatus`]: bodies whose type depends on their status, decoded by the
//!   generated enum of their operation;
//! - [`by_cursor`], [`by_page_number`], [`one_page`] and [`items`]: streams
//!   over listings, as the specs' `x-pagination` describes them, where one
//!   item that does not decode does not hide the others ([`recover`]);
//! - [`client!`] and [`send!`]: the constructors and hooks of every generated
//!   `Client`, and each operation's `send()`, expanded in the provider crates.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod body;
mod by_status;
mod call;
mod config;
mod context;
mod credential;
mod error;
mod glue;
mod options;
mod paginate;
mod recover;
mod redirect;
mod resilience;

pub use api::{Api, Auth, Bound, HeaderDefault};
pub use body::DEFAULT_MAX_BODY;
pub use by_status::{ByStatus, by_status, json_body, success_by_status, text_body};
pub use call::{call, read_text, typed};
pub use config::{Config, ConfigError, base_url, http_client};
pub use context::Context;
pub use credential::Credential;
pub use error::{Error, ErrorKind, MAX_ERROR_BODY, Response, Undecodable, body_text};
pub use options::{CallOptions, with_options};
pub use paginate::{ByPageNumber, Items, Pages, Paging, Recover, by_cursor, by_page_number, items, one_page};
pub use recover::{ItemLists, Recovered, recover};
pub use redirect::{MAX_REDIRECTS, RefusedRedirect};
/// The `reqwest` the clients are built on: a `reqwest::Client` of your own
/// (`with_http_client`) must come from this version.
pub use reqwest;
pub use resilience::{Retry, retry_after};

/// What the macros of `glue` name from the provider crate's point of view.
#[doc(hidden)]
pub mod __private {
    pub use progenitor_client;
    pub use reqwest;
}
