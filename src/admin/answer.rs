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
//!
//! The body is read exactly as `JSON.parse` reads it, so every client (the
//! npm entry's `fetch`, the blocking client, yours) and every JavaScript
//! caller who looks at the raw answer agree on what it says: `{"code":2e2}`
//! is the number 200, a repeated name's last value counts, `"\u0063ode"` is
//! `code`. The differential test against Node's `JSON.parse` is
//! `tests/admin/answer-json.test.mjs`.

use alloc::string::String;
use core::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::request::KickActiveUsers;
use super::MAX_SERVER_MESSAGE_LEN;
use crate::error::{Error, ErrorCode, Result};
use crate::text::shortened;

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
    shortened(text, MAX_SERVER_MESSAGE_LEN)
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
        let fields = read_body(body);
        if !(200..300).contains(&status) {
            let (api_code, message) = match fields {
                Some(f) => (f.code.and_then(integer), f.message),
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
        match fields.code.map(|n| (n, integer(n))) {
            // A success message gets the same care as an error's: shortened,
            // and never carrying the token back to the caller's logs.
            Some((200.0, _)) => Ok(KickAnswer {
                code: 200,
                message: fields
                    .message
                    .filter(|m| !m.trim().is_empty())
                    .map(|m| server_message(self, Some(m), ""))
                    .unwrap_or_default(),
            }),
            Some((_, Some(code))) => Err(Error::with_message(
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

/// An answer body's two members, as `JSON.parse(body)` would show them.
#[derive(Debug, Default, PartialEq)]
struct Fields {
    /// `code`, when it is a number: the value `JSON.parse` gives it.
    code: Option<f64>,
    /// `message`, when it is a string (lone surrogates, which a JavaScript
    /// string can hold and a Rust one cannot, read as U+FFFD).
    message: Option<String>,
}

/// Reads `body` the way `JSON.parse` does and keeps `code` and `message`
/// when it is an object; `None` when it is not JSON or not an object.
///
/// What `JSON.parse` accepts, this accepts: any JSON number (`200.0`,
/// `2e2`, `2.00E+2`, `20000e-2` are all 200; `1e400` is a number too big to
/// be an integer code), escaped keys (`"\u0063ode"` is `code`), a repeated
/// key (the last one wins), lone surrogates in strings, and nesting of any
/// depth in the members we skip. serde_json checks the grammar; the values
/// we keep are read from their raw text, because converting a number in
/// serde_json fails where `JSON.parse` gives `Infinity`, and a string with a
/// lone surrogate fails where `JSON.parse` keeps it.
fn read_body(body: &str) -> Option<Fields> {
    serde_json::from_str::<Answer>(body).ok()?.0
}

/// The whole body: `Some` for an object.
struct Answer(Option<Fields>);

impl<'de> de::Deserialize<'de> for Answer {
    fn deserialize<D: de::Deserializer<'de>>(
        deserializer: D,
    ) -> core::result::Result<Self, D::Error> {
        deserializer.deserialize_any(AnswerVisitor).map(Answer)
    }
}

struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = Option<Fields>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> core::result::Result<Self::Value, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Code => fields.code = number(map.next_value::<&RawValue>()?.get()),
                Key::Message => fields.message = string(map.next_value::<&RawValue>()?.get()),
                Key::Other => drop(map.next_value::<IgnoredAny>()?),
            }
        }
        Ok(Some(fields))
    }

    // Any other JSON text is valid but not an answer; its items are still
    // read to the end, so a malformed one is refused as `JSON.parse` would.
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> core::result::Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> core::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> core::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> core::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> core::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> core::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> core::result::Result<Self::Value, E> {
        Ok(None)
    }
}

/// A member name we keep.
enum Key {
    Code,
    Message,
    Other,
}

/// Reads a member name as bytes, where serde_json decodes escapes and lets
/// lone surrogates through (as `JSON.parse` does; no such name is one we keep).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> core::result::Result<Key, D::Error> {
        deserializer.deserialize_bytes(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> core::result::Result<Key, E> {
        Ok(match name {
            b"code" => Key::Code,
            b"message" => Key::Message,
            _ => Key::Other,
        })
    }
}

/// A raw JSON value's number, as `JSON.parse` converts it: the nearest
/// double, or an infinity past the largest (Rust's float parsing rounds
/// correctly, as ECMAScript's does, and accepts every JSON number).
fn number(raw: &str) -> Option<f64> {
    raw.starts_with(|c: char| c == '-' || c.is_ascii_digit())
        .then(|| raw.parse().ok())
        .flatten()
}

/// A raw JSON value's string, or `None` for another kind of value.
fn string(raw: &str) -> Option<String> {
    if !raw.starts_with('"') {
        return None;
    }
    let bytes = serde_json::from_str::<WtfString>(raw).ok()?.0;
    Some(well_formed(&bytes))
}

/// A JSON string decoded to bytes: UTF-8, with each lone surrogate escape
/// in the 3-byte form UTF-8 would give it were it a character (WTF-8).
struct WtfString(alloc::vec::Vec<u8>);

impl<'de> de::Deserialize<'de> for WtfString {
    fn deserialize<D: de::Deserializer<'de>>(
        deserializer: D,
    ) -> core::result::Result<Self, D::Error> {
        struct Bytes;
        impl Visitor<'_> for Bytes {
            type Value = WtfString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> core::result::Result<WtfString, E> {
                Ok(WtfString(v.into()))
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

/// WTF-8 to UTF-8, each lone surrogate becoming U+FFFD (what JavaScript's
/// `String.prototype.toWellFormed` does).
fn well_formed(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match core::str::from_utf8(bytes) {
            Ok(text) => {
                out.push_str(text);
                return out;
            }
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(core::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                // A surrogate is three bytes (ED A0..BF 80..BF); anything
                // else cannot come out of a `&str` input, but is skipped too.
                let skip = if rest.first() == Some(&0xED) {
                    3
                } else {
                    e.error_len().unwrap_or(1)
                };
                bytes = rest.get(skip..).unwrap_or_default();
            }
        }
    }
}

/// The code as an integer, when `JSON.parse`'s number is one that an `i64`
/// holds exactly (so `apiCode` shows the same value in every client).
fn integer(n: f64) -> Option<i64> {
    // 2^63: every integral double below it in magnitude converts exactly.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (n.is_finite() && n.trunc() == n && n.abs() < LIMIT).then_some(n as i64)
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
    fn reads_the_body_as_json_parse_does() {
        let r = request();
        // Every spelling of the number 200, escaped names, repeated names
        // (the last wins), and what JSON.parse takes that a strict reader
        // might not: a lone surrogate, a number past f64, deep nesting.
        let deep = alloc::format!(
            r#"{{"x":{}1{},"code":200}}"#,
            "[".repeat(5000),
            "]".repeat(5000)
        );
        for body in [
            r#"{"code":200.0}"#,
            r#"{"code":2e2}"#,
            r#"{"code":2.00E+2}"#,
            r#"{"code":20000e-2}"#,
            r#"{"code":200.00000000000000000001}"#,
            r#"{"code":0.2e3}"#,
            r#"{"\u0063ode":200}"#,
            r#"{"code":403,"code":200}"#,
            r#"{"code":"x","code":200}"#,
            r#"{"\ud800":1,"code":200}"#,
            r#"{"code":200,"x":1e400}"#,
            r#"{"code":200,"x":"\udfff"}"#,
            " \t\n\r{\"code\" : 200 } \n",
            &deep,
        ] {
            assert_eq!(r.parse_answer(200, body).map(|a| a.code), Ok(200), "{body}");
        }
        for (body, api) in [
            (r#"{"code":200,"code":403}"#, Some(403)),
            (r#"{"code":-0}"#, Some(0)),
            (r#"{"code":4.03e2}"#, Some(403)),
            (r#"{"code":1e400}"#, None),
            (r#"{"code":-1e400}"#, None),
            (r#"{"code":1e19}"#, None),
            (r#"{"code":200.5}"#, None),
            (r#"{"code":200,"code":null}"#, None),
            (r#"{"Code":200}"#, None),
        ] {
            let err = r.parse_answer(200, body).expect_err(body);
            assert_eq!(err.api_error_code(), api, "{body}");
            let want = if api.is_some() {
                "api_error"
            } else {
                "invalid_response"
            };
            assert_eq!(err.code().as_str(), want, "{body}");
        }
        for body in [
            "\u{feff}{\"code\":200}",
            r#"{"code":200,}"#,
            r#"{"code":0200}"#,
            r#"{"code":+200}"#,
            r#"{"code":200} x"#,
            "{\"code\":200,\"m\":\"\t\"}",
            r#"{"code":200,"m":"\x"}"#,
            r#"{'code':200}"#,
            r#"{"code":.5}"#,
            r#"{"code":1.}"#,
            r#"{"code":NaN}"#,
        ] {
            let err = r.parse_answer(200, body).expect_err(body);
            assert_eq!(
                err.message(),
                "the admin API's answer is not a JSON object",
                "{body}"
            );
        }
        let err = r
            .parse_answer(
                500,
                r#"{"message":"a\ud800b","message":"c\udc00\ud83d\ude00"}"#,
            )
            .expect_err("http_error");
        assert_eq!(err.message(), "c\u{fffd}😀");
        let err = r
            .parse_answer(500, r#"{"code":1e400,"message":"x"}"#)
            .expect_err("http_error");
        assert_eq!((err.api_error_code(), err.message()), (None, "x"));
    }

    #[test]
    fn shortens_long_server_messages() {
        let body = alloc::format!(r#"{{"code":500,"message":"{}"}}"#, "é".repeat(2000));
        let err = request().parse_answer(200, &body).expect_err("api_error");
        assert!(err.message().len() <= MAX_SERVER_MESSAGE_LEN + 3);
        assert!(err.message().ends_with('…'));
    }
}
