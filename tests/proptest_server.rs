//! Property tests of the server-side rules against arbitrary input: no
//! header value they write can carry CR, LF or another control character,
//! a cross-site or foreign-origin request never proceeds, and no secret
//! reaches a `Debug` string or an error message.

use genauth_logout::cookie::{ClearCookie, CookieSpec, SameSite};
use genauth_logout::cross_site::{check_cross_site, RequestFacts, SiteDecision};
use genauth_logout::revocation::{ClientAuth, RevocationConfig, TokenTypeHint, Tokens};
use genauth_logout::{AppDomain, AppOrigin, WhatwgUrl};
use proptest::prelude::*;

/// Strings a hostile caller or client may send: ASCII with separators and
/// controls, a few non-ASCII characters, sometimes valid-looking pieces.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        "[ -~]{0,24}",
        "[\\x00-\\x7f]{0,24}",
        "[a-z_-]{1,12}",
        "__(Host|Secure|Http|host|SECURE)-[a-z]{0,6}",
        "/[a-z/;, %]{0,12}",
        "\\PC{0,12}",
        Just("\r\nSet-Cookie: x=y".to_string()),
        Just("https://app.example.com".to_string()),
        Just("null".to_string()),
    ]
    .boxed()
}

fn header_safe(value: &str) -> bool {
    value.bytes().all(|b| (0x20..0x7f).contains(&b))
}

fn same_site() -> impl Strategy<Value = Option<SameSite>> {
    prop_oneof![
        Just(None),
        Just(Some(SameSite::Strict)),
        Just(Some(SameSite::Lax)),
        Just(Some(SameSite::None)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn cookie_headers_are_always_header_safe(
        name in text(),
        path in proptest::option::of(text()),
        domain in proptest::option::of(text()),
        secure in proptest::option::of(any::<bool>()),
        http_only in proptest::option::of(any::<bool>()),
        same_site in same_site(),
        partitioned in any::<bool>(),
    ) {
        let spec = CookieSpec {
            name: &name,
            path: path.as_deref(),
            domain: domain.as_deref(),
            secure,
            http_only,
            same_site,
            partitioned,
        };
        match ClearCookie::new(&spec) {
            Ok(cookie) => {
                let value = cookie.header_value();
                prop_assert!(header_safe(&value), "{value:?}");
                let head = format!("{name}=; Max-Age=0; ");
                prop_assert!(value.starts_with(&head));
                // Exactly the attributes, each once: no value smuggled one in.
                prop_assert_eq!(value.matches("; Path=").count(), 1);
                prop_assert!(value.matches("; Domain=").count() <= 1);
                let lower = name.to_ascii_lowercase();
                if lower.starts_with("__host-") {
                    prop_assert!(value.contains("; Path=/;") && value.contains("; Secure"));
                    prop_assert!(!value.contains("; Domain="));
                }
                if lower.starts_with("__secure-") || same_site == Some(SameSite::None) || partitioned {
                    prop_assert!(value.contains("; Secure"));
                }
            }
            Err(err) => {
                prop_assert_eq!(err.code().as_str(), "invalid_option");
                prop_assert!(header_safe(err.message()));
            }
        }
    }

    #[test]
    fn foreign_and_cross_site_requests_never_proceed(
        method in prop_oneof![Just("GET".to_string()), Just("POST".to_string()), text()],
        origin in proptest::option::of(text()),
        site in proptest::option::of(prop_oneof![
            Just("same-origin".to_string()),
            Just("same-site".to_string()),
            Just("cross-site".to_string()),
            Just("none".to_string()),
            text(),
        ]),
        mode in proptest::option::of(prop_oneof![Just("navigate".to_string()), text()]),
        dest in proptest::option::of(prop_oneof![Just("document".to_string()), text()]),
    ) {
        let app = AppOrigin::parse_with("https://app.example.com", &WhatwgUrl).expect("origin");
        let facts = RequestFacts {
            method: &method,
            origin: origin.as_deref(),
            sec_fetch_site: site.as_deref(),
            sec_fetch_mode: mode.as_deref(),
            sec_fetch_dest: dest.as_deref(),
        };
        let decision = check_cross_site(&facts, &app);
        if decision.is_proceed() {
            prop_assert!(method == "GET" || method == "POST");
            let trim = |v: &str| v.trim_matches([' ', '\t']).to_string();
            if let Some(origin) = &origin {
                prop_assert_eq!(trim(origin), "https://app.example.com");
            }
            let site = site.as_deref().map(trim);
            prop_assert_ne!(site.as_deref(), Some("cross-site"));
            if method == "GET" {
                prop_assert_eq!(mode.as_deref().map(trim), Some("navigate".to_string()));
                prop_assert_eq!(dest.as_deref().map(trim), Some("document".to_string()));
            } else {
                prop_assert_ne!(site.as_deref(), Some("same-site"));
                prop_assert!(origin.is_some() || site.as_deref() == Some("same-origin"));
            }
        } else if let SiteDecision::Refuse(r) = decision {
            prop_assert!(matches!(r.status(), 403 | 405));
        }
    }

    #[test]
    fn secrets_never_reach_debug_or_errors(
        token in "[!-~]{8,40}",
        bad_token in text(),
        secret in "[!-~]{8,40}",
        basic in any::<bool>(),
    ) {
        let domain = AppDomain::parse("myapp.genauth.ai").expect("domain");
        let method = if basic { ClientAuth::ClientSecretBasic } else { ClientAuth::ClientSecretPost };
        let config = RevocationConfig::new(&domain, "client-1")
            .and_then(|c| c.with_client_secret(&secret, method))
            .expect("config");
        let tokens = Tokens { refresh_token: Some(&token), access_token: Some(&bad_token) };
        let shown = match config.requests(&tokens) {
            Ok(requests) => {
                for r in &requests {
                    for (_, value) in r.headers() {
                        prop_assert!(header_safe(value));
                    }
                }
                format!("{config:?} {tokens:?} {requests:?}")
            }
            Err(err) => format!("{config:?} {tokens:?} {err:?} {err}"),
        };
        prop_assert!(!shown.contains(&token), "{shown}");
        prop_assert!(!shown.contains(&secret), "{shown}");
        // An error about a token is one of two fixed texts: it cannot echo it.
        if let Err(err) = RevocationConfig::new(&domain, "client-1")
            .expect("config")
            .request(&bad_token, TokenTypeHint::AccessToken)
        {
            prop_assert!(
                [
                    "accessToken must be a non-empty string of visible ASCII characters (no control characters, no white space at either end)",
                    "accessToken is too long (over 16384 bytes)",
                ]
                .contains(&err.message()),
                "{}",
                err.message()
            );
        }
    }
}
