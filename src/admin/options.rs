//! The `AdminClient` options object, as JavaScript passes it.
//!
//! The wasm layer turns the plain object into `(name, AdminValue)` pairs; the
//! rules (which names exist, which shapes and ranges they take) live here so
//! they are tested natively. An unknown name is `invalid_option`: a typo such
//! as `userpoolId` must not be ignored. Messages name the option, never its
//! value, so a misplaced token cannot end up in an error.

use alloc::string::String;
use alloc::vec::Vec;

use super::request::AdminConfig;
use super::{MAX_RETRIES, MAX_TIMEOUT_MS};
use crate::domain::AppDomain;
use crate::error::{Error, ErrorCode, Result};
use crate::url_parser::UrlParser;

/// One option value, as read from a JavaScript object.
#[derive(Clone, Debug, PartialEq)]
pub enum AdminValue {
    /// `undefined`: as if the option were not given.
    Undefined,
    /// A well-formed string.
    String(String),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A function.
    Function,
    /// Anything else (`null`, an object, a string with lone surrogates …).
    Other,
}

/// The options that only concern the JavaScript runtime, after validation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AdminRuntime {
    /// A `fetch` function was given (otherwise `globalThis.fetch` is used).
    pub fetch: bool,
    /// The caller accepts running in a browser page, where the token is
    /// visible to anyone who opens the developer tools.
    pub dangerously_allow_browser: bool,
}

fn string(name: &str, value: AdminValue) -> Result<Option<String>> {
    match value {
        AdminValue::Undefined => Ok(None),
        AdminValue::String(s) => Ok(Some(s)),
        _ => Err(Error::option(name, " must be a string")),
    }
}

fn integer(name: &str, value: AdminValue, max: u32, expected: &'static str) -> Result<Option<u32>> {
    match value {
        AdminValue::Undefined => Ok(None),
        // In range (NaN is not) and integral: the conversion is exact.
        AdminValue::Number(n)
            if (0.0..=f64::from(max)).contains(&n) && f64::from(n as u32) == n =>
        {
            Ok(Some(n as u32))
        }
        _ => Err(Error::option(name, expected)),
    }
}

/// Reads the `AdminClient` constructor's options.
///
/// `appDomain`, `userPoolId` and `token` are required; `timeoutMs` (default
/// 10000) and `retries` (default 2) are integers in range; `fetch` is a
/// function; `dangerouslyAllowBrowser` a boolean.
pub fn read_admin_config(
    entries: Vec<(String, AdminValue)>,
    parser: &impl UrlParser,
) -> Result<(AdminConfig, AdminRuntime)> {
    let mut app_domain = None;
    let mut user_pool_id = None;
    let mut token = None;
    let mut timeout_ms = None;
    let mut retries = None;
    let mut runtime = AdminRuntime::default();
    for (name, value) in entries {
        match name.as_str() {
            "appDomain" => app_domain = string("appDomain", value)?,
            "userPoolId" => user_pool_id = string("userPoolId", value)?,
            "token" => token = string("token", value)?,
            "timeoutMs" => {
                timeout_ms = integer(
                    "timeoutMs",
                    value,
                    MAX_TIMEOUT_MS,
                    " must be an integer from 1 to 600000 (milliseconds)",
                )?
            }
            "retries" => {
                retries = integer(
                    "retries",
                    value,
                    MAX_RETRIES,
                    " must be an integer from 0 to 10",
                )?
            }
            "fetch" => match value {
                AdminValue::Undefined => {}
                AdminValue::Function => runtime.fetch = true,
                _ => return Err(Error::option("fetch", " must be a function")),
            },
            "dangerouslyAllowBrowser" => match value {
                AdminValue::Undefined => {}
                AdminValue::Bool(b) => runtime.dangerously_allow_browser = b,
                _ => {
                    return Err(Error::option(
                        "dangerouslyAllowBrowser",
                        " must be a boolean",
                    ))
                }
            },
            other => {
                let shown = other
                    .char_indices()
                    .nth(64)
                    .map_or(other, |(i, _)| &other[..i]);
                return Err(Error::with_detail(
                    ErrorCode::InvalidOption,
                    "unknown option: ",
                    shown,
                ));
            }
        }
    }
    let app_domain = app_domain.ok_or(Error::new(
        ErrorCode::InvalidOption,
        "appDomain is required, for example \"myapp.genauth.ai\"",
    ))?;
    let user_pool_id = user_pool_id.ok_or(Error::new(
        ErrorCode::InvalidOption,
        "userPoolId is required",
    ))?;
    let token = token.ok_or(Error::new(
        ErrorCode::InvalidOption,
        "token (the user pool administrator's token) is required",
    ))?;
    let mut config = AdminConfig::new(
        AppDomain::parse_with(&app_domain, parser)?,
        &user_pool_id,
        &token,
    )?;
    if let Some(ms) = timeout_ms {
        config = config.with_timeout_ms(ms)?;
    }
    if let Some(n) = retries {
        config = config.with_retries(n)?;
    }
    Ok((config, runtime))
}

#[cfg(all(test, feature = "url"))]
mod tests {
    use super::*;
    use crate::url_parser::WhatwgUrl;

    fn s(v: &str) -> AdminValue {
        AdminValue::String(v.into())
    }

    fn base() -> Vec<(String, AdminValue)> {
        alloc::vec![
            ("appDomain".into(), s("http://127.0.0.1:8080")),
            ("userPoolId".into(), s("pool")),
            ("token".into(), s("very-secret")),
        ]
    }

    fn with(extra: &[(&str, AdminValue)]) -> Result<(AdminConfig, AdminRuntime)> {
        let mut entries = base();
        entries.extend(extra.iter().map(|(k, v)| (String::from(*k), v.clone())));
        read_admin_config(entries, &WhatwgUrl)
    }

    #[test]
    fn reads_defaults_and_every_option() {
        let (c, rt) = with(&[]).expect("valid");
        assert_eq!((c.timeout_ms(), c.retries()), (10_000, 2));
        assert_eq!(rt, AdminRuntime::default());
        assert_eq!(c.app_domain().origin(), "http://127.0.0.1:8080");
        let (c, rt) = with(&[
            ("timeoutMs", AdminValue::Number(1.0)),
            ("retries", AdminValue::Number(0.0)),
            ("fetch", AdminValue::Function),
            ("dangerouslyAllowBrowser", AdminValue::Bool(true)),
            ("retries", AdminValue::Number(10.0)),
        ])
        .expect("valid");
        assert_eq!((c.timeout_ms(), c.retries()), (1, 10));
        assert!(rt.fetch && rt.dangerously_allow_browser);
        assert!(with(&[("fetch", AdminValue::Undefined)]).is_ok());
    }

    #[test]
    fn refuses_bad_options_without_quoting_values() {
        let cases: &[(&str, AdminValue)] = &[
            ("tokn", s("very-secret")),
            ("timeoutMs", AdminValue::Number(0.0)),
            ("timeoutMs", AdminValue::Number(1.5)),
            ("timeoutMs", AdminValue::Number(f64::NAN)),
            ("timeoutMs", AdminValue::Number(f64::INFINITY)),
            ("timeoutMs", AdminValue::Number(600_001.0)),
            ("timeoutMs", s("100")),
            ("retries", AdminValue::Number(-1.0)),
            ("retries", AdminValue::Number(11.0)),
            ("fetch", s("fetch")),
            ("dangerouslyAllowBrowser", s("true")),
            ("token", AdminValue::Other),
            ("token", s("")),
            ("userPoolId", AdminValue::Number(1.0)),
        ];
        for (k, v) in cases {
            let err = with(&[(k, v.clone())]).map(drop).expect_err(k);
            assert_eq!(err.code(), ErrorCode::InvalidOption, "{k} {v:?}");
            assert!(!err.message().contains("very-secret"));
        }
        let missing = read_admin_config(base().into_iter().skip(1).collect(), &WhatwgUrl);
        assert_eq!(
            missing.map(drop).map_err(|e| e.code()),
            Err(ErrorCode::InvalidOption)
        );
        let bad_domain = with(&[("appDomain", s("https://x.example/path"))]);
        assert_eq!(
            bad_domain.map(drop).map_err(|e| e.code()),
            Err(ErrorCode::InvalidAppDomain)
        );
    }
}
