//! A blocking client for Rust servers (feature `admin-client`, native only),
//! built on `ureq` with rustls: the same request, answer table, retry policy
//! and time limit as the npm entry's `AdminClient`.

use alloc::string::String;
use std::io;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{AdminConfig, KickActiveUsers, KickAnswer, RetryPolicy, NETWORK, TIMEOUT};
use crate::error::{Error, ErrorCode, Result};

/// The longest answer body read, in bytes: the API answers a small object.
const MAX_BODY: u64 = 1024 * 1024;

/// Forces users offline from a Rust server.
///
/// ```no_run
/// use genauth_logout::admin::{AdminClient, AdminConfig};
/// use genauth_logout::AppDomain;
///
/// let config = AdminConfig::new(
///     AppDomain::parse("myapp.genauth.ai")?,
///     "your-user-pool-id",
///     &std::env::var("GENAUTH_ADMIN_TOKEN").unwrap_or_default(),
/// )?
/// .with_timeout_ms(5_000)?;
/// let client = AdminClient::new(config);
/// let answer = client.kick_active_users("your-app-id", &["user-id"])?;
/// assert_eq!(answer.code, 200);
/// # Ok::<(), genauth_logout::Error>(())
/// ```
#[derive(Debug)]
pub struct AdminClient {
    config: AdminConfig,
    agent: ureq::Agent,
}

impl AdminClient {
    /// A client with its own connection pool.
    pub fn new(config: AdminConfig) -> Self {
        let agent = ureq::Agent::config_builder()
            // Statuses are answers to read, not transport errors.
            .http_status_as_error(false)
            // A redirect is reported as `http_error`, never followed with the token.
            .max_redirects(0)
            .build()
            .into();
        AdminClient { config, agent }
    }

    /// The settings this client uses.
    pub fn config(&self) -> &AdminConfig {
        &self.config
    }

    /// `POST <app>/api/applications/<appId>/kick-active-users`, retried per
    /// [`RetryPolicy`] within the configured time limit.
    pub fn kick_active_users<S: AsRef<str>>(
        &self,
        app_id: &str,
        user_ids: &[S],
    ) -> Result<KickAnswer> {
        let request = self.config.kick_active_users(app_id, user_ids)?;
        let limit = Duration::from_millis(u64::from(self.config.timeout_ms()));
        let started = Instant::now();
        let policy = RetryPolicy::new(self.config.retries());
        let mut number = 0;
        loop {
            let remaining = limit.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return Err(TIMEOUT);
            }
            let (error, retry_after) = match self.attempt(&request, remaining) {
                Ok((status, retry_after, body)) => match request.parse_answer(status, &body) {
                    Ok(answer) => return Ok(answer),
                    Err(e) => (e, retry_after),
                },
                Err(e) if e.code() == ErrorCode::NetworkError => (e, None),
                Err(e) => return Err(e),
            };
            let remaining = limit.saturating_sub(started.elapsed());
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            let remaining_ms = u64::try_from(remaining.as_millis()).unwrap_or(u64::MAX);
            match policy.delay_after(number, &error, retry_after.as_deref(), now, remaining_ms) {
                None => return Err(error),
                Some(ms) => thread::sleep(Duration::from_millis(ms)),
            }
            number += 1;
        }
    }

    /// One attempt: the status, `Retry-After` and body, or the transport's failure.
    fn attempt(
        &self,
        request: &KickActiveUsers,
        remaining: Duration,
    ) -> Result<(u16, Option<String>, String)> {
        let mut builder = self
            .agent
            .post(request.url())
            .config()
            .timeout_global(Some(remaining))
            .build();
        for (name, value) in request.headers() {
            builder = builder.header(name, value);
        }
        let mut response = builder.send(request.body()).map_err(transport_error)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string();
        match body {
            // Decoded as `fetch`'s `text()` decodes it (UTF-8 decode drops
            // one leading byte order mark), so both clients read the same text.
            Ok(body) => Ok((
                status,
                retry_after,
                match body.strip_prefix('\u{feff}') {
                    Some(rest) => String::from(rest),
                    None => body,
                },
            )),
            // A body too long, or not UTF-8, is an answer we cannot read.
            Err(ureq::Error::BodyExceedsLimit(_)) => Err(Error::new(
                ErrorCode::InvalidResponse,
                "the admin API's answer is too long",
            )
            .status(status)),
            Err(ureq::Error::Io(e)) if e.kind() == io::ErrorKind::InvalidData => Err(Error::new(
                ErrorCode::InvalidResponse,
                "the admin API's answer is not UTF-8 text",
            )
            .status(status)),
            Err(e) => Err(transport_error(e)),
        }
    }
}

/// Maps a transport failure to `timeout` or `network_error`. The transport's
/// own message is not kept: it can quote request details.
fn transport_error(error: ureq::Error) -> Error {
    match error {
        ureq::Error::Timeout(_) => TIMEOUT,
        _ => NETWORK,
    }
}
