//! Options of one call, set on its request builder (`with_timeout`,
//! `with_retry`), kept in the call's scope and read by
//! [`Context::execute`](crate::Context::execute) for each of the call's
//! attempts, in place of the client's configuration.

use std::time::Duration;

use crate::Retry;

/// What one call does differently from its client's [`Config`](crate::Config).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// How long to wait for the whole response, per attempt, body included.
    pub timeout: Option<Duration>,
    /// When and how often the call is tried again.
    pub retry: Option<Retry>,
}
