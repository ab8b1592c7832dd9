//! The browser module compiled to wasm32 with the platform's own WHATWG
//! `URL` (`platform.js`, as the npm package uses it, here reached through
//! wasm-bindgen), run by wasm-bindgen-test in Node and in headless Chromium:
//!
//! ```text
//! cargo test -p genauth-logout-browser --target wasm32-unknown-unknown --features bindgen-tests --test wasm
//! WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
//!   cargo test -p genauth-logout-browser --target wasm32-unknown-unknown --features bindgen-tests --test wasm
//! ```
//!
//! Most tests drive the public core through a `URL`-backed parser; the
//! `exported` module calls what the module's `c` export calls
//! ([`genauth_logout_browser::answer::call`]), over option records. The
//! module's own ABI and `wire.js` are covered by the package-level suites
//! (tests/js), which run the built package.
#![cfg(target_arch = "wasm32")]

#[path = "../../../tests/common/mod.rs"]
mod common;

use common::{cases, expected, TABLE_ORIGIN};

fn run(case: &Value, page_origin: Option<&str>) -> Result<String, String> {
    common::run(case, page_origin, &PlatformUrl)
}
use genauth_logout::{encode_uri_component, Characters, UrlParser, UrlParts};
use genauth_logout_browser::platform::PlatformUrl;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

/// Replaces the table's page origin, plain and encoded, in every string.
fn substitute(value: &Value, origin: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace(TABLE_ORIGIN, origin).replace(
            &encode_uri_component(TABLE_ORIGIN),
            &encode_uri_component(origin),
        )),
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, origin)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), substitute(v, origin)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn check_all(cases: &[Value], page_origin: impl Fn(&Value) -> Option<String>) {
    let mut failures = Vec::new();
    for case in cases {
        let origin = page_origin(case);
        let got = run(case, origin.as_deref());
        let want = expected(case);
        if got != want {
            failures.push(format!(
                "{} (page origin {:?})\n   expected {:?}\n   got      {:?}",
                case["name"], origin, want, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed with the platform URL parser:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The whole table, with the platform's `URL` instead of the `url` crate.
#[wasm_bindgen_test]
fn contract_table_with_platform_url() {
    check_all(&cases(), |case| {
        case["browser"]
            .as_bool()
            .unwrap_or(false)
            .then(|| TABLE_ORIGIN.to_string())
    });
}

fn page_origin() -> Option<String> {
    js_sys::global()
        .dyn_into::<web_sys::Window>()
        .ok()
        .and_then(|w| w.location().origin().ok())
}

/// In a real page: the browser cases against the page's own origin, as the
/// wasm entry reads it (`window.location.origin`). Outside a page there is
/// no window, which is what the package's no-window rules rely on.
#[wasm_bindgen_test]
fn browser_cases_with_the_real_page_origin() {
    let Some(origin) = page_origin() else {
        assert!(
            js_sys::Reflect::get(&js_sys::global(), &"window".into())
                .map(|w| w.is_undefined())
                .unwrap_or(true),
            "a global window exists but is not a Window"
        );
        return;
    };
    assert!(
        origin.starts_with("http://127.0.0.1:") || origin.starts_with("http://localhost:"),
        "unexpected test page origin {origin}"
    );
    let browser: Vec<Value> = cases()
        .iter()
        .filter(|c| c["browser"].as_bool().unwrap_or(false))
        .map(|c| substitute(c, &origin))
        .collect();
    assert!(browser.len() >= 5, "the table has browser cases");
    check_all(&browser, |_| Some(origin.clone()));
}

/// The crate's own string primitives, as a native build uses them: a parser
/// that only provides `parse` gets the provided `encode_uri_component_into`
/// and `characters`.
struct OwnPrimitives;

impl UrlParser for OwnPrimitives {
    fn parse(&self, _: &str) -> Option<UrlParts> {
        None
    }
}

/// Every Unicode scalar value.
fn scalars() -> impl Iterator<Item = char> {
    (0u32..0xD800)
        .chain(0xE000..=0x10_FFFF)
        .filter_map(char::from_u32)
}

/// The core's encoder must equal the engine's `encodeURIComponent` (as
/// `js_sys` calls it and as the browser build's `PlatformUrl` asks it) for
/// every scalar value: one by one for one in 64, and all of them in batches.
#[wasm_bindgen_test]
fn encode_uri_component_matches_the_engine() {
    let mut failures = Vec::new();
    let engine = |s: &str| -> [String; 2] {
        let mut platform = String::new();
        PlatformUrl.encode_uri_component_into(s, &mut platform);
        [js_sys::encode_uri_component(s).into(), platform]
    };
    let mut batch = String::new();
    for (i, c) in scalars().enumerate() {
        let single = c.to_string();
        if i % 64 == 0 {
            let ours = encode_uri_component(&single);
            for theirs in engine(&single) {
                if ours != theirs {
                    failures.push(format!(
                        "U+{:04X}: ours {ours:?}, engine {theirs:?}",
                        c as u32
                    ));
                }
            }
        }
        batch.push(c);
        if batch.len() > 4096 || c == char::MAX {
            let ours = encode_uri_component(&batch);
            if engine(&batch).iter().any(|theirs| *theirs != ours) {
                failures.push(format!("batch ending U+{:04X} differs", c as u32));
            }
            batch.clear();
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The engine's control characters and white space (`\p{Cc}`, `\s`, as
/// `PlatformUrl` asks them) must be the crate's own for every scalar value
/// at the start, and for every BMP one (and one astral in 97) at the end
/// and inside.
#[wasm_bindgen_test]
fn control_and_white_space_match_the_engine() {
    let mut failures = Vec::new();
    for (i, c) in scalars().enumerate() {
        let mut framings = vec![format!("{c}b")];
        if (c as u32) < 0x1_0000 || i % 97 == 0 {
            framings.push(format!("a{c}"));
            framings.push(format!("a{c}b"));
        }
        for s in framings {
            let (ours, engine) = (OwnPrimitives.characters(&s), PlatformUrl.characters(&s));
            if ours != engine {
                failures.push(format!("{s:?}: ours {ours:?}, engine {engine:?}"));
            }
        }
    }
    // The classes are not all alike: each one occurs.
    let seen = ["a", "a b", " a", "a\u{7f}"].map(|s| PlatformUrl.characters(s));
    assert_eq!(
        seen,
        [
            Characters::Clean,
            Characters::WhiteSpaceInside,
            Characters::WhiteSpaceAtEnd,
            Characters::Control
        ]
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A relative redirect needs a page; the guard compares origins as the
/// platform serializes them, so a look-alike suffix is another origin.
#[wasm_bindgen_test]
fn relative_redirects_and_look_alikes() {
    let case = serde_json::json!({
        "config": { "appDomain": "myapp.genauth.ai" },
        "redirect": "/after",
    });
    assert_eq!(
        run(&case, Some(TABLE_ORIGIN)),
        Ok("https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fafter".to_string())
    );
    assert_eq!(run(&case, None), Err("invalid_redirect".to_string()));
    let foreign = serde_json::json!({
        "config": { "appDomain": "myapp.genauth.ai" },
        "redirect": "https://app.example.com.evil.com/",
    });
    assert_eq!(
        run(&foreign, Some(TABLE_ORIGIN)),
        Err("redirect_not_allowed".to_string())
    );
}

/// The exported function the JavaScript facade calls, over option records
/// (length-prefixed keys and tagged values; see src/wire.rs).
mod exported {
    use wasm_bindgen_test::wasm_bindgen_test;

    fn call(op: u32, config: &str, page: &str, redirect: &str, params: &str) -> String {
        genauth_logout_browser::answer::call(
            op,
            config.into(),
            page.into(),
            redirect.into(),
            params.into(),
        )
    }

    fn origin(config: &str, page: &str) -> String {
        call(0, config, page, "", "")
    }

    fn personal_center(config: &str, page: &str) -> String {
        call(1, config, page, "", "")
    }

    fn logout_url(config: &str, page: &str, redirect: &str, params: &str) -> String {
        call(2, config, page, redirect, params)
    }

    /// The plan; `logout` runs it with a window exactly when it has a page origin.
    fn logout_plan(config: &str, page: &str, redirect: &str, params: &str) -> String {
        call(3, config, page, redirect, params)
    }

    const CONFIG: &str = "9:appDomains16:myapp.genauth.ai";

    /// The error code of an answer (`!code\nmessage`), or `None` for a result.
    fn code(answer: String) -> Option<String> {
        answer
            .strip_prefix('!')
            .and_then(|a| a.split('\n').next().map(String::from))
    }

    #[wasm_bindgen_test]
    fn builds_the_issue_example() {
        assert_eq!(
            logout_url(CONFIG, "", "s33:https://app.example.com/a?b=c&d=é", ""),
            "https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fa%3Fb%3Dc%26d%3D%C3%A9"
        );
        assert_eq!(origin(CONFIG, ""), "https://myapp.genauth.ai");
        assert_eq!(personal_center(CONFIG, ""), "https://myapp.genauth.ai/u");
    }

    #[wasm_bindgen_test]
    fn errors_carry_stable_codes() {
        assert_eq!(
            code(logout_url(CONFIG, "", "s19:javascript:alert(1)", "")).as_deref(),
            Some("invalid_redirect")
        );
        assert_eq!(
            code(logout_url(CONFIG, "", "o", "")).as_deref(),
            Some("invalid_redirect")
        );
        assert_eq!(
            code(logout_url(CONFIG, "", "L", "")).as_deref(),
            Some("invalid_redirect")
        );
        assert_eq!(
            code(origin("9:appDomains23:http://myapp.genauth.ai", "")).as_deref(),
            Some("invalid_app_domain")
        );
        assert_eq!(
            code(origin("9:appDomians16:myapp.genauth.ai", "")).as_deref(),
            Some("invalid_option")
        );
        assert_eq!(
            code(origin("garbage", "")).as_deref(),
            Some("invalid_option")
        );
        assert_eq!(
            code(logout_url(
                CONFIG,
                "https://app.example.com",
                "s21:https://evil.example/",
                ""
            ))
            .as_deref(),
            Some("redirect_not_allowed")
        );
        assert_eq!(
            code(logout_plan(CONFIG, "", "s24:https://app.example.com/", "")).as_deref(),
            Some("no_window")
        );
    }

    #[wasm_bindgen_test]
    fn plans_say_how_to_leave() {
        let page = "https://app.example.com";
        assert_eq!(
            logout_plan(CONFIG, page, "s6:/after", ""),
            "Ahttps://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fafter"
        );
        assert!(logout_plan(CONFIG, page, "s6:/after", "7:replacet").starts_with("Rhttps://"));
        let oidc = "9:appDomains16:myapp.genauth.ai8:protocols4:oidc";
        assert_eq!(
            logout_plan(oidc, page, "s6:/after", "6:methods4:post5:states3:x y"),
            "Phttps://myapp.genauth.ai/oidc/session/end\npost_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fafter&state=x%20y"
        );
        assert!(
            logout_plan("9:appDomains16:myapp.genauth.ai8:navigateF", "", "", "")
                .starts_with("Nhttps://")
        );
    }

    /// Record strings are measured in UTF-16 units, as JavaScript's
    /// `length`: a character outside the BMP counts two. Lists carry their
    /// item count. A record that does not parse is refused, not guessed at.
    #[wasm_bindgen_test]
    fn records_count_utf16_units_and_refuse_malformed_input() {
        let config = "9:appDomains16:myapp.genauth.ai8:protocols4:oidc22:allowedRedirectOriginsl2:23:https://app.example.com19:https://b.example:8";
        assert_eq!(
            logout_url(config, "", "s26:https://b.example:8/😀?q=€", "5:states3:😀é"),
            "https://myapp.genauth.ai/oidc/session/end?post_logout_redirect_uri=https%3A%2F%2Fb.example%3A8%2F%F0%9F%98%80%3Fq%3D%E2%82%AC&state=%F0%9F%98%80%C3%A9"
        );
        for bad in [
            "9:appDomains99:myapp.genauth.ai",
            "9:appDomains3:😀",
            "9:appDomains16:myapp.genauth.ai22:allowedRedirectOriginsl3:1:a",
            "x",
            "9:appDomain?",
            "9:appDomain",
            "9:appDomains16:myapp.genauth.ai5:state",
            "9:appDomainé",
        ] {
            assert_eq!(
                code(origin(bad, "")).as_deref(),
                Some("invalid_option"),
                "{bad:?}"
            );
        }
        // Params that end where a tag should be are malformed, not "not given".
        assert_eq!(
            code(logout_url(CONFIG, "", "", "5:state")).as_deref(),
            Some("invalid_option")
        );
        // Half a surrogate pair is not a string: the length falls inside one.
        assert_eq!(
            code(logout_url(CONFIG, "", "s1:😀", "")).as_deref(),
            Some("invalid_redirect")
        );
    }
}
