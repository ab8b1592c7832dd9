//! The kick-active-users request (source document, "Logout from the back end").
//!
//! `POST <origin>/api/applications/<appId>/kick-active-users` with the headers
//! `x-authing-userpool-id` and `Authorization` and the body
//! `{"userIds":[…],"appId":"…"}`. Everything a transport needs is built here,
//! so the browser-free wasm entry, the blocking Rust client and any HTTP
//! client a server brings send byte-for-byte the same request.

use alloc::string::String;
use core::fmt;

use serde::Serialize;

use super::{
    DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, MAX_APP_ID_LEN, MAX_CREDENTIAL_LEN, MAX_RETRIES,
    MAX_TIMEOUT_MS, MAX_USER_IDS, MAX_USER_ID_LEN,
};
use crate::domain::AppDomain;
use crate::encode::encode_uri_component_into;
use crate::error::{Error, ErrorCode, Result};
use crate::secret::Secret;

const fn invalid(message: &'static str) -> Error {
    Error::new(ErrorCode::InvalidOption, message)
}

/// The error for a `timeoutMs` out of range or not an integer.
pub const TIMEOUT_MS_RANGE: Error =
    invalid("timeoutMs must be an integer from 1 to 600000 (milliseconds)");

/// The error for a `retries` out of range or not an integer.
pub const RETRIES_RANGE: Error = invalid("retries must be an integer from 0 to 10");

/// Whether `value` can travel as an HTTP header value unchanged: printable
/// ASCII, no leading or trailing white space. Anything else would be
/// rejected by `fetch` with an error that quotes the value (a token leak) or
/// silently rewritten by some clients.
fn is_header_safe(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && value.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// The administrator's connection settings: which tenant, which user pool, which token.
#[derive(Clone, PartialEq, Eq)]
pub struct AdminConfig {
    app_domain: AppDomain,
    user_pool_id: String,
    authorization: Secret,
    timeout_ms: u32,
    retries: u32,
}

impl fmt::Debug for AdminConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminConfig")
            .field("app_domain", &self.app_domain.origin())
            .field("user_pool_id", &self.user_pool_id)
            .field("token", &self.authorization)
            .field("timeout_ms", &self.timeout_ms)
            .field("retries", &self.retries)
            .finish()
    }
}

impl AdminConfig {
    /// Settings with the default timeout (10 s for the whole call) and 2 retries.
    ///
    /// `token` is the user pool administrator's token, sent as the
    /// `Authorization` header: as given when it already has a scheme
    /// (`Bearer abc`), with `Bearer ` in front when it has none.
    pub fn new(app_domain: AppDomain, user_pool_id: &str, token: &str) -> Result<Self> {
        if !is_header_safe(user_pool_id) || user_pool_id.len() > MAX_CREDENTIAL_LEN {
            return Err(invalid(
                "userPoolId must be a non-empty string of printable ASCII characters",
            ));
        }
        if !is_header_safe(token) || token.len() > MAX_CREDENTIAL_LEN {
            return Err(invalid(
                "token must be a non-empty string of printable ASCII characters",
            ));
        }
        let mut authorization = String::with_capacity(token.len() + 7);
        // A scheme is a token68-free word followed by a space (RFC 9110 §11.4);
        // a bare token (a JWT, say) has no space.
        if !token.contains(' ') {
            authorization.push_str("Bearer ");
        }
        authorization.push_str(token);
        Ok(AdminConfig {
            app_domain,
            user_pool_id: user_pool_id.into(),
            authorization: Secret::new(authorization),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            retries: DEFAULT_RETRIES,
        })
    }

    /// Sets the time limit for a whole call, retries and waits included
    /// (1 ms to 10 minutes).
    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> Result<Self> {
        if timeout_ms == 0 || timeout_ms > MAX_TIMEOUT_MS {
            return Err(TIMEOUT_MS_RANGE);
        }
        self.timeout_ms = timeout_ms;
        Ok(self)
    }

    /// Sets how many times a failed attempt is retried (0 to 10).
    pub fn with_retries(mut self, retries: u32) -> Result<Self> {
        if retries > MAX_RETRIES {
            return Err(RETRIES_RANGE);
        }
        self.retries = retries;
        Ok(self)
    }

    /// The tenant.
    pub fn app_domain(&self) -> &AppDomain {
        &self.app_domain
    }

    /// The user pool id sent as `x-authing-userpool-id`.
    pub fn user_pool_id(&self) -> &str {
        &self.user_pool_id
    }

    /// The time limit for a whole call, in milliseconds.
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    /// How many times a failed attempt is retried.
    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// Builds the request that forces `user_ids` offline in application `app_id`.
    ///
    /// ```
    /// use genauth_logout::admin::{AdminConfig, KickActiveUsers};
    /// use genauth_logout::AppDomain;
    ///
    /// let config = AdminConfig::new(AppDomain::parse("myapp.genauth.ai")?, "pool-1", "tok")?;
    /// let request = config.kick_active_users("app/1", &["user-a"])?;
    /// assert_eq!(KickActiveUsers::METHOD, "POST");
    /// assert_eq!(request.url(), "https://myapp.genauth.ai/api/applications/app%2F1/kick-active-users");
    /// assert_eq!(request.body(), r#"{"userIds":["user-a"],"appId":"app/1"}"#);
    /// let headers: Vec<_> = request.headers().collect();
    /// assert_eq!(headers[2], ("authorization", "Bearer tok"));
    /// # Ok::<(), genauth_logout::Error>(())
    /// ```
    pub fn kick_active_users<S: AsRef<str>>(
        &self,
        app_id: &str,
        user_ids: &[S],
    ) -> Result<KickActiveUsers> {
        let segment = app_id_segment(app_id)?;
        check_user_ids(user_ids)?;
        let origin = self.app_domain.origin();
        let mut url = String::with_capacity(origin.len() + segment.len() + 40);
        url.push_str(origin);
        url.push_str("/api/applications/");
        url.push_str(&segment);
        url.push_str("/kick-active-users");

        // serde_json escapes exactly what RFC 8259 §7 requires (`"`, `\`
        // and the control characters) and writes the rest as UTF-8.
        let body = serde_json::to_string(&Body {
            user_ids: user_ids.iter().map(AsRef::as_ref).collect(),
            app_id,
        })
        .map_err(|_| invalid("the request body could not be written"))?;

        Ok(KickActiveUsers {
            url,
            user_pool_id: self.user_pool_id.clone(),
            authorization: self.authorization.clone(),
            body,
        })
    }
}

/// The request body, `{"userIds":[…],"appId":"…"}`, in this key order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    user_ids: alloc::vec::Vec<&'a str>,
    app_id: &'a str,
}

/// Checks an application id: a non-empty string of at most 1024 bytes that
/// stays exactly one segment of the request's path.
///
/// ```
/// use genauth_logout::admin::check_app_id;
/// assert!(check_app_id("app-1").is_ok());
/// assert!(check_app_id("%2e%2e").is_ok()); // sent as %252e%252e: one segment
/// assert!(check_app_id("..").is_err());
/// ```
pub fn check_app_id(app_id: &str) -> Result<()> {
    app_id_segment(app_id).map(drop)
}

/// The path segment `encodeURIComponent(appId)`, refused when a URL parser
/// would not keep it as one segment.
///
/// Percent-encoding leaves no `/`, `\`, `?` or `#` and no white space, but
/// `.` is unreserved: `"."` and `".."` pass through, and the WHATWG path
/// parser (URL Standard, "path state", as every `fetch` and the `url` crate
/// apply it) then drops or climbs over them, sending the administrator's
/// token to another endpoint. The check is made on the encoded segment, so
/// it holds whatever the encoder lets through.
fn app_id_segment(app_id: &str) -> Result<String> {
    if app_id.is_empty() || app_id.len() > MAX_APP_ID_LEN {
        return Err(invalid(
            "appId must be a non-empty string of at most 1024 bytes",
        ));
    }
    let mut segment = String::with_capacity(app_id.len() * 3);
    encode_uri_component_into(app_id, &mut segment);
    if is_dot_segment(&segment) {
        return Err(invalid(
            "appId must not be \".\" or \"..\": it must stay one segment of the request's path",
        ));
    }
    Ok(segment)
}

/// Whether the URL Standard treats `segment` as a single-dot segment (`.`
/// or `%2e`, ASCII case-insensitive) or a double-dot segment (`..`, `.%2e`,
/// `%2e.`, `%2e%2e`).
fn is_dot_segment(segment: &str) -> bool {
    let mut rest = segment.as_bytes();
    let mut dots = 0;
    while !rest.is_empty() {
        if rest[0] == b'.' {
            rest = &rest[1..];
        } else if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"%2e") {
            rest = &rest[3..];
        } else {
            return false;
        }
        dots += 1;
    }
    (1..=2).contains(&dots)
}

/// The error for a `userIds` argument that is not an array of strings.
pub const USER_IDS_SHAPE: Error = invalid(
    "userIds must be a non-empty array of non-empty strings (at most 1000, each at most 1024 bytes)",
);

/// Checks user ids: 1 to 1000 non-empty strings of at most 1024 bytes each.
pub fn check_user_ids<S: AsRef<str>>(user_ids: &[S]) -> Result<()> {
    if user_ids.is_empty()
        || user_ids.len() > MAX_USER_IDS
        || user_ids
            .iter()
            .any(|id| id.as_ref().is_empty() || id.as_ref().len() > MAX_USER_ID_LEN)
    {
        return Err(USER_IDS_SHAPE);
    }
    Ok(())
}

/// One kick-active-users request, ready to send.
///
/// Its `Debug` hides the `authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct KickActiveUsers {
    url: String,
    user_pool_id: String,
    authorization: Secret,
    body: String,
}

impl fmt::Debug for KickActiveUsers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KickActiveUsers")
            .field("url", &self.url)
            .field("user_pool_id", &self.user_pool_id)
            .field("authorization", &self.authorization)
            .field("body", &self.body)
            .finish()
    }
}

impl KickActiveUsers {
    /// The HTTP method.
    pub const METHOD: &'static str = "POST";

    /// `<origin>/api/applications/<encodeURIComponent(appId)>/kick-active-users`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The request headers, lower-case names, in this order: `content-type`,
    /// `x-authing-userpool-id`, `authorization`.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("content-type", "application/json"),
            ("x-authing-userpool-id", self.user_pool_id.as_str()),
            ("authorization", self.authorization.expose()),
        ]
        .into_iter()
    }

    /// The JSON body `{"userIds":[…],"appId":"…"}`.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Removes the token from `text` (see [`AdminConfig`]).
    pub(crate) fn redact(&self, text: &mut String) {
        let full = self.authorization.expose();
        let bare = full.split_once(' ').map_or(full, |(_, rest)| rest);
        for needle in [full, bare] {
            if !needle.is_empty() && text.contains(needle) {
                *text = text.replace(needle, "[redacted]");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_parser::{UrlParser, UrlParts};
    use alloc::vec::Vec;

    fn owned(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| String::from(*s)).collect()
    }

    /// A parser good enough for `https://host/` candidates.
    pub(crate) struct Plain;
    impl UrlParser for Plain {
        fn parse(&self, input: &str) -> Option<UrlParts> {
            let (scheme, rest) = input.split_once("://")?;
            let host = rest.strip_suffix('/')?.to_ascii_lowercase();
            UrlParts::from_parts([
                &alloc::format!("{scheme}:"),
                "",
                "",
                host.split(':').next()?,
                "/",
                "",
                "",
                &alloc::format!("{scheme}://{host}"),
            ])
        }
    }

    fn config(token: &str) -> AdminConfig {
        let domain = AppDomain::parse_with("myapp.genauth.ai", &Plain).expect("domain");
        AdminConfig::new(domain, "pool-1", token).expect("config")
    }

    #[test]
    fn builds_the_documented_request() {
        let r = config("tok")
            .kick_active_users("app-1", &["u1", "u2"])
            .expect("request");
        assert_eq!(
            r.url(),
            "https://myapp.genauth.ai/api/applications/app-1/kick-active-users"
        );
        assert_eq!(
            r.headers().collect::<Vec<_>>(),
            [
                ("content-type", "application/json"),
                ("x-authing-userpool-id", "pool-1"),
                ("authorization", "Bearer tok"),
            ]
        );
        assert_eq!(r.body(), r#"{"userIds":["u1","u2"],"appId":"app-1"}"#);
    }

    #[test]
    fn encodes_the_app_id_as_one_segment_and_escapes_the_body() {
        let r = config("tok")
            .kick_active_users("a/b?c%d#é 😀", &["x\"y\\z\n"])
            .expect("request");
        assert_eq!(
            r.url(),
            "https://myapp.genauth.ai/api/applications/a%2Fb%3Fc%25d%23%C3%A9%20%F0%9F%98%80/kick-active-users"
        );
        assert_eq!(
            r.body(),
            "{\"userIds\":[\"x\\\"y\\\\z\\n\"],\"appId\":\"a/b?c%d#é 😀\"}"
        );
    }

    #[test]
    fn keeps_a_token_that_has_a_scheme() {
        for (token, header) in [
            ("abc.def.ghi", "Bearer abc.def.ghi"),
            ("Bearer abc", "Bearer abc"),
            ("bearer abc", "bearer abc"),
            ("Basic dXNlcjpwYXNz", "Basic dXNlcjpwYXNz"),
        ] {
            let r = config(token)
                .kick_active_users("a", &["u"])
                .expect("request");
            assert_eq!(r.headers().nth(2), Some(("authorization", header)));
        }
    }

    #[test]
    fn refuses_bad_arguments_without_quoting_them() {
        let domain = AppDomain::parse_with("myapp.genauth.ai", &Plain).expect("domain");
        for (pool, token) in [
            ("", "t"),
            ("p", ""),
            ("p", " secret"),
            ("p", "secret\r\nx: y"),
            ("p", "sécret"),
            ("p\n", "t"),
        ] {
            let err = AdminConfig::new(domain.clone(), pool, token).expect_err("refused");
            assert_eq!(err.code(), ErrorCode::InvalidOption);
            assert!(!err.message().contains("secret") && !err.message().contains("sécret"));
        }
        let c = config("t");
        let long = "x".repeat(MAX_USER_ID_LEN + 1);
        let too_many = alloc::vec!["u"; MAX_USER_IDS + 1];
        for (app, ids) in [
            ("", owned(&["u"])),
            ("a", Vec::new()),
            ("a", owned(&["u", ""])),
            ("a", alloc::vec![long]),
            ("a", owned(&too_many)),
        ] {
            assert_eq!(
                c.kick_active_users(app, &ids)
                    .map(drop)
                    .map_err(|e| e.code()),
                Err(ErrorCode::InvalidOption),
                "{app:?}"
            );
        }
        assert!(c
            .kick_active_users("a", &owned(&["u"; MAX_USER_IDS]))
            .is_ok());
        assert_eq!(
            c.clone().with_retries(11).map(drop).map_err(|e| e.code()),
            Err(ErrorCode::InvalidOption)
        );
        assert!(c.clone().with_retries(0).is_ok());
        assert!(c.clone().with_timeout_ms(0).is_err());
        assert!(c.clone().with_timeout_ms(MAX_TIMEOUT_MS + 1).is_err());
        assert_eq!(c.with_timeout_ms(1).map(|c| c.timeout_ms()), Ok(1));
    }

    /// App ids near the dot-segment class: what a WHATWG reader treats as
    /// `.` or `..` (any case of `%2e`), with white space, controls and
    /// separators around, and raw percent-escapes of all of them.
    pub(crate) const DOT_LIKE: &[&str] = &[
        ".",
        "..",
        "...",
        ". ",
        " .",
        ".\t",
        "\t..",
        "..\n",
        "\u{0}.",
        "%2e",
        "%2E",
        ".%2e",
        "%2e.",
        "%2E%2e",
        "%2e%2E",
        "%252e",
        "%2e%2e%2e",
        "./",
        "../",
        "/..",
        "\\..",
        "..\\",
        ".?",
        "..#",
        ";..",
        "..;",
        "..%00",
        "%2e%00",
        "．．",
        "\u{3002}",
        "．",
        "%2f..",
        "..%2f",
        "a/..",
        "../a",
        "%5c..",
        "%2e%2e%2f",
        "%%32e",
        "%u002e",
        "&#46;",
    ];

    #[test]
    fn refuses_app_ids_that_a_url_parser_would_not_keep_as_one_segment() {
        let c = config("t");
        for app in [".", ".."] {
            let err = c.kick_active_users(app, &["u"]).expect_err(app);
            assert_eq!(err.code(), ErrorCode::InvalidOption, "{app:?}");
            assert!(err.message().contains("one segment"), "{}", err.message());
            assert_eq!(
                check_app_id(app).map_err(|e| e.code()),
                Err(ErrorCode::InvalidOption)
            );
        }
        for segment in [".", "..", "%2e", "%2E", ".%2e", "%2e.", "%2E%2e", "%2e%2E"] {
            assert!(is_dot_segment(segment), "{segment}");
        }
        for segment in [
            "",
            "...",
            "%2e%2e%2e",
            "%252e",
            "a.",
            ".a",
            "%2",
            "%2e%2",
            "%2f",
        ] {
            assert!(!is_dot_segment(segment), "{segment}");
        }
        // Everything else in the class is sent, encoded into one segment.
        for app in DOT_LIKE.iter().filter(|a| !matches!(**a, "." | "..")) {
            let r = c.kick_active_users(app, &["u"]).expect(app);
            let segment = r
                .url()
                .strip_prefix("https://myapp.genauth.ai/api/applications/")
                .and_then(|rest| rest.strip_suffix("/kick-active-users"))
                .expect("the documented shape");
            assert!(
                !segment.contains('/') && !is_dot_segment(segment),
                "{app:?}"
            );
        }
    }

    /// The URL as the `url` crate (a WHATWG parser, like every `fetch`)
    /// reads it: unchanged, with exactly the four segments we wrote.
    #[cfg(feature = "url")]
    #[test]
    fn a_whatwg_parser_keeps_every_accepted_app_id_as_one_segment() {
        let c = config("t");
        for app in DOT_LIKE
            .iter()
            .chain(&["app-1", "a/b?c%d #é😀", "%2e%2e/..", "\\"])
        {
            let Ok(r) = c.kick_active_users(app, &["u"]) else {
                assert!(matches!(*app, "." | ".."), "{app:?} refused");
                continue;
            };
            let parsed = url::Url::parse(r.url()).expect("parses");
            assert_eq!(parsed.as_str(), r.url(), "{app:?} was normalised");
            let segments: Vec<_> = parsed.path_segments().expect("segments").collect();
            assert_eq!(segments.len(), 4, "{app:?}");
            assert_eq!(segments[2], crate::encode_uri_component(app), "{app:?}");
        }
    }

    #[test]
    fn debug_output_hides_the_token() {
        let c = config("s3cr3t-token");
        let r = c.kick_active_users("a", &["u"]).expect("request");
        let shown = alloc::format!("{c:?} {r:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("[redacted]"));
        let mut text = String::from("token s3cr3t-token is invalid (Bearer s3cr3t-token)");
        r.redact(&mut text);
        assert_eq!(text, "token [redacted] is invalid ([redacted])");
    }
}
