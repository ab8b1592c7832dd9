//! The platform's WHATWG URL parser and string primitives, for both wasm
//! entries.
//!
//! Everything crosses the boundary through one import, `platform.js`'s
//! `platform(op, input)`: op 0 returns the [`UrlParts`] getters each
//! followed by `\n` (which a parsed URL's parts never contain), or `""` when
//! the URL does not parse; op 1 returns `encodeURIComponent(input)`; op 2
//! classifies control characters and white space (see [`Characters`]).

use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::url_parser::{Characters, UrlParser, UrlParts};

#[wasm_bindgen(module = "/pkg-template/src/platform.js")]
extern "C" {
    /// One of the platform's answers about `input`, per `op` (see above).
    fn platform(op: u32, input: &str) -> String;
}

/// The JavaScript engine running the module: its `new URL(input)`, its
/// `encodeURIComponent` and its regular expressions' `\s` and `\p{Cc}`.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlatformUrl;

impl UrlParser for PlatformUrl {
    // An inlining hint measured smaller on the benchmark app (README, size).
    #[inline(always)]
    fn parse(&self, input: &str) -> Option<UrlParts> {
        UrlParts::from_platform(platform(0, input))
    }

    fn encode_uri_component_into(&self, input: &str, out: &mut String) {
        out.push_str(&platform(1, input));
    }

    fn characters(&self, input: &str) -> Characters {
        match platform(2, input).as_bytes() {
            [b'c', ..] => Characters::Control,
            [b'e', ..] => Characters::WhiteSpaceAtEnd,
            [b'i', ..] => Characters::WhiteSpaceInside,
            _ => Characters::Clean,
        }
    }
}
