//! Options of one call, set on its request builder (`with_timeout`,
//! `with_retry`, `with_deadline`, `with_header`), kept in the call's scope and read by
//! [`Context::execute`](crate::Context::execute) for each of the call's
//! attempts, in place of the client's configuration.

use std::{sync::Arc, time::Duration};

use crate::Retry;

/// What one call does differently from its client's [`Config`](crate::Config).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// How long to wait for the whole response, per attempt, body included.
    pub timeout: Option<Duration>,
    /// When and how often the call is tried again.
    pub retry: Option<Retry>,
    /// How long the whole call may take, every attempt and every wait
    /// before one included.
    pub deadline: Option<Duration>,
    /// When the deadline passes: set when the call starts.
    pub(crate) ends_at: Option<tokio::time::Instant>,
    /// Headers of this call alone (`with_header`), as given: checked when
    /// the request is prepared.
    pub(crate) headers: Option<Arc<Vec<(String, String)>>>,
}

impl CallOptions {
    /// Adds a header to every attempt of this call (a request builder's
    /// `with_header`).
    pub fn add_header(&mut self, name: String, value: String) {
        Arc::make_mut(self.headers.get_or_insert_default()).push((name, value));
    }

    /// These options (boxed, as a builder keeps them) for a call starting
    /// now: its deadline as an instant.
    pub(crate) fn started(mut options: Box<Self>) -> Box<Self> {
        options.ends_at = options.deadline.map(|deadline| tokio::time::Instant::now() + deadline);
        options
    }

    /// How long an attempt may take: the call's timeout, or less where the
    /// deadline comes first (nothing, once it has passed).
    pub(crate) fn attempt_timeout(&self) -> Option<Duration> {
        let left = self
            .ends_at
            .map(|ends_at| ends_at.saturating_duration_since(tokio::time::Instant::now()));
        match (self.timeout, left) {
            (Some(timeout), Some(left)) => Some(timeout.min(left)),
            (timeout, left) => timeout.or(left),
        }
    }

    /// Whether waiting `delay` before another attempt still ends before
    /// the deadline.
    pub(crate) fn leaves_time_for(&self, delay: Duration) -> bool {
        self.ends_at
            .is_none_or(|ends_at| tokio::time::Instant::now() + delay < ends_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn an_attempt_takes_at_most_what_the_deadline_leaves() {
        let options = CallOptions::started(Box::new(CallOptions {
            timeout: Some(Duration::from_secs(5)),
            deadline: Some(Duration::from_secs(8)),
            ..CallOptions::default()
        }));
        assert_eq!(options.attempt_timeout(), Some(Duration::from_secs(5)));
        assert!(options.leaves_time_for(Duration::from_secs(7)));
        tokio::time::advance(Duration::from_secs(6)).await;
        assert_eq!(options.attempt_timeout(), Some(Duration::from_secs(2)));
        assert!(!options.leaves_time_for(Duration::from_secs(2)));
        tokio::time::advance(Duration::from_secs(3)).await;
        assert_eq!(options.attempt_timeout(), Some(Duration::ZERO), "past it: nothing");

        let per_attempt = CallOptions::started(Box::new(CallOptions {
            timeout: Some(Duration::from_secs(5)),
            ..CallOptions::default()
        }));
        assert_eq!(per_attempt.attempt_timeout(), Some(Duration::from_secs(5)));
        assert!(per_attempt.leaves_time_for(Duration::from_secs(3600)));
    }
}
