//! When to try the admin API again, and how long to wait first.
//!
//! Forcing users offline is idempotent (kicking a user who is already offline
//! changes nothing), so a repeated POST is safe. We retry only what another
//! attempt can fix: no answer at all (`network_error`) and the gateway
//! statuses 502, 503 and 504. A 4xx is the caller's mistake and an API-level
//! `code` is the tenant's decision; repeating either would only repeat it.
//!
//! The wait is deterministic: 250 ms, 500 ms, 1 s, … capped at 8 s, unless the
//! server says otherwise with `Retry-After` (RFC 9110 §10.2.3: delay-seconds
//! or an HTTP-date), which we honour up to 60 s. No jitter: a handful of
//! administrator calls cannot cause a thundering herd, and a fixed schedule
//! keeps the behaviour testable and explainable. All of it stays inside the
//! call's `timeoutMs`: when the next wait would end past the deadline, the
//! last failure is reported instead of a `timeout` that hides its cause.

use crate::error::{Error, ErrorCode};

/// The retry schedule of one admin client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a failed attempt is retried.
    pub retries: u32,
    /// The wait before the first retry, in milliseconds; doubled for each next one.
    pub base_delay_ms: u32,
    /// The longest computed wait, in milliseconds.
    pub max_delay_ms: u32,
    /// The longest wait a `Retry-After` header can ask for, in milliseconds.
    pub max_retry_after_ms: u32,
}

impl RetryPolicy {
    /// The default schedule with `retries` retries.
    pub const fn new(retries: u32) -> Self {
        RetryPolicy {
            retries,
            base_delay_ms: 250,
            max_delay_ms: 8_000,
            max_retry_after_ms: 60_000,
        }
    }

    /// The computed wait before retry number `retry` (0 for the first retry).
    pub fn backoff_ms(&self, retry: u32) -> u32 {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base_delay_ms
            .saturating_mul(factor)
            .min(self.max_delay_ms)
    }

    /// Decides what follows failed attempt number `attempt` (0 for the first).
    ///
    /// `retry_after` is the answer's `Retry-After` header, `now_unix_ms` the
    /// current time (for an HTTP-date) and `remaining_ms` what is left of the
    /// call's time limit. Returns the wait before the next attempt, or `None`
    /// when `error` is final.
    ///
    /// ```
    /// use genauth_logout::admin::RetryPolicy;
    /// use genauth_logout::{Error, ErrorCode};
    ///
    /// let policy = RetryPolicy::new(2);
    /// let busy = Error::new(ErrorCode::HttpError, "busy").status(503);
    /// assert_eq!(policy.delay_after(0, &busy, None, 0, 10_000), Some(250));
    /// assert_eq!(policy.delay_after(1, &busy, Some("3"), 0, 10_000), Some(3_000));
    /// assert_eq!(policy.delay_after(2, &busy, None, 0, 10_000), None); // out of retries
    /// let denied = Error::new(ErrorCode::HttpError, "no").status(401);
    /// assert_eq!(policy.delay_after(0, &denied, None, 0, 10_000), None);
    /// ```
    pub fn delay_after(
        &self,
        attempt: u32,
        error: &Error,
        retry_after: Option<&str>,
        now_unix_ms: u64,
        remaining_ms: u64,
    ) -> Option<u64> {
        if attempt >= self.retries || !is_retryable(error) {
            return None;
        }
        let delay = match retry_after.and_then(|v| parse_retry_after(v, now_unix_ms)) {
            Some(ms) => ms.min(u64::from(self.max_retry_after_ms)),
            None => u64::from(self.backoff_ms(attempt)),
        };
        (delay < remaining_ms).then_some(delay)
    }
}

/// Whether another attempt may succeed where this one failed: no answer, or
/// HTTP 502, 503 or 504.
pub fn is_retryable(error: &Error) -> bool {
    match error.code() {
        ErrorCode::NetworkError => true,
        ErrorCode::HttpError => matches!(error.http_status(), Some(502..=504)),
        _ => false,
    }
}

/// Parses a `Retry-After` value into a wait in milliseconds: delay-seconds
/// (`120`) or an HTTP-date in any of the three formats RFC 9110 §5.6.7 asks
/// recipients to accept (read by `httpdate`). A date in the past means no
/// wait. `None` when the value is neither.
///
/// ```
/// use genauth_logout::admin::parse_retry_after;
/// assert_eq!(parse_retry_after("2", 0), Some(2_000));
/// let now = 784_111_775_000; // Sun, 06 Nov 1994 08:49:35 GMT
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(2_000));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now_unix_ms: u64) -> Option<u64> {
    let value = value.trim_matches(|c| c == ' ' || c == '\t');
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturate: "99999999999999999999" is simply "longer than the cap".
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(seconds.saturating_mul(1000));
    }
    let at = parse_http_date(value)?;
    Some(at.saturating_mul(1000).saturating_sub(now_unix_ms))
}

/// An HTTP-date as seconds since the Unix epoch.
fn parse_http_date(value: &str) -> Option<u64> {
    let at = httpdate::parse_http_date(value).ok()?;
    at.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_exponentially_up_to_the_cap() {
        let p = RetryPolicy::new(10);
        let delays: alloc::vec::Vec<u32> = (0..8).map(|i| p.backoff_ms(i)).collect();
        assert_eq!(delays, [250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(p.backoff_ms(40), 8000);
    }

    #[test]
    fn reads_all_three_http_date_formats() {
        // 784111777 = Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example).
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_http_date(v), Some(784_111_777), "{v}");
        }
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2000 23:59:59 GMT"),
            Some(951_868_799)
        );
        assert_eq!(
            parse_http_date("Fri, 01 Jan 2100 00:00:00 GMT"),
            Some(4_102_444_800)
        );
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 November 1994 08:49:37 GMT",
            "Sun, 29 Feb 1900 08:49:37 GMT",
            "Sun, 31 Apr 2020 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            // A weekday that is not that date's.
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1969 00:00:00 GMT x",
            "1994-11-06T08:49:37Z",
            "",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_retry_after() {
        let now = 784_111_777_000;
        assert_eq!(parse_retry_after("0", now), Some(0));
        assert_eq!(parse_retry_after(" 5 ", now), Some(5_000));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(u64::MAX)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(3_000)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:30 GMT", now),
            Some(0)
        );
        for bad in ["-1", "1.5", "+3", "3s", "soon", ""] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn retries_only_what_another_attempt_can_fix() {
        let p = RetryPolicy::new(3);
        let http = |s| Error::new(ErrorCode::HttpError, "x").status(s);
        let retried = [
            Error::new(ErrorCode::NetworkError, "x"),
            http(502),
            http(503),
            http(504),
        ];
        for e in &retried {
            assert_eq!(p.delay_after(0, e, None, 0, 60_000), Some(250), "{e}");
            assert_eq!(p.delay_after(2, e, None, 0, 60_000), Some(1_000), "{e}");
            assert_eq!(p.delay_after(3, e, None, 0, 60_000), None, "{e}");
        }
        let final_ = [
            http(400),
            http(401),
            http(403),
            http(404),
            http(429),
            http(500),
            http(501),
            http(505),
            Error::new(ErrorCode::ApiError, "x")
                .status(200)
                .api_code(503),
            Error::new(ErrorCode::InvalidResponse, "x"),
            Error::new(ErrorCode::Timeout, "x"),
            Error::new(ErrorCode::Aborted, "x"),
            Error::new(ErrorCode::InvalidOption, "x"),
        ];
        for e in &final_ {
            assert_eq!(p.delay_after(0, e, Some("1"), 0, 60_000), None, "{e}");
        }
        assert_eq!(
            RetryPolicy::new(0).delay_after(0, &retried[0], None, 0, 60_000),
            None
        );
    }

    #[test]
    fn honours_retry_after_within_the_cap_and_the_deadline() {
        let p = RetryPolicy::new(2);
        let busy = Error::new(ErrorCode::HttpError, "x").status(503);
        assert_eq!(p.delay_after(0, &busy, Some("2"), 0, 60_000), Some(2_000));
        assert_eq!(p.delay_after(0, &busy, Some("0"), 0, 60_000), Some(0));
        assert_eq!(
            p.delay_after(0, &busy, Some("3600"), 0, 600_000),
            Some(60_000)
        );
        assert_eq!(
            p.delay_after(0, &busy, Some("garbage"), 0, 60_000),
            Some(250)
        );
        let now = 784_111_777_000;
        assert_eq!(
            p.delay_after(0, &busy, Some("Sun, 06 Nov 1994 08:49:39 GMT"), now, 60_000),
            Some(2_000)
        );
        // A wait that would end past the call's deadline: report the 503 now.
        assert_eq!(p.delay_after(0, &busy, Some("5"), 0, 4_000), None);
        assert_eq!(p.delay_after(0, &busy, None, 0, 250), None);
        assert_eq!(p.delay_after(0, &busy, None, 0, 251), Some(250));
    }
}
