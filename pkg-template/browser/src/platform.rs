//! The platform's WHATWG URL parser and string primitives.
//!
//! Everything crosses through one import, `platform.js`'s `platform(op,
//! input)`: op 0 returns the [`UrlParts`] getters each followed by `\n`
//! (which a parsed URL's parts never contain), or `""` when the URL does not
//! parse; op 1 returns `encodeURIComponent(input)`; op 2 classifies control
//! characters and white space (see [`Characters`]).

use alloc::string::String;

use genauth_logout::{Characters, UrlParser, UrlParts};

/// The JavaScript engine running the module: its `new URL(input)`, its
/// `encodeURIComponent` and its regular expressions' `\s` and `\p{Cc}`.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlatformUrl;

/// The platform's answer about `input`, per `op`: through the module's own
/// import (`abi.rs`, over the format of [`crate::wire`]).
#[cfg(not(feature = "bindgen-tests"))]
fn platform(op: u32, input: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    return crate::abi::platform(op, input);
    // Natively there is no platform: nothing parses, nothing is encoded.
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (op, input);
        String::new()
    }
}

/// The platform's answer about `input`, per `op`: the same `platform.js`
/// through wasm-bindgen, for the wasm-bindgen test suite (tests/wasm.rs).
#[cfg(feature = "bindgen-tests")]
fn platform(op: u32, input: &str) -> String {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen(module = "/../src/platform.js")]
    extern "C" {
        #[wasm_bindgen(js_name = platform)]
        fn platform_js(op: u32, input: &str) -> String;
    }
    platform_js(op, input)
}

impl UrlParser for PlatformUrl {
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
