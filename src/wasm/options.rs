//! Reading plain JavaScript objects into the core's [`OptionValue`]s.
//!
//! Every property read may run a getter or a Proxy trap that throws; every
//! string may hold lone surrogates or a megabyte. None of that may panic,
//! trap or be passed on half-read: each becomes a `GenAuthError`.

use alloc::string::String;
use alloc::vec::Vec;
use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_ID_TOKEN_LEN, MAX_LIST_LEN};
use crate::options::OptionValue;

fn unreadable(what: &'static str) -> Error {
    Error::new(ErrorCode::InvalidOption, what)
}

/// Converts one JS value. Strings longer than the largest limit, in UTF-16
/// units, are refused before they are copied into wasm memory; strings with
/// lone surrogates are [`OptionValue::Other`] (`TextEncoder` would silently
/// replace them, changing the URL).
pub(super) fn value(value: &JsValue, is_redirect: bool) -> Result<OptionValue> {
    if value.is_undefined() {
        return Ok(OptionValue::Undefined);
    }
    if let Some(s) = value.dyn_ref::<JsString>() {
        if s.length() as usize > MAX_ID_TOKEN_LEN {
            let code = if is_redirect {
                ErrorCode::InvalidRedirect
            } else {
                ErrorCode::InvalidOption
            };
            return Err(Error::new(code, "value is too long"));
        }
        if !s.is_valid_utf16() {
            return Ok(OptionValue::Other);
        }
        return Ok(value
            .as_string()
            .map_or(OptionValue::Other, OptionValue::String));
    }
    if let Some(b) = value.as_bool() {
        return Ok(OptionValue::Bool(b));
    }
    if value.is_function() {
        return Ok(OptionValue::Function);
    }
    if Array::is_array(value) {
        let length = Reflect::get(value, &"length".into())
            .ok()
            .and_then(|l| l.as_f64())
            .ok_or_else(|| unreadable("could not read an array option"))?;
        if !(0.0..=MAX_LIST_LEN as f64).contains(&length) {
            return Ok(OptionValue::Other);
        }
        let mut items = Vec::with_capacity(length as usize);
        for i in 0..length as u32 {
            let item = Reflect::get_u32(value, i)
                .map_err(|_| unreadable("could not read an array option"))?;
            match self::value(&item, false)? {
                OptionValue::String(s) => items.push(s),
                _ => return Ok(OptionValue::Other),
            }
        }
        return Ok(OptionValue::StringList(items));
    }
    Ok(OptionValue::Other)
}

/// Reads an options object (`undefined` means none) into named values.
pub(super) fn entries(object: &JsValue, what: &'static str) -> Result<Vec<(String, OptionValue)>> {
    if object.is_undefined() {
        return Ok(Vec::new());
    }
    if !object.is_object() || object.is_function() || Array::is_array(object) {
        let message = if what == "config" {
            "config must be an object such as { appDomain: \"myapp.genauth.ai\" }"
        } else {
            "params must be an object"
        };
        return Err(Error::new(ErrorCode::InvalidOption, message));
    }
    let keys = Reflect::own_keys(object.unchecked_ref())
        .map_err(|_| unreadable("could not read the options"))?;
    let mut out = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            return Err(unreadable("option names must be strings"));
        };
        // Non-enumerable own properties are not options (matches Object.keys).
        let enumerable = Reflect::get_own_property_descriptor(object.unchecked_ref(), &key)
            .ok()
            .and_then(|d| Reflect::get(&d, &"enumerable".into()).ok())
            .and_then(|e| e.as_bool())
            .unwrap_or(false);
        if !enumerable {
            continue;
        }
        let raw = Reflect::get(object, &key).map_err(|_| unreadable("reading an option threw"))?;
        out.push((name, value(&raw, false)?));
    }
    Ok(out)
}
