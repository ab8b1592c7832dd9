//! A request as the routes see it (head and whole body, read by the server)
//! and the answer they build. The HTTP framing itself — request line,
//! headers, `Content-Length` and `chunked` bodies, `Expect: 100-continue` —
//! is hyper's; this module only holds what the tenant's rules read and write.

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
}
