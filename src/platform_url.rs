//! The platform's WHATWG URL parser, for both wasm entries.
//!
//! One call crosses the boundary per parse: `url-parts.js` returns the nine
//! `URL` getters joined by `\n` (which a parsed URL's parts never contain).

use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::url_parser::{UrlParser, UrlParts};

#[wasm_bindgen(module = "/pkg-template/src/url-parts.js")]
extern "C" {
    /// `new URL(input, base || undefined)`'s parts joined by `\n`, or `""`
    /// when parsing fails.
    #[wasm_bindgen(js_name = urlParts)]
    fn url_parts(input: &str, base: &str) -> String;
}

/// `new URL(input, base)` of the JavaScript engine running the module.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlatformUrl;

impl UrlParser for PlatformUrl {
    fn parse(&self, input: &str, base: Option<&str>) -> Option<UrlParts> {
        let joined = url_parts(input, base.unwrap_or(""));
        let mut parts = joined.split('\n').map(String::from);
        let mut next = || parts.next();
        Some(UrlParts {
            protocol: next()?,
            username: next()?,
            password: next()?,
            hostname: next()?,
            host: next()?,
            pathname: next()?,
            search: next()?,
            hash: next()?,
            origin: next()?,
        })
    }
}
