//! Deleting the application's own cookies at logout.
//!
//! A browser deletes a cookie when a `Set-Cookie` header names a cookie with
//! the same identity — the same name, the same `Domain` (or its absence: a
//! host-only cookie) and the same `Path` ([RFC 6265 §5.3] step 11, kept in
//! [RFC 6265bis §5.7]) — and an expiry in the past. Get either attribute
//! wrong and the header creates a second, already expired cookie while the
//! session cookie survives: the logout "worked" and the user is still signed
//! in. [`ClearCookie`] therefore takes the attributes the cookie was *set*
//! with and writes them back, and refuses, before any header is written,
//! what a browser would ignore:
//!
//! * a name that is not an [RFC 6265 §4.1.1] `token` (RFC 2616 §2.2: no
//!   control characters, no separators such as `;`, `,`, `=` or space);
//! * a `Path` that does not start with `/` (the browser would substitute the
//!   request's directory, [RFC 6265 §5.2.4]), or a `Path`/`Domain` holding
//!   control characters (CR and LF would split the header), `;` or `,`, or
//!   longer than 1024 bytes ([RFC 6265bis §5.6]: longer values are ignored);
//! * the cookie prefixes of [RFC 6265bis §4.1.3], matched as browsers match
//!   them, in any ASCII case: `__Secure-` needs `Secure`; `__Host-` needs
//!   `Secure`, `Path=/` and no `Domain`. The newer `__Http-` and
//!   `__Host-Http-` prefixes of the same draft add `HttpOnly`. A required
//!   attribute that was not given is added; one given as the opposite is
//!   an error.
//! * `SameSite=None` ([RFC 6265bis §5.6.7]) and `Partitioned` (CHIPS) without
//!   `Secure`: browsers drop such cookies.
//!
//! `Path` defaults to `/`, where session cookies live; the browser's own
//! default (the directory of the logout route, `/auth` for `/auth/logout`)
//! would rarely match. `Secure`, `HttpOnly`, `SameSite` and `Partitioned`
//! are written as given (they do not take part in the identity, except that
//! a partitioned cookie is only reached by a `Partitioned` deletion).
//!
//! Every failure is `invalid_option` (the cookie list is an option of the
//! server entry, `clearCookies`); messages name the rule, never the value.
//!
//! [RFC 6265 §4.1.1]: https://www.rfc-editor.org/rfc/rfc6265#section-4.1.1
//! [RFC 6265 §5.2.4]: https://www.rfc-editor.org/rfc/rfc6265#section-5.2.4
//! [RFC 6265 §5.3]: https://www.rfc-editor.org/rfc/rfc6265#section-5.3
//! [RFC 6265bis §4.1.3]: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-4.1.3
//! [RFC 6265bis §5.6]: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-5.6
//! [RFC 6265bis §5.6.7]: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-5.6.7
//! [RFC 6265bis §5.7]: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-5.7

use alloc::string::String;

use crate::error::{Error, ErrorCode, Result};

/// The longest cookie name accepted, in bytes: browsers ignore a cookie
/// whose name and value together exceed 4096 bytes ([RFC 6265bis §5.6]).
///
/// [RFC 6265bis §5.6]: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-5.6
pub const MAX_COOKIE_NAME_LEN: usize = 4096;

/// The longest `Path` or `Domain` accepted, in bytes: browsers ignore a
/// longer attribute value ([RFC 6265bis §5.6]).
///
/// [RFC 6265bis §5.6]: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-5.6
pub const MAX_COOKIE_ATTRIBUTE_LEN: usize = 1024;

/// What every deletion starts with after `name=`: an empty value, expired
/// twice over — `Max-Age=0` for current browsers, an `Expires` date at the
/// epoch for those that predate `Max-Age` ([RFC 6265 §5.2.1], §5.2.2).
///
/// [RFC 6265 §5.2.1]: https://www.rfc-editor.org/rfc/rfc6265#section-5.2.1
pub const EXPIRED: &str = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";

const fn invalid(message: &'static str) -> Error {
    Error::new(ErrorCode::InvalidOption, message)
}

/// The `SameSite` attribute ([RFC 6265bis §4.1.2.7]).
///
/// [RFC 6265bis §4.1.2.7]: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-4.1.2.7
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=None` (needs `Secure`).
    None,
}

impl SameSite {
    /// Parses `strict`, `lax` or `none` in any ASCII case (as browsers read
    /// the attribute, and as server frameworks spell their options).
    pub fn from_name(name: &str) -> Option<Self> {
        [SameSite::Strict, SameSite::Lax, SameSite::None]
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    /// The attribute value as written: `Strict`, `Lax` or `None`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

/// How a cookie was set: the attributes its deletion must repeat.
/// `None` means "not given" (see [`ClearCookie::new`] for the defaults).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CookieSpec<'a> {
    /// The cookie's name.
    pub name: &'a str,
    /// `Path` (default `/`).
    pub path: Option<&'a str>,
    /// `Domain`; absent for a host-only cookie.
    pub domain: Option<&'a str>,
    /// `Secure` (default: on when a prefix, `SameSite=None` or `Partitioned` needs it).
    pub secure: Option<bool>,
    /// `HttpOnly` (default: on when a prefix needs it).
    pub http_only: Option<bool>,
    /// `SameSite`, written only when given.
    pub same_site: Option<SameSite>,
    /// `Partitioned` (CHIPS): the cookie lives in a partitioned jar.
    pub partitioned: bool,
}

impl<'a> CookieSpec<'a> {
    /// A spec with only a name.
    pub const fn named(name: &'a str) -> Self {
        CookieSpec {
            name,
            path: None,
            domain: None,
            secure: None,
            http_only: None,
            same_site: None,
            partitioned: false,
        }
    }
}

/// The requirements a cookie name's prefix puts on its attributes
/// ([RFC 6265bis §4.1.3]).
///
/// [RFC 6265bis §4.1.3]: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-4.1.3
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Prefix {
    secure: bool,
    host: bool,
    http_only: bool,
}

/// Whether `name` starts with `prefix` in any ASCII case.
fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

impl Prefix {
    fn of(name: &str) -> Self {
        let has = |p| starts_with_ignore_case(name, p);
        if has("__Host-Http-") {
            Prefix {
                secure: true,
                host: true,
                http_only: true,
            }
        } else if has("__Host-") {
            Prefix {
                secure: true,
                host: true,
                http_only: false,
            }
        } else if has("__Http-") {
            Prefix {
                secure: true,
                host: false,
                http_only: true,
            }
        } else if has("__Secure-") {
            Prefix {
                secure: true,
                host: false,
                http_only: false,
            }
        } else {
            Prefix::default()
        }
    }
}

/// Whether `b` may appear in an RFC 2616 `token` (RFC 6265 §4.1.1's
/// `cookie-name`): a visible US-ASCII character that is not a separator.
const fn is_tchar(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~'
    ) || b.is_ascii_alphanumeric()
}

/// Whether `name` is a cookie name this module writes: an RFC 6265 token.
///
/// ```
/// use genauth_logout::cookie::is_cookie_name;
/// assert!(is_cookie_name("__Host-session"));
/// assert!(!is_cookie_name("a=b"));
/// assert!(!is_cookie_name("sid\r\nSet-Cookie: x"));
/// ```
pub fn is_cookie_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= MAX_COOKIE_NAME_LEN && name.bytes().all(is_tchar)
}

/// Whether `path` is a `Path` value this module writes: `/` first, then
/// visible ASCII other than `;` and `,` (no space, no control character).
fn is_cookie_path(path: &str) -> bool {
    path.starts_with('/')
        && path.len() <= MAX_COOKIE_ATTRIBUTE_LEN
        && path
            .bytes()
            .all(|b| (0x21..0x7f).contains(&b) && b != b';' && b != b',')
}

/// Whether `domain` is a `Domain` value this module writes: an ASCII host
/// name or IPv4 address (letters, digits, `-`, `_`, non-empty labels), with
/// at most one leading `.` (which browsers ignore, RFC 6265 §5.2.3).
/// Internationalized names must be given in their `xn--` form, as the
/// browser stores them.
fn is_cookie_domain(domain: &str) -> bool {
    let host = domain.strip_prefix('.').unwrap_or(domain);
    !host.is_empty()
        && domain.len() <= MAX_COOKIE_ATTRIBUTE_LEN
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// A validated cookie deletion: a cookie's identity and attributes, ready
/// to be written as a `Set-Cookie` header value.
///
/// ```
/// use genauth_logout::cookie::{ClearCookie, CookieSpec, SameSite};
///
/// let plain = ClearCookie::named("session")?;
/// assert_eq!(
///     plain.header_value(),
///     "session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"
/// );
///
/// let host = ClearCookie::new(&CookieSpec {
///     http_only: Some(true),
///     same_site: Some(SameSite::Lax),
///     ..CookieSpec::named("__Host-sid")
/// })?;
/// assert_eq!(
///     host.header_value(),
///     "__Host-sid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; HttpOnly; SameSite=Lax"
/// );
///
/// // A __Host- cookie never has a Domain: this deletion would be ignored.
/// let err = ClearCookie::new(&CookieSpec { domain: Some("example.com"), ..CookieSpec::named("__Host-sid") });
/// assert_eq!(err.unwrap_err().code(), genauth_logout::ErrorCode::InvalidOption);
/// # Ok::<(), genauth_logout::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearCookie {
    name: String,
    path: String,
    domain: Option<String>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
}

impl ClearCookie {
    /// Validates `spec` (see the [module documentation](crate::cookie) for the rules).
    ///
    /// Defaults: `Path=/`; `Secure` when the name's prefix, `SameSite=None`
    /// or `Partitioned` needs it, else off; `HttpOnly` when the prefix needs
    /// it, else off; no `Domain`, no `SameSite`.
    pub fn new(spec: &CookieSpec<'_>) -> Result<Self> {
        if spec.name.len() > MAX_COOKIE_NAME_LEN {
            return Err(invalid("clearCookies name is too long"));
        }
        if !is_cookie_name(spec.name) {
            return Err(invalid(
                "clearCookies name must be an RFC 6265 token: letters, digits and !#$%&'*+-.^_`|~",
            ));
        }
        let path = spec.path.unwrap_or("/");
        if path.len() > MAX_COOKIE_ATTRIBUTE_LEN
            || spec
                .domain
                .is_some_and(|d| d.len() > MAX_COOKIE_ATTRIBUTE_LEN)
        {
            return Err(invalid(
                "clearCookies path and domain must be at most 1024 bytes",
            ));
        }
        if !is_cookie_path(path) {
            return Err(invalid(
                "clearCookies path must start with / and hold only visible ASCII other than ; and ,",
            ));
        }
        if spec.domain.is_some_and(|d| !is_cookie_domain(d)) {
            return Err(invalid(
                "clearCookies domain must be an ASCII host name such as example.com (xn-- form for international names)",
            ));
        }
        let prefix = Prefix::of(spec.name);
        if prefix.host && (path != "/" || spec.domain.is_some()) {
            return Err(invalid(
                "clearCookies __Host- cookies have Path=/ and no Domain",
            ));
        }
        if prefix.secure && spec.secure == Some(false) {
            return Err(invalid(
                "clearCookies __Secure-, __Host- and __Http- cookies must be Secure",
            ));
        }
        if prefix.http_only && spec.http_only == Some(false) {
            return Err(invalid(
                "clearCookies __Http- and __Host-Http- cookies must be HttpOnly",
            ));
        }
        let same_site_none = spec.same_site == Some(SameSite::None);
        if spec.secure == Some(false) && same_site_none {
            return Err(invalid("clearCookies SameSite=None needs Secure"));
        }
        if spec.secure == Some(false) && spec.partitioned {
            return Err(invalid("clearCookies Partitioned needs Secure"));
        }
        Ok(ClearCookie {
            name: String::from(spec.name),
            path: String::from(path),
            domain: spec.domain.map(String::from),
            secure: spec
                .secure
                .unwrap_or(prefix.secure || same_site_none || spec.partitioned),
            http_only: spec.http_only.unwrap_or(prefix.http_only),
            same_site: spec.same_site,
            partitioned: spec.partitioned,
        })
    }

    /// [`ClearCookie::new`] for a cookie set with only a name (and `Path=/`).
    pub fn named(name: &str) -> Result<Self> {
        Self::new(&CookieSpec::named(name))
    }

    /// The cookie's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The `Path` written.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The `Domain` written, if any.
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// Whether `Secure` is written.
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// Whether `HttpOnly` is written.
    pub fn http_only(&self) -> bool {
        self.http_only
    }

    /// The `SameSite` written, if any.
    pub fn same_site(&self) -> Option<SameSite> {
        self.same_site
    }

    /// Whether `Partitioned` is written.
    pub fn partitioned(&self) -> bool {
        self.partitioned
    }

    /// The `Set-Cookie` header value that deletes the cookie:
    /// `name=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=…`
    /// then `Domain`, `Secure`, `HttpOnly`, `SameSite` and `Partitioned`
    /// when set. Every byte is visible ASCII or a space (no CR, no LF).
    pub fn header_value(&self) -> String {
        let mut out = String::with_capacity(self.name.len() + EXPIRED.len() + self.path.len() + 64);
        out.push_str(&self.name);
        out.push_str("=");
        out.push_str(EXPIRED);
        out.push_str("; Path=");
        out.push_str(&self.path);
        if let Some(domain) = &self.domain {
            out.push_str("; Domain=");
            out.push_str(domain);
        }
        if self.secure {
            out.push_str("; Secure");
        }
        if self.http_only {
            out.push_str("; HttpOnly");
        }
        if let Some(same_site) = self.same_site {
            out.push_str("; SameSite=");
            out.push_str(same_site.as_str());
        }
        if self.partitioned {
            out.push_str("; Partitioned");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tchar_is_exactly_rfc_2616_token() {
        // RFC 2616 §2.2: token = 1*<any CHAR except CTLs or separators>.
        let separators = b"()<>@,;:\\\"/[]?={} \t";
        for b in 0u8..=255 {
            let expected = (0x21..0x7f).contains(&b) && !separators.contains(&b);
            assert_eq!(is_tchar(b), expected, "byte {b:#04x}");
        }
    }

    #[test]
    fn prefixes_match_in_any_ascii_case() {
        assert!(Prefix::of("__HOST-x").host);
        assert!(Prefix::of("__secure-x").secure);
        assert!(!Prefix::of("__secure-x").host);
        assert!(Prefix::of("__host-http-x").http_only);
        assert!(Prefix::of("__Http-x").http_only && !Prefix::of("__Http-x").host);
        assert_eq!(Prefix::of("_Host-x"), Prefix::default());
        assert_eq!(Prefix::of("__Host"), Prefix::default());
        assert_eq!(Prefix::of("x__Host-"), Prefix::default());
    }

    #[test]
    fn same_site_names() {
        assert_eq!(SameSite::from_name("lax"), Some(SameSite::Lax));
        assert_eq!(SameSite::from_name("STRICT"), Some(SameSite::Strict));
        assert_eq!(SameSite::from_name("None"), Some(SameSite::None));
        assert_eq!(SameSite::from_name("no"), None);
        assert_eq!(SameSite::from_name(""), None);
    }
}
