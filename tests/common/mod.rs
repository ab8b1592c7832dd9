//! The shared contract table (`tests/data/logout_cases.json`) as the native
//! and the wasm suites read it: JSON values become the option values
//! JavaScript would pass.
#![allow(dead_code)]

use genauth_logout::{read_config, read_params, read_redirect, OptionValue, UrlParser};
use serde_json::Value;

/// The page origin the table's "browser" cases assume.
pub const TABLE_ORIGIN: &str = "https://app.example.com";

/// A JSON value as the option value the facade would record.
pub fn option_value(value: &Value) -> OptionValue<'_> {
    match value {
        Value::String(s) => OptionValue::String(s.into()),
        Value::Bool(b) => OptionValue::Bool(*b),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(Into::into))
            .collect::<Option<Vec<_>>>()
            .map_or(OptionValue::Other, OptionValue::StringList),
        _ => OptionValue::Other,
    }
}

/// A JSON object as named option values.
pub fn entries(object: Option<&Value>) -> Vec<(&str, OptionValue<'_>)> {
    object
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.as_str(), option_value(v)))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs one case through the core: the URL, or the error code.
pub fn run(
    case: &Value,
    page_origin: Option<&str>,
    parser: &impl UrlParser,
) -> Result<String, String> {
    let redirect = case
        .get("redirect")
        .map_or(OptionValue::Undefined, option_value);
    let go = || {
        let (config, _) = read_config(entries(case.get("config")), page_origin, parser)?;
        let (params, _) = read_params(entries(case.get("params")))?;
        let redirect = read_redirect(redirect)?;
        config.build(redirect.as_deref(), &params, parser)
    };
    go().map(|t| t.url())
        .map_err(|e| e.code().as_str().to_string())
}

/// Every case of the table.
pub fn cases() -> Vec<Value> {
    let table: Value =
        serde_json::from_str(include_str!("../data/logout_cases.json")).expect("table JSON");
    let cases = table["cases"].as_array().expect("cases").clone();
    assert!(cases.len() > 100, "the table lost cases");
    cases
}

/// What a case expects: the URL, or the error code.
pub fn expected(case: &Value) -> Result<String, String> {
    match (case.get("url"), case.get("error")) {
        (Some(url), None) => Ok(url.as_str().expect("url").to_string()),
        (None, Some(code)) => Err(code.as_str().expect("code").to_string()),
        _ => panic!("case needs exactly one of url/error: {case}"),
    }
}
