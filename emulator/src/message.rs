//! A request as the routes see it (head and whole body, read by the server)
//! and the answer they build. The HTTP framing itself — request line,
//! headers, `Content-Length` and `chunked` bodies, `Expect: 100-continue` —
//! is hyper's; this module only holds what the tenant's rules read and write,
//! and the helpers both the console routes and the OpenID Connect provider
//! use on them (one parameter, query strings, `Authorization` values).

use genauth_logout::encode_uri_component;
use url::form_urlencoded;

/// One request, read in full.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Method as sent, e.g. `GET`.
    pub method: String,
    /// Path part of the request target, still percent-encoded.
    pub path: String,
    /// Query string without the `?`, still percent-encoded (empty when absent).
    pub query: String,
    /// Header fields in the order received (per name), names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes (de-chunked).
    pub body: Vec<u8>,
}

impl Request {
    /// First value of a header (name is matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Value of a cookie from the `Cookie` header(s).
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim_matches('"').to_string())
    }

    /// Decoded `name=value` pairs of the query string.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        parse_form(self.query.as_bytes())
    }

    /// Decoded pairs of an `application/x-www-form-urlencoded` body.
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        parse_form(&self.body)
    }

    /// Whether the `Content-Type` media type equals `media` (parameters ignored).
    pub fn content_type_is(&self, media: &str) -> bool {
        self.header("content-type")
            .map(|ct| ct.split(';').next().unwrap_or("").trim())
            .is_some_and(|ct| ct.eq_ignore_ascii_case(media))
    }
}

/// One answer. The server adds `Content-Length`, `Connection: close`,
/// `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Header fields in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a status and no body.
    pub fn empty(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// An HTML page.
    pub fn html(status: u16, body: String) -> Self {
        Response::empty(status)
            .header("Content-Type", "text/html; charset=utf-8")
            .with_body(body.into_bytes())
    }

    /// A JSON document.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Response::empty(status)
            .header("Content-Type", "application/json; charset=utf-8")
            .with_body(value.to_string().into_bytes())
    }

    /// A `302 Found` to `location` (made header-safe by [`header_safe_url`]).
    pub fn redirect(location: &str) -> Self {
        Response::empty(302).header("Location", &header_safe_url(location))
    }

    /// Adds a header field.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Replaces the body.
    pub fn with_body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }
}

/// Standard reason phrase of a status code (the fault bodies' default message).
pub fn reason(status: u16) -> &'static str {
    hyper::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Status")
}

/// Escapes spaces, controls and non-ASCII in a URL for a `Location` header;
/// everything else (including existing `%XX`) is left as it is.
pub fn header_safe_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for &b in url.as_bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Parses `application/x-www-form-urlencoded` bytes (also used for queries):
/// `+` is a space, malformed escapes stay as they are, invalid UTF-8 becomes U+FFFD.
pub fn parse_form(input: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(input)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The single value of `name` among `pairs`; `Err` when it is repeated.
/// An empty value counts as absent.
pub fn single(pairs: &[(String, String)], name: &str) -> Result<Option<String>, String> {
    let mut values = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
    let first = values.next();
    if values.next().is_some() {
        return Err(format!("The parameter {name} was given more than once."));
    }
    Ok(first.filter(|v| !v.is_empty()).cloned())
}

/// Appends `name=value` pairs (each value as `encodeURIComponent` writes
/// it) to a URL's query, before any fragment.
pub fn with_params(target: &str, params: &[(&str, &str)]) -> String {
    let (base, fragment) = match target.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (target, None),
    };
    let sep = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", encode_uri_component(value)))
        .collect();
    let mut out = format!("{base}{sep}{}", query.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The credentials of an `Authorization` value when its scheme is
/// `scheme` (compared case-insensitively).
pub fn credentials<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let (given, rest) = value.trim().split_once(' ')?;
    given.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        assert_eq!(
            parse_form(b"a=1&b=x+y&&c&d=%26&e=%zz%4&f=%C3%A9"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("c".into(), "".into()),
                ("d".into(), "&".into()),
                ("e".into(), "%zz%4".into()),
                ("f".into(), "é".into()),
            ]
        );
    }

    #[test]
    fn header_safe_url_escapes_only_unsafe_bytes() {
        assert_eq!(
            header_safe_url("http://a/b c\r\n%41"),
            "http://a/b%20c%0D%0A%41"
        );
    }

    #[test]
    fn reads_cookies_and_content_types() {
        let r = Request {
            headers: vec![
                ("cookie".into(), "a=1; genauth_session=abc".into()),
                ("cookie".into(), "b=2".into()),
                (
                    "content-type".into(),
                    "Application/X-WWW-Form-Urlencoded; charset=utf-8".into(),
                ),
            ],
            ..Request::default()
        };
        assert_eq!(r.cookie("genauth_session").as_deref(), Some("abc"));
        assert_eq!(r.cookie("b").as_deref(), Some("2"));
        assert_eq!(r.cookie("c"), None);
        assert!(r.content_type_is("application/x-www-form-urlencoded"));
        assert!(!r.content_type_is("application/json"));
        assert_eq!(reason(503), "Service Unavailable");
    }

    #[test]
    fn single_refuses_repeats_and_empties() {
        let pairs = vec![
            ("a".to_string(), "1".to_string()),
            ("a".to_string(), "2".to_string()),
            ("b".to_string(), String::new()),
        ];
        assert!(single(&pairs, "a").is_err());
        assert_eq!(single(&pairs, "b"), Ok(None));
        assert_eq!(single(&pairs, "c"), Ok(None));
    }

    #[test]
    fn credentials_parsing() {
        assert_eq!(credentials("Bearer abc", "bearer"), Some("abc"));
        assert_eq!(credentials("bearer  abc ", "bearer"), Some("abc"));
        assert_eq!(credentials("abc", "bearer"), None);
        assert_eq!(credentials("Basic abc", "bearer"), None);
        assert_eq!(credentials("BASIC abc", "basic"), Some("abc"));
    }
}
