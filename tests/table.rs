//! The shared contract table (`tests/data/logout_cases.json`) run against the
//! native core. The wasm and JavaScript suites read the same file.

mod common;

use common::{cases, expected, run, TABLE_ORIGIN};
use genauth_logout::WhatwgUrl;

#[test]
fn contract_table() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let page = case["browser"]
            .as_bool()
            .unwrap_or(false)
            .then_some(TABLE_ORIGIN);
        let want = expected(case);
        let got = run(case, page, &WhatwgUrl);
        if got != want {
            failures.push(format!(
                "{}\n   expected {:?}\n   got      {:?}",
                case["name"], want, got
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
