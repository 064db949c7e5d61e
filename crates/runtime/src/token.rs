//! Tokens that expire: a token kept until shortly before it expires (or
//! until the server refuses it), then asked of its source again, once for
//! all the calls that need it at that moment.

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use tokio::time::Instant;

/// What an async token source's future returns.
pub(crate) type TokenFuture = Pin<Box<dyn Future<Output = Result<Token, BoxError>> + Send>>;

/// Why a token source gave no token.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A token an async source gives, and how long it stays valid.
///
/// Its `Debug` output never shows the token.
#[derive(Clone)]
pub struct Token {
    secret: String,
    expires_in: Option<Duration>,
}

impl Token {
    /// A token valid until the server refuses it.
    pub fn new(secret: impl Into<String>) -> Self {
        Self {
            secret: secret.into(),
            expires_in: None,
        }
    }

    /// The same token, valid for `lifetime` from now: it is asked again
    /// shortly before (a tenth of its lifetime before, at most a minute).
    #[must_use]
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("secret", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl From<String> for Token {
    fn from(secret: String) -> Self {
        Self::new(secret)
    }
}

impl From<&str> for Token {
    fn from(secret: &str) -> Self {
        Self::new(secret)
    }
}

/// A token kept from an async source, and the source to ask again.
pub(crate) struct Renewable {
    fetch: Box<dyn Fn() -> TokenFuture + Send + Sync>,
    state: Mutex<State>,
    /// Held while the source is asked: one request for every call waiting.
    asking: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    token: Option<String>,
    /// When to ask again, before the token expires.
    renew_at: Option<Instant>,
    /// When the token expires: past it, it is not sent, whatever happens.
    expires_at: Option<Instant>,
    fetched_at: Option<Instant>,
    /// Refused by the server: ask again before the next request.
    refused: bool,
    /// Why the last asking gave no token.
    failure: Option<String>,
    /// How many times the source was asked.
    asked: u64,
}

impl State {
    fn usable(&self, now: Instant) -> bool {
        self.token.is_some() && self.expires_at.is_none_or(|at| now < at)
    }

    fn stale(&self, now: Instant) -> bool {
        self.refused || !self.usable(now) || self.renew_at.is_some_and(|at| now >= at)
    }
}

impl Renewable {
    pub(crate) fn new(fetch: impl Fn() -> TokenFuture + Send + Sync + 'static) -> Self {
        Self {
            fetch: Box::new(fetch),
            state: Mutex::default(),
            asking: tokio::sync::Mutex::new(()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the source must be asked before the next request.
    pub(crate) fn stale(&self) -> bool {
        self.state().stale(Instant::now())
    }

    /// The token to send now, or why there is none.
    pub(crate) fn current(&self) -> Result<String, String> {
        let state = self.state();
        match (&state.token, &state.failure) {
            (Some(token), _) if state.usable(Instant::now()) => Ok(token.clone()),
            (_, Some(failure)) => Err(failure.clone()),
            (Some(_), None) => Err("the token expired".to_owned()),
            (None, None) => Err("the token source has not been asked yet".to_owned()),
        }
    }

    /// Why the token source gave no usable token, if it did not.
    pub(crate) fn failure(&self) -> Option<String> {
        self.current().err()
    }

    /// Marks the token fetched before `sent_at` as refused by the server, so
    /// the source is asked again before the next request; a token fetched
    /// since (by another call) is kept.
    pub(crate) fn refused(&self, sent_at: Instant) {
        let mut state = self.state();
        if state.fetched_at.is_none_or(|fetched| fetched <= sent_at) {
            state.refused = true;
        }
    }

    /// Asks the source for a token if the one kept is stale, once for all
    /// the calls that ask at the same time: those that wait for another's
    /// asking take its outcome.
    pub(crate) async fn renew(self: Arc<Self>) {
        let seen = self.state().asked;
        let _asking = self.asking.lock().await;
        {
            let state = self.state();
            if state.asked != seen || !state.stale(Instant::now()) {
                return;
            }
        }
        let outcome = (self.fetch)().await;
        let now = Instant::now();
        let mut state = self.state();
        state.asked += 1;
        match outcome {
            Ok(Token { secret, .. }) if secret.trim().is_empty() => {
                state.failure = Some("the token source gave an empty token".to_owned());
                state.token = None;
            }
            Ok(Token { secret, expires_in }) => {
                state.token = Some(secret);
                state.fetched_at = Some(now);
                state.expires_at = expires_in.map(|lifetime| now + lifetime);
                state.renew_at =
                    expires_in.map(|lifetime| now + lifetime - (lifetime / 10).min(Duration::from_secs(60)));
                state.refused = false;
                state.failure = None;
            }
            Err(error) => {
                state.failure = Some(error.to_string());
                // A refused token is not sent again; one still valid is.
                if state.refused {
                    state.token = None;
                }
            }
        }
    }
}

/// The renewable tokens of a client's credentials, renewed before an
/// attempt when stale.
#[derive(Clone)]
pub(crate) struct Renewal(pub(crate) Arc<[Arc<Renewable>]>);

impl Renewal {
    /// Whether a token must be asked for before the next attempt.
    pub(crate) fn stale(&self) -> bool {
        self.0.iter().any(|token| token.stale())
    }

    /// Asks for every stale token.
    pub(crate) fn renew(&self) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let tokens = Arc::clone(&self.0);
        Box::pin(async move {
            for token in tokens.iter() {
                Arc::clone(token).renew().await;
            }
        })
    }

    /// Why a token could not be had, if one could not.
    pub(crate) fn failure(&self) -> Option<String> {
        self.0.iter().find_map(|token| token.failure())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn counting(lifetime: Option<Duration>) -> (Arc<Renewable>, Arc<AtomicUsize>) {
        let asked = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&asked);
        let token = Renewable::new(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(10)).await;
                let token = Token::new(format!("token-{n}"));
                Ok(match lifetime {
                    Some(lifetime) => token.expires_in(lifetime),
                    None => token,
                })
            })
        });
        (Arc::new(token), asked)
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_calls_ask_once_and_the_token_is_asked_again_before_it_expires() {
        let (token, asked) = counting(Some(Duration::from_secs(100)));
        assert!(token.stale());
        let waits: Vec<_> = (0..8).map(|_| tokio::spawn(Arc::clone(&token).renew())).collect();
        for wait in waits {
            wait.await.unwrap();
        }
        assert_eq!(asked.load(Ordering::SeqCst), 1);
        assert_eq!(token.current().unwrap(), "token-1");
        // A tenth of its lifetime before it expires, it is stale.
        tokio::time::advance(Duration::from_secs(89)).await;
        assert!(!token.stale());
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(token.stale());
        Arc::clone(&token).renew().await;
        assert_eq!(
            (token.current().unwrap().as_str(), asked.load(Ordering::SeqCst)),
            ("token-2", 2)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_token_is_asked_again_unless_another_call_already_did() {
        let (token, asked) = counting(None);
        Arc::clone(&token).renew().await;
        let sent_at = Instant::now();
        tokio::time::advance(Duration::from_secs(1)).await;
        token.refused(sent_at);
        assert!(token.stale());
        Arc::clone(&token).renew().await;
        assert_eq!(token.current().unwrap(), "token-2");
        // A 401 to a request sent with the older token keeps the newer one.
        token.refused(sent_at);
        assert!(!token.stale());
        assert_eq!(asked.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failing_source_is_the_reason_and_an_expired_token_is_never_sent() {
        let token = Arc::new(Renewable::new(|| {
            Box::pin(async { Err::<Token, BoxError>("the vault is sealed".into()) })
        }));
        Arc::clone(&token).renew().await;
        assert_eq!(token.failure().as_deref(), Some("the vault is sealed"));
        let (token, _) = counting(Some(Duration::from_secs(10)));
        Arc::clone(&token).renew().await;
        tokio::time::advance(Duration::from_secs(11)).await;
        assert_eq!(token.current().unwrap_err(), "the token expired");
    }
}
