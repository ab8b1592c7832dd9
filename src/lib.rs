//! Sign users out of GenAuth (the international edition of Authing) correctly.
//!
//! GenAuth offers four ways out (see its guide, "Logout"): the personal center
//! (`<app>/u`), the front-end logout URL
//! (`<app>/login/profile/logout?redirect_uri=…`), the administrator's
//! back-end API (`POST <app>/api/applications/:appId/kick-active-users`) and
//! the console. This crate builds the first two with exactly the right
//! encoding, adds OpenID Connect RP-Initiated Logout and CAS logout, guards
//! against open redirects, and (feature `admin`) wraps the back-end API.
//!
//! The crate is the pure core of the npm package `genauth-logout`: it knows
//! nothing of JavaScript. The browser's own WHATWG URL parser is plugged in
//! through [`UrlParser`] when compiled to WebAssembly; natively the `url`
//! crate ([`WhatwgUrl`], feature `url`, on by default) fills that role.
//!
//! ```
//! use genauth_logout::{AppDomain, LogoutConfig, LogoutParams, WhatwgUrl};
//!
//! let config = LogoutConfig::new(AppDomain::parse("myapp.genauth.ai")?);
//! let target = config.build(
//!     Some("https://app.example.com/a?b=c&d=é"),
//!     &LogoutParams::default(),
//!     &WhatwgUrl,
//! )?;
//! assert_eq!(
//!     target.url(),
//!     "https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fa%3Fb%3Dc%26d%3D%C3%A9"
//! );
//! # Ok::<(), genauth_logout::Error>(())
//! ```
#![no_std]
#![deny(missing_docs)]
// `String::push(char)` and `char` patterns go through UTF-8 encoding code that
// the size-bound browser build would otherwise not link; `push_str("x")` and
// `&str` patterns compare bytes (measured in bench/wasm-variants.sh terms:
// about 370 bytes of wasm).
#![allow(clippy::single_char_add_str, clippy::single_char_pattern)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod app_origin;
#[cfg(any(test, all(target_arch = "wasm32", feature = "wasm")))]
mod browser;
pub mod cookie;
pub mod cross_site;
mod domain;
mod encode;
mod error;
mod form_page;
#[cfg(any(
    test,
    all(target_arch = "wasm32", feature = "wasm", not(feature = "std"))
))]
mod heap;
pub mod limits;
mod logout;
mod options;
pub mod records;
mod redirect;
pub mod revocation;
mod secret;
mod url_parser;

/// The browser entry's wasm-bindgen functions (public only so the
/// wasm-bindgen tests can call them; the npm package is their interface).
#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
#[doc(hidden)]
pub mod wasm;

#[cfg(feature = "admin")]
pub mod admin;
/// The platform's WHATWG URL parser for the wasm entries (public only for the
/// wasm-bindgen tests).
#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
#[doc(hidden)]
pub mod platform_url;

pub use app_origin::{see_other_location, AppOrigin};
pub use domain::AppDomain;
pub use encode::{encode_uri_component, encode_uri_component_into};
pub use error::{Error, ErrorCode, Result};
pub use form_page::{LogoutFormPage, MAX_NONCE_LEN, MIN_NONCE_LEN};
pub use logout::{LogoutConfig, LogoutParams, LogoutTarget, Method, Protocol};
pub use options::{read_config, read_params, read_redirect, BrowserOptions};
pub use records::OptionValue;
pub use redirect::{check_endpoint, parse_allowed_origin, RedirectPolicy};
pub use secret::Secret;
#[cfg(feature = "url")]
pub use url_parser::WhatwgUrl;
pub use url_parser::{Characters, UrlParser, UrlParts};

/// The `n`th of the pieces of `joined` that each end with the byte `end`;
/// `""` when there are fewer.
///
/// The browser build keeps its lists of names and messages as one string
/// each, every entry followed by a NUL, instead of tables of `&str`: in the
/// wasm data such a table is a pointer and a length per entry, eight bytes
/// that compress poorly, where a joined string spends one. Measured on the
/// benchmark app: 356 B gzip less for the messages, the option names and the
/// OpenID Connect field names together. [`UrlParts`] reads its parts with it
/// too.
pub(crate) fn piece(joined: &str, end: u8, n: usize) -> &str {
    let mut start = 0;
    let mut seen = 0;
    for (i, b) in joined.bytes().enumerate() {
        if b == end {
            if seen == n {
                return joined.get(start..i).unwrap_or("");
            }
            seen += 1;
            start = i + 1;
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    #[test]
    fn pieces_are_found_by_index() {
        assert_eq!(super::piece("a\0bc\0\0d\0", 0, 1), "bc");
        assert_eq!(super::piece("a\0bc\0\0d\0", 0, 2), "");
        assert_eq!(super::piece("a\0bc\0\0d\0", 0, 3), "d");
        assert_eq!(super::piece("a\0bc\0\0d\0", 0, 4), "");
        assert_eq!(
            super::piece("a\nb", b'\n', 1),
            "",
            "an unterminated piece is not one"
        );
    }
}
