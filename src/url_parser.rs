//! The seam between the URL rules and a WHATWG URL parser.
//!
//! The rules in this crate decide on the parts a WHATWG URL parser reports
//! (the same parts as the JavaScript `URL` getters). Where the crate runs in a
//! browser it asks the browser's own `URL`, so the origin we check is the
//! origin the browser will navigate to; natively it asks the `url` crate
//! (feature `url`), which implements the same standard.

use alloc::string::String;

/// The parts of a parsed URL, named after the WHATWG `URL` getters
/// (URL Standard §6.1, "API").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlParts {
    /// `protocol`: the scheme followed by `:`, lower case.
    pub protocol: String,
    /// `username`, percent-encoded as serialized.
    pub username: String,
    /// `password`, percent-encoded as serialized.
    pub password: String,
    /// `hostname`: the serialized host without the port.
    pub hostname: String,
    /// `host`: the serialized host with `:port` when the port is not the default.
    pub host: String,
    /// `pathname`.
    pub pathname: String,
    /// `search`: empty or `?` followed by the query.
    pub search: String,
    /// `hash`: empty or `#` followed by the fragment.
    pub hash: String,
    /// `origin`: the ASCII serialization of the origin (`null` when opaque).
    pub origin: String,
}

/// A WHATWG URL parser.
pub trait UrlParser {
    /// Parses `input`, resolving it against `base` when given; `None` when the
    /// URL Standard's parser returns failure.
    fn parse(&self, input: &str, base: Option<&str>) -> Option<UrlParts>;
}

/// The `url` crate's WHATWG parser.
#[cfg(feature = "url")]
#[derive(Clone, Copy, Debug, Default)]
pub struct WhatwgUrl;

#[cfg(feature = "url")]
impl UrlParser for WhatwgUrl {
    fn parse(&self, input: &str, base: Option<&str>) -> Option<UrlParts> {
        use url::quirks;
        let url = match base {
            Some(base) => url::Url::parse(base).ok()?.join(input).ok()?,
            None => url::Url::parse(input).ok()?,
        };
        Some(UrlParts {
            protocol: quirks::protocol(&url).into(),
            username: quirks::username(&url).into(),
            password: quirks::password(&url).into(),
            hostname: quirks::hostname(&url).into(),
            host: quirks::host(&url).into(),
            pathname: quirks::pathname(&url).into(),
            search: quirks::search(&url).into(),
            hash: quirks::hash(&url).into(),
            origin: quirks::origin(&url),
        })
    }
}
