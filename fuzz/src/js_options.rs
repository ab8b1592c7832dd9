//! The option readers as the wasm layer drives them: a JavaScript object
//! becomes a list of `(name, OptionValue)`, any names, any shapes, repeated
//! names included. No panic; unknown names and wrong shapes are refused with
//! the documented codes; a URL that comes out has the configured origin.

use genauth_logout::{
    read_config, read_params, read_redirect, ErrorCode, OptionValue, UrlParser, WhatwgUrl,
};

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

/// A decoded call: config entries, param entries, the redirect value, the page.
#[derive(Clone, Debug)]
pub struct Call {
    /// Entries of the config object.
    pub config: Vec<(String, OptionValue<'static>)>,
    /// Entries of the params object.
    pub params: Vec<(String, OptionValue<'static>)>,
    /// The redirect argument.
    pub redirect: OptionValue<'static>,
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
            redirect: OptionValue::Undefined,
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
                0 => OptionValue::Undefined,
                1 => OptionValue::String(lossy(value).into()),
                2 => OptionValue::Bool(!value.is_empty()),
                3 => OptionValue::StringList(
                    value
                        .split(|&b| b == 0xFD)
                        .map(|v| lossy(v).into())
                        .collect(),
                ),
                4 => OptionValue::Function,
                _ => OptionValue::Other,
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
                ("endSessionEndpoint", OptionValue::String(s)) => Some(s.to_string()),
                _ => None,
            });
    let (config, _) = match read_config(call.config.clone(), call.page, &p) {
        Ok(c) => {
            assert!(!unknown_config, "unknown config option accepted: {call:?}");
            c
        }
        Err(e) => {
            assert!(
                matches!(
                    e.code(),
                    ErrorCode::InvalidOption | ErrorCode::InvalidAppDomain
                ),
                "read_config: {e} for {call:?}"
            );
            return;
        }
    };
    let (params, _) = match read_params(call.params.clone()) {
        Ok(p) => {
            assert!(!unknown_param, "unknown param accepted: {call:?}");
            p
        }
        Err(e) => {
            assert_eq!(
                e.code(),
                ErrorCode::InvalidOption,
                "read_params: {e} for {call:?}"
            );
            return;
        }
    };
    let redirect = match read_redirect(call.redirect.clone()) {
        Ok(r) => {
            assert!(
                matches!(
                    call.redirect,
                    OptionValue::Undefined | OptionValue::String(_)
                ),
                "redirect of shape {:?} accepted",
                call.redirect
            );
            r
        }
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::InvalidRedirect, "read_redirect: {e}");
            return;
        }
    };
    match config.build(redirect.as_deref(), &params, &p) {
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
        Err(e) => assert!(
            matches!(
                e.code(),
                ErrorCode::InvalidRedirect
                    | ErrorCode::RedirectNotAllowed
                    | ErrorCode::InvalidOption
            ),
            "build: {e} for {call:?}"
        ),
    }
}
