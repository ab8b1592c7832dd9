//! The wasm-bindgen browser entry: converts JavaScript values, delegates to
//! the core, and performs the side effects of `logout` in order — only after
//! the core has accepted the request.
//!
//! No rule lives here. Options are read into [`OptionValue`]s
//! ([`options`]), URLs are parsed by the platform's own WHATWG `URL`
//! ([`BrowserUrl`]), and errors leave as JS `Error`s carrying `code`, which
//! the package's JavaScript facade turns into `GenAuthError`.

mod options;

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
use alloc::vec::Vec;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, ErrorCode};
use crate::logout::{LogoutConfig, LogoutTarget, Method};
use crate::options::{read_config, read_params, read_redirect, BrowserOptions};
use crate::url_parser::{UrlParser, UrlParts};

/// The platform's WHATWG URL parser (`new URL(input, base)`).
struct BrowserUrl;

impl UrlParser for BrowserUrl {
    fn parse(&self, input: &str, base: Option<&str>) -> Option<UrlParts> {
        let url = match base {
            Some(base) => web_sys::Url::new_with_base(input, base),
            None => web_sys::Url::new(input),
        }
        .ok()?;
        Some(UrlParts {
            protocol: url.protocol(),
            username: url.username(),
            password: url.password(),
            hostname: url.hostname(),
            host: url.host(),
            pathname: url.pathname(),
            search: url.search(),
            hash: url.hash(),
            origin: url.origin(),
        })
    }
}

/// A JS `Error` with `name = "GenAuthError"` and `code`; the facade wraps it
/// in the exported `GenAuthError` class.
pub(crate) fn to_js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(error.message());
    js.set_name("GenAuthError");
    let _ = Reflect::set(
        &js,
        &JsValue::from_str("code"),
        &JsValue::from_str(error.code().as_str()),
    );
    js.into()
}

fn window() -> Option<web_sys::Window> {
    js_sys::global().dyn_into::<web_sys::Window>().ok()
}

/// One configured logout client (the facade's `LogoutClient`).
#[wasm_bindgen]
pub struct Client {
    config: LogoutConfig,
    browser: BrowserOptions,
    navigate: Option<Function>,
}

#[wasm_bindgen]
impl Client {
    /// Reads and validates a `LogoutConfig` object.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Client, JsValue> {
        let page_origin = window().and_then(|w| w.location().origin().ok());
        let entries = options::entries(&config, "config").map_err(|e| to_js_error(&e))?;
        let (config_core, browser) = read_config(entries, page_origin.as_deref(), &BrowserUrl)
            .map_err(|e| to_js_error(&e))?;
        let navigate = if browser.navigate {
            Reflect::get(&config, &JsValue::from_str("navigate"))
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
        } else {
            None
        };
        Ok(Client {
            config: config_core,
            browser,
            navigate,
        })
    }

    fn target(&self, redirect: &JsValue, params: &JsValue) -> Result<(LogoutTarget, bool), Error> {
        let redirect = read_redirect(options::value(redirect, true)?)?;
        let (params, replace) = read_params(options::entries(params, "params")?)?;
        let target = self
            .config
            .build(redirect.as_deref(), &params, &BrowserUrl)?;
        Ok((target, replace.unwrap_or(self.browser.replace)))
    }

    /// `buildLogoutUrl(redirect?, params?)`.
    #[wasm_bindgen(js_name = buildLogoutUrl)]
    pub fn build_logout_url(&self, redirect: JsValue, params: JsValue) -> Result<String, JsValue> {
        self.target(&redirect, &params)
            .map(|(target, _)| target.url())
            .map_err(|e| to_js_error(&e))
    }

    /// `personalCenterUrl()`.
    #[wasm_bindgen(js_name = personalCenterUrl)]
    pub fn personal_center_url(&self) -> String {
        self.config.personal_center_url()
    }

    /// The application's origin, which identifies this app's logout notices.
    #[wasm_bindgen(getter)]
    pub fn origin(&self) -> String {
        String::from(self.config.app_domain().origin())
    }

    /// The BroadcastChannel name for logout notices.
    #[wasm_bindgen(getter, js_name = channelName)]
    pub fn channel_name(&self) -> String {
        String::from(self.browser.channel_name.as_deref().unwrap_or(CHANNEL))
    }

    /// `logout(redirect?, params?)`: validate everything, then clear storage,
    /// tell other tabs, and navigate. `sender` identifies this page's
    /// listeners, so the page that logs out does not notify itself.
    pub fn logout(&self, redirect: JsValue, params: JsValue, sender: &str) -> Result<(), JsValue> {
        let (target, replace) = self
            .target(&redirect, &params)
            .map_err(|e| to_js_error(&e))?;
        let window = window();
        let check = if target.method() == Method::Post && self.navigate.is_some() {
            Err(Error::new(
                ErrorCode::InvalidOption,
                "method \"post\" submits a form in the page; it cannot be combined with navigate",
            ))
        } else if window.is_none() && self.navigate.is_none() {
            Err(Error::new(
                ErrorCode::NoWindow,
                "logout needs a browser window, or a navigate(url) callback in the config",
            ))
        } else {
            Ok(())
        };
        check.map_err(|e| to_js_error(&e))?;

        if let Some(window) = &window {
            self.clear_storage(window);
        }
        self.notify_other_tabs(sender);
        if let Some(navigate) = &self.navigate {
            return navigate
                .call1(&JsValue::NULL, &JsValue::from(target.url()))
                .map(|_| ());
        }
        let Some(window) = window else { return Ok(()) };
        if target.method() == Method::Post {
            return submit_form(&window, &target);
        }
        let location = window.location();
        let url = target.url();
        if replace {
            location.replace(&url)
        } else {
            location.assign(&url)
        }
    }
}

const CHANNEL: &str = "genauth-logout";

impl Client {
    fn clear_storage(&self, window: &web_sys::Window) {
        if self.browser.clear_storage_keys.is_empty() {
            return;
        }
        // Either store may be missing or throw (sandboxed frames, disabled
        // cookies); logging out must still proceed.
        let stores = [window.local_storage(), window.session_storage()];
        for store in stores.into_iter().flat_map(|s| s.ok().flatten()) {
            for key in &self.browser.clear_storage_keys {
                let _ = store.remove_item(key);
            }
        }
    }

    fn notify_other_tabs(&self, sender: &str) {
        let Ok(channel) = web_sys::BroadcastChannel::new(&self.channel_name()) else {
            return;
        };
        let message = Object::new();
        let _ = Reflect::set(&message, &"type".into(), &"logout".into());
        let _ = Reflect::set(&message, &"appDomain".into(), &JsValue::from(self.origin()));
        let _ = Reflect::set(&message, &"sender".into(), &JsValue::from_str(sender));
        let _ = channel.post_message(&message);
        channel.close();
    }
}

/// Submits the target's fields as a form POST (OIDC RP-Initiated Logout §2
/// allows POST; it keeps long ID tokens out of the request line).
fn submit_form(window: &web_sys::Window, target: &LogoutTarget) -> Result<(), JsValue> {
    let document = window.document().ok_or_else(|| {
        to_js_error(&Error::new(
            ErrorCode::NoWindow,
            "no document to submit a form from",
        ))
    })?;
    let form: web_sys::HtmlFormElement = document.create_element("form")?.unchecked_into();
    form.set_method("post");
    form.set_action(target.endpoint());
    form.set_hidden(true);
    let mut inputs = Vec::with_capacity(target.fields().len());
    for (name, value) in target.fields() {
        let input: web_sys::HtmlInputElement = document.create_element("input")?.unchecked_into();
        input.set_type("hidden");
        input.set_name(name);
        input.set_value(value);
        form.append_child(&input)?;
        inputs.push(input);
    }
    let parent: web_sys::Node = match document.body() {
        Some(body) => body.into(),
        None => document
            .document_element()
            .map(Into::into)
            .ok_or_else(|| to_js_error(&Error::new(ErrorCode::NoWindow, "no document element")))?,
    };
    parent.append_child(&form)?;
    form.submit()
}
