//! The wasm-bindgen browser entry: a few functions over strings.
//!
//! The browser entry is size-bound (a Logout button should cost a page almost
//! nothing), so its boundary is as narrow as it can be: the JavaScript facade
//! (`pkg-template/src/index.js`) reads each options object once into option
//! records ([`records`]), and every call passes the configuration records,
//! the page origin, the redirect and the parameter records as strings. This
//! layer decodes them and asks the core, which holds every rule; nothing is
//! kept between calls, so nothing can leak or go stale. Results are strings
//! too: `!code\nmessage` for an error, else the payload.
//!
//! URLs are parsed by the platform's own WHATWG `URL`
//! ([`crate::platform_url`]), so the origin the rules check is the origin
//! the browser will navigate to.

mod records;

// Without `std` the browser build brings its own allocator and panic handler:
// the core never panics on caller input (see the fuzz targets), and the
// handler traps instead of formatting a message, which keeps `core::fmt` out
// of the binary.
#[cfg(not(feature = "std"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[cfg(not(feature = "std"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorCode, Result};
use crate::logout::{LogoutConfig, LogoutTarget, Method};
use crate::options::{read_config, read_params, read_redirect, BrowserOptions};

// Size experiment only (bench/wasm-variants.sh): a second WHATWG parser, the
// `url` crate, compiled into the wasm instead of asking the platform's.
#[cfg(not(feature = "_size-url-crate"))]
use crate::platform_url::PlatformUrl as Parser;
#[cfg(feature = "_size-url-crate")]
use crate::url_parser::WhatwgUrl as Parser;

fn page(page_origin: &str) -> Option<&str> {
    (!page_origin.is_empty()).then_some(page_origin)
}

fn config(records: &str, page_origin: &str) -> Result<(LogoutConfig, BrowserOptions)> {
    read_config(records::decode(records)?, page(page_origin), &Parser)
}

fn target(
    config_records: &str,
    page_origin: &str,
    redirect: &str,
    params: &str,
) -> Result<(LogoutTarget, bool, BrowserOptions)> {
    let (config, browser) = config(config_records, page_origin)?;
    let redirect = read_redirect(records::decode_value(redirect)?)?;
    let (params, replace) = read_params(records::decode(params)?)?;
    let target = config.build(redirect.as_deref(), &params, &Parser)?;
    let replace = replace.unwrap_or(browser.replace);
    Ok((target, replace, browser))
}

/// `!code\nmessage`.
#[cfg(feature = "_size-format")]
fn failure(error: &Error) -> String {
    // Size experiment only (bench/wasm-variants.sh): `format!` in place of pushes.
    alloc::format!("!{}\n{}", error.code().as_str(), error.message())
}

/// `!code\nmessage`.
#[cfg(not(feature = "_size-format"))]
fn failure(error: &Error) -> String {
    let mut out = String::from("!");
    out.push_str(error.code().as_str());
    out.push('\n');
    out.push_str(error.message());
    out
}

fn answer(result: Result<String>) -> String {
    result.unwrap_or_else(|e| failure(&e))
}

/// Validates a configuration; answers the application's origin.
#[wasm_bindgen]
pub fn origin(config_records: &str, page_origin: &str) -> String {
    answer(config(config_records, page_origin).map(|(c, _)| String::from(c.app_domain().origin())))
}

/// The personal center URL (`<origin>/u`).
#[wasm_bindgen(js_name = personalCenter)]
pub fn personal_center(config_records: &str, page_origin: &str) -> String {
    answer(config(config_records, page_origin).map(|(c, _)| c.personal_center_url()))
}

/// `buildLogoutUrl`: the logout URL.
#[wasm_bindgen(js_name = logoutUrl)]
pub fn logout_url(config_records: &str, page_origin: &str, redirect: &str, params: &str) -> String {
    answer(target(config_records, page_origin, redirect, params).map(|(t, _, _)| t.url()))
}

/// `logout`: everything the facade needs to act, decided before it acts:
/// `A<url>` (assign), `R<url>` (replace), `N<url>` (the `navigate`
/// callback) or `P<endpoint>\n<form fields, URL-encoded>` (form POST).
#[wasm_bindgen(js_name = logoutPlan)]
pub fn logout_plan(
    config_records: &str,
    page_origin: &str,
    redirect: &str,
    params: &str,
    has_window: bool,
) -> String {
    answer(plan(
        config_records,
        page_origin,
        redirect,
        params,
        has_window,
    ))
}

fn plan(
    config_records: &str,
    page_origin: &str,
    redirect: &str,
    params: &str,
    has_window: bool,
) -> Result<String> {
    let (target, replace, browser) = target(config_records, page_origin, redirect, params)?;
    let post = target.method() == Method::Post;
    if post && browser.navigate {
        return Err(Error::new(
            ErrorCode::InvalidOption,
            "method \"post\" submits a form in the page; it cannot be combined with navigate",
        ));
    }
    if !has_window && !browser.navigate {
        return Err(Error::new(
            ErrorCode::NoWindow,
            "logout needs a browser window, or a navigate(url) callback in the config",
        ));
    }
    let mut out = String::new();
    if post {
        out.push('P');
        out.push_str(target.endpoint());
        out.push('\n');
        let url = target.url();
        // The fields are the URL's query after the endpoint's own.
        out.push_str(url.get(target.endpoint().len() + 1..).unwrap_or(""));
    } else {
        out.push(if browser.navigate {
            'N'
        } else if replace {
            'R'
        } else {
            'A'
        });
        out.push_str(&target.url());
    }
    Ok(out)
}
