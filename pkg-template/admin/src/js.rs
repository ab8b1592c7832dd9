//! The few JavaScript platform pieces the admin call uses, declared
//! structurally so any standards-shaped implementation works (Node's undici,
//! Deno, edge runtimes, an injected `fetch`).

use genauth_logout::{Error, ErrorCode};
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Neither an injected `fetch` nor a global one.
pub const NO_FETCH: Error = Error::new(
    ErrorCode::InvalidOption,
    "this runtime has no global fetch: pass the fetch option",
);

#[wasm_bindgen]
extern "C" {
    /// `AbortController`: cancels the request on timeout or caller abort.
    pub type AbortController;

    #[wasm_bindgen(constructor, catch)]
    pub fn new() -> Result<AbortController, JsValue>;

    #[wasm_bindgen(method, getter)]
    pub fn signal(this: &AbortController) -> AbortSignalLike;

    #[wasm_bindgen(method)]
    pub fn abort(this: &AbortController);

    /// An `AbortSignal` (ours or the caller's; duck-typed).
    pub type AbortSignalLike;

    #[wasm_bindgen(method, getter, catch)]
    pub fn aborted(this: &AbortSignalLike) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = addEventListener)]
    pub fn add_event_listener(
        this: &AbortSignalLike,
        kind: &str,
        listener: &Function,
        options: &JsValue,
    ) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = removeEventListener)]
    pub fn remove_event_listener(
        this: &AbortSignalLike,
        kind: &str,
        listener: &Function,
    ) -> Result<(), JsValue>;

    /// `setTimeout(handler, ms)`: the handle is a number or a Node `Timeout`.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(handle: &JsValue);
}

#[wasm_bindgen]
extern "C" {
    /// `Object.entries(value)`; a caller's object can throw from a getter
    /// or a proxy trap, which is caught here rather than crossing the module.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    pub fn object_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// The injected `fetch`, or else the global one.
pub fn fetch_or_global(injected: Option<&Function>) -> genauth_logout::Result<Function> {
    match injected {
        Some(f) => Ok(f.clone()),
        None => global_fetch().dyn_into::<Function>().map_err(|_| NO_FETCH),
    }
}

/// `globalThis.fetch` (undefined when the runtime has none).
pub fn global_fetch() -> JsValue {
    Reflect::get(&global_this(), &JsValue::from_str("fetch")).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
}

/// `globalThis` itself: `js_sys::global()` prefers `self` and `window`,
/// which a server-side-rendering shim may define as plain objects.
pub fn global_this() -> JsValue {
    GLOBAL_THIS.with(JsValue::clone)
}

/// `{ once: true }`.
pub fn once() -> JsValue {
    let options = js_sys::Object::new();
    let _ = Reflect::set(&options, &JsValue::from_str("once"), &JsValue::TRUE);
    options.into()
}
