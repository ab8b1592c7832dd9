//! The server-side rules (cookie deletion, the cross-site decision, the
//! 303 target, token revocation) as tables of inputs and expected header
//! values, decisions and error codes.
// Each table row is a tuple of inputs and the expected result, read best in place.
#![allow(clippy::type_complexity)]

use genauth_logout::cookie::{ClearCookie, CookieSpec, SameSite};
use genauth_logout::cross_site::{
    check_cross_site, check_cross_site_with, GetPolicy, Proceed, Refusal, RequestFacts,
    SiteDecision,
};
use genauth_logout::revocation::{
    ClientAuth, OAuthError, RevocationConfig, RevocationOutcome, TokenTypeHint, Tokens,
};
use genauth_logout::{
    see_other_location, AppDomain, AppOrigin, LogoutConfig, LogoutFormPage, LogoutParams, Method,
    Protocol, RedirectPolicy, WhatwgUrl,
};

const EXPIRED: &str = "Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";

fn spec(name: &str) -> CookieSpec<'_> {
    CookieSpec::named(name)
}

/// Expected `Set-Cookie` for `name` with the attributes after `Path`.
fn deleted(name: &str, rest: &str) -> String {
    format!("{name}=; {EXPIRED}; {rest}")
}

#[test]
fn cookie_deletions() {
    let cases: Vec<(CookieSpec<'_>, String)> = vec![
        (spec("session"), deleted("session", "Path=/")),
        (
            CookieSpec {
                path: Some("/app"),
                ..spec("sid")
            },
            deleted("sid", "Path=/app"),
        ),
        (
            CookieSpec {
                domain: Some("example.com"),
                ..spec("sid")
            },
            deleted("sid", "Path=/; Domain=example.com"),
        ),
        (
            CookieSpec {
                domain: Some(".example.com"),
                secure: Some(true),
                http_only: Some(true),
                same_site: Some(SameSite::Strict),
                ..spec("sid")
            },
            deleted(
                "sid",
                "Path=/; Domain=.example.com; Secure; HttpOnly; SameSite=Strict",
            ),
        ),
        (
            CookieSpec {
                same_site: Some(SameSite::None),
                ..spec("sid")
            },
            deleted("sid", "Path=/; Secure; SameSite=None"),
        ),
        (
            CookieSpec {
                partitioned: true,
                ..spec("embed")
            },
            deleted("embed", "Path=/; Secure; Partitioned"),
        ),
        (
            CookieSpec {
                secure: Some(false),
                http_only: Some(false),
                same_site: Some(SameSite::Lax),
                ..spec("plain")
            },
            deleted("plain", "Path=/; SameSite=Lax"),
        ),
        // Prefixes: required attributes are added when not given.
        (spec("__Host-sid"), deleted("__Host-sid", "Path=/; Secure")),
        (
            CookieSpec {
                path: Some("/"),
                secure: Some(true),
                ..spec("__host-sid")
            },
            deleted("__host-sid", "Path=/; Secure"),
        ),
        (
            CookieSpec {
                path: Some("/a"),
                domain: Some("example.com"),
                ..spec("__Secure-sid")
            },
            deleted("__Secure-sid", "Path=/a; Domain=example.com; Secure"),
        ),
        (spec("__SECURE-x"), deleted("__SECURE-x", "Path=/; Secure")),
        (
            spec("__Http-x"),
            deleted("__Http-x", "Path=/; Secure; HttpOnly"),
        ),
        (
            spec("__Host-Http-x"),
            deleted("__Host-Http-x", "Path=/; Secure; HttpOnly"),
        ),
        // Names: every tchar is fine.
        (
            spec("!#$%&'*+-.^_`|~09AZaz"),
            deleted("!#$%&'*+-.^_`|~09AZaz", "Path=/"),
        ),
        (
            CookieSpec {
                path: Some("/a/%20/~b"),
                domain: Some("xn--bcher-kva.example"),
                ..spec("s")
            },
            deleted("s", "Path=/a/%20/~b; Domain=xn--bcher-kva.example"),
        ),
    ];
    for (spec, want) in &cases {
        let cookie = ClearCookie::new(spec).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
        let value = cookie.header_value();
        assert_eq!(&value, want, "{spec:?}");
        assert!(
            value.bytes().all(|b| (0x20..0x7f).contains(&b)),
            "{value:?} is header-safe"
        );
    }
}

#[test]
fn cookie_specs_a_browser_would_ignore_are_refused() {
    let long_name = "n".repeat(4097);
    let long_path = format!("/{}", "p".repeat(1024));
    let refused: Vec<(CookieSpec<'_>, &str)> = vec![
        (spec(""), "name must be an RFC 6265 token"),
        (spec("a b"), "name must be an RFC 6265 token"),
        (spec("a=b"), "name must be an RFC 6265 token"),
        (spec("a;b"), "name must be an RFC 6265 token"),
        (spec("a,b"), "name must be an RFC 6265 token"),
        (
            spec("sid\r\nSet-Cookie: x=y"),
            "name must be an RFC 6265 token",
        ),
        (spec("sid\n"), "name must be an RFC 6265 token"),
        (spec("a\tb"), "name must be an RFC 6265 token"),
        (spec("a\u{7f}"), "name must be an RFC 6265 token"),
        (spec("é"), "name must be an RFC 6265 token"),
        (spec("a/b"), "name must be an RFC 6265 token"),
        (spec("\"q\""), "name must be an RFC 6265 token"),
        (spec("[x]"), "name must be an RFC 6265 token"),
        (spec(&long_name), "name is too long"),
        (
            CookieSpec {
                path: Some(""),
                ..spec("s")
            },
            "path must start with /",
        ),
        (
            CookieSpec {
                path: Some("app"),
                ..spec("s")
            },
            "path must start with /",
        ),
        (
            CookieSpec {
                path: Some("/a;b"),
                ..spec("s")
            },
            "path must start with /",
        ),
        (
            CookieSpec {
                path: Some("/a,b"),
                ..spec("s")
            },
            "path must start with /",
        ),
        (
            CookieSpec {
                path: Some("/a b"),
                ..spec("s")
            },
            "path must start with /",
        ),
        (
            CookieSpec {
                path: Some("/a\r\nX: y"),
                ..spec("s")
            },
            "path must start with /",
        ),
        (
            CookieSpec {
                path: Some("/a\0"),
                ..spec("s")
            },
            "path must start with /",
        ),
        (
            CookieSpec {
                path: Some("/é"),
                ..spec("s")
            },
            "path must start with /",
        ),
        (
            CookieSpec {
                path: Some(&long_path),
                ..spec("s")
            },
            "at most 1024 bytes",
        ),
        (
            CookieSpec {
                domain: Some(""),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("."),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("..example.com"),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("example.com."),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("a;b.com"),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("a,b.com"),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("example.com\r\n"),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("ex ample.com"),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("bücher.example"),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("-a.example"),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("example.com:443"),
                ..spec("s")
            },
            "domain must be",
        ),
        (
            CookieSpec {
                domain: Some("[::1]"),
                ..spec("s")
            },
            "domain must be",
        ),
        // __Host-: Path=/ and no Domain.
        (
            CookieSpec {
                path: Some("/app"),
                ..spec("__Host-sid")
            },
            "__Host- cookies have Path=/ and no Domain",
        ),
        (
            CookieSpec {
                domain: Some("example.com"),
                ..spec("__Host-sid")
            },
            "__Host- cookies have Path=/ and no Domain",
        ),
        (
            CookieSpec {
                domain: Some("example.com"),
                ..spec("__HOST-sid")
            },
            "__Host- cookies have Path=/ and no Domain",
        ),
        (
            CookieSpec {
                path: Some("/x"),
                ..spec("__Host-Http-sid")
            },
            "__Host- cookies have Path=/ and no Domain",
        ),
        // Secure prefixes.
        (
            CookieSpec {
                secure: Some(false),
                ..spec("__Host-sid")
            },
            "must be Secure",
        ),
        (
            CookieSpec {
                secure: Some(false),
                ..spec("__Secure-sid")
            },
            "must be Secure",
        ),
        (
            CookieSpec {
                secure: Some(false),
                ..spec("__secure-sid")
            },
            "must be Secure",
        ),
        (
            CookieSpec {
                secure: Some(false),
                ..spec("__Http-sid")
            },
            "must be Secure",
        ),
        (
            CookieSpec {
                http_only: Some(false),
                ..spec("__Http-sid")
            },
            "must be HttpOnly",
        ),
        (
            CookieSpec {
                http_only: Some(false),
                ..spec("__Host-Http-sid")
            },
            "must be HttpOnly",
        ),
        // Attributes that need Secure.
        (
            CookieSpec {
                secure: Some(false),
                same_site: Some(SameSite::None),
                ..spec("s")
            },
            "SameSite=None needs Secure",
        ),
        (
            CookieSpec {
                secure: Some(false),
                partitioned: true,
                ..spec("s")
            },
            "Partitioned needs Secure",
        ),
    ];
    for (spec, needle) in &refused {
        let err = ClearCookie::new(spec).expect_err(&format!("{spec:?} is refused"));
        assert_eq!(err.code().as_str(), "invalid_option", "{spec:?}");
        assert!(
            err.message().starts_with("clearCookies ") && err.message().contains(needle),
            "{spec:?}: {}",
            err.message()
        );
        // The message never carries the value (it could be anything).
        for value in [Some(spec.name), spec.path, spec.domain]
            .into_iter()
            .flatten()
        {
            if value.len() > 3 {
                assert!(
                    !err.message().contains(value),
                    "{spec:?}: {}",
                    err.message()
                );
            }
        }
    }
}

fn app() -> AppOrigin {
    AppOrigin::parse_with("https://app.example.com", &WhatwgUrl).expect("app origin")
}

fn facts<'a>(
    method: &'a str,
    origin: Option<&'a str>,
    site: Option<&'a str>,
    mode: Option<&'a str>,
    dest: Option<&'a str>,
) -> RequestFacts<'a> {
    RequestFacts {
        method,
        origin,
        sec_fetch_site: site,
        sec_fetch_mode: mode,
        sec_fetch_dest: dest,
    }
}

#[test]
fn cross_site_decisions() {
    use Proceed::*;
    use Refusal::*;
    use SiteDecision::{Proceed as Go, Refuse as No};
    const APP: Option<&str> = Some("https://app.example.com");
    const EVIL: Option<&str> = Some("https://evil.example");
    const SO: Option<&str> = Some("same-origin");
    const SS: Option<&str> = Some("same-site");
    const CS: Option<&str> = Some("cross-site");
    const USER: Option<&str> = Some("none");
    const NAV: Option<&str> = Some("navigate");
    const DOC: Option<&str> = Some("document");
    #[rustfmt::skip]
    let table: &[(&str, RequestFacts<'_>, SiteDecision)] = &[
        // A logout form on the app's pages, or fetch() from them.
        ("form post", facts("POST", APP, SO, NAV, DOC), Go(SameOriginPost)),
        ("fetch post", facts("POST", APP, SO, Some("cors"), Some("empty")), Go(SameOriginPost)),
        ("post, origin only (no fetch metadata)", facts("POST", APP, None, None, None), Go(SameOriginPost)),
        ("post, fetch metadata only", facts("POST", None, SO, NAV, DOC), Go(SameOriginPost)),
        ("post, origin with padding", facts("POST", Some(" https://app.example.com\t"), SO, None, None), Go(SameOriginPost)),
        ("post resubmitted by the user", facts("POST", APP, USER, NAV, DOC), Go(SameOriginPost)),
        // Logout CSRF.
        ("cross-site form", facts("POST", EVIL, CS, NAV, DOC), No(OriginMismatch)),
        ("cross-site form, origin stripped", facts("POST", None, CS, NAV, DOC), No(CrossSite)),
        ("cross-site, origin forged equal", facts("POST", APP, CS, NAV, DOC), No(CrossSite)),
        ("sandboxed frame", facts("POST", Some("null"), CS, NAV, Some("iframe")), No(NullOrigin)),
        ("origin null without metadata", facts("POST", Some("null"), None, None, None), No(NullOrigin)),
        ("sibling subdomain post", facts("POST", Some("https://blog.example.com"), SS, NAV, DOC), No(OriginMismatch)),
        ("same-site post, origin stripped", facts("POST", None, SS, NAV, DOC), No(SameSitePost)),
        ("post with no proof at all", facts("POST", None, None, None, None), No(NoOrigin)),
        ("post, user-initiated, no origin", facts("POST", None, USER, NAV, DOC), No(NoOrigin)),
        ("other scheme", facts("POST", Some("http://app.example.com"), SO, None, None), No(OriginMismatch)),
        ("other port", facts("POST", Some("https://app.example.com:8443"), SO, None, None), No(OriginMismatch)),
        ("upper-case origin is not how browsers write it", facts("POST", Some("https://APP.example.com"), SO, None, None), No(OriginMismatch)),
        ("two origins", facts("POST", Some("https://app.example.com, https://evil.example"), SO, None, None), No(OriginMismatch)),
        ("origin with a path", facts("POST", Some("https://app.example.com/"), SO, None, None), No(OriginMismatch)),
        ("unknown fetch site", facts("POST", APP, Some("same-party"), None, None), No(UnknownFetchSite)),
        ("fetch site in upper case", facts("POST", APP, Some("Same-Origin"), None, None), No(UnknownFetchSite)),
        ("two fetch sites", facts("POST", APP, Some("same-origin, cross-site"), None, None), No(UnknownFetchSite)),
        // GET: top-level navigations only.
        ("link on the app", facts("GET", None, SO, NAV, DOC), Go(Navigation)),
        ("typed or bookmarked", facts("GET", None, USER, NAV, DOC), Go(Navigation)),
        ("link on a sibling site", facts("GET", None, SS, NAV, DOC), Go(Navigation)),
        ("link with a matching origin", facts("GET", APP, SO, NAV, DOC), Go(Navigation)),
        ("cross-site link", facts("GET", None, CS, NAV, DOC), No(CrossSite)),
        ("cross-site image", facts("GET", None, CS, Some("no-cors"), Some("image")), No(CrossSite)),
        ("same-origin image (user content)", facts("GET", None, SO, Some("no-cors"), Some("image")), No(NotNavigation)),
        ("same-origin script", facts("GET", None, SO, Some("no-cors"), Some("script")), No(NotNavigation)),
        ("same-origin fetch", facts("GET", APP, SO, Some("cors"), Some("empty")), No(NotNavigation)),
        ("same-origin iframe", facts("GET", None, SO, NAV, Some("iframe")), No(NotNavigation)),
        ("navigate without dest", facts("GET", None, SO, NAV, None), No(NotNavigation)),
        ("document without mode", facts("GET", None, SO, None, DOC), No(NotNavigation)),
        ("get without fetch metadata", facts("GET", None, None, None, None), No(NoFetchMetadata)),
        ("get, mode and dest but no site", facts("GET", None, None, NAV, DOC), No(NoFetchMetadata)),
        ("get from another origin's script", facts("GET", EVIL, CS, Some("cors"), Some("empty")), No(OriginMismatch)),
        ("get with origin null", facts("GET", Some("null"), SO, NAV, DOC), No(NullOrigin)),
        // Methods.
        ("head", facts("HEAD", None, SO, NAV, DOC), No(Method)),
        ("put", facts("PUT", APP, SO, Some("cors"), Some("empty")), No(Method)),
        ("delete", facts("DELETE", APP, SO, Some("cors"), Some("empty")), No(Method)),
        ("options preflight", facts("OPTIONS", EVIL, CS, Some("cors"), Some("empty")), No(Method)),
        ("lower-case post", facts("post", APP, SO, None, None), No(Method)),
        ("empty method", facts("", APP, SO, None, None), No(Method)),
    ];
    let app = app();
    for (name, request, want) in table {
        assert_eq!(check_cross_site(request, &app), *want, "{name}");
        // A refusal answers 403 (405 for a method) and has a reason for logs.
        if let SiteDecision::Refuse(r) = want {
            assert_eq!(r.status(), if *r == Method { 405 } else { 403 }, "{name}");
        }
    }
}

#[test]
fn get_policies() {
    let app = app();
    let sibling = facts(
        "GET",
        None,
        Some("same-site"),
        Some("navigate"),
        Some("document"),
    );
    let own = facts(
        "GET",
        None,
        Some("same-origin"),
        Some("navigate"),
        Some("document"),
    );
    let typed = facts(
        "GET",
        None,
        Some("none"),
        Some("navigate"),
        Some("document"),
    );
    let post = facts(
        "POST",
        Some("https://app.example.com"),
        Some("same-origin"),
        None,
        None,
    );
    let go = SiteDecision::Proceed(Proceed::Navigation);
    #[rustfmt::skip]
    let table = [
        (GetPolicy::SameSite, [go, go, go]),
        (GetPolicy::SameOrigin, [SiteDecision::Refuse(Refusal::SameSiteNavigation), go, go]),
        (GetPolicy::Never, [SiteDecision::Refuse(Refusal::Method); 3]),
    ];
    for (policy, want) in table {
        for (request, want) in [sibling, own, typed].iter().zip(want) {
            assert_eq!(
                check_cross_site_with(request, &app, policy),
                want,
                "{policy:?} {request:?}"
            );
        }
        assert!(
            check_cross_site_with(&post, &app, policy).is_proceed(),
            "{policy:?}: POST"
        );
    }
}

#[test]
fn app_origins() {
    for (input, want) in [
        ("https://app.example.com", "https://app.example.com"),
        ("https://app.example.com/", "https://app.example.com"),
        ("https://App.Example.COM:443", "https://app.example.com"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://127.0.0.1:5173/", "http://127.0.0.1:5173"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
    ] {
        assert_eq!(
            AppOrigin::parse_with(input, &WhatwgUrl).map(|o| o.origin().to_owned()),
            Ok(want.to_owned()),
            "{input}"
        );
    }
    for bad in [
        "",
        "app.example.com",
        "https://app.example.com/path",
        "https://app.example.com?q",
        "https://app.example.com#f",
        "https://user@app.example.com",
        "ftp://app.example.com",
        "null",
        "https://app.example.com\r\n",
        " https://app.example.com",
        "//app.example.com",
    ] {
        let err = AppOrigin::parse_with(bad, &WhatwgUrl).expect_err(bad);
        assert_eq!(err.code().as_str(), "invalid_option", "{bad:?}");
        assert!(err.message().starts_with("appOrigin "), "{bad:?}");
    }
}

fn config() -> LogoutConfig {
    LogoutConfig::new(AppDomain::parse("myapp.genauth.ai").expect("domain"))
}

#[test]
fn see_other_locations() {
    let app = app();
    let none = LogoutParams::default();
    let oidc = LogoutParams {
        protocol: Some(Protocol::Oidc),
        state: Some("s 1".into()),
        ..LogoutParams::default()
    };
    let allowing = config().redirect_policy(
        RedirectPolicy::new()
            .allowed_origins(["https://partner.example"], &WhatwgUrl)
            .expect("origins"),
    );
    #[rustfmt::skip]
    let table: Vec<(LogoutConfig, Option<&str>, &LogoutParams<'_>, Result<&str, &str>)> = vec![
        (config(), None, &none, Ok("https://myapp.genauth.ai/login/profile/logout")),
        (config(), Some("/goodbye"), &none, Ok("https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fgoodbye")),
        (config(), Some("/a?b=c&d=é"), &none, Ok("https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fa%3Fb%3Dc%26d%3D%C3%A9")),
        (config(), Some("https://app.example.com/x"), &none, Ok("https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fx")),
        (config(), Some("/goodbye"), &oidc, Ok("https://myapp.genauth.ai/oidc/session/end?post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fgoodbye&state=s%201")),
        (allowing.clone(), Some("https://partner.example/back"), &none, Ok("https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fpartner.example%2Fback")),
        // With appOrigin, the guard treats it as the page's origin: another
        // origin is refused even without an allowed list.
        (config(), Some("https://evil.example/"), &none, Err("redirect_not_allowed")),
        (allowing, Some("https://evil.example/"), &none, Err("redirect_not_allowed")),
        (config(), Some("//evil.example/"), &none, Err("invalid_redirect")),
        (config(), Some("/a\r\nSet-Cookie: x=y"), &none, Err("invalid_redirect")),
        (config(), Some("javascript:alert(1)"), &none, Err("invalid_redirect")),
        (config().protocol(Protocol::Oidc).method(Method::Post), None, &none, Err("invalid_option")),
        (config().protocol(Protocol::Oidc).end_session_endpoint("https://idp.example/end session", &WhatwgUrl).expect("endpoint"), None, &none, Err("invalid_option")),
    ];
    for (config, redirect, params, want) in &table {
        let got = app
            .logout_target(config, *redirect, params, &WhatwgUrl)
            .and_then(|t| see_other_location(&t));
        match (got, want) {
            (Ok(location), Ok(url)) => assert_eq!(&location, url, "{redirect:?}"),
            (Err(e), Err(code)) => assert_eq!(e.code().as_str(), *code, "{redirect:?}"),
            (got, want) => panic!("{redirect:?}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn the_host_header_never_decides_where_the_user_lands() {
    // The same call gives the same Location whatever the request said:
    // nothing from the request reaches the target builder.
    let a = app()
        .logout_target(
            &config(),
            Some("/goodbye"),
            &LogoutParams::default(),
            &WhatwgUrl,
        )
        .and_then(|t| see_other_location(&t))
        .expect("location");
    assert!(a.contains("redirect_uri=https%3A%2F%2Fapp.example.com%2Fgoodbye"));
}

#[test]
fn form_post_pages() {
    const NONCE: &str = "Zm9ybS1wYWdlLW5vbmNlLTAx";
    let app = app();
    let post = config().protocol(Protocol::Oidc).method(Method::Post);
    let hostile = LogoutParams {
        id_token_hint: Some("eyJ.a.b".into()),
        state: Some(r#""><script>alert(1)</script>&'"#.into()),
        ..LogoutParams::default()
    };
    let target = app
        .logout_target(&post, Some("/bye?a=1&b=\"2\""), &hostile, &WhatwgUrl)
        .expect("target");
    let page = LogoutFormPage::new(&target, NONCE).expect("page");
    let want = concat!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"><title>Signing out</title></head>\n",
        "<body><form method=\"post\" action=\"https://myapp.genauth.ai/oidc/session/end\">\n",
        "<input type=\"hidden\" name=\"id_token_hint\" value=\"eyJ.a.b\">\n",
        "<input type=\"hidden\" name=\"post_logout_redirect_uri\" value=\"https://app.example.com/bye?a=1&amp;b=&quot;2&quot;\">\n",
        "<input type=\"hidden\" name=\"state\" value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;\">\n",
        "<noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n",
        "<script nonce=\"Zm9ybS1wYWdlLW5vbmNlLTAx\">document.forms[0].submit()</script>\n</body></html>\n",
    );
    assert_eq!(page.html(), want);
    assert_eq!(
        page.html().matches("<script").count(),
        1,
        "one script, ours"
    );
    assert_eq!(
        page.content_security_policy(),
        "default-src 'none'; script-src 'nonce-Zm9ybS1wYWdlLW5vbmNlLTAx'; base-uri 'none'; frame-ancestors 'none'"
    );

    let get = app
        .logout_target(&config(), None, &LogoutParams::default(), &WhatwgUrl)
        .expect("target");
    // A line break in a form-POST field is refused when the target is
    // built (the core's rule since form submission rewrites CR and LF), so
    // no such target reaches a form page.
    let control = LogoutParams {
        state: Some("a\r\nb".into()),
        ..LogoutParams::default()
    };
    let refused = app
        .logout_target(&post, None, &control, &WhatwgUrl)
        .expect_err("a line break in a form field");
    assert_eq!(refused.code().as_str(), "invalid_option");
    for (target, nonce, message) in [
        (&get, NONCE, "a form page is for method \"post\""),
        (&target, "short", "the CSP nonce must be"),
        (
            &target,
            "Zm9ybS1wYWdlLW5vbmNlLTAx\"",
            "the CSP nonce must be",
        ),
        (
            &target,
            "Zm9ybS1wYWdlLW5vbmNlLTAx'; script-src *",
            "the CSP nonce must be",
        ),
    ] {
        let err = LogoutFormPage::new(target, nonce).expect_err(message);
        assert_eq!(err.code().as_str(), "invalid_option");
        assert!(err.message().starts_with(message), "{}", err.message());
    }
}

fn revocation() -> RevocationConfig {
    RevocationConfig::new(
        &AppDomain::parse("myapp.genauth.ai").expect("domain"),
        "client-1",
    )
    .expect("config")
}

#[test]
fn revocation_requests() {
    let public = revocation();
    let custom = revocation()
        .with_endpoint("https://idp.example/oauth/revoke?tenant=1", &WhatwgUrl)
        .expect("endpoint");
    let post = revocation()
        .with_client_secret("s3cr&t +", ClientAuth::ClientSecretPost)
        .expect("secret");
    let basic = revocation()
        .with_client_secret("s3cr&t +", ClientAuth::ClientSecretBasic)
        .expect("secret");
    let basic_odd_id =
        RevocationConfig::new(&AppDomain::parse("myapp.genauth.ai").unwrap(), "id:1 x")
            .and_then(|c| c.with_client_secret("p@ss:word", ClientAuth::ClientSecretBasic))
            .expect("secret");
    let back_to_public = basic
        .clone()
        .with_client_secret("", ClientAuth::None)
        .expect("none");
    let both = Tokens {
        refresh_token: Some("rt/1+2=="),
        access_token: Some("at.x y"),
    };
    // config, tokens → [(url, body, authorization)]
    #[rustfmt::skip]
    let table: Vec<(&RevocationConfig, Tokens<'_>, Vec<(&str, &str, Option<&str>)>)> = vec![
        (&public, both, vec![
            ("https://myapp.genauth.ai/oidc/token/revocation", "token=rt%2F1%2B2%3D%3D&token_type_hint=refresh_token&client_id=client-1", None),
            ("https://myapp.genauth.ai/oidc/token/revocation", "token=at.x+y&token_type_hint=access_token&client_id=client-1", None),
        ]),
        (&public, Tokens { access_token: Some("at"), ..Tokens::default() }, vec![
            ("https://myapp.genauth.ai/oidc/token/revocation", "token=at&token_type_hint=access_token&client_id=client-1", None),
        ]),
        (&custom, Tokens { refresh_token: Some("rt"), ..Tokens::default() }, vec![
            ("https://idp.example/oauth/revoke?tenant=1", "token=rt&token_type_hint=refresh_token&client_id=client-1", None),
        ]),
        (&post, Tokens { refresh_token: Some("rt"), ..Tokens::default() }, vec![
            ("https://myapp.genauth.ai/oidc/token/revocation", "token=rt&token_type_hint=refresh_token&client_id=client-1&client_secret=s3cr%26t+%2B", None),
        ]),
        // base64("client-1:s3cr%26t+%2B")
        (&basic, both, vec![
            ("https://myapp.genauth.ai/oidc/token/revocation", "token=rt%2F1%2B2%3D%3D&token_type_hint=refresh_token", Some("Basic Y2xpZW50LTE6czNjciUyNnQrJTJC")),
            ("https://myapp.genauth.ai/oidc/token/revocation", "token=at.x+y&token_type_hint=access_token", Some("Basic Y2xpZW50LTE6czNjciUyNnQrJTJC")),
        ]),
        // base64("id%3A1+x:p%40ss%3Aword")
        (&basic_odd_id, Tokens { access_token: Some("at"), ..Tokens::default() }, vec![
            ("https://myapp.genauth.ai/oidc/token/revocation", "token=at&token_type_hint=access_token", Some("Basic aWQlM0ExK3g6cCU0MHNzJTNBd29yZA==")),
        ]),
        (&back_to_public, Tokens { access_token: Some("at"), ..Tokens::default() }, vec![
            ("https://myapp.genauth.ai/oidc/token/revocation", "token=at&token_type_hint=access_token&client_id=client-1", None),
        ]),
    ];
    for (config, tokens, want) in &table {
        let requests = config.requests(tokens).expect("requests");
        let got: Vec<_> = requests
            .iter()
            .map(|r| {
                (
                    r.url(),
                    r.body().expose(),
                    r.authorization().map(|a| a.expose()),
                )
            })
            .collect();
        assert_eq!(&got, want, "{config:?}");
        for r in &requests {
            let headers: Vec<_> = r.headers().collect();
            assert_eq!(
                headers[0],
                ("content-type", "application/x-www-form-urlencoded")
            );
            assert_eq!(headers[1], ("accept", "application/json"));
            assert_eq!(
                headers.get(2).map(|h| h.1),
                r.authorization().map(|a| a.expose())
            );
        }
    }
    assert_eq!(basic.client_auth(), ClientAuth::ClientSecretBasic);
    assert_eq!(post.client_auth(), ClientAuth::ClientSecretPost);
    assert_eq!(back_to_public.client_auth(), ClientAuth::None);
    assert_eq!(
        ClientAuth::from_name("client_secret_basic"),
        Some(ClientAuth::ClientSecretBasic)
    );
    assert_eq!(ClientAuth::from_name("private_key_jwt"), None);
}

#[test]
fn bad_revocation_input_is_refused_before_any_request() {
    let long = "t".repeat(16 * 1024 + 1);
    let longest = "t".repeat(16 * 1024);
    assert!(revocation()
        .requests(&Tokens {
            refresh_token: Some(&longest),
            ..Tokens::default()
        })
        .is_ok());
    #[rustfmt::skip]
    let table: Vec<(Tokens<'_>, &str)> = vec![
        (Tokens::default(), "revoking tokens needs a refreshToken or an accessToken"),
        (Tokens { refresh_token: Some(""), ..Tokens::default() }, "refreshToken must be"),
        (Tokens { access_token: Some(""), ..Tokens::default() }, "accessToken must be"),
        (Tokens { refresh_token: Some("rt\r\n"), ..Tokens::default() }, "refreshToken must be"),
        (Tokens { refresh_token: Some("r\0t"), ..Tokens::default() }, "refreshToken must be"),
        (Tokens { refresh_token: Some("r\tt"), ..Tokens::default() }, "refreshToken must be"),
        (Tokens { refresh_token: Some("r\u{7f}"), ..Tokens::default() }, "refreshToken must be"),
        (Tokens { refresh_token: Some("r\u{85}"), ..Tokens::default() }, "refreshToken must be"),
        (Tokens { refresh_token: Some("rté"), ..Tokens::default() }, "refreshToken must be"),
        (Tokens { refresh_token: Some(" rt"), ..Tokens::default() }, "refreshToken must be"),
        (Tokens { refresh_token: Some("rt "), ..Tokens::default() }, "refreshToken must be"),
        (Tokens { refresh_token: Some(&long), ..Tokens::default() }, "refreshToken is too long"),
        // A bad access token stops the refresh token's request too.
        (Tokens { refresh_token: Some("good"), access_token: Some("bad\n") }, "accessToken must be"),
    ];
    for (tokens, message) in &table {
        let err = revocation().requests(tokens).expect_err(message);
        assert_eq!(err.code().as_str(), "invalid_option");
        assert!(err.message().starts_with(message), "{}", err.message());
        assert!(
            !err.message().contains("rt") || message.contains("rt"),
            "{}",
            err.message()
        );
    }
    let domain = AppDomain::parse("myapp.genauth.ai").expect("domain");
    for id in ["", " c", "c\n", "é"] {
        let err = RevocationConfig::new(&domain, id).expect_err(id);
        assert_eq!(err.code().as_str(), "invalid_option");
        assert!(err.message().starts_with("clientId "));
    }
    for secret in ["", "s\r\n", " s", "é"] {
        for method in [ClientAuth::ClientSecretPost, ClientAuth::ClientSecretBasic] {
            let err = revocation()
                .with_client_secret(secret, method)
                .expect_err(secret);
            assert_eq!(err.code().as_str(), "invalid_option");
            assert!(err.message().starts_with("clientSecret "));
        }
    }
    for endpoint in [
        "http://idp.example/revoke",
        "https://user:pw@idp.example/revoke",
        "https://idp.example/revoke#f",
        "/oidc/token/revocation",
        "javascript:alert(1)",
        " https://idp.example/revoke",
    ] {
        let err = revocation()
            .with_endpoint(endpoint, &WhatwgUrl)
            .expect_err(endpoint);
        assert_eq!(err.code().as_str(), "invalid_option");
        assert!(err.message().starts_with("revocationEndpoint "));
    }
    assert!(revocation()
        .with_endpoint("http://127.0.0.1:4000/oidc/token/revocation", &WhatwgUrl)
        .is_ok());
}

#[test]
fn secrets_never_show_in_debug() {
    let config = revocation()
        .with_client_secret("client-secret-value", ClientAuth::ClientSecretBasic)
        .expect("secret");
    let tokens = Tokens {
        refresh_token: Some("refresh-token-value"),
        access_token: Some("access-token-value"),
    };
    let requests = config.requests(&tokens).expect("requests");
    let post = revocation()
        .with_client_secret("client-secret-value", ClientAuth::ClientSecretPost)
        .expect("secret");
    let shown = format!(
        "{config:?} {tokens:?} {requests:?} {post:?} {:?}",
        post.requests(&tokens).expect("requests")
    );
    for secret in [
        "client-secret-value",
        "refresh-token-value",
        "access-token-value",
        "Y2xpZW50",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("[redacted]"));
    assert!(
        shown.contains("client-1"),
        "the client id is not a secret: {shown}"
    );
}

#[test]
fn revocation_answers() {
    let request = revocation()
        .with_client_secret("client-secret", ClientAuth::ClientSecretPost)
        .and_then(|c| c.request("the-token", TokenTypeHint::RefreshToken))
        .expect("request");
    let refused =
        |status, error: Option<OAuthError>, description: Option<&str>| RevocationOutcome::Refused {
            status,
            error,
            description: description.map(String::from),
        };
    let unavailable = |status, retry_after: Option<&str>| RevocationOutcome::Unavailable {
        status,
        retry_after: retry_after.map(String::from),
    };
    #[rustfmt::skip]
    let table: Vec<(u16, &str, Option<&str>, RevocationOutcome)> = vec![
        (200, "", None, RevocationOutcome::Revoked),
        (200, "{}", None, RevocationOutcome::Revoked),
        (200, "<html>ok</html>", None, RevocationOutcome::Revoked),
        // RFC 7009 §2.2: an unknown token is a success too.
        (200, r#"{"error":"invalid_token"}"#, None, RevocationOutcome::Revoked),
        (400, r#"{"error":"invalid_request","error_description":"token is required"}"#, None, refused(400, Some(OAuthError::InvalidRequest), Some("token is required"))),
        (400, r#"{"error":"unsupported_token_type"}"#, None, refused(400, Some(OAuthError::UnsupportedTokenType), None)),
        (401, r#"{"error":"invalid_client","error_description":"client authentication failed"}"#, None, refused(401, Some(OAuthError::InvalidClient), Some("client authentication failed"))),
        (400, r#"{"error":"unauthorized_client"}"#, None, refused(400, Some(OAuthError::UnauthorizedClient), None)),
        (400, r#"{"error":"invalid_grant"}"#, None, refused(400, Some(OAuthError::InvalidGrant), None)),
        (403, r#"{"error":"access_denied"}"#, None, refused(403, Some(OAuthError::Other("access_denied".into())), None)),
        (404, "Not Found", None, refused(404, None, None)),
        (400, "", None, refused(400, None, None)),
        (400, r#"["invalid_request"]"#, None, refused(400, None, None)),
        (400, r#"{"error":"invalid_request""#, None, refused(400, None, None)),
        (400, r#"{"error":42}"#, None, refused(400, None, None)),
        (400, r#"{"error":""}"#, None, refused(400, None, None)),
        // Control characters or quotes are not NQSCHAR: dropped, not logged.
        (400, r#"{"error":"bad\r\nX-Injected: 1"}"#, None, refused(400, None, None)),
        (400, r#"{"error":"invalid_request","error_description":"line\nbreak"}"#, None, refused(400, Some(OAuthError::InvalidRequest), None)),
        (400, r#"{"error":"invalid_request","error_description":"   "}"#, None, refused(400, Some(OAuthError::InvalidRequest), None)),
        // A server that echoes what it was sent: redacted.
        (400, r#"{"error":"invalid_request","error_description":"bad token the-token for client-secret"}"#, None, refused(400, Some(OAuthError::InvalidRequest), Some("bad token [redacted] for [redacted]"))),
        (400, r#"{"error":"the-token"}"#, None, refused(400, Some(OAuthError::Other("[redacted]".into())), None)),
        (429, r#"{"error":"slow_down"}"#, Some("5"), refused(429, Some(OAuthError::Other("slow_down".into())), None)),
        (503, "", Some("120"), unavailable(503, Some("120"))),
        (503, "<html>maintenance</html>", Some(" Sun, 06 Nov 1994 08:49:37 GMT "), unavailable(503, Some("Sun, 06 Nov 1994 08:49:37 GMT"))),
        (503, "", None, unavailable(503, None)),
        (503, "", Some(""), unavailable(503, None)),
        (503, "", Some("1\r\nX: y"), unavailable(503, None)),
        (502, "", None, unavailable(502, None)),
        (504, "", Some("3"), unavailable(504, Some("3"))),
        (500, r#"{"error":"server_error"}"#, None, RevocationOutcome::Unexpected { status: 500 }),
        (501, "", None, RevocationOutcome::Unexpected { status: 501 }),
        (204, "", None, RevocationOutcome::Unexpected { status: 204 }),
        (201, "", None, RevocationOutcome::Unexpected { status: 201 }),
        (302, "", None, RevocationOutcome::Unexpected { status: 302 }),
        (307, "", None, RevocationOutcome::Unexpected { status: 307 }),
        (100, "", None, RevocationOutcome::Unexpected { status: 100 }),
        (0, "", None, RevocationOutcome::Unexpected { status: 0 }),
    ];
    for (status, body, retry_after, want) in &table {
        let got = request.read_answer(*status, body, *retry_after);
        assert_eq!(&got, want, "{status} {body}");
        assert_eq!(got.status(), *status, "{status} {body}");
        assert_eq!(got.is_revoked(), *status == 200);
        assert_eq!(got.is_retryable(), matches!(status, 502..=504));
    }
    let long = format!(
        r#"{{"error":"invalid_request","error_description":"{}"}}"#,
        "d".repeat(5000)
    );
    match request.read_answer(400, &long, None) {
        RevocationOutcome::Refused {
            description: Some(d),
            ..
        } => {
            assert_eq!(d.len(), 1024 + '…'.len_utf8());
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(feature = "admin")]
#[test]
fn revocation_outcomes_as_errors() {
    let request = revocation()
        .request("tok", TokenTypeHint::AccessToken)
        .expect("request");
    #[rustfmt::skip]
    let table: &[(u16, &str, Option<&str>, Result<(), (&str, &str)>)] = &[
        (200, "", None, Ok(())),
        (401, r#"{"error":"invalid_client","error_description":"secret tok wrong"}"#, None, Err(("http_error", "the revocation endpoint refused the request: invalid_client"))),
        (400, r#"{"error":"invalid_request"}"#, None, Err(("http_error", "the revocation endpoint refused the request: invalid_request"))),
        (400, r#"{"error":"custom_thing"}"#, None, Err(("http_error", "the revocation endpoint refused the request"))),
        (400, "nope", None, Err(("http_error", "the revocation endpoint refused the request"))),
        (503, "", Some("2"), Err(("http_error", "the revocation endpoint is unavailable; the token may still be valid"))),
        (204, "", None, Err(("invalid_response", "the revocation endpoint answered with a status RFC 7009 does not describe"))),
        (307, "", None, Err(("http_error", "the revocation endpoint answered with a status RFC 7009 does not describe"))),
    ];
    for (status, body, retry_after, want) in table {
        let outcome = request.read_answer(*status, body, *retry_after);
        let retryable = outcome.is_retryable();
        match (outcome.into_result(), want) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err((code, message))) => {
                assert_eq!(
                    (e.code().as_str(), e.message()),
                    (*code, *message),
                    "{status}"
                );
                assert_eq!(e.http_status(), Some(*status));
                assert_eq!(
                    genauth_logout::admin::is_retryable(&e),
                    retryable,
                    "{status}"
                );
            }
            (got, want) => panic!("{status}: got {got:?}, want {want:?}"),
        }
    }
    let busy = request.read_answer(503, "", Some("7"));
    assert_eq!(busy.retry_after_ms(0), Some(7_000));
    let now = 784_111_775_000; // Sun, 06 Nov 1994 08:49:35 GMT
    assert_eq!(
        request
            .read_answer(503, "", Some("Sun, 06 Nov 1994 08:49:37 GMT"))
            .retry_after_ms(now),
        Some(2_000)
    );
    assert_eq!(
        request
            .read_answer(503, "", Some("soon"))
            .retry_after_ms(now),
        None
    );
    assert_eq!(RevocationOutcome::Revoked.retry_after_ms(now), None);
}
