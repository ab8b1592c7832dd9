//! The shared contract table (`tests/data/logout_cases.json`) as the native
//! and the wasm suites read it: JSON values become the option values
//! JavaScript would pass, read by the browser module's option rules
//! (`pkg-template/browser`) into the core's Rust API.
#![allow(dead_code)]

use genauth_logout::UrlParser;
use genauth_logout_browser::wire::RecordWriter;
use genauth_logout_browser::{read_config, read_params, read_redirect};
use serde_json::Value;

/// The page origin the table's "browser" cases assume.
pub const TABLE_ORIGIN: &str = "https://app.example.com";

/// Writes a JSON value's record as the facade would.
fn write_value(w: &mut RecordWriter, value: &Value) {
    match value {
        Value::String(s) => w.string(s),
        Value::Bool(b) => w.bool(*b),
        Value::Array(items) => match items.iter().map(Value::as_str).collect::<Option<Vec<_>>>() {
            Some(strings) => w.list(&strings),
            None => w.other(),
        },
        _ => w.other(),
    };
}

/// A JSON value as the tagged record the facade would pass (`""`: absent).
pub fn tagged(value: Option<&Value>) -> String {
    let mut w = RecordWriter::new();
    if let Some(value) = value {
        write_value(&mut w, value);
    }
    w.finish()
}

/// A JSON object as the option records the facade would pass.
pub fn records(object: Option<&Value>) -> String {
    let mut w = RecordWriter::new();
    for (key, value) in object.and_then(Value::as_object).into_iter().flatten() {
        w.key(key);
        write_value(&mut w, value);
    }
    w.finish()
}

/// Runs one case through the core: the URL, or the error code.
pub fn run(
    case: &Value,
    page_origin: Option<&str>,
    parser: &impl UrlParser,
) -> Result<String, String> {
    let config = records(case.get("config"));
    let params = records(case.get("params"));
    let redirect = tagged(case.get("redirect"));
    let go = || {
        let (config, _) = read_config(&config, page_origin, parser)?;
        let (params, _) = read_params(&params)?;
        let redirect = read_redirect(&redirect)?;
        config.build(redirect, &params, parser)
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
