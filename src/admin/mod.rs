//! The administrator's force-logout API (source document, "Logout from the
//! back end"): `POST <app>/api/applications/:appId/kick-active-users`.
//!
//! Everything here is transport-free and deterministic: building the request
//! ([`AdminConfig::kick_active_users`] → [`KickActiveUsers`]), reading the
//! answer ([`KickActiveUsers::parse_answer`]) and deciding on retries
//! ([`RetryPolicy`], [`parse_retry_after`]). The npm entry
//! `genauth-logout/admin` (its own crate, which reads the JavaScript options)
//! sends the request with `fetch`; a Rust server can use the blocking
//! `AdminClient` (feature `admin-client`: ureq with rustls, the same retries
//! and time limit) or send it with any HTTP client:
//!
//! ```
//! use genauth_logout::admin::{AdminConfig, KickActiveUsers, RetryPolicy};
//! use genauth_logout::AppDomain;
//!
//! let config = AdminConfig::new(AppDomain::parse("myapp.genauth.ai")?, "pool-1", "admin-token")?;
//! let request = config.kick_active_users("app-1", &["user-1"])?;
//! // send KickActiveUsers::METHOD, request.url(), request.headers(), request.body()
//! // with the HTTP client of your choice, then:
//! let answer = request.parse_answer(200, r#"{"code":200,"message":"Forced offline successful"}"#)?;
//! assert_eq!(answer.code, 200);
//! # let _ = RetryPolicy::new(config.retries());
//! # let _ = KickActiveUsers::METHOD;
//! # Ok::<(), genauth_logout::Error>(())
//! ```
//!
//! The token is a secret: it appears only in the `authorization` header;
//! `Debug` output shows `[redacted]`, error messages never include it, and a
//! server message that echoes it is redacted.

mod answer;
#[cfg(all(feature = "admin-client", not(target_arch = "wasm32")))]
mod blocking;
mod request;
mod retry;

pub use answer::KickAnswer;
#[cfg(all(feature = "admin-client", not(target_arch = "wasm32")))]
pub use blocking::AdminClient;
pub use request::{
    check_app_id, check_user_ids, AdminConfig, KickActiveUsers, RETRIES_RANGE, TIMEOUT_MS_RANGE,
    USER_IDS_SHAPE,
};
pub use retry::{is_retryable, parse_retry_after, RetryPolicy};

/// The error of a call that ran past its time limit (every client: the
/// blocking one and the npm entry's `fetch` loop).
pub const TIMEOUT: crate::Error = crate::Error::new(
    crate::ErrorCode::Timeout,
    "the admin API did not answer within timeoutMs",
);

/// The error of an attempt that got no HTTP answer (every client).
pub const NETWORK: crate::Error = crate::Error::new(
    crate::ErrorCode::NetworkError,
    "the admin API could not be reached (no HTTP answer)",
);

/// The default time limit for one `kickActiveUsers` call, retries included.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// The longest `timeoutMs` accepted (10 minutes).
pub const MAX_TIMEOUT_MS: u32 = 600_000;
/// The default number of retries.
pub const DEFAULT_RETRIES: u32 = 2;
/// The most retries accepted.
pub const MAX_RETRIES: u32 = 10;
/// The most user ids in one call.
pub const MAX_USER_IDS: usize = 1000;
/// The longest user id accepted, in UTF-8 bytes.
pub const MAX_USER_ID_LEN: usize = 1024;
/// The longest application id accepted, in UTF-8 bytes.
pub const MAX_APP_ID_LEN: usize = 1024;
/// The longest user pool id or token accepted, in bytes.
pub const MAX_CREDENTIAL_LEN: usize = 16 * 1024;
/// The longest server message kept in an error, in UTF-8 bytes.
pub const MAX_SERVER_MESSAGE_LEN: usize = 1024;
