//! The application domain: where GenAuth hosts an application's pages.
//!
//! The source document addresses every way out through the application
//! domain (`https://<app>.genauth.ai/...`). We accept exactly a bare origin:
//! `myapp.genauth.ai`, `https://myapp.genauth.ai`, `https://myapp.genauth.ai/`
//! or a custom domain, with `http://` only for loopback hosts. A path, query,
//! fragment or user info would be silently dropped or, worse, shift where the
//! logout lands, so they are refused instead.

use alloc::string::String;

use crate::error::{Fail, Msg, Outcome, Result};
use crate::limits::MAX_URL_LEN;
use crate::url_parser::UrlParser;

/// A validated application domain, kept as its serialized origin
/// (`https://myapp.genauth.ai`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppDomain {
    origin: String,
}

/// Splits a leading `https://` or `http://` (in any ASCII case) from `s`:
/// the scheme in lower case and the rest.
pub(crate) fn split_http_scheme(s: &str) -> Option<(&'static str, &str)> {
    ["https://", "http://"].into_iter().find_map(|scheme| {
        let head = s.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| (scheme, s.get(scheme.len()..).unwrap_or("")))
    })
}

/// The first position of the byte `b` in `s`. (Byte loops rather than the
/// `str` searchers, which would link a general string-search algorithm
/// into the size-bound browser build.)
pub(crate) fn find_byte(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|x| x == b)
}

/// The last position of the byte `b` in `s`.
pub(crate) fn rfind_byte(s: &str, b: u8) -> Option<usize> {
    s.bytes().rposition(|x| x == b)
}

/// Whether a serialized WHATWG host is a loopback host that may use `http:`.
// An inlining hint measured smaller on the benchmark app (README, size).
#[inline(never)]
pub(crate) fn is_loopback_host(hostname: &str) -> bool {
    matches!(hostname, "localhost" | "127.0.0.1" | "[::1]")
}

/// Where the host ends in `authority` (`host[:port]`): after the `]` of an
/// IPv6 address, else at the last `:`.
fn host_end(authority: &str) -> usize {
    if authority.starts_with("[") {
        find_byte(authority, b']').map_or(authority.len(), |i| i + 1)
    } else {
        rfind_byte(authority, b':').unwrap_or(authority.len())
    }
}

/// Whether `authority` is `host[:port]` in the characters a registered domain,
/// an IPv4 address or a bracketed IPv6 address can have. The WHATWG parser
/// would accept more (and rewrite it); we refuse rather than guess.
pub(crate) fn is_plain_authority(authority: &str) -> bool {
    let (host, port) = authority.as_bytes().split_at(host_end(authority));
    // The port: none, or `:` and one to five digits.
    if let Some((&first, digits)) = port.split_first() {
        if first != b':' || digits.is_empty() || digits.len() > 5 {
            return false;
        }
        if !digits.iter().all(u8::is_ascii_digit) {
            return false;
        }
    }
    if let [b'[', v6 @ .., b']'] = host {
        // `[` hex digits, `:` and `.` `]`.
        return !v6.is_empty()
            && v6
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    // Labels: non-empty, not starting or ending with `-`, made of ASCII
    // letters, digits, `-`, `_`, or non-ASCII (internationalized names: the
    // WHATWG parser applies IDNA and refuses what is not a valid name).
    // One pass, remembering the byte before: `.` stands for "a label starts".
    let mut before = b'.';
    for &b in host {
        let ok = match b {
            b'.' => before != b'.' && before != b'-',
            b'-' => before != b'.',
            _ => b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80,
        };
        if !ok {
            return false;
        }
        before = b;
    }
    before != b'.' && before != b'-'
}

impl AppDomain {
    /// Validates an application domain with the given WHATWG URL parser.
    pub fn parse_with(input: &str, parser: &impl UrlParser) -> Result<Self> {
        Ok(Self::check(input, parser)?)
    }

    /// [`AppDomain::parse_with`], reporting a [`Fail`] (for the crate's
    /// WebAssembly entries, see [`crate::entry`]).
    #[doc(hidden)]
    // An inlining hint measured smaller on the benchmark app (README, size).
    #[inline(always)]
    pub fn check(input: &str, parser: &impl UrlParser) -> Outcome<'static, Self> {
        if input.is_empty() || input.len() > MAX_URL_LEN {
            return Err(Fail::new(Msg::AppDomainShape));
        }
        let (scheme, rest) = match split_http_scheme(input) {
            Some(split) => split,
            None if input.as_bytes().windows(3).any(|w| w == b"://") => {
                return Err(Fail::new(Msg::AppDomainHttps))
            }
            None => ("https://", input),
        };
        let authority = rest.strip_suffix("/").unwrap_or(rest);
        if !is_plain_authority(authority) {
            return Err(Fail::new(Msg::AppDomainBare));
        }
        let mut candidate = String::with_capacity(scheme.len() + authority.len() + 1);
        candidate.push_str(scheme);
        candidate.push_str(authority);
        candidate.push_str("/");
        // A plain authority has no `/`, `?`, `#`, `@` or `\\` (and the parser
        // splits on those before it maps non-ASCII characters), so the URL
        // can have no path but `/`, no query, fragment or user info: what is
        // left to check is that the host survived IDNA.
        let parts = parser
            .parse(&candidate)
            .filter(|parts| !parts.hostname().is_empty())
            .ok_or(Fail::new(Msg::AppDomainHost))?;
        let hostname = parts.hostname();
        // An IP address must be written the way the parser writes it back:
        // `127.1`, `0x7f.0.0.1` or `1.2.3` would otherwise be silently
        // rewritten into another host than the one the caller typed.
        let is_ip =
            hostname.starts_with("[") || hostname.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if is_ip {
            // The host as typed: up to `]` for IPv6, else up to the port.
            let typed = authority.get(..host_end(authority)).unwrap_or(authority);
            if !typed.eq_ignore_ascii_case(hostname) {
                return Err(Fail::new(Msg::AppDomainIp));
            }
        }
        if scheme == "http://" && !is_loopback_host(hostname) {
            return Err(Fail::new(Msg::AppDomainHttps));
        }
        Ok(AppDomain {
            origin: String::from(parts.origin()),
        })
    }

    /// Validates an application domain with the `url` crate's parser.
    ///
    /// ```
    /// use genauth_logout::AppDomain;
    /// let d = AppDomain::parse("MyApp.GenAuth.ai/").unwrap();
    /// assert_eq!(d.origin(), "https://myapp.genauth.ai");
    /// assert!(AppDomain::parse("https://myapp.genauth.ai/login").is_err());
    /// assert!(AppDomain::parse("http://myapp.genauth.ai").is_err());
    /// assert!(AppDomain::parse("http://127.0.0.1:8080").is_ok());
    /// ```
    #[cfg(feature = "url")]
    pub fn parse(input: &str) -> Result<Self> {
        Self::parse_with(input, &crate::url_parser::WhatwgUrl)
    }

    /// The serialized origin, such as `https://myapp.genauth.ai`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The personal center (source document, "Logout from the personal
    /// center"): `<origin>/u`.
    pub fn personal_center_url(&self) -> String {
        let mut url = String::with_capacity(self.origin.len() + 2);
        url.push_str(&self.origin);
        url.push_str("/u");
        url
    }
}
