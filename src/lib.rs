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
pub mod cookie;
pub mod cross_site;
mod domain;
mod encode;
mod error;
mod form_page;
pub mod limits;
mod logout;
mod redirect;
pub mod revocation;
mod secret;
mod text;
mod url_parser;
mod written;

#[cfg(feature = "admin")]
pub mod admin;

/// The rules as the crate's own WebAssembly entries drive them: over
/// borrowed strings, reporting a [`Fail`](entry::Fail) that owns nothing,
/// so the size-bound browser module (`pkg-template/browser`) writes a
/// logout without building a [`LogoutConfig`]. Not part of the Rust API:
/// no stability promise, hidden from the documentation.
#[doc(hidden)]
pub mod entry {
    pub use crate::domain::AppDomain;
    pub use crate::error::{Fail, Msg, Outcome};
    pub use crate::logout::{
        check_client_id, push_field, push_name, query_separator, write_request, Fields, Request,
    };
    pub use crate::redirect::{allowed_origin, check_redirect, endpoint_problem};
    pub use crate::text::piece;
}

pub use app_origin::{see_other_location, AppOrigin};
pub use domain::AppDomain;
pub use encode::{encode_uri_component, encode_uri_component_into};
pub use error::{Error, ErrorCode, Result};
pub use form_page::{LogoutFormPage, MAX_NONCE_LEN, MIN_NONCE_LEN};
pub use logout::{LogoutConfig, LogoutParams, LogoutTarget, Method, Protocol};
pub use redirect::RedirectPolicy;
pub use secret::Secret;
#[cfg(feature = "url")]
pub use url_parser::WhatwgUrl;
pub use url_parser::{Characters, UrlParser, UrlParts};
