//! Rust clients for the workspaces APIs of several providers, one module per
//! provider, each behind a cargo feature of the same name (all on by
//! default), and one model of a workspace across them.
//!
//! Each module is the provider's own crate, generated from its OpenAPI spec:
//! `workspaces_sdk::motion` is `workspaces_sdk_motion`, and so on. Depend on a
//! provider's crate alone when you need only one.
//!
//! # Every workspace of any provider
//!
//! [`Client`] lists every workspace a credential can reach, across all pages,
//! each once, as normalized [`Workspace`]s: provider, id, name, and kind,
//! owner and creation time where the provider gives them, read off the
//! provider's own typed value in [`Workspace::details`].
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use workspaces_sdk::{Client, Credentials, Provider};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let provider: Provider = "motion".parse()?;
//! // MOTION_API_KEY; ASTERS_API_KEY, DELAY_TOKEN, SEATABLE_TOKEN for the others.
//! let client = Client::new(Credentials::from_env(provider)?)?;
//! let workspaces: Vec<_> = client.workspaces().try_collect().await?;
//! for workspace in &workspaces {
//!     println!("{} {} {:?}", workspace.id(), workspace.name(), workspace.kind());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The filters of a provider stay on its own request builder;
//! [`ListWorkspaces`] turns any of them into the same stream:
//!
//! ```no_run
//! # #[cfg(feature = "motion")]
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use futures_util::TryStreamExt;
//! use workspaces_sdk::{ListWorkspaces, Workspace};
//!
//! let client = workspaces_sdk::motion::Client::new(std::env::var("MOTION_API_KEY")?)?;
//! let request = client.list_workspaces().ids(["workspace_123", "workspace_456"]);
//! let workspaces: Vec<Workspace> = request.workspaces().try_collect().await?;
//! # Ok(())
//! # }
//! ```
//!
//! The other providers, each from its own client and filters:
//!
//! ```no_run
//! # #[cfg(all(feature = "asters", feature = "delay", feature = "seatable"))]
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use futures_util::TryStreamExt;
//! use workspaces_sdk::{ListWorkspaces, Workspace, asters, delay, seatable};
//!
//! // Asters: its own and collaborating workspaces (`allWorkspaces`), each once.
//! let asters = asters::Client::new(std::env::var("ASTERS_API_KEY")?)?;
//! let mine: Vec<Workspace> = asters.list_workspaces().workspaces().try_collect().await?;
//!
//! // Delay: on your server, sorted, 50 to a page.
//! let delay = delay::Client::with_base_url("https://api.delay.com", std::env::var("DELAY_TOKEN")?)?;
//! let request = delay.list_workspaces().sort_order(delay::types::SortOrder::Desc);
//! let paging = workspaces_sdk::Paging { page_size: Some(50), ..Default::default() };
//! let sorted: Vec<Workspace> = request.workspaces_with(paging).try_collect().await?;
//!
//! // SeaTable: every entry of `workspace_list`, starred and shared included.
//! let seatable = seatable::Client::new(std::env::var("SEATABLE_TOKEN")?)?;
//! let all: Vec<Workspace> = seatable.list_workspaces().detail(true).workspaces().try_collect().await?;
//! # Ok(())
//! # }
//! ```

//! With the `drift` feature, the `drift` module checks what a provider sends against
//! its description as written: a field it does not declare, a value outside
//! an enum, a `null`, an undocumented status, each with its JSON pointer.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod credentials;
#[cfg(feature = "drift")]
pub mod drift;
mod generated;
mod listing;
mod provider;
mod workspace;

pub use credentials::{Credentials, CredentialsError};
pub use generated::*;
pub use listing::{Error, ListWorkspaces, WorkspacePages, Workspaces};
pub(crate) use provider::ProviderInfo;
pub use provider::UnknownProvider;
pub use workspace::Workspace;
pub use workspaces_sdk_runtime::{
    Config, ConfigError, Credential, ErrorKind, Exchange, OAuth2, Paging, RequestId, Retry, Token,
};
