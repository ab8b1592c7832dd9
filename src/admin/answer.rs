//! Reading the admin API's answer.
//!
//! GenAuth (like Authing) reports failure in the body (`code` other than 200,
//! with `message`), often with HTTP 200, and sometimes with an HTTP error
//! status; both are checked (DESIGN.md, "kickActiveUsers"):
//!
//! | HTTP status | body | result |
//! |---|---|---|
//! | 2xx | object with `code` 200 | `Ok(KickAnswer)` |
//! | 2xx | object with another integer `code` | `api_error` (`apiCode`, server `message`, `status`) |
//! | 2xx | anything else | `invalid_response` (`status`) |
//! | not 2xx | any | `http_error` (`status`; `apiCode` and server `message` when the body has them) |

use alloc::string::String;

use super::json::read_answer;
use super::request::KickActiveUsers;
use super::MAX_SERVER_MESSAGE_LEN;
use crate::error::{Error, ErrorCode, Result};

/// The API's answer to a successful call: `{"code":200,"message":"Forced offline successful"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KickAnswer {
    /// The body `code` (always 200 here).
    pub code: i64,
    /// The body `message` (empty when the server sent none).
    pub message: String,
}

/// The server's message, shortened and with the token removed, or `fallback`.
fn server_message(
    request: &KickActiveUsers,
    message: Option<String>,
    fallback: &'static str,
) -> String {
    let Some(mut text) = message.filter(|m| !m.trim().is_empty()) else {
        return String::from(fallback);
    };
    request.redact(&mut text);
    if text.len() > MAX_SERVER_MESSAGE_LEN {
        let mut end = MAX_SERVER_MESSAGE_LEN;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

impl KickActiveUsers {
    /// Maps an HTTP answer (status and body text) to the result of the call.
    ///
    /// ```
    /// use genauth_logout::admin::AdminConfig;
    /// use genauth_logout::{AppDomain, ErrorCode};
    ///
    /// let config = AdminConfig::new(AppDomain::parse("myapp.genauth.ai")?, "pool", "tok")?;
    /// let request = config.kick_active_users("app", &["u"])?;
    /// let ok = request.parse_answer(200, r#"{"code":200,"message":"Forced offline successful"}"#)?;
    /// assert_eq!(ok.message, "Forced offline successful");
    /// let err = request.parse_answer(200, r#"{"code":403,"message":"Forbidden"}"#).unwrap_err();
    /// assert_eq!((err.code(), err.api_error_code(), err.message()), (ErrorCode::ApiError, Some(403), "Forbidden"));
    /// let err = request.parse_answer(503, "busy").unwrap_err();
    /// assert_eq!((err.code(), err.http_status()), (ErrorCode::HttpError, Some(503)));
    /// # Ok::<(), genauth_logout::Error>(())
    /// ```
    pub fn parse_answer(&self, status: u16, body: &str) -> Result<KickAnswer> {
        let fields = read_answer(body).filter(|f| f.is_object);
        if !(200..300).contains(&status) {
            let (api_code, message) = match fields {
                Some(f) => (f.code.and_then(|c| c.ok()), f.message),
                None => (None, None),
            };
            let mut err = Error::with_message(
                ErrorCode::HttpError,
                server_message(
                    self,
                    message,
                    "the admin API answered with an HTTP error status",
                ),
            )
            .status(status);
            if let Some(code) = api_code {
                err = err.api_code(code);
            }
            return Err(err);
        }
        let Some(fields) = fields else {
            return Err(Error::new(
                ErrorCode::InvalidResponse,
                "the admin API's answer is not a JSON object",
            )
            .status(status));
        };
        match fields.code {
            // A success message gets the same care as an error's: shortened,
            // and never carrying the token back to the caller's logs.
            Some(Ok(200)) => Ok(KickAnswer {
                code: 200,
                message: fields
                    .message
                    .filter(|m| !m.trim().is_empty())
                    .map(|m| server_message(self, Some(m), ""))
                    .unwrap_or_default(),
            }),
            Some(Ok(code)) => Err(Error::with_message(
                ErrorCode::ApiError,
                server_message(self, fields.message, "the admin API refused the request"),
            )
            .status(status)
            .api_code(code)),
            _ => Err(Error::new(
                ErrorCode::InvalidResponse,
                "the admin API's answer has no integer code",
            )
            .status(status)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::AdminConfig;
    use crate::domain::AppDomain;
    use crate::url_parser::{UrlParser, UrlParts};

    struct Plain;
    impl UrlParser for Plain {
        fn parse(&self, _input: &str) -> Option<UrlParts> {
            UrlParts::from_parts([
                "https:",
                "",
                "",
                "t.example",
                "/",
                "",
                "",
                "https://t.example",
            ])
        }
    }

    fn request() -> KickActiveUsers {
        let domain = AppDomain::parse_with("t.example", &Plain).expect("domain");
        AdminConfig::new(domain, "pool", "sekrit-token")
            .and_then(|c| c.kick_active_users("app", &["u"]))
            .expect("request")
    }

    /// (status, body) → (code or "ok", status, apiCode, message)
    #[allow(clippy::type_complexity)]
    const TABLE: &[(u16, &str, &str, Option<u16>, Option<i64>, &str)] = &[
        (
            200,
            r#"{"code":200,"message":"Forced offline successful"}"#,
            "ok",
            None,
            None,
            "Forced offline successful",
        ),
        (
            200,
            r#"{"message":"done","code":200,"data":null}"#,
            "ok",
            None,
            None,
            "done",
        ),
        (201, r#"{"code":200}"#, "ok", None, None, ""),
        (
            200,
            r#"{"code":403,"message":"No permission"}"#,
            "api_error",
            Some(200),
            Some(403),
            "No permission",
        ),
        (
            200,
            r#"{"code":2004,"message":""}"#,
            "api_error",
            Some(200),
            Some(2004),
            "the admin API refused the request",
        ),
        (
            200,
            r#"{"code":-1}"#,
            "api_error",
            Some(200),
            Some(-1),
            "the admin API refused the request",
        ),
        (
            200,
            r#"{"code":"200","message":"x"}"#,
            "invalid_response",
            Some(200),
            None,
            "the admin API's answer has no integer code",
        ),
        (
            200,
            r#"{"code":200.5}"#,
            "invalid_response",
            Some(200),
            None,
            "the admin API's answer has no integer code",
        ),
        (
            200,
            r#"{"message":"x"}"#,
            "invalid_response",
            Some(200),
            None,
            "the admin API's answer has no integer code",
        ),
        (
            200,
            "<html>Bad gateway</html>",
            "invalid_response",
            Some(200),
            None,
            "the admin API's answer is not a JSON object",
        ),
        (
            200,
            "",
            "invalid_response",
            Some(200),
            None,
            "the admin API's answer is not a JSON object",
        ),
        (
            200,
            "[200]",
            "invalid_response",
            Some(200),
            None,
            "the admin API's answer is not a JSON object",
        ),
        (
            401,
            r#"{"code":401,"message":"Invalid token"}"#,
            "http_error",
            Some(401),
            Some(401),
            "Invalid token",
        ),
        (
            400,
            r#"{"code":400,"message":"userIds must be an array"}"#,
            "http_error",
            Some(400),
            Some(400),
            "userIds must be an array",
        ),
        (
            503,
            "Service Unavailable",
            "http_error",
            Some(503),
            None,
            "the admin API answered with an HTTP error status",
        ),
        (
            502,
            "",
            "http_error",
            Some(502),
            None,
            "the admin API answered with an HTTP error status",
        ),
        (
            302,
            "",
            "http_error",
            Some(302),
            None,
            "the admin API answered with an HTTP error status",
        ),
        (
            401,
            r#"{"code":401,"message":"bad token sekrit-token"}"#,
            "http_error",
            Some(401),
            Some(401),
            "bad token [redacted]",
        ),
        (
            200,
            r#"{"code":200,"message":"kicked sekrit-token"}"#,
            "ok",
            None,
            None,
            "kicked [redacted]",
        ),
        (
            200,
            r#"{"code":1,"message":"Bearer sekrit-token"}"#,
            "api_error",
            Some(200),
            Some(1),
            "[redacted]",
        ),
    ];

    #[test]
    fn maps_every_answer() {
        let r = request();
        for &(status, body, code, want_status, api_code, message) in TABLE {
            match r.parse_answer(status, body) {
                Ok(answer) => {
                    assert_eq!(code, "ok", "{status} {body}");
                    assert_eq!(answer.code, 200);
                    assert_eq!(answer.message, message);
                }
                Err(err) => {
                    assert_eq!(err.code().as_str(), code, "{status} {body}");
                    assert_eq!(err.http_status(), want_status, "{status} {body}");
                    assert_eq!(err.api_error_code(), api_code, "{status} {body}");
                    assert_eq!(err.message(), message, "{status} {body}");
                }
            }
        }
    }

    #[test]
    fn shortens_long_server_messages() {
        let body = alloc::format!(r#"{{"code":500,"message":"{}"}}"#, "é".repeat(2000));
        let err = request().parse_answer(200, &body).expect_err("api_error");
        assert!(err.message().len() <= MAX_SERVER_MESSAGE_LEN + 3);
        assert!(err.message().ends_with('…'));
    }
}
