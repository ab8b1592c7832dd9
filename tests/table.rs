//! The shared contract table (`tests/data/logout_cases.json`) run against the
//! native core. The wasm and JavaScript suites read the same file.

use genauth_logout::{read_config, read_params, read_redirect, OptionValue, WhatwgUrl};
use serde_json::Value;

const PAGE_ORIGIN: &str = "https://app.example.com";

fn option_value(value: &Value) -> OptionValue {
    match value {
        Value::String(s) => OptionValue::String(s.clone()),
        Value::Bool(b) => OptionValue::Bool(*b),
        Value::Array(items) => {
            let strings: Option<Vec<String>> =
                items.iter().map(|v| v.as_str().map(String::from)).collect();
            strings.map_or(OptionValue::Other, OptionValue::StringList)
        }
        _ => OptionValue::Other,
    }
}

fn entries(object: Option<&Value>) -> Vec<(String, OptionValue)> {
    object
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), option_value(v)))
                .collect()
        })
        .unwrap_or_default()
}

fn run(case: &Value) -> Result<String, String> {
    let page = case["browser"]
        .as_bool()
        .unwrap_or(false)
        .then_some(PAGE_ORIGIN);
    let redirect = case
        .get("redirect")
        .map_or(OptionValue::Undefined, option_value);
    let go = || {
        let (config, _) = read_config(entries(case.get("config")), page, &WhatwgUrl)?;
        let (params, _) = read_params(entries(case.get("params")))?;
        let redirect = read_redirect(redirect)?;
        config.build(redirect.as_deref(), &params, &WhatwgUrl)
    };
    go().map(|t| t.url())
        .map_err(|e| e.code().as_str().to_string())
}

#[test]
fn contract_table() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/logout_cases.json"
    ))
    .expect("table file");
    let table: Value = serde_json::from_str(&text).expect("table JSON");
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() > 100, "the table lost cases");
    let mut failures = Vec::new();
    for case in cases {
        let expected = match (case.get("url"), case.get("error")) {
            (Some(url), None) => Ok(url.as_str().expect("url").to_string()),
            (None, Some(code)) => Err(code.as_str().expect("code").to_string()),
            _ => panic!("case needs exactly one of url/error: {case}"),
        };
        let got = run(case);
        if got != expected {
            failures.push(format!(
                "{}\n   expected {:?}\n   got      {:?}",
                case["name"], expected, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
