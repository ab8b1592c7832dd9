//! Whether a request to the application's logout endpoint may log the user
//! out: the defence against logout CSRF.
//!
//! Any page on the web can make the browser send a request to the logout
//! route with the user's cookies — `<img src="https://app.example/logout">`,
//! an auto-submitting cross-site form — and an endpoint that obeys logs its
//! users out at an attacker's will (often the first step of a login-CSRF
//! that signs the victim into the attacker's account). The decision here
//! uses only what the browser itself writes and a page cannot forge: the
//! [Fetch Metadata] headers (`Sec-Fetch-Site`, `Sec-Fetch-Mode`,
//! `Sec-Fetch-Dest`) and `Origin` ([RFC 6454 §7], [Fetch §3.1]), compared
//! with the configured [`AppOrigin`]. `Host` is never read: it is whatever
//! the client sent.
//!
//! The rules, in order ([`check_cross_site`]):
//!
//! 1. **Methods.** `POST` and `GET` only (exact, upper case; RFC 9110 §9.1:
//!    methods are case-sensitive, and `fetch` upper-cases the standard
//!    ones). Anything else is [`Refusal::Method`] (405, `Allow: GET, POST`).
//! 2. **`Origin`**, when present, must be exactly the app's origin; `null`
//!    (sandboxed frames, `data:` pages, a cross-origin redirect on the way)
//!    is refused like any other origin.
//! 3. **`Sec-Fetch-Site: cross-site`** is refused whatever the method; a
//!    value other than the four the standard defines is refused too.
//! 4. **`POST`** (a logout form on the app's own pages, or `fetch` from
//!    them) proceeds when it is same-origin: `Origin` equal to the app's
//!    origin (all current browsers send it on every `POST`), or, without
//!    `Origin`, `Sec-Fetch-Site: same-origin`. A `same-site` `POST` — from a
//!    sibling subdomain, which may host someone else's content — is
//!    refused; so is a `POST` with neither header, which no current browser
//!    sends and which cannot be told apart from an old browser's cross-site
//!    form.
//! 5. **`GET`** changes state, so it proceeds only as a *top-level
//!    navigation* the Fetch Metadata headers prove: `Sec-Fetch-Mode:
//!    navigate` and `Sec-Fetch-Dest: document`. That admits a plain
//!    `<a href="/logout">` and a typed or bookmarked URL (`Sec-Fetch-Site:
//!    none`), and refuses `<img>`, `<script>`, `fetch` (mode `no-cors` or
//!    `cors`) and frames (`Sec-Fetch-Dest: iframe`) — even same-origin ones,
//!    since user content on the app's own pages can embed an image. A
//!    `same-site` navigation (a link on `www.example.com` to
//!    `app.example.com/logout`) proceeds under the default
//!    [`GetPolicy::SameSite`]; [`GetPolicy::SameOrigin`] refuses it and
//!    [`GetPolicy::Never`] refuses every `GET`. A `GET` without Fetch
//!    Metadata (browsers before 2023 for Safari, non-browser clients) is
//!    refused: nothing proves it is not an `<img>`. Apps that must serve
//!    such browsers log out with a `POST` form, which works everywhere.
//!
//! The result is a [`SiteDecision`] with its reason, for the entry's answer
//! (`403`, or `405` for a method) and for its logs.
//!
//! [Fetch Metadata]: https://www.w3.org/TR/fetch-metadata/
//! [RFC 6454 §7]: https://www.rfc-editor.org/rfc/rfc6454#section-7
//! [Fetch §3.1]: https://fetch.spec.whatwg.org/#origin-header

use crate::app_origin::AppOrigin;

/// The methods the logout endpoint accepts, as an `Allow` header value.
pub const ALLOWED_METHODS: &str = "GET, POST";

/// The request headers the decision reads, as the server received them
/// (`None`: the header is absent). `Host` is deliberately not among them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestFacts<'a> {
    /// The request method (`GET`, `POST`, …).
    pub method: &'a str,
    /// `Origin`.
    pub origin: Option<&'a str>,
    /// `Sec-Fetch-Site`.
    pub sec_fetch_site: Option<&'a str>,
    /// `Sec-Fetch-Mode`.
    pub sec_fetch_mode: Option<&'a str>,
    /// `Sec-Fetch-Dest`.
    pub sec_fetch_dest: Option<&'a str>,
}

/// Which `GET` navigations may log the user out (see the
/// [module documentation](crate::cross_site), rule 5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GetPolicy {
    /// Top-level navigations from the app's origin, its site, or the user
    /// (typed URL, bookmark).
    #[default]
    SameSite,
    /// Top-level navigations from the app's origin or the user only.
    SameOrigin,
    /// No `GET` at all: logout is a `POST`.
    Never,
}

/// Why a request may proceed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proceed {
    /// A `POST` from the app's own origin.
    SameOriginPost,
    /// A top-level `GET` navigation from the app's origin, its site or the user.
    Navigation,
}

/// Why a request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The method is neither `GET` nor `POST` (or `GET` under [`GetPolicy::Never`]).
    Method,
    /// `Origin` is present and is not the app's origin.
    OriginMismatch,
    /// `Origin: null`.
    NullOrigin,
    /// `Sec-Fetch-Site: cross-site`.
    CrossSite,
    /// `Sec-Fetch-Site` holds a value the standard does not define.
    UnknownFetchSite,
    /// A `POST` from another origin of the same site.
    SameSitePost,
    /// A `POST` with neither `Origin` nor `Sec-Fetch-Site: same-origin`.
    NoOrigin,
    /// A `GET` that is not a top-level navigation (an image, a script, a
    /// `fetch`, a frame).
    NotNavigation,
    /// A `GET` without the Fetch Metadata headers that would prove a navigation.
    NoFetchMetadata,
    /// A same-site `GET` navigation under [`GetPolicy::SameOrigin`].
    SameSiteNavigation,
}

impl Proceed {
    /// A stable name for logs: `same_origin_post` or `navigation`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Proceed::SameOriginPost => "same_origin_post",
            Proceed::Navigation => "navigation",
        }
    }
}

impl Refusal {
    /// A stable name for logs, such as `cross_site`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Refusal::Method => "method_not_allowed",
            Refusal::OriginMismatch => "origin_mismatch",
            Refusal::NullOrigin => "null_origin",
            Refusal::CrossSite => "cross_site",
            Refusal::UnknownFetchSite => "unknown_fetch_site",
            Refusal::SameSitePost => "same_site_post",
            Refusal::NoOrigin => "no_origin",
            Refusal::NotNavigation => "not_navigation",
            Refusal::NoFetchMetadata => "no_fetch_metadata",
            Refusal::SameSiteNavigation => "same_site_navigation",
        }
    }

    /// The HTTP status to answer with: `405` for a method (with
    /// `Allow:` [`ALLOWED_METHODS`]), `403` for everything else.
    pub const fn status(self) -> u16 {
        match self {
            Refusal::Method => 405,
            _ => 403,
        }
    }

    /// A short English explanation for the `403` page and logs (fixed text;
    /// no request value is ever echoed).
    pub const fn message(self) -> &'static str {
        match self {
            Refusal::Method => "logout accepts GET (a top-level navigation) and POST only",
            Refusal::OriginMismatch => "the request comes from another origin than appOrigin",
            Refusal::NullOrigin => "the request comes from an opaque origin (Origin: null)",
            Refusal::CrossSite => "the request comes from another site",
            Refusal::UnknownFetchSite => "the Sec-Fetch-Site header has an unknown value",
            Refusal::SameSitePost => "a POST from another origin of the same site",
            Refusal::NoOrigin => "a POST without Origin or Sec-Fetch-Site: same-origin",
            Refusal::NotNavigation => "a GET logout must be a top-level navigation",
            Refusal::NoFetchMetadata => "a GET logout needs the Sec-Fetch-* headers of a top-level navigation; use a POST form",
            Refusal::SameSiteNavigation => "a GET logout from another origin of the same site",
        }
    }
}

/// The decision on one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum SiteDecision {
    /// Log the user out.
    Proceed(Proceed),
    /// Answer with [`Refusal::status`] and touch nothing (no cookie cleared).
    Refuse(Refusal),
}

impl SiteDecision {
    /// Whether the request may proceed.
    pub const fn is_proceed(self) -> bool {
        matches!(self, SiteDecision::Proceed(_))
    }

    /// The reason's stable name (see [`Proceed::as_str`], [`Refusal::as_str`]).
    pub const fn reason(self) -> &'static str {
        match self {
            SiteDecision::Proceed(p) => p.as_str(),
            SiteDecision::Refuse(r) => r.as_str(),
        }
    }
}

/// `Sec-Fetch-Site`'s values ([Fetch Metadata §2.4]).
///
/// [Fetch Metadata §2.4]: https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FetchSite {
    SameOrigin,
    SameSite,
    CrossSite,
    /// A user-initiated navigation (typed URL, bookmark).
    User,
}

impl FetchSite {
    fn parse(value: &str) -> Option<Self> {
        match value {
            "same-origin" => Some(FetchSite::SameOrigin),
            "same-site" => Some(FetchSite::SameSite),
            "cross-site" => Some(FetchSite::CrossSite),
            "none" => Some(FetchSite::User),
            _ => None,
        }
    }
}

/// A header value without the optional white space HTTP allows around it
/// (RFC 9110 §5.5: SP and HTAB).
fn trimmed(value: Option<&str>) -> Option<&str> {
    value.map(|v| v.trim_matches(|c| c == ' ' || c == '\t'))
}

/// Decides whether a request to the logout endpoint may log the user out,
/// under the default [`GetPolicy::SameSite`] (see the
/// [module documentation](crate::cross_site) for the rules).
///
/// ```
/// use genauth_logout::cross_site::{check_cross_site, Refusal, RequestFacts, SiteDecision};
/// use genauth_logout::{AppOrigin, WhatwgUrl};
///
/// let app = AppOrigin::parse_with("https://app.example.com", &WhatwgUrl)?;
/// let form = RequestFacts {
///     method: "POST",
///     origin: Some("https://app.example.com"),
///     sec_fetch_site: Some("same-origin"),
///     ..RequestFacts::default()
/// };
/// assert!(check_cross_site(&form, &app).is_proceed());
///
/// let attacker = RequestFacts { origin: Some("https://evil.example"), sec_fetch_site: Some("cross-site"), ..form };
/// assert_eq!(check_cross_site(&attacker, &app), SiteDecision::Refuse(Refusal::OriginMismatch));
///
/// let image = RequestFacts {
///     method: "GET",
///     sec_fetch_site: Some("same-origin"),
///     sec_fetch_mode: Some("no-cors"),
///     sec_fetch_dest: Some("image"),
///     ..RequestFacts::default()
/// };
/// assert_eq!(check_cross_site(&image, &app), SiteDecision::Refuse(Refusal::NotNavigation));
/// # Ok::<(), genauth_logout::Error>(())
/// ```
pub fn check_cross_site(request: &RequestFacts<'_>, app: &AppOrigin) -> SiteDecision {
    check_cross_site_with(request, app, GetPolicy::default())
}

/// [`check_cross_site`] with an explicit [`GetPolicy`].
pub fn check_cross_site_with(
    request: &RequestFacts<'_>,
    app: &AppOrigin,
    get: GetPolicy,
) -> SiteDecision {
    use SiteDecision::{Proceed as Go, Refuse as No};
    let post = match request.method {
        "POST" => true,
        "GET" if get != GetPolicy::Never => false,
        _ => return No(Refusal::Method),
    };
    let origin = trimmed(request.origin);
    match origin {
        Some("null") => return No(Refusal::NullOrigin),
        Some(origin) if origin != app.origin() => return No(Refusal::OriginMismatch),
        _ => {}
    }
    let site = match trimmed(request.sec_fetch_site) {
        None => None,
        Some(value) => match FetchSite::parse(value) {
            Some(FetchSite::CrossSite) => return No(Refusal::CrossSite),
            Some(site) => Some(site),
            None => return No(Refusal::UnknownFetchSite),
        },
    };
    if post {
        return match (origin, site) {
            (_, Some(FetchSite::SameSite)) => No(Refusal::SameSitePost),
            // `Origin` was checked above: present means equal.
            (Some(_), _) | (None, Some(FetchSite::SameOrigin)) => Go(Proceed::SameOriginPost),
            (None, _) => No(Refusal::NoOrigin),
        };
    }
    let Some(site) = site else {
        return No(Refusal::NoFetchMetadata);
    };
    let top_level = trimmed(request.sec_fetch_mode) == Some("navigate")
        && trimmed(request.sec_fetch_dest) == Some("document");
    if !top_level {
        return No(Refusal::NotNavigation);
    }
    if site == FetchSite::SameSite && get == GetPolicy::SameOrigin {
        return No(Refusal::SameSiteNavigation);
    }
    Go(Proceed::Navigation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_distinct_name() {
        let all = [
            Refusal::Method,
            Refusal::OriginMismatch,
            Refusal::NullOrigin,
            Refusal::CrossSite,
            Refusal::UnknownFetchSite,
            Refusal::SameSitePost,
            Refusal::NoOrigin,
            Refusal::NotNavigation,
            Refusal::NoFetchMetadata,
            Refusal::SameSiteNavigation,
        ];
        let mut names: alloc::vec::Vec<&str> = all.iter().map(|r| r.as_str()).collect();
        names.push(Proceed::SameOriginPost.as_str());
        names.push(Proceed::Navigation.as_str());
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        for r in all {
            assert_eq!(r.status(), if r == Refusal::Method { 405 } else { 403 });
            assert!(!r.message().is_empty());
        }
    }

    #[test]
    fn fetch_site_values_are_case_sensitive() {
        assert_eq!(FetchSite::parse("same-origin"), Some(FetchSite::SameOrigin));
        assert_eq!(FetchSite::parse("Same-Origin"), None);
        assert_eq!(FetchSite::parse("none"), Some(FetchSite::User));
        assert_eq!(FetchSite::parse("same-origin, cross-site"), None);
    }
}
