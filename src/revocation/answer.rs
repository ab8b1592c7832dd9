//! Reading the revocation endpoint's answer (RFC 7009 §2.2, §2.2.1).
//!
//! | HTTP status | body | outcome |
//! |---|---|---|
//! | 200 | ignored (RFC 7009 §2.2) | [`Revoked`](RevocationOutcome::Revoked) — also for a token the server did not know, which is already unusable |
//! | 4xx | an OAuth error object, or anything | [`Refused`](RevocationOutcome::Refused): `error` (`invalid_request`, `invalid_client`, `unsupported_token_type`, …) and `error_description` when the body is such an object; final |
//! | 502, 503, 504 | any | [`Unavailable`](RevocationOutcome::Unavailable) with `Retry-After`: the token must be assumed valid still; retryable (RFC 7009 §2.2.1 names 503; the gateway statuses mean the same) |
//! | other | any | [`Unexpected`](RevocationOutcome::Unexpected): 1xx, other 2xx, 3xx (redirects are not followed: they would re-send the token), other 5xx |

use alloc::string::String;

use super::json::read_error_object;
use super::request::RevocationRequest;
use super::MAX_DESCRIPTION_LEN;
use crate::text::shortened;

/// The longest `error` code kept, in bytes.
const MAX_ERROR_LEN: usize = 128;
/// The longest `Retry-After` value kept, in bytes.
const MAX_RETRY_AFTER_LEN: usize = 64;

/// An OAuth 2.0 error code (RFC 6749 §5.2, RFC 7009 §2.2.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OAuthError {
    /// `invalid_request`: a parameter is missing or malformed.
    InvalidRequest,
    /// `invalid_client`: client authentication failed (usually HTTP 401).
    InvalidClient,
    /// `invalid_grant`.
    InvalidGrant,
    /// `unauthorized_client`: the client may not revoke this token.
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `invalid_scope`.
    InvalidScope,
    /// `unsupported_token_type`: the server cannot revoke this kind of token.
    UnsupportedTokenType,
    /// Another code, as the server wrote it (with any token or secret redacted).
    Other(String),
}

impl OAuthError {
    const KNOWN: [OAuthError; 7] = [
        OAuthError::InvalidRequest,
        OAuthError::InvalidClient,
        OAuthError::InvalidGrant,
        OAuthError::UnauthorizedClient,
        OAuthError::UnsupportedGrantType,
        OAuthError::InvalidScope,
        OAuthError::UnsupportedTokenType,
    ];

    /// The code as the server sent it.
    pub fn as_str(&self) -> &str {
        match self {
            OAuthError::InvalidRequest => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::InvalidGrant => "invalid_grant",
            OAuthError::UnauthorizedClient => "unauthorized_client",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::InvalidScope => "invalid_scope",
            OAuthError::UnsupportedTokenType => "unsupported_token_type",
            OAuthError::Other(code) => code,
        }
    }

    /// The code for `text`: a registered one, or [`OAuthError::Other`].
    fn from_code(text: String) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|known| known.as_str() == text)
            .unwrap_or(OAuthError::Other(text))
    }
}

/// What one revocation request came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevocationOutcome {
    /// HTTP 200: the token is revoked, or was never valid.
    Revoked,
    /// HTTP 4xx: the server refused the request; sending it again changes nothing.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The body's `error`, when the body is a JSON object with one.
        error: Option<OAuthError>,
        /// The body's `error_description` (redacted, at most
        /// [`MAX_DESCRIPTION_LEN`] bytes), when present and well-formed.
        description: Option<String>,
    },
    /// HTTP 502, 503 or 504: not revoked yet; another attempt may succeed.
    Unavailable {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header as received (trimmed), when usable.
        retry_after: Option<String>,
    },
    /// Any other status: not revoked, and not a failure RFC 7009 describes.
    Unexpected {
        /// The HTTP status.
        status: u16,
    },
}

/// Whether every byte of `text` is `NQSCHAR` (RFC 6749 Appendix A:
/// `%x20-21 / %x23-5B / %x5D-7E`), the characters `error` and
/// `error_description` may hold: no control character reaches a log line.
fn is_nqschar(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5b | 0x5d..=0x7e))
}

impl RevocationRequest {
    /// Reads the answer to this request: its HTTP status, its body text and
    /// its `Retry-After` header (see the table in this module's source
    /// and [`RevocationOutcome`]).
    ///
    /// ```
    /// use genauth_logout::revocation::{OAuthError, RevocationConfig, RevocationOutcome, TokenTypeHint};
    /// use genauth_logout::AppDomain;
    ///
    /// let config = RevocationConfig::new(&AppDomain::parse("myapp.genauth.ai")?, "client-1")?;
    /// let request = config.request("rt-1", TokenTypeHint::RefreshToken)?;
    /// assert_eq!(request.read_answer(200, "not even JSON", None), RevocationOutcome::Revoked);
    /// assert_eq!(
    ///     request.read_answer(401, r#"{"error":"invalid_client"}"#, None),
    ///     RevocationOutcome::Refused { status: 401, error: Some(OAuthError::InvalidClient), description: None },
    /// );
    /// assert_eq!(
    ///     request.read_answer(503, "", Some("30")),
    ///     RevocationOutcome::Unavailable { status: 503, retry_after: Some("30".into()) },
    /// );
    /// # Ok::<(), genauth_logout::Error>(())
    /// ```
    pub fn read_answer(
        &self,
        status: u16,
        body: &str,
        retry_after: Option<&str>,
    ) -> RevocationOutcome {
        match status {
            200 => RevocationOutcome::Revoked,
            400..=499 => {
                let fields = read_error_object(body).unwrap_or_default();
                let error = fields
                    .error
                    .filter(|e| !e.is_empty() && e.len() <= MAX_ERROR_LEN && is_nqschar(e))
                    .map(|mut e| {
                        self.redact(&mut e);
                        OAuthError::from_code(e)
                    });
                let description = fields
                    .description
                    .filter(|d| !d.trim().is_empty() && is_nqschar(d))
                    .map(|mut d| {
                        self.redact(&mut d);
                        shortened(d, MAX_DESCRIPTION_LEN)
                    });
                RevocationOutcome::Refused {
                    status,
                    error,
                    description,
                }
            }
            502..=504 => RevocationOutcome::Unavailable {
                status,
                retry_after: retry_after
                    .map(|v| v.trim_matches(|c| c == ' ' || c == '\t'))
                    .filter(|v| {
                        !v.is_empty()
                            && v.len() <= MAX_RETRY_AFTER_LEN
                            && v.bytes().all(|b| (0x20..0x7f).contains(&b))
                    })
                    .map(String::from),
            },
            _ => RevocationOutcome::Unexpected { status },
        }
    }
}

impl RevocationOutcome {
    /// Whether the token is revoked (or was never valid).
    pub fn is_revoked(&self) -> bool {
        matches!(self, RevocationOutcome::Revoked)
    }

    /// Whether sending the same request again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, RevocationOutcome::Unavailable { .. })
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        match self {
            RevocationOutcome::Revoked => 200,
            RevocationOutcome::Refused { status, .. }
            | RevocationOutcome::Unavailable { status, .. }
            | RevocationOutcome::Unexpected { status } => *status,
        }
    }

    /// How long `Retry-After` asks to wait, in milliseconds (delay-seconds
    /// or an HTTP-date, read by [`crate::admin::parse_retry_after`]).
    #[cfg(feature = "admin")]
    pub fn retry_after_ms(&self, now_unix_ms: u64) -> Option<u64> {
        match self {
            RevocationOutcome::Unavailable {
                retry_after: Some(value),
                ..
            } => crate::admin::parse_retry_after(value, now_unix_ms),
            _ => None,
        }
    }

    /// The outcome as a result with the admin API's error codes:
    /// `Revoked` is `Ok`; `Refused` and `Unavailable` are `http_error` with
    /// the status (the message names the OAuth `error` code when it is a
    /// registered one, never the server's description); `Unexpected` is
    /// `invalid_response` for a 2xx, `http_error` otherwise.
    ///
    /// [`crate::admin::is_retryable`] agrees with [`RevocationOutcome::is_retryable`].
    #[cfg(feature = "admin")]
    pub fn into_result(self) -> crate::Result<()> {
        use crate::{Error, ErrorCode};
        match self {
            RevocationOutcome::Revoked => Ok(()),
            RevocationOutcome::Refused { status, error, .. } => {
                let err = match error {
                    Some(code) if !matches!(code, OAuthError::Other(_)) => Error::with_detail(
                        ErrorCode::HttpError,
                        "the revocation endpoint refused the request: ",
                        code.as_str(),
                    ),
                    _ => Error::new(
                        ErrorCode::HttpError,
                        "the revocation endpoint refused the request",
                    ),
                };
                Err(err.status(status))
            }
            RevocationOutcome::Unavailable { status, .. } => Err(Error::new(
                ErrorCode::HttpError,
                "the revocation endpoint is unavailable; the token may still be valid",
            )
            .status(status)),
            RevocationOutcome::Unexpected { status } => Err(Error::new(
                if (200..300).contains(&status) {
                    ErrorCode::InvalidResponse
                } else {
                    ErrorCode::HttpError
                },
                "the revocation endpoint answered with a status RFC 7009 does not describe",
            )
            .status(status)),
        }
    }
}
