//! Where the browser may land after logout: the redirect rules and the
//! open-redirect guard.
//!
//! The source document's front-end logout takes a `redirect_uri` "callback
//! address after logout". A logout link is a favourite open-redirect vector
//! (`?next=https://evil.example`), so a redirect must be an absolute `http:` or
//! `https:` URL with a host and no user info, or — in a browser — a path
//! starting with a single `/`, resolved against the page's origin. Its origin
//! must then be the page's own or one the application allowed.
//!
//! An accepted absolute redirect is returned exactly as the caller wrote it:
//! the hosted logout page compares it, as a string, with the registered list.

use alloc::string::String;
use alloc::vec::Vec;

use crate::domain::{find_byte, is_loopback_host, is_plain_authority, strip_prefix_ignore_case};
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_LIST_LEN, MAX_URL_LEN};
use crate::url_parser::{UrlParser, UrlParts};

const fn invalid(message: &'static str) -> Error {
    Error::new(ErrorCode::InvalidRedirect, message)
}

/// Characters that may not start or end a redirect: the ones `String.prototype.trim`
/// removes (ECMA-262 WhiteSpace and LineTerminator), which a pasted URL often carries.
fn is_js_white_space(c: char) -> bool {
    // ECMA-262 WhiteSpace (TAB, VT, FF, SP, NBSP, ZWNBSP, Zs) and
    // LineTerminator (LF, CR, LS, PS), written out so no Unicode property
    // table is linked into the browser build.
    matches!(
        c,
        '\u{9}'..='\u{d}'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// Refuses what no browser should be sent to by a logout link before any
/// parsing: empty or oversized input, control characters anywhere (the URL
/// parser silently drops tab and newline, so `java\tscript:` would become
/// `javascript:`), and white space at either end.
fn check_characters(redirect: &str) -> Result<()> {
    if redirect.is_empty() {
        return Err(invalid("redirect must not be empty"));
    }
    if redirect.len() > MAX_URL_LEN {
        return Err(invalid("redirect is too long"));
    }
    if redirect.chars().any(char::is_control) {
        return Err(invalid("redirect must not contain control characters"));
    }
    let first = redirect.chars().next();
    let last = redirect.chars().next_back();
    if first.is_some_and(is_js_white_space) || last.is_some_and(is_js_white_space) {
        return Err(invalid("redirect must not start or end with white space"));
    }
    Ok(())
}

/// Whether the parsed URL is one a logout may land on: `http:` or `https:`,
/// with a host, without user info.
fn is_landing_url(parts: &UrlParts) -> bool {
    matches!(parts.protocol(), "https:" | "http:")
        && !parts.hostname().is_empty()
        && parts.username().is_empty()
        && parts.password().is_empty()
}

/// Parses one entry of `allowedRedirectOrigins` into its serialized origin.
/// An entry is an origin (`https://app.example.com`, optionally with a port
/// and a trailing `/`), nothing more: a path would suggest a prefix match we
/// do not make.
pub fn parse_allowed_origin(entry: &str, parser: &impl UrlParser) -> Result<String> {
    let bad = || {
        Error::new(
            ErrorCode::InvalidOption,
            "allowedRedirectOrigins entries must be origins such as https://app.example.com",
        )
    };
    if entry.is_empty()
        || entry.len() > MAX_URL_LEN
        || entry
            .chars()
            .any(|c| c.is_control() || is_js_white_space(c))
    {
        return Err(bad());
    }
    let rest = strip_prefix_ignore_case(entry, "https://")
        .or_else(|| strip_prefix_ignore_case(entry, "http://"))
        .ok_or_else(bad)?;
    if !is_plain_authority(rest.strip_suffix("/").unwrap_or(rest)) {
        return Err(bad());
    }
    let parts = parser.parse(entry).ok_or_else(bad)?;
    if !is_landing_url(&parts) {
        return Err(bad());
    }
    Ok(String::from(parts.origin()))
}

/// Which origins a redirect may have.
///
/// In a browser (`page_origin` set) the page's own origin is always allowed
/// and `allowed` adds more. Outside a browser the list, when given, is
/// enforced; when not given any origin passes, since a server building a URL
/// for a browser has no page origin to compare with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedirectPolicy {
    page_origin: Option<String>,
    allowed: Option<Vec<String>>,
}

impl RedirectPolicy {
    /// A policy with no page origin and no list: any valid absolute redirect passes.
    pub fn new() -> Self {
        RedirectPolicy::default()
    }

    /// Sets the origin of the page doing the logout (`location.origin`).
    /// Relative redirects resolve against it, and it is always allowed.
    pub fn page_origin(mut self, origin: impl Into<String>) -> Self {
        self.page_origin = Some(origin.into());
        self
    }

    /// Sets the allowed origins; each entry is validated and normalised with
    /// [`parse_allowed_origin`].
    pub fn allowed_origins<S: AsRef<str>>(
        mut self,
        entries: &[S],
        parser: &impl UrlParser,
    ) -> Result<Self> {
        if entries.len() > MAX_LIST_LEN {
            return Err(Error::option(
                "allowedRedirectOrigins",
                " has too many entries",
            ));
        }
        let mut allowed = Vec::with_capacity(entries.len());
        for entry in entries {
            allowed.push(parse_allowed_origin(entry.as_ref(), parser)?);
        }
        self.allowed = Some(allowed);
        Ok(self)
    }

    /// The page origin, when in a browser.
    pub fn page(&self) -> Option<&str> {
        self.page_origin.as_deref()
    }

    fn allows(&self, origin: &str) -> bool {
        if self.page_origin.as_deref() == Some(origin) {
            return true;
        }
        match &self.allowed {
            Some(list) => list.iter().any(|allowed| allowed == origin),
            None => self.page_origin.is_none(),
        }
    }

    /// Checks `redirect` and returns the string to send: an absolute redirect
    /// exactly as given, a relative one prefixed with the page origin.
    ///
    /// ```
    /// use genauth_logout::{RedirectPolicy, WhatwgUrl, ErrorCode};
    /// let p = RedirectPolicy::new().page_origin("https://app.example.com");
    /// assert_eq!(p.check("/after", &WhatwgUrl).unwrap(), "https://app.example.com/after");
    /// assert_eq!(p.check("https://evil.example/", &WhatwgUrl).unwrap_err().code(),
    ///            ErrorCode::RedirectNotAllowed);
    /// assert_eq!(p.check("//evil.example/", &WhatwgUrl).unwrap_err().code(),
    ///            ErrorCode::InvalidRedirect);
    /// ```
    pub fn check(&self, redirect: &str, parser: &impl UrlParser) -> Result<String> {
        check_characters(redirect)?;
        if redirect.starts_with("/") {
            return self.check_relative(redirect, parser);
        }
        // The string is sent as written and read again by the hosted page,
        // possibly with a parser other than WHATWG's. Forms that WHATWG
        // forgives but reads differently from RFC 3986 (`https:host`,
        // `https:///host`, `\` for `/` before the query) would make the two disagree about
        // where the user lands, so only the plain form is accepted.
        let after_scheme = strip_prefix_ignore_case(redirect, "https://")
            .or_else(|| strip_prefix_ignore_case(redirect, "http://"))
            .ok_or_else(|| {
                invalid(
                    "redirect must start with https:// or http://, or be a path starting with /",
                )
            })?;
        // In the query and fragment a backslash is just a character.
        let backslash_before_query = redirect
            .bytes()
            .take_while(|&b| b != b'?' && b != b'#')
            .any(|b| b == b'\\');
        if after_scheme.starts_with("/") || backslash_before_query {
            return Err(invalid(
                "redirect has an extra / after the scheme or a \\ before the query",
            ));
        }
        let parts = parser
            .parse(redirect)
            .ok_or_else(|| invalid("redirect is not a valid URL"))?;
        if !is_landing_url(&parts) {
            return Err(invalid("redirect must have a host and no user info"));
        }
        if !self.allows(parts.origin()) {
            return Err(Error::new(
                ErrorCode::RedirectNotAllowed,
                "redirect origin is not the page's origin or in allowedRedirectOrigins",
            ));
        }
        Ok(String::from(redirect))
    }

    fn check_relative(&self, path: &str, parser: &impl UrlParser) -> Result<String> {
        // `//host` and `/\host` are scheme-relative URLs to another host.
        if path.starts_with("//") || path.starts_with("/\\") {
            return Err(invalid("redirect must not start with // or /\\"));
        }
        let Some(page) = self.page_origin.as_deref() else {
            return Err(invalid("a relative redirect needs a browser page"));
        };
        let mut absolute = String::with_capacity(page.len() + path.len());
        absolute.push_str(page);
        absolute.push_str(path);
        let same_origin = parser
            .parse(&absolute)
            .is_some_and(|parts| is_landing_url(&parts) && parts.origin() == page);
        if !same_origin {
            return Err(invalid(
                "relative redirect does not stay on the page's origin",
            ));
        }
        Ok(absolute)
    }
}

/// Whether an endpoint URL (such as `endSessionEndpoint`) is one a logout may
/// be sent to: absolute `https:` (or `http:` on loopback), a host, no user
/// info and no fragment.
pub fn check_endpoint(endpoint: &str, parser: &impl UrlParser) -> Result<()> {
    let bad = || {
        Error::new(
            ErrorCode::InvalidOption,
            "endSessionEndpoint must be an absolute https URL without user info or fragment",
        )
    };
    if endpoint.len() > MAX_URL_LEN || check_characters(endpoint).is_err() {
        return Err(bad());
    }
    let parts = parser.parse(endpoint).ok_or_else(bad)?;
    let secure = parts.protocol() == "https:"
        || (parts.protocol() == "http:" && is_loopback_host(parts.hostname()));
    if !secure
        || !is_landing_url(&parts)
        || !parts.hash().is_empty()
        || find_byte(endpoint, b'#').is_some()
    {
        return Err(bad());
    }
    Ok(())
}
