//! A small HTTP/1.1 server side: read one request, write one response, close.
//!
//! Enough of RFC 9112 for browsers, Node's `fetch`, curl and the test suite:
//! `Content-Length` and `chunked` bodies, `Expect: 100-continue`, and no
//! keep-alive (every response carries `Connection: close`). Limits keep a
//! misbehaving client from holding memory: the request head is capped at
//! [`MAX_HEAD_BYTES`] and the body at [`MAX_BODY_BYTES`].

use std::io::{self, Read, Write};

/// Largest request line plus header block accepted (answered 431 beyond).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body accepted (answered 413 beyond). OIDC logout forms
/// carry ID tokens that can exceed 8 KB, so this is generous.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// One parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    /// Method as sent, e.g. `GET`.
    pub method: String,
    /// Path part of the request target, still percent-encoded.
    pub path: String,
    /// Query string without the `?`, still percent-encoded (empty when absent).
    pub query: String,
    /// Header fields in order, names lower-cased, values trimmed.
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

    /// How many times a header field occurs.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
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
        parse_form(&self.query)
    }

    /// Decoded pairs of an `application/x-www-form-urlencoded` body.
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        parse_form(&String::from_utf8_lossy(&self.body))
    }

    /// Whether the `Content-Type` media type equals `media` (parameters ignored).
    pub fn content_type_is(&self, media: &str) -> bool {
        self.header("content-type")
            .map(|ct| ct.split(';').next().unwrap_or("").trim())
            .is_some_and(|ct| ct.eq_ignore_ascii_case(media))
    }
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed (or timed out) before sending a complete request head.
    Closed,
    /// The request is malformed or too large: answer with this status and message.
    Reject(u16, &'static str),
    /// A socket error.
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => ReadError::Closed,
            _ => ReadError::Io(err),
        }
    }
}

/// Buffered reader over the connection that remembers bytes read past the head.
struct Input<'a, S> {
    stream: &'a mut S,
    buf: Vec<u8>,
    pos: usize,
}

impl<S: Read> Input<'_, S> {
    /// Reads more bytes into the buffer; `Ok(0)` at end of stream.
    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 8192];
        let n = self.stream.read(&mut chunk)?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Reads one CRLF (or LF) terminated line of at most `max` bytes.
    fn line(&mut self, max: usize) -> Result<String, ReadError> {
        loop {
            if let Some(i) = self.available().iter().position(|&b| b == b'\n') {
                let raw = &self.buf[self.pos..self.pos + i];
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                let text = String::from_utf8_lossy(raw).into_owned();
                self.pos += i + 1;
                return Ok(text);
            }
            if self.available().len() > max {
                return Err(ReadError::Reject(400, "line too long"));
            }
            if self.fill()? == 0 {
                return Err(ReadError::Reject(400, "truncated body"));
            }
        }
    }

    /// Reads exactly `n` bytes.
    fn take(&mut self, n: usize) -> Result<Vec<u8>, ReadError> {
        while self.available().len() < n {
            if self.fill()? == 0 {
                return Err(ReadError::Reject(400, "truncated body"));
            }
        }
        let out = self.buf[self.pos..self.pos + n].to_vec();
        self.pos += n;
        Ok(out)
    }
}

/// Reads one request from `stream`. Writes `100 Continue` when asked to.
pub fn read_request<S: Read + Write>(stream: &mut S) -> Result<Request, ReadError> {
    let mut input = Input {
        stream,
        buf: Vec::with_capacity(4096),
        pos: 0,
    };

    // Find the end of the head: the first empty line.
    let head_end = loop {
        if let Some(end) = find_head_end(&input.buf) {
            break end;
        }
        if input.buf.len() > MAX_HEAD_BYTES {
            return Err(ReadError::Reject(431, "request head too large"));
        }
        if input.fill()? == 0 {
            return Err(ReadError::Closed);
        }
    };
    if head_end.0 > MAX_HEAD_BYTES {
        return Err(ReadError::Reject(431, "request head too large"));
    }
    let head = String::from_utf8_lossy(&input.buf[..head_end.0]).into_owned();
    input.pos = head_end.1;

    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v), None) if !m.is_empty() && !t.is_empty() => (m, t, v),
        _ => return Err(ReadError::Reject(400, "malformed request line")),
    };
    if !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ReadError::Reject(400, "malformed method"));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(ReadError::Reject(505, "unsupported HTTP version"));
    }
    if !target.starts_with('/') {
        return Err(ReadError::Reject(400, "request target must be a path"));
    }
    let target = target.split('#').next().unwrap_or("");
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.to_string(), String::new()),
    };

    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Reject(400, "malformed header"));
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(ReadError::Reject(400, "malformed header name"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }

    let mut request = Request {
        method: method.to_string(),
        path,
        query,
        headers,
        body: Vec::new(),
    };

    let chunked = match request.header("transfer-encoding") {
        None => false,
        Some(te) if te.eq_ignore_ascii_case("chunked") => true,
        Some(_) => return Err(ReadError::Reject(501, "unsupported transfer-encoding")),
    };
    let length = content_length(&request)?;
    if chunked && length.is_some() {
        return Err(ReadError::Reject(
            400,
            "both content-length and transfer-encoding",
        ));
    }
    if let Some(len) = length {
        if len > MAX_BODY_BYTES {
            return Err(ReadError::Reject(413, "request body too large"));
        }
    }
    let expects_body = chunked || length.is_some_and(|len| len > 0);
    if expects_body
        && request
            .header("expect")
            .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        input.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        input.stream.flush()?;
    }

    if chunked {
        request.body = read_chunked(&mut input)?;
    } else if let Some(len) = length {
        request.body = input.take(len)?;
    }
    Ok(request)
}

/// Position of the blank line ending the head: (end of head, start of body).
fn find_head_end(buf: &[u8]) -> Option<(usize, usize)> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = buf.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) if b < a => Some((b, b + 2)),
        (Some(a), _) => Some((a, a + 4)),
        (None, Some(b)) => Some((b, b + 2)),
        (None, None) => None,
    }
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn content_length(request: &Request) -> Result<Option<usize>, ReadError> {
    let mut found: Option<usize> = None;
    for (name, value) in &request.headers {
        if name != "content-length" {
            continue;
        }
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ReadError::Reject(400, "invalid content-length"));
        }
        // Anything longer than 19 digits is surely too large.
        let len = value.parse::<usize>().unwrap_or(usize::MAX);
        match found {
            Some(prev) if prev != len => {
                return Err(ReadError::Reject(400, "conflicting content-length"))
            }
            _ => found = Some(len),
        }
    }
    Ok(found)
}

fn read_chunked<S: Read>(input: &mut Input<'_, S>) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let line = input.line(1024)?;
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| ReadError::Reject(400, "invalid chunk size"))?;
        if size == 0 {
            // Trailer fields, up to the empty line.
            let mut trailer_bytes = 0;
            loop {
                let trailer = input.line(MAX_HEAD_BYTES)?;
                trailer_bytes += trailer.len();
                if trailer.is_empty() {
                    return Ok(body);
                }
                if trailer_bytes > MAX_HEAD_BYTES {
                    return Err(ReadError::Reject(431, "trailers too large"));
                }
            }
        }
        if body.len().saturating_add(size) > MAX_BODY_BYTES {
            return Err(ReadError::Reject(413, "request body too large"));
        }
        body.extend_from_slice(&input.take(size)?);
        if !input.line(2)?.is_empty() {
            return Err(ReadError::Reject(400, "malformed chunk"));
        }
    }
}

/// One response; `Content-Length` and `Connection: close` are added on write.
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

/// Standard reason phrase for the status codes this server uses.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

/// Writes `response` with `Connection: close`. Header fields whose name or
/// value holds a control character are dropped rather than written, so a
/// value that came from a request can never split the response.
pub fn write_response<W: Write>(out: &mut W, response: &Response) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        let unsafe_char = |c: char| c.is_control() && c != '\t';
        if name.chars().any(unsafe_char) || value.chars().any(unsafe_char) {
            continue;
        }
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("Cache-Control: no-store\r\n");
    head.push_str("X-Content-Type-Options: nosniff\r\n");
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    head.push_str("Connection: close\r\n\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(&response.body)?;
    out.flush()
}

/// Decodes `%XX` escapes (and `+` as space when `plus_as_space`). Malformed
/// escapes are kept literally, as the WHATWG URL standard does; invalid UTF-8
/// becomes U+FFFD.
pub fn percent_decode(input: &str, plus_as_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi * 16 + lo);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' if plus_as_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes like JavaScript's `encodeURIComponent`.
pub fn percent_encode_component(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for &b in input.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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

/// Parses `application/x-www-form-urlencoded` text (also used for queries).
pub fn parse_form(input: &str) -> Vec<(String, String)> {
    input
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(name, true), percent_decode(value, true))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_plus() {
        assert_eq!(
            percent_decode("http%3A%2F%2Fa%2Fb%3Fx%3D1", true),
            "http://a/b?x=1"
        );
        assert_eq!(percent_decode("a+b%20c", true), "a b c");
        assert_eq!(percent_decode("a+b", false), "a+b");
        assert_eq!(percent_decode("%zz%4", true), "%zz%4");
        assert_eq!(percent_decode("%", true), "%");
        assert_eq!(percent_decode("%C3%A9", true), "é");
    }

    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(
            percent_encode_component("a b&c=d/é"),
            "a%20b%26c%3Dd%2F%C3%A9"
        );
        assert_eq!(percent_encode_component("-_.!~*'()"), "-_.!~*'()");
    }

    #[test]
    fn parses_forms() {
        assert_eq!(
            parse_form("a=1&b=x+y&&c&d=%26"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("c".into(), "".into()),
                ("d".into(), "&".into())
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

    /// An in-memory duplex stream for the reader tests.
    struct Duplex {
        input: io::Cursor<Vec<u8>>,
        output: Vec<u8>,
    }

    impl Read for Duplex {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.input.read(buf)
        }
    }

    impl Write for Duplex {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.output.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn read(raw: &[u8]) -> (Result<Request, ReadError>, Vec<u8>) {
        let mut d = Duplex {
            input: io::Cursor::new(raw.to_vec()),
            output: Vec::new(),
        };
        let r = read_request(&mut d);
        (r, d.output)
    }

    #[test]
    fn reads_content_length_body() {
        let (r, _) = read(b"POST /x?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcdef");
        let r = r.expect("parsed");
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/x");
        assert_eq!(r.query, "a=1");
        assert_eq!(r.body, b"abc");
        assert_eq!(r.header("HOST"), Some("h"));
    }

    #[test]
    fn reads_chunked_body_and_answers_expect() {
        let (r, out) = read(
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
        );
        assert_eq!(r.expect("parsed").body, b"abcde");
        assert_eq!(out, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn rejects_bad_requests() {
        let status = |raw: &[u8]| match read(raw).0 {
            Err(ReadError::Reject(s, _)) => s,
            other => panic!("expected a rejection, got {other:?}"),
        };
        assert_eq!(status(b"GET / HTTP/2\r\n\r\n"), 505);
        assert_eq!(status(b"GET http://x/ HTTP/1.1\r\n\r\n"), 400);
        assert_eq!(status(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"), 400);
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            400
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"),
            413
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"),
            400
        );
        assert!(matches!(read(b"GET / HTT").0, Err(ReadError::Closed)));
    }

    #[test]
    fn reads_cookies() {
        let (r, _) =
            read(b"GET / HTTP/1.1\r\nCookie: a=1; genauth_session=abc\r\nCookie: b=2\r\n\r\n");
        let r = r.expect("parsed");
        assert_eq!(r.cookie("genauth_session").as_deref(), Some("abc"));
        assert_eq!(r.cookie("b").as_deref(), Some("2"));
        assert_eq!(r.cookie("c"), None);
    }
}
