//! The application's own origin for code that runs outside a browser page,
//! and where a server-side logout sends the browser (the `303` `Location`).
//!
//! A server that answers a logout request knows nothing trustworthy about
//! its own origin from the request: `Host` (and `request.url`, which is
//! built from it) is whatever the client sent, so "redirect to my own
//! origin" read from a request is an open redirect through host-header
//! injection. The origin is therefore *configured* once, as [`AppOrigin`],
//! and a relative redirect (`/goodbye`) resolves against it, the
//! open-redirect guard treating it as the page's origin — so the server and
//! the hydrated page build the same URL.

use alloc::string::String;

use crate::error::{Error, ErrorCode, Result};
use crate::logout::{LogoutConfig, LogoutParams, LogoutTarget, Method};
use crate::redirect::{allowed_origin, RedirectPolicy};
use crate::url_parser::UrlParser;

/// The application's own origin (`appOrigin`), validated like an entry of
/// `allowedRedirectOrigins`: `http(s)://host[:port]`, optionally with a
/// trailing `/`, nothing more; kept serialized as the WHATWG URL parser
/// writes an origin (lower-case host, no default port), which is also how
/// browsers write the `Origin` request header.
///
/// It is configured, never read from a request: `Host` (and `request.url`,
/// built from it) is whatever the client sent, so "my own origin" taken
/// from a request is an open redirect through host-header injection. A
/// relative redirect resolves against it and the open-redirect guard treats
/// it as the page's origin ([`AppOrigin::logout_target`]); the cross-site
/// check compares `Origin` with it ([`crate::cross_site`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppOrigin {
    origin: String,
}

impl AppOrigin {
    /// Validates `input` with the given WHATWG URL parser; `invalid_option`
    /// when it is not a bare `http:`/`https:` origin.
    ///
    /// ```
    /// use genauth_logout::{AppOrigin, WhatwgUrl};
    /// let o = AppOrigin::parse_with("https://App.Example.com:443/", &WhatwgUrl)?;
    /// assert_eq!(o.origin(), "https://app.example.com");
    /// assert!(AppOrigin::parse_with("https://app.example.com/path", &WhatwgUrl).is_err());
    /// # Ok::<(), genauth_logout::Error>(())
    /// ```
    pub fn parse_with(input: &str, parser: &impl UrlParser) -> Result<Self> {
        match allowed_origin(input, parser) {
            Ok(origin) => Ok(AppOrigin { origin }),
            Err(_) => Err(Error::new(
                ErrorCode::InvalidOption,
                "appOrigin must be an origin such as https://app.example.com (no path, query or user info)",
            )),
        }
    }

    /// [`AppOrigin::parse_with`] with the `url` crate's parser.
    #[cfg(feature = "url")]
    pub fn parse(input: &str) -> Result<Self> {
        Self::parse_with(input, &crate::url_parser::WhatwgUrl)
    }

    /// The serialized origin, such as `https://app.example.com`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// `policy` with this origin as the page's origin: relative redirects
    /// resolve against it and it is always allowed; the allowed list, if
    /// any, is kept. (A page origin already in `policy` is replaced: on a
    /// server there is no page, only the configured origin.)
    pub fn redirect_policy(&self, policy: &RedirectPolicy) -> RedirectPolicy {
        RedirectPolicy {
            page_origin: Some(self.origin.clone()),
            allowed: policy.allowed.clone(),
        }
    }

    /// Builds the logout `config` describes, with this origin standing in
    /// for the browser page's (see [`AppOrigin::redirect_policy`]).
    ///
    /// ```
    /// use genauth_logout::{AppDomain, AppOrigin, LogoutConfig, LogoutParams, WhatwgUrl};
    /// let config = LogoutConfig::new(AppDomain::parse("myapp.genauth.ai")?);
    /// let app = AppOrigin::parse("https://app.example.com")?;
    /// let target = app.logout_target(&config, Some("/goodbye"), &LogoutParams::default(), &WhatwgUrl)?;
    /// assert_eq!(
    ///     genauth_logout::see_other_location(&target)?,
    ///     "https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fgoodbye"
    /// );
    /// # Ok::<(), genauth_logout::Error>(())
    /// ```
    pub fn logout_target(
        &self,
        config: &LogoutConfig,
        redirect: Option<&str>,
        params: &LogoutParams<'_>,
        parser: &impl UrlParser,
    ) -> Result<LogoutTarget> {
        let policy = self.redirect_policy(config.policy());
        config
            .clone()
            .redirect_policy(policy)
            .build(redirect, params, parser)
    }
}

/// The `Location` of the `303 See Other` that sends the browser to `target`
/// (RFC 9110 §15.4.4: after a POST, 303 makes the browser follow with a GET).
///
/// Refuses, with `invalid_option`, a form-POST target (it is sent as an
/// auto-submitting form page, not a redirect) and a URL holding anything
/// but visible ASCII: no CR or LF can reach a header, and a configured
/// endpoint with a space or a non-ASCII character is refused rather than
/// sent in a form some clients would rewrite.
pub fn see_other_location(target: &LogoutTarget) -> Result<String> {
    if target.method() == Method::Post {
        return Err(Error::new(
            ErrorCode::InvalidOption,
            "method \"post\" logs out with a form page, not a Location header",
        ));
    }
    let url = target.url();
    if !url.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return Err(Error::new(
            ErrorCode::InvalidOption,
            "the logout URL must be visible ASCII to be a Location header (check endSessionEndpoint)",
        ));
    }
    Ok(url)
}
