//! Options as JavaScript passes them: named values of a few shapes.
//!
//! The wasm layer turns a plain JS object into a list of `(name, OptionValue)`
//! and hands it here; the rules about which names exist and which shapes they
//! take live in this file, so they are the same in every build and tested
//! natively. An unknown name or a wrong shape is `invalid_option`: a typo such
//! as `redirectUri` must not be ignored silently.

use alloc::string::String;
use alloc::vec::Vec;

use crate::domain::AppDomain;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_LIST_LEN, MAX_PARAM_LEN};
use crate::logout::{LogoutConfig, LogoutParams, Method, Protocol};
use crate::redirect::RedirectPolicy;
use crate::url_parser::UrlParser;

/// One option value, as read from a JavaScript object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionValue {
    /// `undefined`: treated as if the option were not given.
    Undefined,
    /// A well-formed string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An array whose elements are all well-formed strings.
    StringList(Vec<String>),
    /// A function.
    Function,
    /// A string too long to be copied out of JavaScript (over 64 Ki UTF-16
    /// units, beyond every limit here).
    TooLong,
    /// Anything else (`null`, a number, an object, a string with lone surrogates …).
    Other,
}

/// The options that only matter in a browser, after validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BrowserOptions {
    /// Keys to remove from `localStorage` and `sessionStorage` before navigating.
    pub clear_storage_keys: Vec<String>,
    /// Navigate with `location.replace` instead of `location.assign`.
    pub replace: bool,
    /// A `navigate(url)` callback was given.
    pub navigate: bool,
    /// The BroadcastChannel name for cross-tab notices.
    pub channel_name: Option<String>,
}

fn string(name: &str, value: OptionValue) -> Result<Option<String>> {
    match value {
        OptionValue::Undefined => Ok(None),
        OptionValue::String(s) => Ok(Some(s)),
        OptionValue::TooLong => Err(Error::option(name, " is too long")),
        _ => Err(Error::option(name, " must be a string")),
    }
}

fn param(name: &str, value: OptionValue) -> Result<Option<String>> {
    // Lengths of OIDC parameters are checked where they are used, with
    // their own limits (an ID token may be long).
    string(name, value)
}

fn boolean(name: &str, value: OptionValue) -> Result<Option<bool>> {
    match value {
        OptionValue::Undefined => Ok(None),
        OptionValue::Bool(b) => Ok(Some(b)),
        _ => Err(Error::option(name, " must be a boolean")),
    }
}

fn list(name: &str, value: OptionValue) -> Result<Option<Vec<String>>> {
    match value {
        OptionValue::Undefined => Ok(None),
        OptionValue::StringList(items) if items.len() <= MAX_LIST_LEN => Ok(Some(items)),
        OptionValue::StringList(_) => Err(Error::option(name, " has too many entries")),
        _ => Err(Error::option(name, " must be an array of strings")),
    }
}

fn protocol(value: OptionValue) -> Result<Option<Protocol>> {
    match string("protocol", value)? {
        None => Ok(None),
        Some(name) => Protocol::from_name(&name).map(Some).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidOption,
                "protocol must be \"genauth\", \"oidc\" or \"cas\"",
            )
        }),
    }
}

fn method(value: OptionValue) -> Result<Option<Method>> {
    match string("method", value)? {
        None => Ok(None),
        Some(name) => Method::from_name(&name).map(Some).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidOption,
                "method must be \"get\" or \"post\"",
            )
        }),
    }
}

fn unknown(name: &str) -> Error {
    // The name is echoed to help with typos, but never more than 64 bytes of it.
    let mut end = name.len().min(64);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    Error::with_detail(
        ErrorCode::InvalidOption,
        "unknown option: ",
        name.get(..end).unwrap_or(""),
    )
}

/// Reads a `LogoutConfig` object (`configure(config)`, `new LogoutClient(config)`).
///
/// `page_origin` is `location.origin` when running in a browser page.
pub fn read_config(
    entries: Vec<(String, OptionValue)>,
    page_origin: Option<&str>,
    parser: &impl UrlParser,
) -> Result<(LogoutConfig, BrowserOptions)> {
    let mut app_domain = None;
    let mut protocol_name = None;
    let mut method_name = None;
    let mut endpoint = None;
    let mut client_id = None;
    let mut allowed = None;
    let mut browser = BrowserOptions::default();
    for (name, value) in entries {
        match name.as_str() {
            "appDomain" => {
                app_domain = match value {
                    // The same code as an app domain over the core's own limit.
                    OptionValue::TooLong => {
                        return Err(Error::new(
                            ErrorCode::InvalidAppDomain,
                            "appDomain is too long",
                        ))
                    }
                    value => string("appDomain", value)?,
                }
            }
            "protocol" => protocol_name = protocol(value)?,
            "method" => method_name = method(value)?,
            "endSessionEndpoint" => endpoint = string("endSessionEndpoint", value)?,
            "clientId" => client_id = param("clientId", value)?,
            "allowedRedirectOrigins" => allowed = list("allowedRedirectOrigins", value)?,
            "clearStorageKeys" => {
                browser.clear_storage_keys = list("clearStorageKeys", value)?.unwrap_or_default();
                if browser
                    .clear_storage_keys
                    .iter()
                    .any(|key| key.len() > MAX_PARAM_LEN)
                {
                    return Err(Error::option(
                        "clearStorageKeys",
                        " has an entry that is too long",
                    ));
                }
            }
            "replace" => browser.replace = boolean("replace", value)?.unwrap_or(false),
            "navigate" => match value {
                OptionValue::Undefined => {}
                OptionValue::Function => browser.navigate = true,
                _ => return Err(Error::option("navigate", " must be a function")),
            },
            "channelName" => {
                browser.channel_name = string("channelName", value)?;
                if browser
                    .channel_name
                    .as_ref()
                    .is_some_and(|c| c.is_empty() || c.len() > 256)
                {
                    return Err(Error::option("channelName", " must be 1 to 256 bytes"));
                }
            }
            other => return Err(unknown(other)),
        }
    }
    let app_domain = app_domain.ok_or(Error::new(
        ErrorCode::InvalidOption,
        "appDomain is required, for example \"myapp.genauth.ai\"",
    ))?;
    let mut config = LogoutConfig::new(AppDomain::parse_with(&app_domain, parser)?);
    if let Some(protocol) = protocol_name {
        config = config.protocol(protocol);
    }
    if let Some(method) = method_name {
        config = config.method(method);
    }
    if let Some(endpoint) = endpoint {
        config = config.end_session_endpoint(endpoint, parser)?;
    }
    if let Some(client_id) = client_id {
        config = config.client_id(client_id)?;
    }
    let mut policy = RedirectPolicy::new();
    if let Some(page) = page_origin {
        policy = policy.page_origin(page);
    }
    if let Some(allowed) = allowed {
        policy = policy.allowed_origins(&allowed, parser)?;
    }
    Ok((config.redirect_policy(policy), browser))
}

/// Reads a `LogoutParams` object (the second argument of `buildLogoutUrl` and
/// `logout`). Returns the parameters and the per-call `replace`.
pub fn read_params(entries: Vec<(String, OptionValue)>) -> Result<(LogoutParams, Option<bool>)> {
    let mut params = LogoutParams::default();
    let mut replace = None;
    for (name, value) in entries {
        match name.as_str() {
            "protocol" => params.protocol = protocol(value)?,
            "method" => params.method = method(value)?,
            "idTokenHint" => params.id_token_hint = param("idTokenHint", value)?,
            "state" => params.state = param("state", value)?,
            "clientId" => params.client_id = param("clientId", value)?,
            "logoutHint" => params.logout_hint = param("logoutHint", value)?,
            "uiLocales" => params.ui_locales = param("uiLocales", value)?,
            "replace" => replace = boolean("replace", value)?,
            other => return Err(unknown(other)),
        }
    }
    Ok((params, replace))
}

/// Reads the redirect argument: `undefined` means none; anything but a
/// well-formed string is `invalid_redirect`.
pub fn read_redirect(value: OptionValue) -> Result<Option<String>> {
    match value {
        OptionValue::Undefined => Ok(None),
        OptionValue::String(s) => Ok(Some(s)),
        OptionValue::TooLong => Err(Error::new(
            ErrorCode::InvalidRedirect,
            "redirect is too long",
        )),
        _ => Err(Error::new(
            ErrorCode::InvalidRedirect,
            "redirect must be a string of well-formed Unicode",
        )),
    }
}
