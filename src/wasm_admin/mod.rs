//! The wasm-bindgen admin entry (`genauth-logout/admin`): `AdminClient`.
//!
//! This layer converts JavaScript values and drives `fetch`; every rule (the
//! request, the answer table, when to retry and how long to wait, which
//! options exist) is in [`crate::admin`]. Errors leave as JS `Error`s named
//! `GenAuthError` with `code`, `status` and `apiCode`; the package's facade
//! (`pkg-template/admin/admin.js`) turns them into the exported
//! `GenAuthError` class, the same class object as the browser entry's.

mod call;
mod js;

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::admin::{
    check_app_id, read_admin_config, AdminConfig, AdminValue, MAX_USER_IDS, USER_IDS_SHAPE,
};
use crate::error::{Error, ErrorCode, Result};
use crate::platform_url::PlatformUrl;

/// A JS string, when `value` is one without lone surrogates (which `String`
/// conversion would silently replace).
fn js_string(value: &JsValue) -> Option<String> {
    let s = value.dyn_ref::<js_sys::JsString>()?;
    if s.is_valid_utf16() {
        s.as_string()
    } else {
        None
    }
}

fn admin_value(value: &JsValue) -> AdminValue {
    if value.is_undefined() {
        AdminValue::Undefined
    } else if value.is_string() {
        js_string(value).map_or(AdminValue::Other, AdminValue::String)
    } else if let Some(n) = value.as_f64() {
        AdminValue::Number(n)
    } else if let Some(b) = value.as_bool() {
        AdminValue::Bool(b)
    } else if value.is_function() {
        AdminValue::Function
    } else {
        AdminValue::Other
    }
}

/// A plain object's own enumerable string keys with their values.
fn entries(object: &JsValue, what: &'static str) -> Result<Vec<(String, JsValue)>> {
    if !object.is_object() || object.is_function() || Array::is_array(object) {
        return Err(Error::new(ErrorCode::InvalidOption, what));
    }
    let keys = Object::keys(object.unchecked_ref());
    let mut out = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let name = js_string(&key).ok_or(Error::new(ErrorCode::InvalidOption, what))?;
        let value =
            Reflect::get(object, &key).map_err(|_| Error::new(ErrorCode::InvalidOption, what))?;
        out.push((name, value));
    }
    Ok(out)
}

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
pub(crate) fn to_js_error(error: &Error) -> JsValue {
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
        // Body codes are small integers; f64 holds every one that matters.
        set("apiCode", JsValue::from(api_code as f64));
    }
    js.into()
}

/// What one client keeps: the validated settings and the `fetch` to use.
pub(crate) struct Client {
    pub(crate) config: AdminConfig,
    /// The injected `fetch`, or `None` for `globalThis.fetch` at call time
    /// (so instrumentation that replaces it later still sees our calls).
    pub(crate) fetch: Option<Function>,
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
    pub fn new(options: JsValue) -> core::result::Result<AdminClient, JsValue> {
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
        let raw = entries(options, "AdminClient options must be an object")?;
        let mut fetch = None;
        let mut values = Vec::with_capacity(raw.len());
        for (name, value) in raw {
            if name == "fetch" && value.is_function() {
                fetch = Some(value.clone().unchecked_into::<Function>());
            }
            values.push((name, admin_value(&value)));
        }
        let (config, runtime) = read_admin_config(values, &PlatformUrl)?;
        if in_browser_page() && !runtime.dangerously_allow_browser {
            return Err(Error::new(
                ErrorCode::BrowserForbidden,
                "AdminClient runs on servers: in a browser page its token would be visible to every user. \
                 Pass dangerouslyAllowBrowser: true only if the page is as private as the token",
            ));
        }
        if fetch.is_none() && !js::global_fetch().is_function() {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "this runtime has no global fetch: pass the fetch option",
            ));
        }
        Ok(AdminClient {
            inner: Rc::new(Client { config, fetch }),
        })
    }
}

/// Reads `appId` and `userIds` from JavaScript.
fn read_arguments(app_id: &JsValue, user_ids: &JsValue) -> Result<(String, Vec<String>)> {
    let app_id = js_string(app_id).ok_or(Error::new(
        ErrorCode::InvalidOption,
        "appId must be a non-empty string",
    ))?;
    check_app_id(&app_id)?;
    let array = user_ids.dyn_ref::<Array>().ok_or(USER_IDS_SHAPE)?;
    if array.length() as usize > MAX_USER_IDS {
        return Err(USER_IDS_SHAPE);
    }
    let ids = array
        .iter()
        .map(|v| js_string(&v))
        .collect::<Option<Vec<String>>>()
        .ok_or(USER_IDS_SHAPE)?;
    Ok((app_id, ids))
}
