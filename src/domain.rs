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
use crate::written::{bare_authority, host_end, is_loopback_host, split_http_scheme};

/// A validated application domain, kept as its serialized origin
/// (`https://myapp.genauth.ai`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppDomain {
    origin: String,
}

impl AppDomain {
    /// Validates an application domain with the given WHATWG URL parser.
    pub fn parse_with(input: &str, parser: &impl UrlParser) -> Result<Self> {
        Ok(Self::check(input, parser)?)
    }

    /// [`AppDomain::parse_with`], reporting a [`Fail`].
    // An inlining hint measured smaller on the benchmark app (README, size).
    #[inline(always)]
    pub(crate) fn check(input: &str, parser: &impl UrlParser) -> Outcome<'static, Self> {
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
        let Some(authority) = bare_authority(rest) else {
            return Err(Fail::new(Msg::AppDomainBare));
        };
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
