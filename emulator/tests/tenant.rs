//! End-to-end tests of the `genauth-emulator` binary: every endpoint and
//! every fault, over real loopback sockets.

mod support;

use serde_json::json;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{encode, temp_path, Emulator, HttpResponse, BIN};

const APP_URL: &str = "http://127.0.0.1:5173/";
const APP_ORIGIN: &str = "http://127.0.0.1:5173";
const KICK: &str = "/api/applications/app-demo/kick-active-users";
const AUTH: (&str, &str) = ("Authorization", "Bearer admin-secret-token");
const POOL: (&str, &str) = ("x-authing-userpool-id", "pool-demo");

#[test]
fn starts_with_no_arguments_and_prints_the_banner() {
    let emu = Emulator::start(&[]);
    assert_ne!(emu.port, 0);
    assert_eq!(
        emu.banner,
        format!(
            "genauth-emulator listening on http://127.0.0.1:{}",
            emu.port
        )
    );
    let home = emu.get("/", &[]);
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Local GenAuth tenant"));
    assert!(home.body.contains("app-demo"));
    assert_eq!(home.header("connection"), Some("close"));
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
fn sign_in_page_and_form() {
    let emu = Emulator::start(&[]);
    let page = emu.get(&format!("/login?redirect_uri={}", encode(APP_URL)), &[]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"sign-in\""));
    assert!(page.body.contains("Local GenAuth tenant"));
    assert!(page
        .body
        .contains(&format!("name=\"redirect_uri\" value=\"{APP_URL}\"")));

    // Wrong password: 401, the form again with #error, no cookie.
    let bad = emu.post_form("/login", &[], "username=alice&password=wrong");
    assert_eq!(bad.status, 401);
    assert!(bad.body.contains("id=\"error\""));
    assert_eq!(bad.header("set-cookie"), None);

    // A registered app origin: 302 there with the session cookie.
    let target = "http://127.0.0.1:5173/home?x=1";
    let ok = emu.post_form(
        "/login",
        &[],
        &format!(
            "username=alice&password=alice&redirect_uri={}",
            encode(target)
        ),
    );
    assert_eq!(ok.status, 302);
    assert_eq!(ok.header("location"), Some(target));
    let set_cookie = ok.header("set-cookie").expect("cookie");
    assert!(set_cookie.starts_with("genauth_session="));
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attr), "{set_cookie} lacks {attr}");
    }

    // Not a registered origin: no redirect, the user page instead.
    let elsewhere = emu.post_form(
        "/login",
        &[],
        &format!(
            "username=Alice&password=alice&redirect_uri={}",
            encode("http://evil.example/")
        ),
    );
    assert_eq!(elsewhere.status, 200);
    assert_eq!(elsewhere.header("location"), None);
    assert!(elsewhere.body.contains("id=\"user-name\">Alice<"));
    assert!(elsewhere.session_cookie().is_some());

    // Protocol-relative is not a local path.
    let sneaky = emu.post_form(
        "/login",
        &[],
        &format!(
            "username=bob&password=bob&redirect_uri={}",
            encode("//evil.example/")
        ),
    );
    assert_eq!(sneaky.status, 200);
    assert_eq!(sneaky.header("location"), None);

    // A form that is not form-encoded is refused.
    let json = emu.post_json("/login", &[], r#"{"username":"alice","password":"alice"}"#);
    assert_eq!(json.status, 415);
}

#[test]
fn api_me_and_personal_center_follow_the_session() {
    let emu = Emulator::start(&[]);
    assert_eq!(emu.me(""), json!({"signedIn": false, "user": null}));
    let cookie = emu.sign_in("user-bob", "bob");
    assert_eq!(
        emu.me(&cookie),
        json!({"signedIn": true, "user": {"id": "user-bob", "name": "Bob"}})
    );
    assert_eq!(
        emu.me("genauth_session=not-a-session")["signedIn"],
        json!(false)
    );

    let center = emu.get("/u", &[("Cookie", &cookie)]);
    assert_eq!(center.status, 200);
    assert!(center.body.contains("id=\"user-name\">Bob<"));
    assert!(center
        .body
        .contains("id=\"logout\" href=\"/login/profile/logout\""));
    let anonymous = emu.get("/u", &[]);
    assert!(anonymous.body.contains("id=\"not-signed-in\""));
    assert!(!anonymous.body.contains("id=\"user-name\""));
}

#[test]
fn cors_for_registered_origins_only() {
    let extra = "http://127.0.0.1:40001";
    let emu = Emulator::start(&["--app-origin", extra]);
    for origin in [APP_ORIGIN, extra] {
        let resp = emu.get("/api/me", &[("Origin", origin)]);
        assert_eq!(resp.header("access-control-allow-origin"), Some(origin));
        assert_eq!(
            resp.header("access-control-allow-credentials"),
            Some("true")
        );
        assert_eq!(resp.header("vary"), Some("Origin"));
    }
    let foreign = emu.get("/api/me", &[("Origin", "http://127.0.0.1:40002")]);
    assert_eq!(foreign.status, 200);
    assert_eq!(foreign.header("access-control-allow-origin"), None);

    let preflight = emu.send(
        "OPTIONS",
        "/api/me",
        &[
            ("Origin", APP_ORIGIN),
            ("Access-Control-Request-Method", "GET"),
        ],
        b"",
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some(APP_ORIGIN)
    );
    assert!(preflight
        .header("access-control-allow-methods")
        .is_some_and(|m| m.contains("GET")));

    let kick_preflight = emu.send(
        "OPTIONS",
        KICK,
        &[
            ("Origin", APP_ORIGIN),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization,content-type,x-authing-userpool-id",
            ),
        ],
        b"",
    );
    assert_eq!(kick_preflight.status, 204);
    let allowed = kick_preflight
        .header("access-control-allow-headers")
        .expect("allow-headers");
    for h in ["authorization", "content-type", "x-authing-userpool-id"] {
        assert!(allowed.contains(h), "{allowed} lacks {h}");
    }
    let refused = emu.send("OPTIONS", KICK, &[("Origin", "http://evil.example")], b"");
    assert_eq!(refused.status, 403);
    assert_eq!(refused.header("access-control-allow-origin"), None);
}

#[test]
fn hosted_logout_redirects_only_to_exact_registered_uris() {
    let registered_with_query = "http://127.0.0.1:40003/cb?next=%2Fhome&a=b c";
    let registered_plus = "http://127.0.0.1:40003/a+b";
    let emu = Emulator::start(&[
        "--redirect-uri",
        registered_with_query,
        "--redirect-uri",
        registered_plus,
    ]);

    let cookie = emu.sign_in("alice", "alice");
    let resp = emu.get(
        &format!("/login/profile/logout?redirect_uri={}", encode(APP_URL)),
        &[("Cookie", &cookie)],
    );
    assert_eq!(resp.status, 302);
    assert_eq!(resp.header("location"), Some(APP_URL));
    let cleared = resp.header("set-cookie").expect("clears the cookie");
    assert!(cleared.starts_with("genauth_session=;") && cleared.contains("Max-Age=0"));
    // The server session is gone too, not just the browser's cookie.
    assert_eq!(emu.me(&cookie)["signedIn"], json!(false));

    // Query values are compared after decoding, exactly once.
    let resp = emu.get(
        &format!(
            "/login/profile/logout?redirect_uri={}",
            encode(registered_with_query)
        ),
        &[],
    );
    assert_eq!(resp.status, 302);
    // The space is escaped for the header; everything else is as registered.
    assert_eq!(
        resp.header("location"),
        Some("http://127.0.0.1:40003/cb?next=%2Fhome&a=b%20c")
    );
    let resp = emu.get(
        &format!(
            "/login/profile/logout?redirect_uri={}",
            encode(registered_plus)
        ),
        &[],
    );
    assert_eq!(resp.status, 302, "an encoded + is a +");

    let near_misses = [
        "http://127.0.0.1:5173".to_string(),      // no trailing slash
        "http://127.0.0.1:5174/".to_string(),     // other port
        "http://127.0.0.1:5173/?x=1".to_string(), // extra query
        "HTTP://127.0.0.1:5173/".to_string(),     // case differs
        "http://127.0.0.1:5173/#".to_string(),
        "http://127.0.0.1:5173/ ".to_string(),
        "https://evil.example/".to_string(),
        "javascript:alert(1)".to_string(),
        encode(APP_URL), // double-encoded
    ];
    for target in near_misses {
        let cookie = emu.sign_in("alice", "alice");
        let resp = emu.get(
            &format!("/login/profile/logout?redirect_uri={}", encode(&target)),
            &[("Cookie", &cookie)],
        );
        assert_eq!(resp.status, 400, "{target:?} must be refused");
        assert_eq!(
            resp.header("location"),
            None,
            "{target:?} must not redirect"
        );
        assert!(resp.body.contains("id=\"error\""));
        assert!(!resp.body.contains("http-equiv"));
        // Still signed out: only the redirect is refused.
        assert_eq!(emu.me(&cookie)["signedIn"], json!(false));
    }

    // An unencoded + decodes to a space: not the registered string.
    let resp = emu.get(
        "/login/profile/logout?redirect_uri=http://127.0.0.1:40003/a+b",
        &[],
    );
    assert_eq!(resp.status, 400);

    // No redirect (or an empty one): the signed-out page.
    for target in [
        "/login/profile/logout",
        "/login/profile/logout?redirect_uri=",
    ] {
        let resp = emu.get(target, &[]);
        assert_eq!(resp.status, 200);
        assert!(resp.body.contains("id=\"signed-out\""));
        assert_eq!(resp.header("location"), None);
    }

    // A repeated parameter is ambiguous: refused.
    let resp = emu.get(
        &format!(
            "/login/profile/logout?redirect_uri={0}&redirect_uri={0}",
            encode(APP_URL)
        ),
        &[],
    );
    assert_eq!(resp.status, 400);
}

#[test]
fn oidc_end_session_by_get_and_post() {
    let config = temp_path("two-apps.json");
    std::fs::write(
        &config,
        json!({
            "apps": [
                {"id": "app-one", "logoutRedirectUris": ["http://127.0.0.1:40010/"]},
                {"id": "app-two", "logoutRedirectUris": ["http://127.0.0.1:40020/bye?x=1"]}
            ]
        })
        .to_string(),
    )
    .expect("write config");
    let emu = Emulator::start(&["--config", config.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&config);
    let one = "http://127.0.0.1:40010/";
    let two = "http://127.0.0.1:40020/bye?x=1";

    let cookie = emu.sign_in("alice", "alice");
    let resp = emu.get(
        &format!(
            "/oidc/session/end?id_token_hint=eyJ.x.y&post_logout_redirect_uri={}&state={}&client_id=app-one",
            encode(one),
            encode("s t&ate")
        ),
        &[("Cookie", &cookie)],
    );
    assert_eq!(resp.status, 302);
    assert_eq!(
        resp.header("location"),
        Some("http://127.0.0.1:40010/?state=s%20t%26ate")
    );
    assert_eq!(emu.me(&cookie)["signedIn"], json!(false));

    // state joins an existing query with &.
    let resp = emu.get(
        &format!(
            "/oidc/session/end?post_logout_redirect_uri={}&state=abc",
            encode(two)
        ),
        &[],
    );
    assert_eq!(
        resp.header("location"),
        Some("http://127.0.0.1:40020/bye?x=1&state=abc")
    );
    // No state: the URI unchanged.
    let resp = emu.get(
        &format!("/oidc/session/end?post_logout_redirect_uri={}", encode(two)),
        &[],
    );
    assert_eq!(resp.header("location"), Some(two));

    // client_id narrows the list to that app; unknown client_id is refused.
    for (client, target) in [("app-one", two), ("app-x", one)] {
        let resp = emu.get(
            &format!(
                "/oidc/session/end?post_logout_redirect_uri={}&client_id={client}",
                encode(target)
            ),
            &[],
        );
        assert_eq!(resp.status, 400, "{client} {target}");
        assert_eq!(resp.header("location"), None);
        assert!(resp.body.contains("id=\"error\""));
    }

    // POST form with an ID token far over 8 KB.
    let token = format!("eyJhbGciOiJSUzI1NiJ9.{}.sig", "A".repeat(40_000));
    let cookie = emu.sign_in("bob", "bob");
    let resp = emu.post_form(
        "/oidc/session/end",
        &[("Cookie", &cookie)],
        &format!(
            "id_token_hint={token}&post_logout_redirect_uri={}&state=xyz&client_id=app-two&ui_locales=en",
            encode(two)
        ),
    );
    assert_eq!(resp.status, 302);
    assert_eq!(
        resp.header("location"),
        Some("http://127.0.0.1:40020/bye?x=1&state=xyz")
    );
    assert_eq!(emu.me(&cookie)["signedIn"], json!(false));

    let wrong_type = emu.post_json("/oidc/session/end", &[], "{}");
    assert_eq!(wrong_type.status, 415);

    let no_redirect = emu.get("/oidc/session/end?state=abc", &[]);
    assert_eq!(no_redirect.status, 200);
    assert!(no_redirect.body.contains("id=\"signed-out\""));

    // The ID token never reaches the log.
    let lines = emu.wait_for_log_lines(12);
    assert!(lines
        .iter()
        .all(|l| !l.contains("AAAAAAAA") && !l.contains("eyJ")));
}

#[test]
fn cas_logout_uses_url() {
    let emu = Emulator::start(&[]);
    let cookie = emu.sign_in("alice", "alice");
    let ok = emu.get(
        &format!("/cas-idp/logout?url={}", encode(APP_URL)),
        &[("Cookie", &cookie)],
    );
    assert_eq!(ok.status, 302);
    assert_eq!(ok.header("location"), Some(APP_URL));
    assert_eq!(emu.me(&cookie)["signedIn"], json!(false));
    let bad = emu.get(
        &format!("/cas-idp/logout?url={}", encode("http://evil.example/")),
        &[],
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.header("location"), None);
    // redirect_uri is not CAS's parameter name.
    let other = emu.get(
        &format!("/cas-idp/logout?redirect_uri={}", encode(APP_URL)),
        &[],
    );
    assert_eq!(other.status, 200);
    assert!(other.body.contains("id=\"signed-out\""));
}

#[test]
fn kick_active_users_ends_exactly_those_sessions() {
    let emu = Emulator::start(&[]);
    let alice_1 = emu.sign_in("alice", "alice");
    let alice_2 = emu.sign_in("alice", "alice");
    let bob = emu.sign_in("bob", "bob");
    let sessions = emu.get("/__emulator/sessions", &[]).json();
    assert_eq!(sessions.as_array().map(Vec::len), Some(3));

    let resp = emu.post_json(
        KICK,
        &[AUTH, POOL],
        r#"{"userIds":["user-alice","user-nobody"],"appId":"app-demo"}"#,
    );
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.json(),
        json!({"code": 200, "message": "Forced offline successful"})
    );
    assert_eq!(emu.me(&alice_1)["signedIn"], json!(false));
    assert_eq!(emu.me(&alice_2)["signedIn"], json!(false));
    assert_eq!(emu.me(&bob)["signedIn"], json!(true));
    assert_eq!(
        emu.get("/__emulator/sessions", &[]).json(),
        json!([{"userId": "user-bob"}])
    );

    // The scheme is case-insensitive.
    let resp = emu.post_json(
        KICK,
        &[("authorization", "bearer admin-secret-token"), POOL],
        r#"{"userIds":["user-bob"],"appId":"app-demo"}"#,
    );
    assert_eq!(resp.json()["code"], json!(200));
    assert_eq!(emu.me(&bob)["signedIn"], json!(false));
}

/// Headers, path, body, expected HTTP status, expected body `code`.
type KickCase<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str, u16, i64);

#[test]
fn kick_active_users_reports_errors_like_genauth() {
    let emu = Emulator::start(&[]);
    let good = r#"{"userIds":["user-alice"],"appId":"app-demo"}"#;
    let json_ct = ("Content-Type", "application/json");
    // (headers, path, body, HTTP status, body code)
    let cases: Vec<KickCase> = vec![
        (vec![json_ct, POOL], KICK, good, 401, 401),
        (
            vec![json_ct, POOL, ("Authorization", "Bearer wrong")],
            KICK,
            good,
            401,
            401,
        ),
        (
            vec![json_ct, POOL, ("Authorization", "admin-secret-token")],
            KICK,
            good,
            401,
            401,
        ),
        (
            vec![json_ct, POOL, ("Authorization", "Basic admin-secret-token")],
            KICK,
            good,
            401,
            401,
        ),
        (vec![json_ct, AUTH], KICK, good, 200, 400),
        (
            vec![json_ct, AUTH, ("x-authing-userpool-id", "pool-other")],
            KICK,
            good,
            200,
            403,
        ),
        (
            vec![("Content-Type", "text/plain"), AUTH, POOL],
            KICK,
            good,
            400,
            400,
        ),
        (vec![json_ct, AUTH, POOL], KICK, "{not json", 400, 400),
        (vec![json_ct, AUTH, POOL], KICK, "[]", 400, 400),
        (
            vec![json_ct, AUTH, POOL],
            KICK,
            r#"{"appId":"app-demo"}"#,
            400,
            400,
        ),
        (
            vec![json_ct, AUTH, POOL],
            KICK,
            r#"{"userIds":[],"appId":"app-demo"}"#,
            400,
            400,
        ),
        (
            vec![json_ct, AUTH, POOL],
            KICK,
            r#"{"userIds":"user-alice","appId":"app-demo"}"#,
            400,
            400,
        ),
        (
            vec![json_ct, AUTH, POOL],
            KICK,
            r#"{"userIds":[1],"appId":"app-demo"}"#,
            400,
            400,
        ),
        (
            vec![json_ct, AUTH, POOL],
            KICK,
            r#"{"userIds":["user-alice"]}"#,
            400,
            400,
        ),
        (
            vec![json_ct, AUTH, POOL],
            KICK,
            r#"{"userIds":["user-alice"],"appId":"app-other"}"#,
            400,
            400,
        ),
        (
            vec![json_ct, AUTH, POOL],
            "/api/applications/app-other/kick-active-users",
            r#"{"userIds":["user-alice"],"appId":"app-other"}"#,
            200,
            404,
        ),
    ];
    for (headers, path, body, status, code) in cases {
        let resp = emu.send("POST", path, &headers, body.as_bytes());
        let answer = resp.json();
        assert_eq!(
            (resp.status, answer["code"].as_i64()),
            (status, Some(code)),
            "headers {headers:?} body {body}: {answer}"
        );
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
        if status == 401 {
            assert!(resp.header("www-authenticate").is_some());
        }
    }

    // The path's appId is percent-decoded before it is compared.
    let config = temp_path("odd-app.json");
    std::fs::write(&config, r#"{"apps":[{"id":"a b/c"}]}"#).expect("write config");
    let emu2 = Emulator::start(&["--config", config.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&config);
    let resp = emu2.post_json(
        &format!("/api/applications/{}/kick-active-users", encode("a b/c")),
        &[AUTH, POOL],
        r#"{"userIds":["user-alice"],"appId":"a b/c"}"#,
    );
    assert_eq!(resp.json()["code"], json!(200));

    let get = emu.get(KICK, &[AUTH, POOL]);
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST, OPTIONS"));

    // CORS on the admin API for a registered origin.
    let resp = emu.post_json(KICK, &[AUTH, POOL, ("Origin", APP_ORIGIN)], good);
    assert_eq!(resp.header("access-control-allow-origin"), Some(APP_ORIGIN));
}

#[test]
fn records_requests_and_resets() {
    let emu = Emulator::start(&[]);
    let body = r#"{"userIds":["user-alice"],"appId":"app-demo"}"#;
    emu.post_json(KICK, &[AUTH, POOL], body);
    emu.get("/u?x=1", &[]);
    assert_eq!(emu.get("/favicon.ico", &[]).status, 204);
    let records = emu.requests();
    assert_eq!(records.len(), 2, "hooks are not recorded: {records:?}");
    let kick = &records[0];
    assert_eq!(kick["method"], json!("POST"));
    assert_eq!(kick["path"], json!(KICK));
    assert_eq!(kick["body"], json!(body));
    assert_eq!(
        kick["headers"]["authorization"],
        json!("Bearer admin-secret-token")
    );
    assert_eq!(kick["headers"]["x-authing-userpool-id"], json!("pool-demo"));
    assert_eq!(kick["headers"]["content-type"], json!("application/json"));
    assert_eq!(kick["fault"], json!(null));
    assert_eq!(records[1]["path"], json!("/u"));
    assert_eq!(records[1]["query"], json!("x=1"));

    let only_api = emu
        .get("/__emulator/requests?path_prefix=%2Fapi%2F", &[])
        .json();
    assert_eq!(only_api.as_array().map(Vec::len), Some(1));

    emu.fault(r#"{"path_prefix":"/u","mode":"api_code","api_code":1}"#);
    let reset = emu.send("POST", "/__emulator/reset", &[], b"");
    assert_eq!(reset.status, 200);
    assert!(emu.requests().is_empty());
    // The queued fault is gone too.
    assert_eq!(
        emu.get("/u", &[]).header("content-type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
fn fault_delay_then_normal() {
    let emu = Emulator::start(&[]);
    emu.fault(r#"{"path_prefix":"/api/me","times":1,"mode":"delay","delay_ms":400}"#);
    let start = Instant::now();
    let resp = emu.get("/api/me", &[]);
    assert!(start.elapsed() >= Duration::from_millis(400));
    assert_eq!(resp.json(), json!({"signedIn": false, "user": null}));
    emu.get("/api/me", &[]);
    let faults: Vec<_> = emu.requests().iter().map(|r| r["fault"].clone()).collect();
    assert_eq!(faults, vec![json!("delay"), json!(null)]);
}

#[test]
fn fault_close_applies_times_then_stops() {
    let emu = Emulator::start(&[]);
    emu.fault(r#"{"path_prefix":"/api/","times":2,"mode":"close"}"#);
    // A path outside the prefix is untouched and does not use up the fault.
    assert_eq!(emu.get("/login", &[]).status, 200);
    let body = r#"{"userIds":["user-alice"],"appId":"app-demo"}"#;
    let ct = ("Content-Type", "application/json");
    assert!(emu
        .try_send("POST", KICK, &[ct, AUTH, POOL], body.as_bytes())
        .is_none());
    assert!(emu
        .try_send("POST", KICK, &[ct, AUTH, POOL], body.as_bytes())
        .is_none());
    let third = emu.send("POST", KICK, &[ct, AUTH, POOL], body.as_bytes());
    assert_eq!(third.json()["code"], json!(200));
    let faults: Vec<_> = emu.requests().iter().map(|r| r["fault"].clone()).collect();
    assert_eq!(
        faults,
        vec![json!(null), json!("close"), json!("close"), json!(null)]
    );
}

#[test]
fn fault_status_with_retry_after() {
    let emu = Emulator::start(&[]);
    emu.fault(
        r#"{"path_prefix":"/api/applications/","mode":"status","status":503,"retry_after":7}"#,
    );
    // A preflight does not use up the fault, and the fault answer carries CORS.
    let pre = emu.send("OPTIONS", KICK, &[("Origin", APP_ORIGIN)], b"");
    assert_eq!(pre.status, 204);
    let resp = emu.post_json(KICK, &[AUTH, POOL, ("Origin", APP_ORIGIN)], "{}");
    assert_eq!(resp.status, 503);
    assert_eq!(resp.header("retry-after"), Some("7"));
    assert_eq!(resp.json()["code"], json!(503));
    assert_eq!(resp.header("access-control-allow-origin"), Some(APP_ORIGIN));
    assert_eq!(
        resp.header("access-control-expose-headers"),
        Some("Retry-After")
    );

    emu.fault(r#"{"mode":"status","status":429,"message":"slow down"}"#);
    let resp = emu.post_json(KICK, &[AUTH, POOL], "{}");
    assert_eq!(resp.status, 429);
    assert_eq!(resp.header("retry-after"), None);
    assert_eq!(resp.json(), json!({"code": 429, "message": "slow down"}));
}

#[test]
fn fault_non_json_and_api_code() {
    let emu = Emulator::start(&[]);
    emu.fault(
        r#"[{"mode":"non_json"},{"mode":"api_code","api_code":2004,"message":"User not found"}]"#,
    );
    let html = emu.post_json(KICK, &[AUTH, POOL], "{}");
    assert_eq!(html.status, 200);
    assert!(html
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/html")));
    assert!(serde_json::from_str::<serde_json::Value>(&html.body).is_err());
    let api = emu.post_json(KICK, &[AUTH, POOL], "{}");
    assert_eq!(api.status, 200);
    assert_eq!(
        api.json(),
        json!({"code": 2004, "message": "User not found"})
    );
}

#[test]
fn refuses_bad_faults() {
    let emu = Emulator::start(&[]);
    for bad in [
        "{",
        r#"{"mode":"boom"}"#,
        r#"{"mode":"close","times":0}"#,
        r#"{"mode":"status","status":42}"#,
        r#"{"mode":"close","path_prefix":"api"}"#,
        r#"{"mode":"close","typo":1}"#,
    ] {
        let resp = emu.post_json("/__emulator/faults", &[], bad);
        assert_eq!(resp.status, 400, "{bad}");
        assert_eq!(resp.json()["code"], json!(400));
    }
}

#[test]
fn log_has_one_line_per_request_and_no_secrets() {
    let emu = Emulator::start(&[]);
    emu.get(
        "/oidc/session/end?id_token_hint=SECRET-ID-TOKEN&state=SECRET-STATE",
        &[],
    );
    emu.post_json(
        KICK,
        &[("Authorization", "Bearer SECRET-ADMIN"), POOL],
        r#"{"userIds":["SECRET-USER"],"appId":"app-demo"}"#,
    );
    emu.post_form("/login", &[], "username=alice&password=SECRET-PASSWORD");
    let lines = emu.wait_for_log_lines(3);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        lines[0],
        "GET /oidc/session/end?id_token_hint=…&state=… -> 200"
    );
    assert_eq!(lines[1], format!("POST {KICK} -> 401"));
    assert_eq!(lines[2], "POST /login -> 401");
    assert!(lines.iter().all(|l| !l.contains("SECRET")));
}

#[test]
fn config_file_replaces_defaults() {
    let config = temp_path("custom.json");
    std::fs::write(
        &config,
        json!({
            "userPoolId": "pool-x",
            "adminToken": "tok-x",
            "apps": [{"id": "app-x", "name": "X", "logoutRedirectUris": ["http://127.0.0.1:40030/"], "appOrigins": ["http://127.0.0.1:40030"]}],
            "users": [{"id": "u-carol", "name": "Carol", "password": "pw"}]
        })
        .to_string(),
    )
    .expect("write config");
    let emu = Emulator::start(&[
        "--config",
        config.to_str().expect("utf-8 path"),
        "--redirect-uri",
        "http://127.0.0.1:40031/",
    ]);
    let _ = std::fs::remove_file(&config);

    let cookie = emu.sign_in("carol", "pw");
    assert_eq!(emu.me(&cookie)["user"]["id"], json!("u-carol"));
    let resp = emu.post_form("/login", &[], "username=alice&password=alice");
    assert_eq!(resp.status, 401, "default users are replaced");

    let kick = "/api/applications/app-x/kick-active-users";
    let body = r#"{"userIds":["u-carol"],"appId":"app-x"}"#;
    let old = emu.post_json(kick, &[AUTH, ("x-authing-userpool-id", "pool-x")], body);
    assert_eq!(old.status, 401);
    let resp = emu.post_json(
        kick,
        &[
            ("Authorization", "Bearer tok-x"),
            ("x-authing-userpool-id", "pool-x"),
        ],
        body,
    );
    assert_eq!(resp.json()["code"], json!(200));
    assert_eq!(emu.me(&cookie)["signedIn"], json!(false));

    for uri in ["http://127.0.0.1:40030/", "http://127.0.0.1:40031/"] {
        let resp = emu.get(
            &format!("/login/profile/logout?redirect_uri={}", encode(uri)),
            &[],
        );
        assert_eq!(resp.status, 302, "{uri}");
    }
    let resp = emu.get(
        &format!("/login/profile/logout?redirect_uri={}", encode(APP_URL)),
        &[],
    );
    assert_eq!(resp.status, 400, "the default app is replaced");
}

#[test]
fn bad_command_lines_and_configs_exit_with_an_error() {
    let config = temp_path("bad.json");
    std::fs::write(
        &config,
        r#"{"apps":[{"id":"a","logoutRedirectUri":["http://x/"]}]}"#,
    )
    .expect("write config");
    let config_arg = config.to_str().expect("utf-8 path").to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--config", config_arg.as_str()], "logoutRedirectUri"),
        (vec!["--config", "/nonexistent/genauth.json"], "cannot read"),
        (vec!["--port", "http"], "--port"),
        (vec!["--frobnicate"], "unknown argument"),
        (vec!["--redirect-uri", "/relative"], "--redirect-uri"),
        (
            vec!["--app-origin", "http://127.0.0.1:1/path"],
            "--app-origin",
        ),
    ];
    for (args, needle) in cases {
        let out = Command::new(BIN)
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} must not print the banner");
    }
    let _ = std::fs::remove_file(&config);

    let help = Command::new(BIN).arg("--help").output().expect("run");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--redirect-uri"));
}

#[test]
fn http_limits_and_framing() {
    let emu = Emulator::start(&[]);
    // Body over 1 MB: 413 without reading it.
    let resp = emu
        .raw(b"POST /oidc/session/end HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n")
        .expect("answer");
    assert_eq!(resp.status, 413);
    // Head over 64 KB: 431.
    let mut huge = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
    huge.extend_from_slice(&vec![b'a'; 70 * 1024]);
    huge.extend_from_slice(b"\r\n\r\n");
    assert_eq!(emu.raw(&huge).expect("answer").status, 431);
    // Garbage request line: 400.
    assert_eq!(emu.raw(b"HELLO\r\n\r\n").expect("answer").status, 400);

    // Chunked body with Expect: 100-continue (curl and Node streams send these).
    let form = format!("post_logout_redirect_uri={}&state=ch", encode(APP_URL));
    let (a, b) = form.split_at(10);
    let chunked = format!(
        "POST /oidc/session/end HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    let resp = emu.raw(chunked.as_bytes()).expect("answer");
    assert_eq!(resp.status, 302);
    assert_eq!(
        resp.header("location"),
        Some("http://127.0.0.1:5173/?state=ch")
    );

    // Unknown paths.
    assert_eq!(emu.get("/nope", &[]).status, 404);
    assert_eq!(emu.get("/api/nope", &[]).json()["code"], json!(404));
    let wrong_method = emu.send("DELETE", "/login", &[], b"");
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.header("allow"), Some("GET, POST"));
}

const TOKEN: &str = "/oidc/token";
const REVOKE: &str = "/oidc/token/revocation";
const SERVER_SECRET: &str = "app-server-secret";

/// `Authorization: Basic` for `client_secret_basic`.
fn basic(id: &str, secret: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

/// Signs in with the password grant; returns (access token, refresh token).
fn password_grant(emu: &Emulator, client: &str, headers: &[(&str, &str)]) -> (String, String) {
    let resp = emu.post_form(
        TOKEN,
        headers,
        &format!("grant_type=password&username=alice&password=alice{client}"),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    let body = resp.json();
    assert_eq!(body["token_type"], json!("Bearer"));
    assert_eq!(body["expires_in"], json!(3600));
    assert_eq!(resp.header("cache-control"), Some("no-store"));
    let access = body["access_token"].as_str().expect("access token");
    let refresh = body["refresh_token"].as_str().expect("refresh token");
    assert_ne!(access, refresh);
    (access.to_string(), refresh.to_string())
}

/// `POST /oidc/token` with `grant_type=refresh_token`.
fn refresh(emu: &Emulator, token: &str, client: &str, headers: &[(&str, &str)]) -> HttpResponse {
    emu.post_form(
        TOKEN,
        headers,
        &format!("grant_type=refresh_token&refresh_token={token}{client}"),
    )
}

/// `GET /oidc/me` with a bearer token: its status.
fn userinfo_status(emu: &Emulator, access: &str) -> u16 {
    emu.get(
        "/oidc/me",
        &[("Authorization", &format!("Bearer {access}"))],
    )
    .status
}

fn assert_oauth_error(resp: &HttpResponse, status: u16, error: &str) {
    assert_eq!(resp.status, status, "{}", resp.body);
    assert_eq!(resp.json()["error"], json!(error), "{}", resp.body);
    assert!(resp.json()["error_description"].is_string());
    if status == 401 {
        assert!(resp
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Basic")));
    }
}

#[test]
fn a_revoked_refresh_token_no_longer_refreshes() {
    let emu = Emulator::start(&[]);
    let public = "&client_id=app-demo";
    let (access, refresh_token) = password_grant(&emu, public, &[]);
    let (other_access, other_refresh) = password_grant(&emu, public, &[]);

    // A live refresh token answers a fresh access token, and keeps working.
    let fresh = refresh(&emu, &refresh_token, public, &[]);
    assert_eq!(fresh.status, 200, "{}", fresh.body);
    let fresh_access = fresh.json()["access_token"]
        .as_str()
        .expect("access token")
        .to_string();
    assert_eq!(fresh.json()["refresh_token"], json!(null));
    assert_ne!(fresh_access, access);
    assert_eq!(userinfo_status(&emu, &fresh_access), 200);
    assert_eq!(
        emu.get(
            "/oidc/me",
            &[("Authorization", &format!("Bearer {access}"))]
        )
        .json(),
        json!({"sub": "user-alice", "name": "Alice"})
    );

    // Revoke it as a public client: 200, empty body.
    let resp = emu.post_form(
        REVOKE,
        &[],
        &format!("token={refresh_token}&token_type_hint=refresh_token&client_id=app-demo"),
    );
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body, "");
    // Refused from now on, and the access tokens it gave are gone with it.
    assert_oauth_error(
        &refresh(&emu, &refresh_token, public, &[]),
        400,
        "invalid_grant",
    );
    assert_eq!(userinfo_status(&emu, &access), 401);
    assert_eq!(userinfo_status(&emu, &fresh_access), 401);
    // Another sign-in's tokens are untouched.
    assert_eq!(refresh(&emu, &other_refresh, public, &[]).status, 200);
    assert_eq!(userinfo_status(&emu, &other_access), 200);

    // Revoking again, or revoking nonsense, is still 200 (RFC 7009 section 2.2).
    for token in [refresh_token.as_str(), "never-issued"] {
        let resp = emu.post_form(REVOKE, &[], &format!("token={token}&client_id=app-demo"));
        assert_eq!(resp.status, 200, "{token}");
    }

    // An access token alone: revoked, its refresh token stays.
    let resp = emu.post_form(
        REVOKE,
        &[],
        &format!("token={other_access}&token_type_hint=access_token&client_id=app-demo"),
    );
    assert_eq!(resp.status, 200);
    assert_eq!(userinfo_status(&emu, &other_access), 401);
    assert_eq!(refresh(&emu, &other_refresh, public, &[]).status, 200);
    // A wrong hint does not stop the search.
    let resp = emu.post_form(
        REVOKE,
        &[],
        &format!("token={other_refresh}&token_type_hint=access_token&client_id=app-demo"),
    );
    assert_eq!(resp.status, 200);
    assert_oauth_error(
        &refresh(&emu, &other_refresh, public, &[]),
        400,
        "invalid_grant",
    );
    assert_eq!(emu.get("/__emulator/tokens", &[]).json(), json!([]));

    // Token values reach neither a URL nor the log.
    let lines = emu.wait_for_log_lines(14);
    for token in [&access, &refresh_token, &other_refresh] {
        assert!(
            lines.iter().all(|l| !l.contains(token.as_str())),
            "{lines:?}"
        );
    }
    assert!(emu.requests().iter().all(|r| r["query"]
        .as_str()
        .is_some_and(|q| !q.contains(&refresh_token))));
}

/// Client part of the form, headers, expected HTTP status, expected `error`.
type ClientCase<'a> = (String, Vec<(&'a str, &'a str)>, u16, &'a str);

#[test]
fn confidential_clients_authenticate_with_basic_or_post() {
    let emu = Emulator::start(&[]);
    let basic_ok = basic("app-server", SERVER_SECRET);
    let auth = ("Authorization", basic_ok.as_str());
    let (access, refresh_token) = password_grant(&emu, "", &[auth]);
    let post = format!("&client_id=app-server&client_secret={SERVER_SECRET}");
    assert_eq!(refresh(&emu, &refresh_token, &post, &[]).status, 200);
    assert_eq!(refresh(&emu, &refresh_token, "", &[auth]).status, 200);
    // client_id in the body beside Basic is fine when it is the same one.
    assert_eq!(
        refresh(&emu, &refresh_token, "&client_id=app-server", &[auth]).status,
        200
    );

    let wrong = basic("app-server", "wrong");
    let public_basic = basic("app-demo", "anything");
    let refusals: Vec<ClientCase> = vec![
        // Wrong secret, by either method.
        (
            String::new(),
            vec![("Authorization", wrong.as_str())],
            401,
            "invalid_client",
        ),
        (
            "&client_id=app-server&client_secret=wrong".into(),
            vec![],
            401,
            "invalid_client",
        ),
        // A confidential client must authenticate.
        (
            "&client_id=app-server".into(),
            vec![],
            401,
            "invalid_client",
        ),
        // No client at all, an unknown one, a Bearer header.
        (String::new(), vec![], 401, "invalid_client"),
        (
            "&client_id=app-nobody".into(),
            vec![],
            401,
            "invalid_client",
        ),
        (
            String::new(),
            vec![("Authorization", "Bearer x")],
            401,
            "invalid_client",
        ),
        // A public client has no secret to send.
        (
            "&client_id=app-demo&client_secret=x".into(),
            vec![],
            401,
            "invalid_client",
        ),
        (
            String::new(),
            vec![("Authorization", public_basic.as_str())],
            401,
            "invalid_client",
        ),
        // Two methods at once, or two client ids.
        (
            format!("&client_secret={SERVER_SECRET}"),
            vec![auth],
            400,
            "invalid_request",
        ),
        (
            "&client_id=app-demo".into(),
            vec![auth],
            400,
            "invalid_request",
        ),
        (
            "&client_id=app-server&client_id=app-server".into(),
            vec![auth],
            400,
            "invalid_request",
        ),
    ];
    for (client, headers, status, error) in &refusals {
        let form = format!("token={refresh_token}{client}");
        let resp = emu.post_form(REVOKE, headers, &form);
        assert_oauth_error(&resp, *status, error);
        // Client authentication comes before the token is even looked at.
        let resp = emu.post_form(REVOKE, headers, client.trim_start_matches('&'));
        assert_oauth_error(&resp, *status, error);
        let resp = refresh(&emu, &refresh_token, client, headers);
        assert_oauth_error(&resp, *status, error);
    }
    // None of that revoked anything.
    assert_eq!(refresh(&emu, &refresh_token, "", &[auth]).status, 200);
    assert_eq!(userinfo_status(&emu, &access), 200);

    // Another client cannot revoke or use this client's tokens.
    let resp = emu.post_form(
        REVOKE,
        &[],
        &format!("token={refresh_token}&client_id=app-demo"),
    );
    assert_oauth_error(&resp, 401, "invalid_client");
    assert_oauth_error(
        &refresh(&emu, &refresh_token, "&client_id=app-demo", &[]),
        400,
        "invalid_grant",
    );
    assert_eq!(refresh(&emu, &refresh_token, "", &[auth]).status, 200);

    // client_secret_post revokes; then client_secret_basic sees it refused.
    let resp = emu.post_form(REVOKE, &[], &format!("token={refresh_token}{post}"));
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_oauth_error(
        &refresh(&emu, &refresh_token, "", &[auth]),
        400,
        "invalid_grant",
    );
    assert_eq!(userinfo_status(&emu, &access), 401);

    // client_secret_basic revokes too.
    let (_, second) = password_grant(&emu, "", &[auth]);
    let resp = emu.post_form(REVOKE, &[auth], &format!("token={second}"));
    assert_eq!(resp.status, 200);
    assert_oauth_error(&refresh(&emu, &second, &post, &[]), 400, "invalid_grant");
}

#[test]
fn revocation_and_token_requests_are_checked() {
    let emu = Emulator::start(&[]);
    let (_, refresh_token) = password_grant(&emu, "&client_id=app-demo", &[]);
    for form in [
        "client_id=app-demo".to_string(),
        "client_id=app-demo&token=".to_string(),
        format!("client_id=app-demo&token={refresh_token}&token=other"),
        format!("client_id=app-demo&token={refresh_token}&token_type_hint=a&token_type_hint=b"),
    ] {
        assert_oauth_error(&emu.post_form(REVOKE, &[], &form), 400, "invalid_request");
    }
    let json_body = emu.post_json(
        REVOKE,
        &[],
        &format!(r#"{{"token":"{refresh_token}","client_id":"app-demo"}}"#),
    );
    assert_oauth_error(&json_body, 400, "invalid_request");
    let get = emu.get(REVOKE, &[]);
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST, OPTIONS"));
    assert_eq!(get.json()["code"], json!(405));

    for (form, error) in [
        ("client_id=app-demo", "invalid_request"),
        ("client_id=app-demo&grant_type=client_credentials", "unsupported_grant_type"),
        ("client_id=app-demo&grant_type=refresh_token", "invalid_request"),
        ("client_id=app-demo&grant_type=password&username=alice&password=nope", "invalid_grant"),
        ("client_id=app-demo&grant_type=authorization_code&code=x&redirect_uri=http%3A%2F%2F127.0.0.1%3A5173%2F", "invalid_grant"),
        ("client_id=app-demo&grant_type=authorization_code&code=x", "invalid_request"),
    ] {
        assert_oauth_error(&emu.post_form(TOKEN, &[], form), 400, error);
    }
    // The token survived all of that.
    assert_eq!(
        refresh(&emu, &refresh_token, "&client_id=app-demo", &[]).status,
        200
    );

    // userinfo needs a live bearer token.
    let none = emu.get("/oidc/me", &[]);
    assert_eq!(none.status, 401);
    assert!(none
        .header("www-authenticate")
        .is_some_and(|v| v.starts_with("Bearer")));
    assert_eq!(
        userinfo_status(&emu, &refresh_token),
        401,
        "a refresh token is not an access token"
    );
}

/// The `name` query parameter of a redirect `Location`.
fn location_param(resp: &HttpResponse, name: &str) -> Option<String> {
    let location = resp.header("location")?;
    let url = url::Url::parse(location).ok()?;
    let value = url.query_pairs().find(|(k, _)| k == name)?.1.into_owned();
    Some(value)
}

#[test]
fn the_authorization_code_flow_gives_tokens_to_the_browser_app() {
    let emu = Emulator::start(&[]);
    // RFC 7636 appendix B.
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let authorize = format!(
        "/oidc/auth?client_id=app-demo&response_type=code&scope=openid&redirect_uri={}&state={}&code_challenge={challenge}&code_challenge_method=S256",
        encode(APP_URL),
        encode("st ate")
    );

    // Not signed in: to the sign-in page, which comes back here.
    let resp = emu.get(&authorize, &[]);
    assert_eq!(resp.status, 302);
    let to_login = resp.header("location").expect("location").to_string();
    assert_eq!(
        to_login,
        format!("/login?redirect_uri={}", encode(&authorize))
    );
    let page = emu.get(&to_login, &[]);
    assert!(page.body.contains("id=\"sign-in\""));
    let signed_in = emu.post_form(
        "/login",
        &[],
        &format!(
            "username=alice&password=alice&redirect_uri={}",
            encode(&authorize)
        ),
    );
    assert_eq!(signed_in.status, 302);
    assert_eq!(signed_in.header("location"), Some(authorize.as_str()));
    let cookie = signed_in.session_cookie().expect("session");

    // Signed in: back to the app with a code and the state.
    let resp = emu.get(&authorize, &[("Cookie", &cookie)]);
    assert_eq!(resp.status, 302);
    assert!(resp
        .header("location")
        .is_some_and(|l| l.starts_with(APP_URL)));
    assert_eq!(location_param(&resp, "state").as_deref(), Some("st ate"));
    let code = location_param(&resp, "code").expect("code");

    let exchange = |code: &str, extra: &str| {
        emu.post_form(
            TOKEN,
            &[("Origin", APP_ORIGIN)],
            &format!(
                "grant_type=authorization_code&code={code}&redirect_uri={}&client_id=app-demo{extra}",
                encode(APP_URL)
            ),
        )
    };
    let tokens = exchange(&code, &format!("&code_verifier={verifier}"));
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    assert_eq!(
        tokens.header("access-control-allow-origin"),
        Some(APP_ORIGIN)
    );
    let body = tokens.json();
    assert_eq!(body["scope"], json!("openid"));
    let refresh_token = body["refresh_token"].as_str().expect("refresh token");
    let access = body["access_token"].as_str().expect("access token");
    assert_eq!(userinfo_status(&emu, access), 200);
    assert_eq!(
        emu.get("/__emulator/tokens", &[]).json(),
        json!([
            {"type": "access_token", "clientId": "app-demo", "userId": "user-alice"},
            {"type": "refresh_token", "clientId": "app-demo", "userId": "user-alice"}
        ])
    );
    // A code is good once.
    assert_oauth_error(
        &exchange(&code, &format!("&code_verifier={verifier}")),
        400,
        "invalid_grant",
    );

    // Each wrong exchange uses up a fresh code.
    let fresh_code = || {
        let resp = emu.get(&authorize, &[("Cookie", &cookie)]);
        location_param(&resp, "code").expect("code")
    };
    let wrong_verifier = verifier.replace('d', "e");
    for extra in ["".to_string(), format!("&code_verifier={wrong_verifier}")] {
        assert_oauth_error(&exchange(&fresh_code(), &extra), 400, "invalid_grant");
    }
    let code = fresh_code();
    let other_redirect = emu.post_form(
        TOKEN,
        &[],
        &format!(
            "grant_type=authorization_code&code={code}&redirect_uri={}&client_id=app-demo&code_verifier={verifier}",
            encode("http://127.0.0.1:5173/other")
        ),
    );
    assert_oauth_error(&other_redirect, 400, "invalid_grant");
    let code = fresh_code();
    let other_client = emu.post_form(
        TOKEN,
        &[("Authorization", &basic("app-server", SERVER_SECRET))],
        &format!(
            "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={verifier}",
            encode(APP_URL)
        ),
    );
    assert_oauth_error(&other_client, 400, "invalid_grant");

    // Without PKCE the flow works too (PKCE is the client's choice).
    let plain = format!(
        "/oidc/auth?client_id=app-demo&response_type=code&redirect_uri={}",
        encode(APP_URL)
    );
    let resp = emu.get(&plain, &[("Cookie", &cookie)]);
    assert_eq!(location_param(&resp, "state"), None);
    let code = location_param(&resp, "code").expect("code");
    assert_eq!(exchange(&code, "").status, 200);

    // The revoked refresh token of this sign-in is refused afterwards.
    let resp = emu.post_form(
        REVOKE,
        &[("Origin", APP_ORIGIN)],
        &format!("token={refresh_token}&client_id=app-demo"),
    );
    assert_eq!(resp.status, 200);
    assert_oauth_error(
        &refresh(&emu, refresh_token, "&client_id=app-demo", &[]),
        400,
        "invalid_grant",
    );
}

#[test]
fn the_authorization_endpoint_refuses_unknown_clients_and_redirects() {
    let emu = Emulator::start(&[]);
    let cookie = emu.sign_in("bob", "bob");
    let auth = |query: &str| emu.get(&format!("/oidc/auth?{query}"), &[("Cookie", &cookie)]);
    let app = encode(APP_URL);
    // Never a redirect for an unknown client or a redirect_uri off the app's origins.
    for query in [
        format!("client_id=app-nobody&response_type=code&redirect_uri={app}"),
        format!("client_id=app-server&response_type=code&redirect_uri={app}"),
        format!(
            "client_id=app-demo&response_type=code&redirect_uri={}",
            encode("http://evil.example/")
        ),
        format!(
            "client_id=app-demo&response_type=code&redirect_uri={}",
            encode("http://127.0.0.1:5173/#x")
        ),
        format!(
            "client_id=app-demo&response_type=code&redirect_uri={}",
            encode("/relative")
        ),
        format!("client_id=app-demo&response_type=code&redirect_uri={app}&redirect_uri={app}"),
        "client_id=app-demo&response_type=code".to_string(),
    ] {
        let resp = auth(&query);
        assert_eq!(resp.status, 400, "{query}");
        assert_eq!(resp.header("location"), None, "{query}");
        assert!(resp.body.contains("id=\"error\""));
    }
    // Other errors go back to the app, with the state.
    for (query, error) in [
        (format!("client_id=app-demo&response_type=token&redirect_uri={app}&state=s"), "unsupported_response_type"),
        (format!("client_id=app-demo&redirect_uri={app}&state=s"), "unsupported_response_type"),
        (format!("client_id=app-demo&response_type=code&redirect_uri={app}&state=s&code_challenge=short&code_challenge_method=S256"), "invalid_request"),
        (format!("client_id=app-demo&response_type=code&redirect_uri={app}&state=s&code_challenge={}&code_challenge_method=S512", "a".repeat(43)), "invalid_request"),
    ] {
        let resp = auth(&query);
        assert_eq!(resp.status, 302, "{query}");
        assert_eq!(location_param(&resp, "error").as_deref(), Some(error), "{query}");
        assert_eq!(location_param(&resp, "state").as_deref(), Some("s"));
        assert_eq!(location_param(&resp, "code"), None);
    }
    // prompt=none without a session: login_required, not the sign-in page.
    let resp = emu.get(
        &format!("/oidc/auth?client_id=app-demo&response_type=code&redirect_uri={app}&prompt=none"),
        &[],
    );
    assert_eq!(
        location_param(&resp, "error").as_deref(),
        Some("login_required")
    );
}

#[test]
fn token_endpoints_have_cors_and_take_faults() {
    let emu = Emulator::start(&[]);
    for (path, method) in [(REVOKE, "POST"), (TOKEN, "POST"), ("/oidc/me", "GET")] {
        let pre = emu.send(
            "OPTIONS",
            path,
            &[
                ("Origin", APP_ORIGIN),
                ("Access-Control-Request-Method", method),
                (
                    "Access-Control-Request-Headers",
                    "authorization,content-type",
                ),
            ],
            b"",
        );
        assert_eq!(pre.status, 204, "{path}");
        assert_eq!(pre.header("access-control-allow-origin"), Some(APP_ORIGIN));
        assert!(pre
            .header("access-control-allow-methods")
            .is_some_and(|m| m.contains(method)));
        assert!(pre
            .header("access-control-allow-headers")
            .is_some_and(|h| h.contains("authorization") && h.contains("content-type")));
        let foreign = emu.send("OPTIONS", path, &[("Origin", "http://evil.example")], b"");
        assert_eq!(foreign.status, 403);
        assert_eq!(foreign.header("access-control-allow-origin"), None);
    }
    let (_, refresh_token) = password_grant(&emu, "&client_id=app-demo", &[]);
    let form = format!("token={refresh_token}&token_type_hint=refresh_token&client_id=app-demo");
    let origin = ("Origin", APP_ORIGIN);

    // Errors carry CORS too, so a browser app can read them.
    let bad = emu.post_form(REVOKE, &[origin], "client_id=app-demo");
    assert_eq!(bad.header("access-control-allow-origin"), Some(APP_ORIGIN));
    let foreign = emu.post_form(
        REVOKE,
        &[("Origin", "http://evil.example")],
        "client_id=app-demo",
    );
    assert_eq!(foreign.header("access-control-allow-origin"), None);

    // Dropped: no answer, and the token stays live.
    emu.fault(r#"{"path_prefix":"/oidc/token/revocation","mode":"close"}"#);
    assert!(emu
        .try_send(
            "POST",
            REVOKE,
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                origin
            ],
            form.as_bytes()
        )
        .is_none());
    assert_eq!(
        refresh(&emu, &refresh_token, "&client_id=app-demo", &[]).status,
        200
    );
    // 5xx with Retry-After, and non-JSON: CORS on both, the token stays live.
    emu.fault(
        r#"{"path_prefix":"/oidc/token/revocation","mode":"status","status":503,"retry_after":3}"#,
    );
    let unavailable = emu.post_form(REVOKE, &[origin], &form);
    assert_eq!(unavailable.status, 503);
    assert_eq!(unavailable.header("retry-after"), Some("3"));
    assert_eq!(
        unavailable.header("access-control-allow-origin"),
        Some(APP_ORIGIN)
    );
    emu.fault(r#"{"path_prefix":"/oidc/token/revocation","mode":"non_json"}"#);
    let html = emu.post_form(REVOKE, &[origin], &form);
    assert_eq!(html.status, 200);
    assert!(html
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/html")));
    assert_eq!(
        refresh(&emu, &refresh_token, "&client_id=app-demo", &[]).status,
        200
    );
    // Stalled, then answered normally: revoked.
    emu.fault(r#"{"path_prefix":"/oidc/token/revocation","mode":"delay","delay_ms":300}"#);
    let start = Instant::now();
    let slow = emu.post_form(REVOKE, &[origin], &form);
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(slow.status, 200);
    assert_eq!(slow.header("access-control-allow-origin"), Some(APP_ORIGIN));
    // The token endpoint takes faults the same way.
    emu.fault(r#"{"path_prefix":"/oidc/token","mode":"status","status":500}"#);
    assert_eq!(
        refresh(&emu, &refresh_token, "&client_id=app-demo", &[]).status,
        500
    );
    assert_oauth_error(
        &refresh(&emu, &refresh_token, "&client_id=app-demo", &[]),
        400,
        "invalid_grant",
    );

    let faults: Vec<_> = emu
        .get(
            &format!("/__emulator/requests?path_prefix={}", encode(REVOKE)),
            &[],
        )
        .json()
        .as_array()
        .expect("array")
        .iter()
        .filter(|r| r["method"] == json!("POST"))
        .map(|r| r["fault"].clone())
        .collect();
    assert_eq!(
        faults,
        vec![
            json!(null),
            json!(null),
            json!("close"),
            json!("status"),
            json!("non_json"),
            json!("delay")
        ]
    );
}

#[test]
fn fault_trickle_sends_the_head_then_the_body_byte_by_byte() {
    use std::io::{Read, Write};
    let emu = Emulator::start(&[]);
    emu.fault(r#"{"path_prefix":"/api/me","mode":"trickle","delay_ms":40}"#);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", emu.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let start = Instant::now();
    stream
        .write_all(b"GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut head_at = None;
    loop {
        let n = stream.read(&mut chunk).expect("read");
        if n == 0 {
            break;
        }
        received.extend_from_slice(&chunk[..n]);
        if head_at.is_none() && received.windows(4).any(|w| w == b"\r\n\r\n") {
            head_at = Some(start.elapsed());
        }
    }
    let total = start.elapsed();
    let text = String::from_utf8_lossy(&received);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    assert_eq!(body, r#"{"signedIn":false,"user":null}"#);
    assert!(text
        .to_ascii_lowercase()
        .contains(&format!("content-length: {}", body.len())));
    let head_at = head_at.expect("a head");
    assert!(
        head_at < Duration::from_millis(500),
        "head after {head_at:?}"
    );
    // One pause before each byte.
    let least = Duration::from_millis(40 * body.len() as u64);
    assert!(total >= least, "{total:?} < {least:?}");
    // The next request is answered at once.
    let start = Instant::now();
    assert_eq!(emu.get("/api/me", &[]).status, 200);
    assert!(start.elapsed() < Duration::from_millis(500));
    let faults: Vec<_> = emu.requests().iter().map(|r| r["fault"].clone()).collect();
    assert_eq!(faults, vec![json!("trickle"), json!(null)]);
}
