//! The WebAssembly module behind the npm entry `genauth-logout/admin`:
//! `AdminClient`, for servers.
//!
//! This crate is the JavaScript boundary of the core's admin API and holds
//! no rule of its own: it reads the options ([`options`], the wire format
//! from JavaScript), drives `fetch` ([`call`]) and turns the core's
//! [`genauth_logout::Error`] into a JS `Error` named `GenAuthError` with
//! `code`, `status` and `apiCode`. The request, the answer table, when to
//! retry and how long to wait are the core's
//! ([`genauth_logout::admin`]). The package's facade
//! (`pkg-template/admin/facade.js`) loads the module and gives its errors
//! the exported `GenAuthError` class, the same class object as the browser
//! entry's.

mod call;
mod js;
mod options;
mod server;
mod transport;

use std::rc::Rc;

use genauth_logout::admin::{AdminConfig, MAX_USER_IDS, USER_IDS_SHAPE};
use genauth_logout::{Error, ErrorCode, Result};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use options::{array_items, js_string, read_admin_options};

/// Whether this is a browser page: a `window` and a `document` in the global
/// scope. Node, Deno, Bun, workers and edge runtimes have at most one of them.
fn in_browser_page() -> bool {
    let global = js::global_this();
    let defined = |name: &str| {
        Reflect::get(&global, &JsValue::from_str(name))
            .is_ok_and(|v| !v.is_undefined() && !v.is_null())
    };
    defined("window") && defined("document")
}

/// A JS `Error` named `GenAuthError`, with `code`, and `status`/`apiCode` when known.
fn to_js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(error.message());
    js.set_name("GenAuthError");
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(error.code().as_str()));
    if let Some(status) = error.http_status() {
        set("status", JsValue::from(status));
    }
    if let Some(api_code) = error.api_error_code() {
        // The core keeps only codes an f64 holds exactly (below 2^63 and
        // read from a JSON number), so this is the value the server sent.
        set("apiCode", JsValue::from(api_code as f64));
    }
    js.into()
}

/// What one client keeps: the validated settings and the `fetch` to use.
struct Client {
    config: AdminConfig,
    /// The injected `fetch`, or `None` for `globalThis.fetch` at call time
    /// (so instrumentation that replaces it later still sees our calls).
    fetch: Option<Function>,
}

/// A client for the administrator's force-logout API.
#[wasm_bindgen(js_name = AdminClient)]
pub struct AdminClient {
    inner: Rc<Client>,
}

#[wasm_bindgen(js_class = AdminClient)]
impl AdminClient {
    /// `new AdminClient({ appDomain, userPoolId, token, timeoutMs, retries, fetch, dangerouslyAllowBrowser })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> std::result::Result<AdminClient, JsValue> {
        Self::create(&options).map_err(|e| to_js_error(&e))
    }

    /// `kickActiveUsers(appId, userIds, { signal })`: forces the users offline;
    /// resolves to `{ code, message }`.
    #[wasm_bindgen(js_name = kickActiveUsers)]
    pub fn kick_active_users(
        &self,
        app_id: JsValue,
        user_ids: JsValue,
        options: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.inner);
        wasm_bindgen_futures::future_to_promise(async move {
            match call::kick(&client, &app_id, &user_ids, &options).await {
                Ok(answer) => {
                    let out = Object::new();
                    let _ = Reflect::set(&out, &"code".into(), &JsValue::from(answer.code as f64));
                    let _ =
                        Reflect::set(&out, &"message".into(), &JsValue::from_str(&answer.message));
                    Ok(out.into())
                }
                Err(e) => Err(to_js_error(&e)),
            }
        })
    }
}

impl AdminClient {
    fn create(options: &JsValue) -> Result<AdminClient> {
        let settings = read_admin_options(options)?;
        if in_browser_page() && !settings.dangerously_allow_browser {
            return Err(Error::new(
                ErrorCode::BrowserForbidden,
                "AdminClient runs on servers: in a browser page its token would be visible to every user. \
                 Pass dangerouslyAllowBrowser: true only if the page is as private as the token",
            ));
        }
        if settings.fetch.is_none() && !js::global_fetch().is_function() {
            return Err(js::NO_FETCH);
        }
        Ok(AdminClient {
            inner: Rc::new(Client {
                config: settings.config,
                fetch: settings.fetch,
            }),
        })
    }
}

/// Reads `appId` and `userIds` from JavaScript. Strings with lone
/// surrogates are refused: converted, they would name another id.
fn read_arguments(app_id: &JsValue, user_ids: &JsValue) -> Result<(String, Vec<String>)> {
    let app_id = js_string(app_id).ok_or(Error::new(
        ErrorCode::InvalidOption,
        "appId must be a non-empty string",
    ))?;
    let ids = array_items(user_ids, MAX_USER_IDS, USER_IDS_SHAPE)?
        .iter()
        .map(js_string)
        .collect::<Option<Vec<String>>>()
        .ok_or(USER_IDS_SHAPE)?;
    Ok((app_id, ids))
}
