//! Rust clients for the workspaces APIs of several providers, one module per
//! provider, each behind a cargo feature of the same name (all on by default).
//!
//! Each module is the provider's own crate, generated from its OpenAPI spec:
//! `workspaces_sdk::motion` is `workspaces_sdk_motion`, and so on. Depend on a
//! provider's crate alone when you need only one.
//!
//! ```no_run
//! # #[cfg(feature = "motion")]
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let client = workspaces_sdk::motion::Client::new(std::env::var("MOTION_API_KEY")?)?;
//! let page = client.list_workspaces().send().await?.into_inner();
//! for workspace in &page.workspaces {
//!     println!("{} {}", workspace.id, workspace.name);
//! }
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod generated;

pub use generated::*;
pub use workspaces_sdk_runtime::{ConfigError, Credential};
