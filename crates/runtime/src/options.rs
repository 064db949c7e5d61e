//! Options of one call, set on its request builder (`with_timeout`,
//! `with_retry`) and read by [`Context::execute`](crate::Context::execute)
//! for each of the call's attempts, in place of the client's configuration.

use std::{future::Future, time::Duration};

use crate::Retry;

/// What one call does differently from its client's [`Config`](crate::Config).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// How long to wait for the whole response, per attempt, body included.
    pub timeout: Option<Duration>,
    /// When and how often the call is tried again.
    pub retry: Option<Retry>,
}

tokio::task_local! {
    static OPTIONS: CallOptions;
}

/// Runs a call with `options`. Not an `async fn`: the call's future is moved
/// into the scope once, not kept beside it (which would double the size of
/// every request's future).
pub fn with_options<F: Future>(options: CallOptions, call: F) -> impl Future<Output = F::Output> {
    OPTIONS.scope(options, call)
}

/// The options of the call under way (none outside a call).
pub(crate) fn current() -> CallOptions {
    OPTIONS.try_with(|options| *options).unwrap_or_default()
}
