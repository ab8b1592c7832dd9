//! Property tests of the core against hostile input: the same invariants the
//! fuzz targets check (fuzz/src/invariants.rs, included here), driven by
//! proptest's generators, plus the encoder's own properties.

#[allow(dead_code)]
#[path = "../fuzz/src/invariants.rs"]
mod invariants;
#[allow(dead_code)]
#[path = "../fuzz/src/js_options.rs"]
mod js_options;

use genauth_logout::{encode_uri_component, LogoutParams, Method, Protocol};
use invariants::{check, is_component_encoded, percent_decode, Outcome, Page, Scenario};
use proptest::prelude::*;

/// Hosts a redirect or app domain may name: plain, upper case, IDN and
/// look-alikes, IP literals in odd notations, and malformed ones.
fn host() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,8}(\\.[a-z][a-z0-9-]{0,8}){0,2}",
        Just("app.example.com".to_string()),
        Just("APP.Example.COM".to_string()),
        Just("аpp.example.com".to_string()),   // Cyrillic а
        Just("app．example。com".to_string()), // full-width dots
        Just("xn--pp-8cd.example.com".to_string()),
        Just("münchen.de".to_string()),
        Just("127.0.0.1".to_string()),
        Just("0x7f.1".to_string()),
        Just("2130706433".to_string()),
        Just("[::1]".to_string()),
        Just("[::ffff:127.0.0.1]".to_string()),
        Just("localhost".to_string()),
        Just("app.example.com.".to_string()),
        Just("a%2eb.example".to_string()),
        Just("".to_string()),
        "\\PC{0,12}",
    ]
    .boxed()
}

fn scheme_and_separator() -> BoxedStrategy<String> {
    let scheme = prop_oneof![
        Just("https"),
        Just("http"),
        Just("HTTPS"),
        Just("HtTp"),
        Just("javascript"),
        Just("JaVaScRiPt"),
        Just("java\tscript"),
        Just("data"),
        Just("ftp"),
        Just("file"),
        Just(""),
    ];
    let separator = prop_oneof![
        Just("://"),
        Just(":"),
        Just(":/"),
        Just(":\\\\"),
        Just(":/\\"),
        Just(":///"),
        Just("://\t"),
    ];
    (scheme, separator)
        .prop_map(|(s, sep)| format!("{s}{sep}"))
        .boxed()
}

/// Redirects: URLs assembled from hostile parts, paths, and anything at all.
fn redirect() -> BoxedStrategy<String> {
    let userinfo = prop_oneof![
        Just(""),
        Just("user@"),
        Just("user:pw@"),
        Just("@"),
        Just("app.example.com@"),
        Just("%40@"),
    ];
    let port = prop_oneof![
        Just(""),
        Just(":443"),
        Just(":8080"),
        Just(":0"),
        Just(":65536"),
        Just(":x")
    ];
    let path = "[a-zA-Z0-9/?=&#%._~'()*!\\\\ é😀-]{0,24}";
    let absolute = (scheme_and_separator(), userinfo, host(), port, path)
        .prop_map(|(s, u, h, p, path)| format!("{s}{u}{h}{p}/{path}"))
        .boxed();
    let relative = prop_oneof![
        "/[a-zA-Z0-9/?=&#%._~\\\\é-]{0,24}",
        Just("//evil.example/".to_string()),
        Just("/\\evil.example/".to_string()),
        Just("/%2F%2Fevil.example".to_string()),
        Just("/.%2e/.%2e/x".to_string()),
    ]
    .boxed();
    let padded = (
        prop_oneof![
            Just(""),
            Just(" "),
            Just("\u{a0}"),
            Just("\u{feff}"),
            Just("\u{2028}"),
            Just("\t")
        ],
        "https://app.example.com/[a-z]{0,6}",
        prop_oneof![
            Just(""),
            Just(" "),
            Just("\n"),
            Just("\u{3000}"),
            Just("\u{0}")
        ],
    )
        .prop_map(|(a, b, c)| format!("{a}{b}{c}"))
        .boxed();
    prop_oneof![4 => absolute, 2 => relative, 1 => padded, 1 => any::<String>()].boxed()
}

fn app_domain() -> BoxedStrategy<String> {
    let scheme = prop_oneof![
        Just(""),
        Just("https://"),
        Just("http://"),
        Just("HTTPS://"),
        Just("ftp://")
    ];
    let port = prop_oneof![Just(""), Just(":8443"), Just(":443"), Just(":99999")];
    let tail = prop_oneof![
        Just(""),
        Just("/"),
        Just("/x"),
        Just("?a"),
        Just("#f"),
        Just("//")
    ];
    prop_oneof![
        4 => (scheme, host(), port, tail).prop_map(|(s, h, p, t)| format!("{s}{h}{p}{t}")),
        1 => any::<String>(),
    ]
    .boxed()
}

fn protocol() -> impl Strategy<Value = Protocol> {
    prop_oneof![
        Just(Protocol::GenAuth),
        Just(Protocol::Oidc),
        Just(Protocol::Cas)
    ]
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![Just(Method::Get), Just(Method::Post)]
}

fn param() -> impl Strategy<Value = Option<String>> {
    // Line breaks often: a form POST may not change them (refused instead).
    proptest::option::weighted(
        0.3,
        prop_oneof![3 => any::<String>(), 1 => "[a-z\r\n\u{2028}]{0,6}"],
    )
}

fn page() -> impl Strategy<Value = Page> {
    prop_oneof![
        Just(Page::None),
        Just(Page::OfRedirect),
        proptest::sample::select(invariants::PAGE_ORIGINS.to_vec())
            .prop_map(|o| Page::Origin(o.into())),
    ]
}

fn endpoint() -> BoxedStrategy<Option<String>> {
    proptest::option::weighted(
        0.2,
        prop_oneof![
            Just("https://idp.example/oidc/end".to_string()),
            Just("https://idp.example/end?tenant=a&x=%20".to_string()),
            Just("http://127.0.0.1:9000/session/end".to_string()),
            Just("http://idp.example/end".to_string()),
            Just("https://idp.example/end#frag".to_string()),
            Just("https://u:p@idp.example/end".to_string()),
            Just("https://:@idp.example/end".to_string()),
            Just("http:127.0.0.1:9000/session/end".to_string()),
            Just("https:idp.example/end".to_string()),
            Just("https:/idp.example/end".to_string()),
            Just("https://idp.example\\@evil.example/end".to_string()),
            redirect(),
        ],
    )
    .boxed()
}

fn allowed() -> BoxedStrategy<Option<Vec<String>>> {
    let entry = prop_oneof![
        Just("https://app.example.com".to_string()),
        Just("https://app.example.com/".to_string()),
        Just("HTTPS://APP.EXAMPLE.COM:443".to_string()),
        Just("http://127.0.0.1:8080".to_string()),
        Just("https://app.example.com/path".to_string()),
        host().prop_map(|h| format!("https://{h}")),
        redirect(),
    ];
    proptest::option::weighted(0.3, proptest::collection::vec(entry, 0..4)).boxed()
}

prop_compose! {
    fn scenario()(
        app_domain in app_domain(),
        protocol in protocol(),
        method in method(),
        end_session_endpoint in endpoint(),
        client_id in param(),
        allowed_origins in allowed(),
        page in page(),
        redirect in proptest::option::weighted(0.8, redirect()),
        param_protocol in proptest::option::of(protocol()),
        param_method in proptest::option::weighted(0.2, method()),
        id_token_hint in param(),
        state in param(),
        param_client_id in param(),
        logout_hint in param(),
        ui_locales in param(),
    ) -> Scenario {
        Scenario {
            app_domain, protocol, method, end_session_endpoint, client_id, allowed_origins,
            page, redirect,
            params: LogoutParams {
                protocol: param_protocol,
                id_token_hint: id_token_hint.map(Into::into),
                state: state.map(Into::into),
                client_id: param_client_id.map(Into::into),
                logout_hint: logout_hint.map(Into::into),
                ui_locales: ui_locales.map(Into::into),
                method: param_method,
            },
        }
    }
}

/// `encodeURIComponent` as ECMA-262 §19.2.6.5 describes it, code point by
/// code point (the core works byte by byte).
fn reference_encode(input: &str) -> String {
    let mut out = String::new();
    for c in input.chars() {
        if c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Any configuration, page, redirect and parameters: no panic, and every
    /// produced URL or refusal obeys the invariants.
    #[test]
    fn any_call_obeys_the_invariants(s in scenario()) {
        check(&s);
    }

    /// The fuzzers' byte format, driven by proptest.
    #[test]
    fn fuzz_format_obeys_the_invariants(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        check(&Scenario::from_bytes(&data));
        js_options::check_call(&js_options::Call::from_bytes(&data));
    }

    /// A well-formed https redirect on the page's own origin is always accepted
    /// and sent unchanged (no false refusals on ordinary input).
    #[test]
    fn ordinary_same_origin_redirects_are_accepted(
        host in "[a-z][a-z0-9]{0,8}(\\.[a-z][a-z0-9]{0,8}){1,2}",
        path in "[a-zA-Z0-9/?=&._~%-]{0,30}",
        protocol in protocol(),
    ) {
        let redirect = format!("https://{host}/{path}");
        let mut s = Scenario::simple("myapp.genauth.ai", Some(&redirect));
        s.page = Page::OfRedirect;
        s.protocol = protocol;
        let expected = match protocol {
            Protocol::GenAuth => format!("https://myapp.genauth.ai/login/profile/logout?redirect_uri={}", encode_uri_component(&redirect)),
            Protocol::Cas => format!("https://myapp.genauth.ai/cas-idp/logout?url={}", encode_uri_component(&redirect)),
            Protocol::Oidc => format!("https://myapp.genauth.ai/oidc/session/end?post_logout_redirect_uri={}", encode_uri_component(&redirect)),
        };
        prop_assert_eq!(check(&s), Outcome::Url(expected));
    }

    /// Relative paths in a page resolve against the page origin.
    #[test]
    fn relative_paths_resolve_against_the_page(path in "/[a-zA-Z0-9?=&._~%-][a-zA-Z0-9/?=&._~%-]{0,30}") {
        let mut s = Scenario::simple("myapp.genauth.ai", Some(&path));
        s.page = Page::Origin("https://app.example.com".into());
        let sent = format!("https://app.example.com{path}");
        prop_assert_eq!(
            check(&s),
            Outcome::Url(format!("https://myapp.genauth.ai/login/profile/logout?redirect_uri={}", encode_uri_component(&sent)))
        );
    }

    /// encode_uri_component: only [A-Za-z0-9-_.!~*'()] and upper-case %XX,
    /// decodes back byte for byte, and equals the code-point-wise reference.
    #[test]
    fn encode_uri_component_round_trips(input in any::<String>()) {
        let encoded = encode_uri_component(&input);
        prop_assert!(is_component_encoded(&encoded), "{:?} -> {:?}", input, encoded);
        prop_assert_eq!(percent_decode(&encoded), Some(input.as_bytes().to_vec()));
        prop_assert_eq!(&encoded, &reference_encode(&input));
    }

    /// The same over every plane: BMP, astral, private use, noncharacters.
    #[test]
    fn encode_uri_component_every_plane(chars in proptest::collection::vec(
        prop_oneof![
            any::<char>(),
            (0u32..=0x10).prop_map(|plane| char::from_u32(plane * 0x10000 + 0xFFFE).unwrap_or('x')),
            (0xE000u32..=0xF8FF).prop_map(|c| char::from_u32(c).unwrap_or('x')),
            (0xFDD0u32..=0xFDEF).prop_map(|c| char::from_u32(c).unwrap_or('x')),
            (0xF0000u32..=0x10FFFD).prop_map(|c| char::from_u32(c).unwrap_or('x')),
        ],
        0..16,
    )) {
        let input: String = chars.into_iter().collect();
        let encoded = encode_uri_component(&input);
        prop_assert!(is_component_encoded(&encoded));
        prop_assert_eq!(percent_decode(&encoded), Some(input.as_bytes().to_vec()));
        prop_assert_eq!(encoded, reference_encode(&input));
    }
}
