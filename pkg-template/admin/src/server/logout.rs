//! `logoutResponse`: its options, read with serde-wasm-bindgen into a
//! struct that denies unknown keys (the admin entry's reader), and the
//! answer plan built from the core's decisions.
//!
//! The order is the contract's: every option is validated and the logout
//! target built first, so a bad option is a `GenAuthError` on every
//! request, refused ones included, and before any header exists; then the
//! core decides whether the request may log the user out; only then are the
//! cookie deletions and the redirect (or the form page) written.

use genauth_logout::cookie::{ClearCookie, CookieSpec, SameSite};
use genauth_logout::cross_site::{check_cross_site_with, GetPolicy, RequestFacts, SiteDecision};
use genauth_logout::limits::MAX_LIST_LEN;
use genauth_logout::{
    see_other_location, AppDomain, AppOrigin, Error, ErrorCode, LogoutConfig, LogoutFormPage,
    LogoutParams, Method, Protocol, RedirectPolicy, Result, WhatwgUrl,
};
use js_sys::{Array, Object, Reflect};
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::options::{array_items, js_string, preserved, read, Shape};

/// `logoutResponse(request, options)`'s options: the browser entry's
/// config and per-call params that mean something on a server, plus
/// `appOrigin`, `redirect`, `clearCookies` and `getLogout`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LogoutOptions {
    app_domain: Option<String>,
    app_origin: Option<String>,
    redirect: Option<String>,
    #[serde(default, deserialize_with = "preserved")]
    clear_cookies: Option<JsValue>,
    protocol: Option<String>,
    method: Option<String>,
    end_session_endpoint: Option<String>,
    client_id: Option<String>,
    #[serde(default, deserialize_with = "preserved")]
    allowed_redirect_origins: Option<JsValue>,
    id_token_hint: Option<String>,
    state: Option<String>,
    logout_hint: Option<String>,
    ui_locales: Option<String>,
    get_logout: Option<String>,
}

/// One `clearCookies` entry given as an object: how the cookie was set.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CookieOptions {
    name: Option<String>,
    path: Option<String>,
    domain: Option<String>,
    secure: Option<bool>,
    http_only: Option<bool>,
    same_site: Option<String>,
    partitioned: Option<bool>,
}

const LOGOUT: Shape = Shape {
    not_object: "logoutResponse options must be an object",
    unknown: "unknown logoutResponse option: ",
    problem: |key| match key {
        "clearCookies" => CLEAR_COOKIES_SHAPE,
        "allowedRedirectOrigins" => ORIGINS_SHAPE,
        _ => Error::option(key, " must be a string"),
    },
};

const COOKIE: Shape = Shape {
    not_object: "clearCookies entries must be cookie names or objects",
    unknown: "unknown clearCookies key: ",
    problem: |key| match key {
        "secure" | "httpOnly" | "partitioned" => {
            Error::option(key, " must be a boolean (clearCookies)")
        }
        _ => Error::option(key, " must be a string (clearCookies)"),
    },
};

const CLEAR_COOKIES_SHAPE: Error = Error::new(
    ErrorCode::InvalidOption,
    "clearCookies must be an array of cookie names or { name, path, domain, secure, httpOnly, sameSite, partitioned } objects (at most 256)",
);

const ORIGINS_SHAPE: Error = Error::new(
    ErrorCode::InvalidOption,
    "allowedRedirectOrigins must be an array of strings (at most 256)",
);

/// `allowedRedirectOrigins` as strings.
fn origins(value: &JsValue) -> Result<Vec<String>> {
    array_items(value, MAX_LIST_LEN, ORIGINS_SHAPE)?
        .iter()
        .map(|v| js_string(v).ok_or(ORIGINS_SHAPE))
        .collect()
}

/// `clearCookies` as validated deletions (the core's rules).
fn cookies(value: &JsValue) -> Result<Vec<ClearCookie>> {
    let mut out = Vec::new();
    for item in array_items(value, MAX_LIST_LEN, CLEAR_COOKIES_SHAPE)? {
        let cookie = if item.is_string() {
            ClearCookie::named(&js_string(&item).ok_or(CLEAR_COOKIES_SHAPE)?)?
        } else {
            let o: CookieOptions = read(&item, &COOKIE)?;
            let name = o.name.ok_or(Error::new(
                ErrorCode::InvalidOption,
                "clearCookies objects need a name",
            ))?;
            let same_site = match o.same_site.as_deref() {
                None => None,
                Some(s) => Some(SameSite::from_name(s).ok_or(Error::new(
                    ErrorCode::InvalidOption,
                    "clearCookies sameSite must be \"strict\", \"lax\" or \"none\"",
                ))?),
            };
            ClearCookie::new(&CookieSpec {
                name: &name,
                path: o.path.as_deref(),
                domain: o.domain.as_deref(),
                secure: o.secure,
                http_only: o.http_only,
                same_site,
                partitioned: o.partitioned.unwrap_or(false),
            })?
        };
        out.push(cookie);
    }
    Ok(out)
}

/// What a proceeding request is answered with.
enum Answer {
    /// `303 See Other` to this URL.
    SeeOther(String),
    /// The auto-submitting form page of a form-POST logout.
    FormPage(LogoutFormPage),
}

/// The validated options.
struct Settings {
    app_origin: AppOrigin,
    answer: Answer,
    cookies: Vec<ClearCookie>,
    get_policy: GetPolicy,
}

const REQUIRED_APP_DOMAIN: Error = Error::new(
    ErrorCode::InvalidOption,
    "appDomain is required, for example \"myapp.genauth.ai\"",
);

const REQUIRED_APP_ORIGIN: Error = Error::new(
    ErrorCode::InvalidOption,
    "appOrigin is required on a server, for example \"https://app.example.com\" (it is never read from the request)",
);

/// Reads and validates every option, and builds the logout target.
fn settings(options: &JsValue, nonce: &str) -> Result<Settings> {
    let o: LogoutOptions = read(options, &LOGOUT)?;
    let app_domain = AppDomain::parse(o.app_domain.as_deref().ok_or(REQUIRED_APP_DOMAIN)?)?;
    let app_origin = AppOrigin::parse(o.app_origin.as_deref().ok_or(REQUIRED_APP_ORIGIN)?)?;
    let mut config = LogoutConfig::new(app_domain);
    if let Some(name) = &o.protocol {
        config = config.protocol(Protocol::from_name(name).ok_or(Error::new(
            ErrorCode::InvalidOption,
            "protocol must be \"genauth\", \"oidc\" or \"cas\"",
        ))?);
    }
    if let Some(name) = &o.method {
        config = config.method(Method::from_name(name).ok_or(Error::new(
            ErrorCode::InvalidOption,
            "method must be \"get\" or \"post\"",
        ))?);
    }
    if let Some(endpoint) = o.end_session_endpoint {
        config = config.end_session_endpoint(endpoint, &WhatwgUrl)?;
    }
    if let Some(client_id) = o.client_id {
        config = config.client_id(client_id)?;
    }
    if let Some(list) = &o.allowed_redirect_origins {
        config = config
            .redirect_policy(RedirectPolicy::new().allowed_origins(origins(list)?, &WhatwgUrl)?);
    }
    let params = LogoutParams {
        id_token_hint: o.id_token_hint.map(Into::into),
        state: o.state.map(Into::into),
        logout_hint: o.logout_hint.map(Into::into),
        ui_locales: o.ui_locales.map(Into::into),
        ..LogoutParams::default()
    };
    let target = app_origin.logout_target(&config, o.redirect.as_deref(), &params, &WhatwgUrl)?;
    let answer = match target.method() {
        Method::Post => Answer::FormPage(LogoutFormPage::new(&target, nonce)?),
        Method::Get => Answer::SeeOther(see_other_location(&target)?),
    };
    let cookies = match &o.clear_cookies {
        Some(list) => cookies(list)?,
        None => Vec::new(),
    };
    let get_policy = match o.get_logout.as_deref() {
        None | Some("same-site") => GetPolicy::SameSite,
        Some("same-origin") => GetPolicy::SameOrigin,
        Some("never") => GetPolicy::Never,
        Some(_) => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "getLogout must be \"same-site\", \"same-origin\" or \"never\"",
            ))
        }
    };
    Ok(Settings {
        app_origin,
        answer,
        cookies,
        get_policy,
    })
}

/// An HTTP answer to write: status, headers in order, body.
pub(crate) struct Plan {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
}

impl Plan {
    /// `{ status, headers: [[name, value], …], body }`.
    pub(crate) fn to_js(&self) -> JsValue {
        let headers = Array::new();
        for (name, value) in &self.headers {
            headers.push(&Array::of2(
                &JsValue::from_str(name),
                &JsValue::from_str(value),
            ));
        }
        let out = Object::new();
        let set = |key: &str, value: &JsValue| {
            let _ = Reflect::set(&out, &JsValue::from_str(key), value);
        };
        set("status", &JsValue::from(self.status));
        set("headers", &headers);
        set(
            "body",
            &self
                .body
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        );
        out.into()
    }
}

/// The answer to one request to the logout endpoint.
pub(crate) fn plan(facts: &RequestFacts<'_>, options: &JsValue, nonce: &str) -> Result<Plan> {
    let settings = settings(options, nonce)?;
    let mut headers = vec![("cache-control", String::from("no-store"))];
    let decision = check_cross_site_with(facts, &settings.app_origin, settings.get_policy);
    let refusal = match decision {
        SiteDecision::Refuse(refusal) => refusal,
        SiteDecision::Proceed(_) => {
            headers.extend(
                settings
                    .cookies
                    .iter()
                    .map(|c| ("set-cookie", c.header_value())),
            );
            return Ok(match settings.answer {
                Answer::SeeOther(location) => {
                    headers.push(("location", location));
                    Plan {
                        status: 303,
                        headers,
                        body: None,
                    }
                }
                Answer::FormPage(page) => {
                    headers.extend([
                        ("content-type", String::from("text/html; charset=utf-8")),
                        (
                            "content-security-policy",
                            String::from(page.content_security_policy()),
                        ),
                        ("x-content-type-options", String::from("nosniff")),
                        ("referrer-policy", String::from("no-referrer")),
                    ]);
                    Plan {
                        status: 200,
                        headers,
                        body: Some(String::from(page.html())),
                    }
                }
            });
        }
    };
    headers.push(("content-type", String::from("text/plain; charset=utf-8")));
    if refusal.status() == 405 {
        headers.push((
            "allow",
            String::from(genauth_logout::cross_site::ALLOWED_METHODS),
        ));
    }
    let mut body = String::from(refusal.message());
    body.push('\n');
    Ok(Plan {
        status: refusal.status(),
        headers,
        body: Some(body),
    })
}
