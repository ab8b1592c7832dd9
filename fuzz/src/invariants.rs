//! What must hold for ANY input to the logout core, written once and used by
//! the libFuzzer targets (`fuzz/fuzz_targets/*.rs`) and by the property tests
//! (`tests/proptest_core.rs`, which includes this file with `#[path]`).
//!
//! A violated invariant panics with the input and what was seen, which is
//! what both libFuzzer and proptest report as a failure.
//!
//! The checks are made against the documented contract (shared/DESIGN.md),
//! not by re-running the core's own code: the produced URL is re-parsed with
//! a WHATWG parser, its query is split and percent-decoded by hand here, and
//! every refusal must be explained by one of the written rules.

use std::borrow::Cow;

use genauth_logout::limits::{MAX_ID_TOKEN_LEN, MAX_PARAM_LEN, MAX_URL_LEN};
use genauth_logout::{
    AppDomain, ErrorCode, LogoutConfig, LogoutParams, LogoutTarget, Method, Protocol,
    RedirectPolicy, UrlParser, UrlParts, WhatwgUrl,
};

/// The page origins a scenario may run in. A browser's `location.origin` is
/// always a serialized origin; `null` (sandboxed frames, `data:` pages) and
/// `file://` (what Chromium reports for `file:` pages) are the odd ones.
pub const PAGE_ORIGINS: [&str; 4] = [
    "https://app.example.com",
    "http://127.0.0.1:8080",
    "null",
    "file://",
];

/// Where the logout call runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// Outside a browser: no page origin.
    None,
    /// In a page with this origin.
    Origin(String),
    /// In a page whose origin is the redirect's own (so absolute redirects
    /// get past the open-redirect guard and the URL building is exercised).
    OfRedirect,
}

/// One call of the core: configuration, where it runs, the redirect and the
/// per-call parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// `appDomain`.
    pub app_domain: String,
    /// Configured protocol.
    pub protocol: Protocol,
    /// Configured method.
    pub method: Method,
    /// `endSessionEndpoint`.
    pub end_session_endpoint: Option<String>,
    /// Configured `clientId`.
    pub client_id: Option<String>,
    /// `allowedRedirectOrigins`.
    pub allowed_origins: Option<Vec<String>>,
    /// The page, if any.
    pub page: Page,
    /// The redirect argument.
    pub redirect: Option<String>,
    /// Per-call parameters.
    pub params: LogoutParams<'static>,
}

impl Scenario {
    /// A scenario with only an app domain and a redirect.
    pub fn simple(app_domain: &str, redirect: Option<&str>) -> Self {
        Scenario {
            app_domain: app_domain.into(),
            protocol: Protocol::GenAuth,
            method: Method::Get,
            end_session_endpoint: None,
            client_id: None,
            allowed_origins: None,
            page: Page::None,
            redirect: redirect.map(String::from),
            params: LogoutParams::default(),
        }
    }

    /// Decodes fuzzer bytes. Fields are separated by the byte 0xFF, which
    /// never occurs in UTF-8, so every field can hold any string (NUL and
    /// other controls included) and seed files can be written by hand:
    ///
    /// `flags 0xFF appDomain 0xFF redirect 0xFF idTokenHint 0xFF state 0xFF
    ///  clientId 0xFF logoutHint 0xFF uiLocales 0xFF config.clientId 0xFF
    ///  endSessionEndpoint 0xFF allowed1 0xFF allowed2 ...`
    ///
    /// flags byte 0: bits 0-1 configured protocol (genauth, oidc, cas,
    /// genauth), bits 2-3 per-call protocol (none, genauth, oidc, cas), bit 4
    /// configured POST, bit 5 per-call method given, bit 6 per-call POST,
    /// bit 7 redirect given. Byte 1: bits 0-7 give, in order, idTokenHint,
    /// state, clientId, logoutHint, uiLocales, config clientId,
    /// endSessionEndpoint, allowedRedirectOrigins. Byte 2 modulo 6: no page,
    /// a page whose origin is the redirect's, or `PAGE_ORIGINS[n - 2]`.
    /// Invalid UTF-8 in a field is replaced by U+FFFD.
    pub fn from_bytes(data: &[u8]) -> Self {
        let mut fields = data.split(|&b| b == 0xFF);
        let flags = fields.next().unwrap_or(&[]);
        let flag = |i: usize| flags.get(i).copied().unwrap_or(0);
        let mut text = || {
            fields
                .next()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .unwrap_or_default()
        };
        let (f0, f1, f2) = (flag(0), flag(1), flag(2));
        let has = |byte: u8, bit: u8| byte & (1 << bit) != 0;
        let app_domain = text();
        let redirect = text();
        let id_token_hint = text();
        let state = text();
        let param_client_id = text();
        let logout_hint = text();
        let ui_locales = text();
        let config_client_id = text();
        let endpoint = text();
        let allowed: Vec<String> = core::iter::from_fn(|| {
            fields
                .next()
                .map(|f| String::from_utf8_lossy(f).into_owned())
        })
        .collect();
        let protocol = match f0 & 3 {
            1 => Protocol::Oidc,
            2 => Protocol::Cas,
            _ => Protocol::GenAuth,
        };
        let param_protocol = match (f0 >> 2) & 3 {
            0 => None,
            1 => Some(Protocol::GenAuth),
            2 => Some(Protocol::Oidc),
            _ => Some(Protocol::Cas),
        };
        let method_of = |post: bool| if post { Method::Post } else { Method::Get };
        let page = match f2 % 6 {
            0 => Page::None,
            1 => Page::OfRedirect,
            n => Page::Origin(PAGE_ORIGINS[usize::from(n - 2)].into()),
        };
        fn opt<T>(given: bool, value: T) -> Option<T> {
            given.then_some(value)
        }
        Scenario {
            app_domain,
            protocol,
            method: method_of(has(f0, 4)),
            end_session_endpoint: opt(has(f1, 6), endpoint),
            client_id: opt(has(f1, 5), config_client_id),
            allowed_origins: opt(has(f1, 7), allowed),
            page,
            redirect: opt(has(f0, 7), redirect),
            params: LogoutParams {
                protocol: param_protocol,
                id_token_hint: opt(has(f1, 0), id_token_hint).map(Into::into),
                state: opt(has(f1, 1), state).map(Into::into),
                client_id: opt(has(f1, 2), param_client_id).map(Into::into),
                logout_hint: opt(has(f1, 3), logout_hint).map(Into::into),
                ui_locales: opt(has(f1, 4), ui_locales).map(Into::into),
                method: has(f0, 5).then(|| method_of(has(f0, 6))),
            },
        }
    }

    /// The page origin this scenario runs with, if any.
    pub fn page_origin(&self) -> Option<String> {
        match &self.page {
            Page::None => None,
            Page::Origin(origin) => Some(origin.clone()),
            Page::OfRedirect => Some(
                self.redirect
                    .as_deref()
                    .and_then(|r| WhatwgUrl.parse(r))
                    .filter(|p| p.protocol() == "http:" || p.protocol() == "https:")
                    .map_or_else(|| PAGE_ORIGINS[0].into(), |p| p.origin().to_string()),
            ),
        }
    }
}

/// What a successful call returned, or the error code; for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The logout URL.
    Url(String),
    /// The error code of a refusal, and at which step it came.
    Refused(&'static str, ErrorCode),
}

/// ECMAScript WhiteSpace and LineTerminator (ECMA-262 §12.2, §12.3): what
/// `String.prototype.trim` removes, listed here independently of the core.
pub fn is_ecmascript_space(c: char) -> bool {
    matches!(
        c,
        '\u{9}' | '\u{A}' | '\u{B}' | '\u{C}' | '\u{D}' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// C0 controls, DEL and C1 controls: refused anywhere in a redirect.
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

/// Whether `s` is exactly what `encodeURIComponent` may emit: unreserved
/// characters and `%XX` with upper-case hex digits.
pub fn is_component_encoded(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => i += 1,
            b'%' => {
                let upper_hex = |x: Option<&u8>| matches!(x, Some(b'0'..=b'9' | b'A'..=b'F'));
                if !upper_hex(b.get(i + 1)) || !upper_hex(b.get(i + 2)) {
                    return false;
                }
                i += 3;
            }
            _ => return false,
        }
    }
    true
}

/// Percent-decodes `s` into bytes; `None` on a malformed `%` sequence.
pub fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

fn parse(input: &str) -> Option<UrlParts> {
    WhatwgUrl.parse(input)
}

fn is_landing(parts: &UrlParts) -> bool {
    (parts.protocol() == "http:" || parts.protocol() == "https:")
        && !parts.hostname().is_empty()
        && parts.username().is_empty()
        && parts.password().is_empty()
}

/// Checks an accepted app domain: its origin is a canonical `https:` origin,
/// or `http:` on a loopback host, and the personal center sits on it.
fn check_app_domain(input: &str, domain: &AppDomain) {
    let origin = domain.origin();
    let parts = parse(origin).unwrap_or_else(|| panic!("origin {origin:?} of {input:?} parses"));
    assert_eq!(
        parts.origin(),
        origin,
        "app domain {input:?}: origin not canonical"
    );
    assert!(
        parts.protocol() == "https:"
            || (parts.protocol() == "http:"
                && matches!(parts.hostname(), "localhost" | "127.0.0.1" | "[::1]")),
        "app domain {input:?} accepted with origin {origin:?}"
    );
    assert!(is_landing(&parts), "app domain {input:?}: {parts:?}");
    let center = domain.personal_center_url();
    let center_parts = parse(&center).unwrap_or_else(|| panic!("personal center {center:?}"));
    assert_eq!(center_parts.origin(), origin, "personal center {center:?}");
    assert_eq!(center_parts.pathname(), "/u", "personal center {center:?}");
}

/// Why a redirect may be refused as `invalid_redirect`, by the written rules
/// (DESIGN.md "A redirect must be …"); `None` when no rule applies.
pub fn invalid_redirect_reason(redirect: &str, page: Option<&str>) -> Option<&'static str> {
    if redirect.is_empty() {
        return Some("empty");
    }
    if redirect.len() > MAX_URL_LEN {
        return Some("longer than MAX_URL_LEN");
    }
    if redirect.chars().any(is_control) {
        return Some("control character");
    }
    let first = redirect.chars().next().unwrap_or('x');
    let last = redirect.chars().next_back().unwrap_or('x');
    if is_ecmascript_space(first) || is_ecmascript_space(last) {
        return Some("leading or trailing white space");
    }
    if let Some(path) = redirect.strip_prefix('/') {
        if path.starts_with('/') || path.starts_with('\\') {
            return Some("scheme-relative (// or /\\)");
        }
        let Some(page) = page else {
            return Some("relative redirect outside a browser");
        };
        let joined = format!("{page}{redirect}");
        return match parse(&joined) {
            Some(parts) if is_landing(&parts) && parts.origin() == page => None,
            _ => Some("relative redirect leaves the page origin"),
        };
    }
    let lower = redirect.to_ascii_lowercase();
    let Some(after) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return Some("absolute redirect not starting with http:// or https://");
    };
    if after.starts_with('/')
        || redirect
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .contains('\\')
    {
        return Some("extra slash after the scheme, or a backslash before the query");
    }
    // An `@` in the authority as written is user info, even an empty one.
    if after
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .contains('@')
    {
        return Some("user info (an @ in the authority)");
    }
    match parse(redirect) {
        None => Some("not a URL"),
        Some(parts) if !is_landing(&parts) => Some("not http(s), no host, or user info"),
        Some(_) => None,
    }
}

/// Runs one scenario through the core and checks every invariant; returns
/// what happened (for reports and for tests that want to look further).
pub fn check(s: &Scenario) -> Outcome {
    let p = WhatwgUrl;
    let domain = match AppDomain::parse(&s.app_domain) {
        Ok(d) => d,
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::InvalidAppDomain, "{s:?}: {e}");
            return Outcome::Refused("appDomain", e.code());
        }
    };
    check_app_domain(&s.app_domain, &domain);
    let mut config = LogoutConfig::new(domain.clone())
        .protocol(s.protocol)
        .method(s.method);
    let mut endpoint_origin = None;
    if let Some(endpoint) = &s.end_session_endpoint {
        config = match config.end_session_endpoint(endpoint.clone(), &p) {
            Ok(c) => c,
            Err(e) => {
                assert_eq!(e.code(), ErrorCode::InvalidOption, "{s:?}: {e}");
                return Outcome::Refused("endSessionEndpoint", e.code());
            }
        };
        let parts = parse(endpoint)
            .unwrap_or_else(|| panic!("accepted endpoint {endpoint:?} does not parse"));
        assert!(
            is_landing(&parts) && parts.hash().is_empty() && !endpoint.contains('#'),
            "endpoint {endpoint:?} accepted: {parts:?}"
        );
        assert!(
            parts.protocol() == "https:"
                || matches!(parts.hostname(), "localhost" | "127.0.0.1" | "[::1]"),
            "plain http endpoint {endpoint:?} accepted"
        );
        // Written as a redirect must be (`https://` spelt out, no `\\` before
        // the query, no `@` in the authority): the same URL with or without a base.
        assert_eq!(
            invalid_redirect_reason(endpoint, None),
            None,
            "endpoint {endpoint:?} accepted in a form a base URL would change"
        );
        endpoint_origin = Some(parts.origin().to_string());
    }
    if let Some(client_id) = &s.client_id {
        config = match config.client_id(client_id.clone()) {
            Ok(c) => c,
            Err(e) => {
                assert_eq!(e.code(), ErrorCode::InvalidOption, "{s:?}: {e}");
                assert!(client_id.len() > MAX_PARAM_LEN, "{s:?}: {e}");
                return Outcome::Refused("clientId", e.code());
            }
        };
    }
    let page = s.page_origin();
    let mut policy = RedirectPolicy::new();
    if let Some(page) = &page {
        policy = policy.page_origin(page.clone());
    }
    let mut allowed = None;
    if let Some(list) = &s.allowed_origins {
        policy = match policy.allowed_origins(list, &p) {
            Ok(policy) => policy,
            Err(e) => {
                assert_eq!(e.code(), ErrorCode::InvalidOption, "{s:?}: {e}");
                return Outcome::Refused("allowedRedirectOrigins", e.code());
            }
        };
        // Every accepted entry is an origin: an http(s) URL with a host, no
        // user info, and nothing after the authority but an optional `/`.
        let mut origins = Vec::new();
        for entry in list {
            let parts =
                parse(entry).unwrap_or_else(|| panic!("accepted origin {entry:?} does not parse"));
            assert!(is_landing(&parts), "allowed origin {entry:?}: {parts:?}");
            assert!(
                parts.pathname() == "/" && parts.search().is_empty() && parts.hash().is_empty(),
                "allowed origin {entry:?} has more than an origin: {parts:?}"
            );
            origins.push(parts.origin().to_string());
        }
        allowed = Some(origins);
    }
    let config = config.redirect_policy(policy);
    match config.build(s.redirect.as_deref(), &s.params, &p) {
        Ok(target) => {
            check_target(
                s,
                &domain,
                endpoint_origin.as_deref(),
                page.as_deref(),
                allowed.as_deref(),
                &target,
            );
            Outcome::Url(target.url())
        }
        Err(e) => {
            check_refusal(
                s,
                page.as_deref(),
                allowed.as_deref(),
                e.code(),
                e.message(),
            );
            Outcome::Refused("build", e.code())
        }
    }
}

fn effective(s: &Scenario) -> (Protocol, Method) {
    (
        s.params.protocol.unwrap_or(s.protocol),
        s.params.method.unwrap_or(s.method),
    )
}

fn origin_allowed(origin: &str, page: Option<&str>, allowed: Option<&[String]>) -> bool {
    page == Some(origin)
        || allowed.is_some_and(|list| list.iter().any(|a| a == origin))
        || (page.is_none() && allowed.is_none())
}

fn check_refusal(
    s: &Scenario,
    page: Option<&str>,
    allowed: Option<&[String]>,
    code: ErrorCode,
    message: &str,
) {
    let (protocol, method) = effective(s);
    match code {
        ErrorCode::InvalidRedirect => {
            let redirect = s
                .redirect
                .as_deref()
                .unwrap_or_else(|| panic!("invalid_redirect without a redirect: {s:?}"));
            assert!(
                invalid_redirect_reason(redirect, page).is_some(),
                "redirect {redirect:?} (page {page:?}) refused as invalid_redirect \
                 ({message}) but no written rule refuses it"
            );
        }
        ErrorCode::RedirectNotAllowed => {
            let redirect = s
                .redirect
                .as_deref()
                .unwrap_or_else(|| panic!("redirect_not_allowed without a redirect: {s:?}"));
            assert_eq!(
                invalid_redirect_reason(redirect, page),
                None,
                "{redirect:?}"
            );
            let parts = parse(redirect).unwrap_or_else(|| panic!("{redirect:?}"));
            assert!(
                !origin_allowed(parts.origin(), page, allowed),
                "redirect {redirect:?} with allowed origin {:?} refused (page {page:?}, list {allowed:?})",
                parts.origin()
            );
        }
        ErrorCode::InvalidOption => {
            if let Some(redirect) = s.redirect.as_deref() {
                assert_eq!(
                    invalid_redirect_reason(redirect, page),
                    None,
                    "a bad redirect must be reported as such, not as invalid_option: {s:?}"
                );
            }
            let q = &s.params;
            let oidc_only = q.id_token_hint.is_some()
                || q.state.is_some()
                || q.client_id.is_some()
                || q.logout_hint.is_some()
                || q.ui_locales.is_some();
            let too_long =
                |v: &Option<Cow<str>>, max: usize| v.as_ref().is_some_and(|v| v.len() > max);
            // A form POST would turn a line break into CRLF: refused, not changed.
            let line_break = |v: &Option<Cow<str>>| {
                method == Method::Post && v.as_ref().is_some_and(|v| v.contains(['\r', '\n']))
            };
            let explained = if protocol == Protocol::Oidc {
                [
                    &q.id_token_hint,
                    &q.state,
                    &q.client_id,
                    &q.logout_hint,
                    &q.ui_locales,
                ]
                .into_iter()
                .any(line_break)
                    || (q.client_id.is_none()
                        && line_break(&s.client_id.as_deref().map(Cow::Borrowed)))
                    || too_long(&q.id_token_hint, MAX_ID_TOKEN_LEN)
                    || too_long(&q.state, MAX_PARAM_LEN)
                    || too_long(&q.client_id, MAX_PARAM_LEN)
                    || too_long(&q.logout_hint, MAX_PARAM_LEN)
                    || too_long(&q.ui_locales, MAX_PARAM_LEN)
            } else {
                oidc_only || method == Method::Post
            };
            assert!(explained, "invalid_option ({message}) unexplained: {s:?}");
        }
        other => panic!("unexpected code {other:?} ({message}) for {s:?}"),
    }
}

fn check_target(
    s: &Scenario,
    domain: &AppDomain,
    endpoint_origin: Option<&str>,
    page: Option<&str>,
    allowed: Option<&[String]>,
    target: &LogoutTarget,
) {
    let (protocol, method) = effective(s);
    assert_eq!(target.method(), method, "{s:?}");
    if method == Method::Post {
        for (name, value) in target.fields() {
            assert!(
                !value.contains(['\r', '\n']),
                "form field {name} holds a line break a form POST would change: {s:?}"
            );
        }
    }
    let q = &s.params;
    // The redirect as sent: exactly the caller's string, or the page origin
    // followed by the caller's path.
    let sent_redirect = s.redirect.as_deref().map(|r| {
        assert_eq!(invalid_redirect_reason(r, page), None, "accepted {r:?} breaks a rule");
        if r.starts_with('/') {
            let page = page.unwrap_or_else(|| panic!("relative {r:?} accepted without a page"));
            format!("{page}{r}")
        } else {
            let parts = parse(r).unwrap_or_else(|| panic!("{r:?}"));
            assert!(
                origin_allowed(parts.origin(), page, allowed),
                "redirect {r:?} (origin {:?}) accepted though page is {page:?} and list {allowed:?}",
                parts.origin()
            );
            r.to_string()
        }
    });
    let (endpoint, expected_origin): (String, &str) = match protocol {
        Protocol::GenAuth => (
            format!("{}/login/profile/logout", domain.origin()),
            domain.origin(),
        ),
        Protocol::Cas => (
            format!("{}/cas-idp/logout", domain.origin()),
            domain.origin(),
        ),
        Protocol::Oidc => match (&s.end_session_endpoint, endpoint_origin) {
            (Some(e), Some(o)) => (e.clone(), o),
            _ => (
                format!("{}/oidc/session/end", domain.origin()),
                domain.origin(),
            ),
        },
    };
    let mut expected: Vec<(&str, String)> = Vec::new();
    match protocol {
        Protocol::GenAuth | Protocol::Cas => {
            let name = if protocol == Protocol::Cas {
                "url"
            } else {
                "redirect_uri"
            };
            if let Some(r) = &sent_redirect {
                expected.push((name, r.clone()));
            }
        }
        Protocol::Oidc => {
            let client_id = q.client_id.as_deref().or(s.client_id.as_deref());
            for (name, value) in [
                ("id_token_hint", q.id_token_hint.as_deref()),
                ("post_logout_redirect_uri", sent_redirect.as_deref()),
                ("state", q.state.as_deref()),
                ("client_id", client_id),
                ("logout_hint", q.logout_hint.as_deref()),
                ("ui_locales", q.ui_locales.as_deref()),
            ] {
                if let Some(v) = value {
                    expected.push((name, v.to_string()));
                }
            }
        }
    }
    assert_eq!(target.endpoint(), endpoint, "{s:?}");
    let fields: Vec<(&str, String)> = target
        .fields()
        .iter()
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    assert_eq!(fields, expected, "{s:?}");

    let url = target.url();
    let parts =
        parse(&url).unwrap_or_else(|| panic!("produced URL {url:?} does not parse ({s:?})"));
    assert_eq!(
        parts.origin(),
        expected_origin,
        "URL {url:?} has the wrong origin"
    );
    assert!(parts.hash().is_empty(), "URL {url:?} has a fragment");
    let tail = url
        .strip_prefix(endpoint.as_str())
        .unwrap_or_else(|| panic!("URL {url:?} does not start with {endpoint:?}"));
    if expected.is_empty() {
        assert_eq!(tail, "", "URL {url:?}: parameters out of nowhere");
        return;
    }
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    let query = tail
        .strip_prefix(separator)
        .unwrap_or_else(|| panic!("URL {url:?}: expected {separator:?} after the endpoint"));
    let pairs: Vec<&str> = query.split('&').collect();
    assert_eq!(pairs.len(), expected.len(), "URL {url:?}: parameter count");
    for (pair, (name, value)) in pairs.iter().zip(&expected) {
        let (got_name, encoded) = pair
            .split_once('=')
            .unwrap_or_else(|| panic!("URL {url:?}: {pair:?} is not name=value"));
        assert_eq!(got_name, *name, "URL {url:?}: parameter order");
        assert!(
            is_component_encoded(encoded),
            "URL {url:?}: {name} value {encoded:?} has characters encodeURIComponent never emits"
        );
        let decoded = percent_decode(encoded).unwrap_or_else(|| panic!("{encoded:?}"));
        assert_eq!(
            decoded.as_slice(),
            value.as_bytes(),
            "URL {url:?}: {name} does not decode to the caller's string"
        );
    }
    // The parser had nothing to fix in our query but `'`, which
    // encodeURIComponent leaves alone and the URL Standard's special-query
    // percent-encode set escapes (both decode to the same value).
    assert!(
        parts.search().ends_with(&query.replace('\'', "%27")),
        "URL {url:?}: parser rewrote the query to {:?}",
        parts.search()
    );
}
