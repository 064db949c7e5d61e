//! What every attempt of every call goes through: the client-side rate
//! limiter, the retry loop with exponential back-off, full jitter and
//! `Retry-After`, and a tracing span per attempt.

use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode, header::RETRY_AFTER};
use tokio::{sync::Mutex, time::Instant};

/// When and how often a failed request is tried again.
///
/// Only idempotent requests (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`,
/// `TRACE`) are retried, and only after a connection error, a timeout, or a
/// status of 408, 429, 500, 502, 503 or 504; never after any other 4xx.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// The back-off before the second attempt; it doubles with each attempt.
    pub initial_delay: Duration,
    /// The longest single back-off wait.
    pub max_delay: Duration,
    /// The longest total wait across all retries of one call, `Retry-After`
    /// included: a retry that would go past it is not made (the call returns
    /// the last response, `Retry-After` and all), so a server's wait is always
    /// honoured, never cut short.
    pub max_total_delay: Duration,
}

impl Default for Retry {
    /// 3 attempts, back-off from 500 ms, at most 30 s a wait and 60 s in all.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total_delay: Duration::from_secs(60),
        }
    }
}

impl Retry {
    /// No retries: every request is sent once.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The statuses worth another attempt.
    pub fn is_retryable_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
    }

    /// The wait before attempt `attempt + 1`: `Retry-After` if the response
    /// gave one, else full jitter over an exponential back-off: a uniform draw
    /// from zero to `initial_delay * 2^(attempt - 1)`, at most `max_delay`.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait;
        }
        let ceiling = self
            .initial_delay
            .saturating_mul(1 << attempt.saturating_sub(1).min(20))
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// How long a response asks the client to wait: `Retry-After` in seconds or
/// as an HTTP date (in the past: no wait).
pub fn retry_after(headers: &reqwest::header::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Spaces the requests of one client evenly, so that it never sends more than
/// its rate: the start of each request waits for its slot.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    interval: Duration,
    next_slot: Mutex<Option<Instant>>,
}

impl RateLimiter {
    pub(crate) fn per_minute(requests: u32) -> Self {
        Self {
            interval: Duration::from_secs(60) / requests.max(1),
            next_slot: Mutex::new(None),
        }
    }

    pub(crate) async fn acquire(&self) {
        let wait = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |slot| slot.max(now));
            *next = Some(slot + self.interval);
            slot - now
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// Whether a request may be sent twice with the same effect.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Whether an attempt's outcome is worth another attempt.
pub(crate) fn is_retryable(result: &reqwest::Result<reqwest::Response>) -> bool {
    match result {
        Ok(response) => Retry::is_retryable_status(response.status()),
        Err(error) => error.is_connect() || error.is_timeout(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
            retry_after(&headers, now)
        };
        assert_eq!(with("60"), Some(Duration::from_secs(60)));
        assert_eq!(with(" 0 "), Some(Duration::ZERO));
        assert_eq!(with("Sun, 06 Nov 1994 08:50:07 GMT"), Some(Duration::from_secs(30)));
        assert_eq!(with("Sun, 06 Nov 1994 08:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(with("soon"), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn back_off_doubles_under_full_jitter_and_respects_the_caps() {
        let retry = Retry {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            ..Retry::default()
        };
        for _ in 0..200 {
            assert!(retry.delay(1, None) <= Duration::from_millis(100));
            assert!(retry.delay(2, None) <= Duration::from_millis(200));
            assert!(retry.delay(3, None) <= Duration::from_millis(350));
            assert!(retry.delay(40, None) <= Duration::from_millis(350));
        }
        // Full jitter: the draws spread over the whole range.
        let draws: Vec<_> = (0..200).map(|_| retry.delay(2, None)).collect();
        assert!(
            draws.iter().any(|d| *d < Duration::from_millis(50))
                && draws.iter().any(|d| *d > Duration::from_millis(150))
        );
        // A server's wait is taken as it is (the total budget decides).
        assert_eq!(retry.delay(1, Some(Duration::from_secs(2))), Duration::from_secs(2));
        assert_eq!(
            retry.delay(3, Some(Duration::from_millis(10))),
            Duration::from_millis(10)
        );
    }

    #[test]
    fn only_the_documented_statuses_are_retried() {
        let retried: Vec<u16> = (400..600)
            .filter(|s| Retry::is_retryable_status(StatusCode::from_u16(*s).unwrap()))
            .collect();
        assert_eq!(retried, [408, 429, 500, 502, 503, 504]);
        assert!(is_idempotent(&Method::GET) && !is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_limiter_spaces_requests_evenly() {
        let limiter = RateLimiter::per_minute(12);
        let start = Instant::now();
        for _ in 0..4 {
            limiter.acquire().await;
        }
        // 12 a minute: one every 5 s; the first goes at once.
        assert_eq!(start.elapsed(), Duration::from_secs(15));
    }
}
