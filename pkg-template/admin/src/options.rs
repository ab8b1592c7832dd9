//! The admin entry's wire format, JavaScript to Rust: the `AdminClient`
//! options and the `kickActiveUsers` options, read with serde-wasm-bindgen.
//!
//! Each options object is a serde-derived struct that denies unknown keys,
//! so a typo such as `userpoolId` is `invalid_option`, never ignored. The
//! object's own enumerable keys are walked here (serde-wasm-bindgen's struct
//! reader looks only for the declared names, which would let a typo pass),
//! and each value is handed to serde-wasm-bindgen. Errors are ours, not
//! serde's: serde's messages quote the value (`invalid type: string "…"`),
//! which for a misplaced token would print it; ours name the option only.

use std::fmt;

use genauth_logout::admin::{
    AdminConfig, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, MAX_RETRIES, MAX_TIMEOUT_MS, RETRIES_RANGE,
    TIMEOUT_MS_RANGE,
};
use genauth_logout::{AppDomain, Error, ErrorCode, Result};
use js_sys::{Array, Function, JsString, Reflect, Symbol};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};

/// `new AdminClient(options)`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AdminOptions {
    app_domain: Option<String>,
    user_pool_id: Option<String>,
    token: Option<String>,
    timeout_ms: Option<f64>,
    retries: Option<f64>,
    #[serde(default, deserialize_with = "function")]
    fetch: Option<Function>,
    dangerously_allow_browser: Option<bool>,
}

/// `kickActiveUsers(appId, userIds, options)`'s `options`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallOptions {
    #[serde(default, deserialize_with = "preserved")]
    signal: Option<JsValue>,
}

/// A JavaScript function, kept as it is.
pub(crate) fn function<'de, D: de::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Function>, D::Error> {
    serde_wasm_bindgen::preserve::deserialize(d).map(Some)
}

/// Any JavaScript value, kept as it is.
pub(crate) fn preserved<'de, D: de::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<JsValue>, D::Error> {
    serde_wasm_bindgen::preserve::deserialize(d).map(Some)
}

/// The validated `AdminClient` settings and what only the runtime needs.
pub(crate) struct Settings {
    pub(crate) config: AdminConfig,
    /// The injected `fetch`, if any.
    pub(crate) fetch: Option<Function>,
    /// The caller accepts a browser page, where the token is visible.
    pub(crate) dangerously_allow_browser: bool,
}

/// A `signal` that is not an `AbortSignal`.
pub(crate) const BAD_SIGNAL: Error =
    Error::new(ErrorCode::InvalidOption, "signal must be an AbortSignal");

/// One options object's words: how to say it is not an object, how to
/// name an unknown key, and what each key's value must be.
pub(crate) struct Shape {
    pub(crate) not_object: &'static str,
    pub(crate) unknown: &'static str,
    pub(crate) problem: fn(&str) -> Error,
}

/// What the value of `key` must be, for the options of a call that
/// sends requests: the transport's `timeoutMs`, `retries` and `fetch`,
/// and strings for the rest.
pub(crate) fn sender_problem(key: &str) -> Error {
    match key {
        "timeoutMs" => TIMEOUT_MS_RANGE,
        "retries" => RETRIES_RANGE,
        "fetch" => Error::option(key, " must be a function"),
        _ => Error::option(key, " must be a string"),
    }
}

/// The required `appDomain`.
pub(crate) fn required_app_domain(value: Option<String>) -> Result<AppDomain> {
    let app_domain = value.ok_or(Error::new(
        ErrorCode::InvalidOption,
        "appDomain is required, for example \"myapp.genauth.ai\"",
    ))?;
    AppDomain::parse(&app_domain)
}

/// `timeoutMs`: the whole call's limit, an integer in the core's range.
pub(crate) fn timeout_ms(value: Option<f64>) -> Result<u32> {
    value.map_or(Ok(DEFAULT_TIMEOUT_MS), |n| {
        whole_in(n, 1, MAX_TIMEOUT_MS).ok_or(TIMEOUT_MS_RANGE)
    })
}

/// `retries`: an integer in the core's range.
pub(crate) fn retries(value: Option<f64>) -> Result<u32> {
    value.map_or(Ok(DEFAULT_RETRIES), |n| {
        whole_in(n, 0, MAX_RETRIES).ok_or(RETRIES_RANGE)
    })
}

const ADMIN: Shape = Shape {
    not_object: "AdminClient options must be an object",
    unknown: "unknown option: ",
    problem: |key| match key {
        "dangerouslyAllowBrowser" => Error::option(key, " must be a boolean"),
        _ => sender_problem(key),
    },
};

const CALL: Shape = Shape {
    not_object: "kickActiveUsers options must be an object",
    unknown: "unknown kickActiveUsers option: ",
    problem: |_| BAD_SIGNAL,
};

/// Reads the `AdminClient` constructor's options.
///
/// `appDomain`, `userPoolId` and `token` are required; `timeoutMs` (default
/// 10000) and `retries` (default 2) are integers in range; `fetch` is a
/// function; `dangerouslyAllowBrowser` a boolean. A key whose value is
/// `undefined` counts as not given.
pub(crate) fn read_admin_options(options: &JsValue) -> Result<Settings> {
    let o: AdminOptions = read(options, &ADMIN)?;
    let app_domain = required_app_domain(o.app_domain)?;
    let user_pool_id = o.user_pool_id.ok_or(Error::new(
        ErrorCode::InvalidOption,
        "userPoolId is required",
    ))?;
    let token = o.token.ok_or(Error::new(
        ErrorCode::InvalidOption,
        "token (the user pool administrator's token) is required",
    ))?;
    let config = AdminConfig::new(app_domain, &user_pool_id, &token)?
        .with_timeout_ms(timeout_ms(o.timeout_ms)?)?
        .with_retries(retries(o.retries)?)?;
    Ok(Settings {
        config,
        fetch: o.fetch,
        dangerously_allow_browser: o.dangerously_allow_browser.unwrap_or(false),
    })
}

/// Reads `{ signal }`: `None` when absent.
pub(crate) fn read_call_options(options: &JsValue) -> Result<Option<JsValue>> {
    if options.is_undefined() {
        return Ok(None);
    }
    Ok(read::<CallOptions>(options, &CALL)?.signal)
}

/// A JavaScript number that is a whole number from `min` to `max`.
fn whole_in(n: f64, min: u32, max: u32) -> Option<u32> {
    (n.trunc() == n && (f64::from(min)..=f64::from(max)).contains(&n)).then_some(n as u32)
}

/// A JS string, when `value` is one without lone surrogates (which a
/// conversion to a Rust string would silently replace).
pub(crate) fn js_string(value: &JsValue) -> Option<String> {
    let s = value.dyn_ref::<JsString>()?;
    if s.is_valid_utf16() {
        s.as_string()
    } else {
        None
    }
}

/// The items of a JS array of at most `max` entries; `shape` when it is
/// not one.
pub(crate) fn array_items(value: &JsValue, max: usize, shape: Error) -> Result<Vec<JsValue>> {
    if !Array::is_array(value) {
        return Err(shape);
    }
    // `Reflect` reports a throwing proxy trap as an error instead of
    // letting it cross the module.
    let length = Reflect::get(value, &JsValue::from_str("length"))
        .ok()
        .and_then(|n| n.as_f64())
        .filter(|&n| n <= max as f64)
        .ok_or_else(|| shape.clone())? as u32;
    (0..length)
        .map(|i| Reflect::get_u32(value, i).map_err(|_| shape.clone()))
        .collect()
}

/// Deserializes `T` from a plain object: not an array, a function, a
/// string or any other iterable (serde-wasm-bindgen would read those as
/// lists of pairs).
pub(crate) fn read<T: de::DeserializeOwned>(value: &JsValue, shape: &'static Shape) -> Result<T> {
    let iterable = Reflect::get(value, &Symbol::iterator()).is_ok_and(|f| f.is_function());
    if !value.is_object() || Array::is_array(value) || iterable {
        return Err(Error::new(ErrorCode::InvalidOption, shape.not_object));
    }
    let entries = crate::js::object_entries(value)
        .map_err(|_| Error::new(ErrorCode::InvalidOption, shape.not_object))?;
    let access = Entries {
        entries,
        next: 0,
        value: None,
        key: String::new(),
    };
    T::deserialize(ObjectDeserializer(access)).map_err(|e| match e {
        Problem::Unknown(key) => {
            let shown = key
                .char_indices()
                .nth(64)
                .map_or(&key[..], |(i, _)| &key[..i]);
            Error::with_detail(ErrorCode::InvalidOption, shape.unknown, shown)
        }
        Problem::Value(key) => (shape.problem)(&key),
        Problem::Object => Error::new(ErrorCode::InvalidOption, shape.not_object),
    })
}

/// Why an options object was refused. Carries key names only, never values.
#[derive(Debug)]
enum Problem {
    /// A key the options do not have.
    Unknown(String),
    /// The value of this key has the wrong shape.
    Value(String),
    /// Anything else about the object.
    Object,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid options")
    }
}

impl std::error::Error for Problem {}

impl de::Error for Problem {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Problem::Object
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        Problem::Unknown(field.into())
    }
}

/// The object's own enumerable string-keyed entries, as a serde map.
struct Entries {
    entries: Array,
    next: u32,
    value: Option<JsValue>,
    /// The key whose value comes next, to name it in an error.
    key: String,
}

struct ObjectDeserializer(Entries);

impl<'de> de::Deserializer<'de> for ObjectDeserializer {
    type Error = Problem;

    fn deserialize_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        visitor.visit_map(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Problem;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> std::result::Result<Option<K::Value>, Problem> {
        while self.next < self.entries.length() {
            let pair = Array::from(&self.entries.get(self.next));
            self.next += 1;
            let value = pair.get(1);
            // `{ timeoutMs: undefined }` is the same as leaving it out.
            if value.is_undefined() {
                continue;
            }
            // A key with a lone surrogate is no option's name.
            let key = js_string(&pair.get(0)).unwrap_or_else(|| String::from("\u{fffd}"));
            self.value = Some(value);
            self.key.clone_from(&key);
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> std::result::Result<V::Value, Problem> {
        let value = self.value.take().ok_or(Problem::Object)?;
        let wrong = || Problem::Value(self.key.clone());
        // serde-wasm-bindgen reads `null` as "not given" and replaces lone
        // surrogates in strings; both are refused as a value of the wrong shape.
        if value.is_null() || (value.is_string() && js_string(&value).is_none()) {
            return Err(wrong());
        }
        seed.deserialize(serde_wasm_bindgen::Deserializer::from(value))
            .map_err(|_| wrong())
    }
}

#[cfg(test)]
mod tests {
    use super::whole_in;

    #[test]
    fn whole_numbers_in_range_only() {
        assert_eq!(whole_in(0.0, 0, 10), Some(0));
        assert_eq!(whole_in(600_000.0, 1, 600_000), Some(600_000));
        assert_eq!(whole_in(0.0, 1, 600_000), None);
        assert_eq!(whole_in(600_001.0, 1, 600_000), None);
        for n in [-1.0, 1.5, f64::NAN, f64::INFINITY, 1e10] {
            assert_eq!(whole_in(n, 0, u32::MAX), None, "{n}");
        }
    }
}
