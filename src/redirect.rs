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

use crate::error::{Fail, Msg, Outcome, Result};
use crate::limits::{MAX_LIST_LEN, MAX_URL_LEN};
use crate::text::find_byte;
use crate::url_parser::{Characters, UrlParser, UrlParts};
use crate::written::{bare_authority, is_loopback_host, is_plainly_written, split_http_scheme};

/// What is wrong with a redirect before any parsing, if anything: empty or
/// oversized input, control characters anywhere (the URL parser silently
/// drops tab and newline, so `java\tscript:` would become `javascript:`), and
/// white space at either end.
// An inlining hint measured smaller on the benchmark app (README, size).
#[inline(never)]
fn character_problem(redirect: &str, parser: &impl UrlParser) -> Option<Msg> {
    if redirect.is_empty() {
        return Some(Msg::RedirectEmpty);
    }
    if redirect.len() > MAX_URL_LEN {
        return Some(Msg::RedirectTooLong);
    }
    match parser.characters(redirect) {
        Characters::Control => Some(Msg::RedirectControl),
        Characters::WhiteSpaceAtEnd => Some(Msg::RedirectWhiteSpace),
        Characters::WhiteSpaceInside | Characters::Clean => None,
    }
}

/// Whether the parsed URL is one a logout may land on: `http:` or `https:`,
/// with a host. (User info is refused in the written form, see
/// [`is_plainly_written`]: a WHATWG parser finds it only after an `@` there.)
fn is_landing_url(parts: &UrlParts) -> bool {
    matches!(parts.protocol(), "https:" | "http:") && !parts.hostname().is_empty()
}

/// Parses one entry of `allowedRedirectOrigins` into its serialized origin.
/// An entry is an origin (`https://app.example.com`, optionally with a port
/// and a trailing `/`), nothing more: a path would suggest a prefix match we
/// do not make.
pub(crate) fn allowed_origin(entry: &str, parser: &impl UrlParser) -> Outcome<'static, String> {
    let clean = parser.characters(entry) == Characters::Clean;
    let authority = match split_http_scheme(entry) {
        Some((_, rest)) if entry.len() <= MAX_URL_LEN && clean => rest,
        _ => "",
    };
    // A bare authority after `http(s)://` leaves no room for user info, a
    // path, a query or a fragment: the parser only has to accept the host.
    match parser.parse(entry) {
        Some(parts) if bare_authority(authority).is_some() && !parts.hostname().is_empty() => {
            Ok(String::from(parts.origin()))
        }
        _ => Err(Fail::new(Msg::AllowedOrigin)),
    }
}

/// Every entry of `allowedRedirectOrigins` serialized (see
/// [`allowed_origin`]); at most [`MAX_LIST_LEN`] entries.
pub(crate) fn allowed_origins<S: AsRef<str>>(
    entries: impl IntoIterator<Item = S>,
    parser: &impl UrlParser,
) -> Outcome<'static, Vec<String>> {
    let mut allowed = Vec::new();
    for entry in entries {
        if allowed.len() == MAX_LIST_LEN {
            return Err(Fail::option("allowedRedirectOrigins", Msg::TooMany));
        }
        allowed.push(allowed_origin(entry.as_ref(), parser)?);
    }
    Ok(allowed)
}

/// Which origins a redirect may have.
///
/// In a browser (`page_origin` set) the page's own origin is always allowed
/// and `allowed` adds more. Outside a browser the list, when given, is
/// enforced; when not given any origin passes, since a server building a URL
/// for a browser has no page origin to compare with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedirectPolicy {
    pub(crate) page_origin: Option<String>,
    pub(crate) allowed: Option<Vec<String>>,
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

    /// Sets the allowed origins: each entry must be an origin
    /// (`https://app.example.com`, optionally with a port and a trailing
    /// `/`, nothing more: a path would suggest a prefix match that is not
    /// made), and is kept serialized (`HTTPS://A.example:443` is
    /// `https://a.example`).
    pub fn allowed_origins<S: AsRef<str>>(
        mut self,
        entries: impl IntoIterator<Item = S>,
        parser: &impl UrlParser,
    ) -> Result<Self> {
        self.allowed = Some(allowed_origins(entries, parser)?);
        Ok(self)
    }

    /// The page origin, when in a browser.
    pub fn page(&self) -> Option<&str> {
        self.page_origin.as_deref()
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
        Ok(check_redirect(
            redirect,
            self.page_origin.as_deref(),
            self.allowed
                .as_deref()
                .map(|list| move |origin: &str| list.iter().any(|allowed| allowed == origin)),
            parser,
        )?)
    }
}

/// [`RedirectPolicy::check`] over borrowed settings: the page origin, and
/// whether a serialized origin is one of the allowed origins (`None`: no
/// list given).
pub(crate) fn check_redirect(
    redirect: &str,
    page: Option<&str>,
    allowed: Option<impl Fn(&str) -> bool>,
    parser: &impl UrlParser,
) -> Outcome<'static, String> {
    if let Some(problem) = character_problem(redirect, parser) {
        return Err(Fail::new(problem));
    }
    let relative = redirect.starts_with("/");
    let absolute = if relative {
        // `//host` and `/\\host` are scheme-relative URLs to another host.
        if redirect.starts_with("//") || redirect.starts_with("/\\") {
            return Err(Fail::new(Msg::RedirectSchemeRelative));
        }
        let Some(page) = page else {
            return Err(Fail::new(Msg::RedirectNeedsPage));
        };
        let mut absolute = String::with_capacity(page.len() + redirect.len());
        absolute.push_str(page);
        absolute.push_str(redirect);
        absolute
    } else {
        if !is_plainly_written(redirect) {
            return Err(Fail::new(Msg::RedirectWritten));
        }
        String::from(redirect)
    };
    let parts = parser
        .parse(&absolute)
        .ok_or(Fail::new(Msg::RedirectUnparsable))?;
    if !is_landing_url(&parts) {
        return Err(Fail::new(Msg::RedirectHost));
    }
    let origin = parts.origin();
    if relative {
        if page != Some(origin) {
            return Err(Fail::new(Msg::RedirectLeavesPage));
        }
    } else if page != Some(origin) {
        let allowed = match allowed {
            Some(is_allowed) => is_allowed(origin),
            None => page.is_none(),
        };
        if !allowed {
            return Err(Fail::new(Msg::RedirectNotAllowed));
        }
    }
    Ok(absolute)
}

/// Whether an endpoint URL (such as `endSessionEndpoint`) is one a logout may
/// be sent to: absolute `https:` (or `http:` on loopback), a host, no user
/// info and no fragment, written in the plain form a redirect must have (see
/// [`RedirectPolicy::check`]). The browser resolves the endpoint against the
/// page (`location.assign`, a form's `action`), where the core reads it
/// without a base: only `https://` or `http://` written out, and no `\\`
/// before the query, make the two the same URL (`https:host/end` would
/// otherwise land on a path of the page's own site).
pub(crate) fn endpoint_problem(endpoint: &str, parser: &impl UrlParser) -> Outcome<'static, ()> {
    match parser.parse(endpoint) {
        Some(parts)
            if character_problem(endpoint, parser).is_none()
                // Written plainly, it parses to `http:` or `https:` with a host.
                && is_plainly_written(endpoint)
                && (parts.protocol() == "https:" || is_loopback_host(parts.hostname()))
                && find_byte(endpoint, b'#').is_none() =>
        {
            Ok(())
        }
        _ => Err(Fail::new(Msg::Endpoint)),
    }
}
