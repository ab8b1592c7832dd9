//! The platform's WHATWG URL parser, for both wasm entries.
//!
//! One call crosses the boundary per parse: `url-parts.js` returns the
//! [`UrlParts`] getters each followed by `\n` (which a parsed URL's parts
//! never contain), or `""` when the URL does not parse.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::url_parser::{UrlParser, UrlParts};

#[wasm_bindgen(module = "/pkg-template/src/url-parts.js")]
extern "C" {
    /// `new URL(input)`'s parts, each followed by `\n`, or `""`.
    #[wasm_bindgen(js_name = urlParts)]
    fn url_parts(input: &str) -> String;
}

/// `new URL(input)` of the JavaScript engine running the module.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlatformUrl;

impl UrlParser for PlatformUrl {
    fn parse(&self, input: &str) -> Option<UrlParts> {
        UrlParts::from_joined(url_parts(input))
    }
}
