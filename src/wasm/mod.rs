//! The wasm-bindgen browser entry: one function over strings.
//!
//! The browser entry is size-bound (a Logout button should cost a page almost
//! nothing), so its boundary is as narrow as it can be: one function,
//! [`call`]. The JavaScript facade (`pkg-template/src/index.js`) reads each
//! options object once into option records ([`crate::records`]), and every call
//! passes the configuration records, the page origin, the redirect and the
//! parameter records as strings. This layer hands them to the core
//! (`src/browser.rs`), which decodes them and holds every rule, and writes
//! out its answer; nothing is kept between calls, so nothing can leak
//! or go stale. Results are strings too: `!code\nmessage` for an error, else
//! the payload.
//!
//! URLs are parsed by the platform's own WHATWG `URL`
//! ([`crate::platform_url`]), so the origin the rules check is the origin
//! the browser will navigate to.

// Without `std` the browser build brings its own allocator (crate::heap) and
// panic handler: the core never panics on caller input (the fuzz targets, the
// wasm-bindgen tests and tests/hostile look for one), and the handler traps
// instead of formatting a message, which keeps `core::fmt` out of the binary.
// Should a call trap anyway, the facade drops the instance.
#[cfg(not(feature = "std"))]
#[global_allocator]
static ALLOCATOR: crate::heap::Heap = crate::heap::Heap::new(crate::heap::wasm_memory_grow);

#[cfg(not(feature = "std"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::error::Fail;

// Size experiment only (bench/wasm-variants.sh): a second WHATWG parser, the
// `url` crate, compiled into the wasm instead of asking the platform's.
#[cfg(not(feature = "_size-url-crate"))]
use crate::platform_url::PlatformUrl as Parser;
#[cfg(feature = "_size-url-crate")]
use crate::url_parser::WhatwgUrl as Parser;

/// Validates the config (and, for the later operations, the call) and
/// answers per `op`:
///
/// * `0`: the application's origin (`new LogoutClient` checks the config);
/// * `1`: the personal center URL (`personalCenterUrl`);
/// * `2`: the logout URL (`buildLogoutUrl`);
/// * `3`: what `logout` must do, decided before it acts: `A<url>` (assign),
///   `R<url>` (replace), `N<url>` (the `navigate` callback) or
///   `P<endpoint>\n<form fields, URL-encoded>` (form POST);
/// * `4`: the same in a worker (no document to navigate: only `navigate`).
///
/// `page` is the global scope's `location.origin` (a page's or a worker's),
/// empty outside a browser; `redirect` is
/// one tagged value and `config` and `params` are option records
/// ([`crate::records`]). An error answers `!code\nmessage`. The rules are
/// [`crate::browser::answer`]'s.
#[wasm_bindgen]
pub fn call(op: u32, config: &str, page: &str, redirect: &str, params: &str) -> String {
    crate::browser::answer(op, config, page, redirect, params, &Parser)
        .unwrap_or_else(|e| failure(&e))
}

/// `!code\nmessage`.
#[cfg(feature = "_size-format")]
fn failure(fail: &Fail<'_>) -> String {
    // Size experiment only (bench/wasm-variants.sh): `format!` in place of pushes.
    alloc::format!(
        "!{}\n{}{}",
        fail.code().as_str(),
        fail.name,
        fail.msg.text()
    )
}

/// `!code\nmessage`.
#[cfg(not(feature = "_size-format"))]
fn failure(fail: &Fail<'_>) -> String {
    let mut out = String::from("!");
    out.push_str(fail.code().as_str());
    out.push_str("\n");
    out.push_str(fail.name);
    out.push_str(fail.msg.text());
    out
}
