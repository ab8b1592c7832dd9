//! The option readers as the wasm layer drives them: a JavaScript object
//! becomes option records, any names, any shapes, repeated
//! names included. No panic; unknown names and wrong shapes are refused with
//! the documented codes; a URL that comes out has the configured origin.

use genauth_logout::{ErrorCode, UrlParser, WhatwgUrl};
use genauth_logout_browser::wire::RecordWriter;
use genauth_logout_browser::{read_config, read_params, read_redirect};

use crate::invariants::{is_component_encoded, PAGE_ORIGINS};

/// Names `LogoutConfig` accepts (CONVENTIONS.md, DESIGN.md).
pub const CONFIG_NAMES: [&str; 10] = [
    "appDomain",
    "protocol",
    "endSessionEndpoint",
    "clientId",
    "allowedRedirectOrigins",
    "clearStorageKeys",
    "replace",
    "navigate",
    "method",
    "channelName",
];

/// Names `LogoutParams` accepts.
pub const PARAM_NAMES: [&str; 8] = [
    "protocol",
    "idTokenHint",
    "state",
    "clientId",
    "logoutHint",
    "uiLocales",
    "replace",
    "method",
];

/// One value as the JavaScript facade would see it.
#[derive(Clone, Debug)]
pub enum Value {
    /// `undefined`.
    Undefined,
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An array of strings.
    List(Vec<String>),
    /// A function.
    Function,
    /// Anything else.
    Other,
}

impl Value {
    /// Writes the value's record, as the facade does.
    fn write(&self, w: &mut RecordWriter) {
        match self {
            Value::Undefined => w.undefined(),
            Value::String(s) => w.string(s),
            Value::Bool(b) => w.bool(*b),
            Value::List(items) => w.list(items),
            Value::Function => w.function(),
            Value::Other => w.other(),
        };
    }
}

/// An options object's records.
fn records(entries: &[(String, Value)]) -> String {
    let mut w = RecordWriter::new();
    for (name, value) in entries {
        w.key(name);
        value.write(&mut w);
    }
    w.finish()
}

/// The codes each reader may refuse with (DESIGN.md): the config, the
/// params, the redirect argument, and building the logout.
const CONFIG_CODES: &[ErrorCode] = &[ErrorCode::InvalidOption, ErrorCode::InvalidAppDomain];
const PARAMS_CODES: &[ErrorCode] = &[ErrorCode::InvalidOption];
const REDIRECT_CODES: &[ErrorCode] = &[ErrorCode::InvalidRedirect];
const BUILD_CODES: &[ErrorCode] = &[
    ErrorCode::InvalidRedirect,
    ErrorCode::RedirectNotAllowed,
    ErrorCode::InvalidOption,
];

/// Asserts that `error`, from the reader `what`, has one of `codes`.
fn assert_refused(error: &genauth_logout::Error, codes: &[ErrorCode], what: &str) {
    assert!(codes.contains(&error.code()), "{what}: {error}");
}

/// A decoded call: config entries, param entries, the redirect value, the page.
#[derive(Clone, Debug)]
pub struct Call {
    /// Entries of the config object.
    pub config: Vec<(String, Value)>,
    /// Entries of the params object.
    pub params: Vec<(String, Value)>,
    /// The redirect argument.
    pub redirect: Value,
    /// `location.origin`, if in a browser.
    pub page: Option<&'static str>,
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl Call {
    /// Decodes fuzzer bytes: tokens separated by 0xFF; the first token's
    /// first byte picks the page (modulo 5: none or `PAGE_ORIGINS[n - 1]`).
    /// Each further token is `tag name 0xFE value`: tag bits 0-2 give the
    /// shape (undefined, string, boolean — true when the value is non-empty —,
    /// string list split on 0xFD, function, other), bit 3 sends the entry to
    /// params instead of config, bit 4 makes it the redirect argument.
    pub fn from_bytes(data: &[u8]) -> Self {
        let mut tokens = data.split(|&b| b == 0xFF);
        let page = match tokens.next().and_then(|t| t.first()).map_or(0, |b| b % 5) {
            0 => None,
            n => Some(PAGE_ORIGINS[usize::from(n - 1)]),
        };
        let mut call = Call {
            config: Vec::new(),
            params: Vec::new(),
            redirect: Value::Undefined,
            page,
        };
        for token in tokens {
            let Some((&tag, rest)) = token.split_first() else {
                continue;
            };
            let (name, value) = match rest.iter().position(|&b| b == 0xFE) {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &[][..]),
            };
            let value = match tag & 7 {
                0 => Value::Undefined,
                1 => Value::String(lossy(value)),
                2 => Value::Bool(!value.is_empty()),
                3 => Value::List(value.split(|&b| b == 0xFD).map(lossy).collect()),
                4 => Value::Function,
                _ => Value::Other,
            };
            if tag & 16 != 0 {
                call.redirect = value;
            } else if tag & 8 != 0 {
                call.params.push((lossy(name), value));
            } else {
                call.config.push((lossy(name), value));
            }
        }
        call
    }
}

/// Runs the call through the readers and the builder, checking the contract.
pub fn check_call(call: &Call) {
    let p = WhatwgUrl;
    let unknown_config = call
        .config
        .iter()
        .any(|(name, _)| !CONFIG_NAMES.contains(&name.as_str()));
    let unknown_param = call
        .params
        .iter()
        .any(|(name, _)| !PARAM_NAMES.contains(&name.as_str()));
    let endpoint =
        call.config
            .iter()
            .rev()
            .find_map(|(name, value)| match (name.as_str(), value) {
                ("endSessionEndpoint", Value::String(s)) => Some(s.to_string()),
                _ => None,
            });
    let (config, _) = match read_config(&records(&call.config), call.page, &p) {
        Ok(c) => {
            assert!(!unknown_config, "unknown config option accepted: {call:?}");
            c
        }
        Err(e) => return assert_refused(&e, CONFIG_CODES, &format!("read_config for {call:?}")),
    };
    let params_records = records(&call.params);
    let (params, _) = match read_params(&params_records) {
        Ok(p) => {
            assert!(!unknown_param, "unknown param accepted: {call:?}");
            p
        }
        Err(e) => return assert_refused(&e, PARAMS_CODES, &format!("read_params for {call:?}")),
    };
    let mut redirect_record = RecordWriter::new();
    call.redirect.write(&mut redirect_record);
    let redirect_record = redirect_record.finish();
    let redirect = match read_redirect(&redirect_record) {
        Ok(r) => {
            assert!(
                matches!(call.redirect, Value::Undefined | Value::String(_)),
                "redirect of shape {:?} accepted",
                call.redirect
            );
            r
        }
        Err(e) => return assert_refused(&e, REDIRECT_CODES, "read_redirect"),
    };
    match config.build(redirect, &params, &p) {
        Ok(target) => {
            let url = target.url();
            let parts = p
                .parse(&url)
                .unwrap_or_else(|| panic!("produced URL {url:?} does not parse ({call:?})"));
            let app = config.app_domain().origin();
            let endpoint_origin = endpoint
                .as_deref()
                .and_then(|e| p.parse(e))
                .map(|e| e.origin().to_string());
            assert!(
                parts.origin() == app || Some(parts.origin()) == endpoint_origin.as_deref(),
                "URL {url:?} has origin {:?}, neither {app:?} nor the endpoint's",
                parts.origin()
            );
            for (_, value) in target.fields() {
                let mut encoded = String::new();
                genauth_logout::encode_uri_component_into(value, &mut encoded);
                assert!(is_component_encoded(&encoded));
                assert!(url.contains(&encoded), "{url:?} lacks {encoded:?}");
            }
        }
        Err(e) => assert_refused(&e, BUILD_CODES, &format!("build for {call:?}")),
    }
}

/// The readers over raw record strings, well-formed or not (the facade never
/// writes malformed records, but the decoder must refuse them cleanly): the
/// input split on 0xFF into config records, params records and the tagged
/// redirect. No panic; a failure has one of the documented codes.
pub fn check_raw_records(data: &[u8]) {
    let mut parts = data.split(|&b| b == 0xFF).map(lossy);
    let config = parts.next().unwrap_or_default();
    let params = parts.next().unwrap_or_default();
    let redirect = parts.next().unwrap_or_default();
    let p = WhatwgUrl;
    let (config, _) = match read_config(&config, Some(PAGE_ORIGINS[0]), &p) {
        Ok(c) => c,
        Err(e) => return assert_refused(&e, CONFIG_CODES, "read_config"),
    };
    let (params, _) = match read_params(&params) {
        Ok(p) => p,
        Err(e) => return assert_refused(&e, PARAMS_CODES, "read_params"),
    };
    let redirect = match read_redirect(&redirect) {
        Ok(r) => r,
        Err(e) => return assert_refused(&e, REDIRECT_CODES, "read_redirect"),
    };
    if let Err(e) = config.build(redirect, &params, &p) {
        assert_refused(&e, BUILD_CODES, "build");
    }
}
