//! What each path does. The rules follow the source document
//! (`shared/seed/logout.md`) and, for `/oidc/session/end`, OpenID Connect
//! RP-Initiated Logout 1.0.
//!
//! Choices where the source document is silent, made once here:
//! - Logout endpoints always end the browser's session first; a redirect
//!   target that is not registered only stops the redirect (HTTP 400 error
//!   page, no `Location`), it does not keep the user signed in.
//! - A redirect target is registered when it equals, as a string after query
//!   decoding, one of the `logoutRedirectUris` of any app; with an OIDC
//!   `client_id`, of that app only. No normalisation: `http://h/` and
//!   `http://h` are different strings, as on the hosted pages.
//! - An empty redirect parameter counts as absent; a repeated one is an error.
//! - The token, revocation and userinfo endpoints are described in [`crate::oidc`].
//! - kick-active-users checks, in order: the token (HTTP 401), the user pool
//!   header (HTTP 200 with body code 400 or 403), the body (HTTP 400), the
//!   app (HTTP 200 with body code 404). User ids that have no session, or are
//!   not in the pool, are accepted and ignored: forcing a user offline who is
//!   not online changes nothing, and the answer is the documented success.

use crate::config::{origin_of, App};
use crate::faults::Fault;
use crate::message::{credentials, single, with_params, Request, Response};
use crate::oidc;
use crate::pages;
use crate::tenant::{Tenant, SESSION_COOKIE};
use serde_json::{json, Value};

/// Prefix and suffix of the admin API path `/api/applications/:appId/kick-active-users`.
const KICK_PREFIX: &str = "/api/applications/";
const KICK_SUFFIX: &str = "/kick-active-users";

/// Answers one request (faults are applied by the server, not here).
pub fn handle(tenant: &Tenant, req: &Request) -> Response {
    let method = req.method.as_str();
    let path = req.path.as_str();
    if let Some(app_id) = kick_app_id(path) {
        return match method {
            "POST" => kick_active_users(tenant, req, &app_id),
            "OPTIONS" => preflight(tenant, req, "POST, OPTIONS"),
            _ => method_not_allowed(tenant, path, "POST, OPTIONS"),
        };
    }
    match (method, path) {
        ("GET", "/") => Response::html(200, pages::index(&tenant.config)),
        ("GET", "/favicon.ico") => Response::empty(204),
        ("GET", "/login") => sign_in_page(tenant, req),
        ("POST", "/login") => sign_in(tenant, req),
        ("GET", "/u") => personal_center(tenant, req),
        ("GET", "/api/me") => me(tenant, req),
        ("OPTIONS", "/api/me") => preflight(tenant, req, "GET, OPTIONS"),
        ("GET", "/login/profile/logout") => query_logout(tenant, req, "redirect_uri"),
        ("GET", "/oidc/session/end") | ("POST", "/oidc/session/end") => {
            oidc_end_session(tenant, req)
        }
        ("GET", "/cas-idp/logout") => query_logout(tenant, req, "url"),
        ("GET", oidc::AUTH_PATH) => oidc::authorize(tenant, req),
        ("POST", oidc::TOKEN_PATH) => oidc::token(tenant, req),
        ("POST", oidc::REVOCATION_PATH) => oidc::revoke(tenant, req),
        ("GET", oidc::USERINFO_PATH) => oidc::userinfo(tenant, req),
        ("OPTIONS", oidc::TOKEN_PATH) | ("OPTIONS", oidc::REVOCATION_PATH) => {
            preflight(tenant, req, "POST, OPTIONS")
        }
        ("OPTIONS", oidc::USERINFO_PATH) => preflight(tenant, req, "GET, OPTIONS"),
        ("POST", "/__emulator/faults") => add_fault(tenant, req),
        ("GET", "/__emulator/requests") => requests(tenant, req),
        ("POST", "/__emulator/reset") => {
            tenant.reset();
            Response::json(200, &json!({"code": 200, "message": "reset"}))
        }
        ("GET", "/__emulator/tokens") => {
            Response::json(200, &Value::Array(tenant.token_summaries()))
        }
        ("GET", "/__emulator/sessions") => Response::json(
            200,
            &Value::Array(
                tenant
                    .session_users()
                    .into_iter()
                    .map(|u| json!({ "userId": u }))
                    .collect(),
            ),
        ),
        _ => match allowed_methods(path) {
            Some(allow) => method_not_allowed(tenant, path, allow),
            None if json_path(path) => {
                Response::json(404, &json!({"code": 404, "message": "Not found"}))
            }
            None => Response::html(
                404,
                pages::error(
                    &tenant.config,
                    "Not found",
                    "There is no page at this address.",
                ),
            ),
        },
    }
}

/// The decoded `:appId` when `path` is the kick-active-users API.
pub fn kick_app_id(path: &str) -> Option<String> {
    let middle = path.strip_prefix(KICK_PREFIX)?.strip_suffix(KICK_SUFFIX)?;
    if middle.is_empty() || middle.contains('/') {
        return None;
    }
    Some(
        percent_encoding::percent_decode_str(middle)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// Paths whose refusals (404, 405) are JSON rather than an HTML page: the
/// APIs, the OAuth endpoints and the test hooks.
fn json_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/__emulator/")
        || path.starts_with(oidc::TOKEN_PATH)
        || path == oidc::USERINFO_PATH
}

fn allowed_methods(path: &str) -> Option<&'static str> {
    Some(match path {
        "/"
        | "/favicon.ico"
        | "/u"
        | "/login/profile/logout"
        | "/cas-idp/logout"
        | "/__emulator/requests"
        | "/__emulator/tokens"
        | "/__emulator/sessions"
        | oidc::AUTH_PATH => "GET",
        "/login" | "/oidc/session/end" => "GET, POST",
        "/api/me" | oidc::USERINFO_PATH => "GET, OPTIONS",
        oidc::TOKEN_PATH | oidc::REVOCATION_PATH => "POST, OPTIONS",
        "/__emulator/faults" | "/__emulator/reset" => "POST",
        _ => return None,
    })
}

fn method_not_allowed(tenant: &Tenant, path: &str, allow: &str) -> Response {
    let resp = if json_path(path) {
        Response::json(405, &json!({"code": 405, "message": "Method not allowed"}))
    } else {
        Response::html(
            405,
            pages::error(
                &tenant.config,
                "Method not allowed",
                "This page does not accept that method.",
            ),
        )
    };
    resp.header("Allow", allow)
}

/// Whether the server adds CORS headers to answers on this path.
fn cors_path(path: &str) -> bool {
    matches!(
        path,
        "/api/me" | oidc::TOKEN_PATH | oidc::REVOCATION_PATH | oidc::USERINFO_PATH
    ) || kick_app_id(path).is_some()
}

/// Adds CORS headers for a registered app origin to answers on CORS paths
/// (normal answers and injected faults alike, so browser tests see them).
pub fn with_cors(tenant: &Tenant, req: &Request, mut resp: Response) -> Response {
    if !cors_path(&req.path) {
        return resp;
    }
    resp = resp.header("Vary", "Origin");
    match req.header("origin") {
        Some(origin) if tenant.config.origin_registered(origin) => resp
            .header("Access-Control-Allow-Origin", origin)
            .header("Access-Control-Allow-Credentials", "true")
            .header("Access-Control-Expose-Headers", "Retry-After"),
        _ => resp,
    }
}

/// CORS preflight: 204 for a registered origin (headers added by [`with_cors`]), 403 otherwise.
fn preflight(tenant: &Tenant, req: &Request, methods: &str) -> Response {
    match req.header("origin") {
        Some(origin) if tenant.config.origin_registered(origin) => Response::empty(204)
            .header("Access-Control-Allow-Methods", methods)
            .header(
                "Access-Control-Allow-Headers",
                "content-type, authorization, x-authing-userpool-id",
            )
            .header("Access-Control-Max-Age", "600"),
        _ => Response::json(
            403,
            &json!({"code": 403, "message": "Origin not registered"}),
        ),
    }
}

fn set_session_cookie(resp: Response, sid: &str) -> Response {
    resp.header(
        "Set-Cookie",
        &format!("{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax"),
    )
}

fn clear_session_cookie(resp: Response) -> Response {
    resp.header(
        "Set-Cookie",
        &format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    )
}

fn sign_in_page(tenant: &Tenant, req: &Request) -> Response {
    let pairs = req.query_pairs();
    let redirect = single(&pairs, "redirect_uri").ok().flatten();
    Response::html(
        200,
        pages::sign_in(&tenant.config, redirect.as_deref(), None),
    )
}

/// Whether the sign-in page may send the browser to `target`: a URL on a
/// registered app origin, or a path on this tenant.
fn sign_in_redirect_allowed(tenant: &Tenant, target: &str) -> bool {
    if target.chars().any(|c| c.is_control()) {
        return false;
    }
    if target.starts_with('/') {
        return !target.starts_with("//") && !target.starts_with("/\\");
    }
    origin_of(target).is_some_and(|o| tenant.config.origin_registered(&o))
}

/// The pairs of a form body, or the `415` page (`title`, `message`) when
/// the body is not `application/x-www-form-urlencoded`.
fn form_pairs(
    tenant: &Tenant,
    req: &Request,
    title: &str,
    message: &str,
) -> Result<Vec<(String, String)>, Response> {
    if !req.content_type_is("application/x-www-form-urlencoded") {
        return Err(Response::html(
            415,
            pages::error(&tenant.config, title, message),
        ));
    }
    Ok(req.form_pairs())
}

fn sign_in(tenant: &Tenant, req: &Request) -> Response {
    let pairs = match form_pairs(
        tenant,
        req,
        "Sign-in failed",
        "The sign-in form must be sent as application/x-www-form-urlencoded.",
    ) {
        Ok(pairs) => pairs,
        Err(refused) => return refused,
    };
    let field = |name: &str| single(&pairs, name).ok().flatten();
    let redirect = field("redirect_uri");
    let user = match (field("username"), field("password")) {
        (Some(name), Some(password)) => tenant.config.authenticate(&name, &password),
        _ => None,
    };
    let Some(user) = user else {
        return Response::html(
            401,
            pages::sign_in(
                &tenant.config,
                redirect.as_deref(),
                Some("Wrong user name or password."),
            ),
        );
    };
    // A new sign-in replaces the browser's previous session.
    tenant.end_session(req);
    let sid = tenant.create_session(&user.id);
    let resp = match redirect {
        Some(target) if sign_in_redirect_allowed(tenant, &target) => Response::redirect(&target),
        _ => Response::html(200, pages::personal_center(&tenant.config, user)),
    };
    set_session_cookie(resp, &sid)
}

fn personal_center(tenant: &Tenant, req: &Request) -> Response {
    match tenant.session_user(req) {
        Some(user) => Response::html(200, pages::personal_center(&tenant.config, user)),
        None => Response::html(200, pages::not_signed_in(&tenant.config)),
    }
}

fn me(tenant: &Tenant, req: &Request) -> Response {
    let body = match tenant.session_user(req) {
        Some(user) => json!({"signedIn": true, "user": {"id": user.id, "name": user.name}}),
        None => json!({"signedIn": false, "user": null}),
    };
    Response::json(200, &body)
}

/// Which registered list a logout redirect is checked against.
enum RedirectScope<'a> {
    /// Any app's `logoutRedirectUris`.
    AnyApp,
    /// This app's only (OIDC `client_id`).
    App(&'a App),
}

impl RedirectScope<'_> {
    fn allows(&self, tenant: &Tenant, target: &str) -> bool {
        match self {
            RedirectScope::AnyApp => tenant
                .config
                .apps
                .iter()
                .any(|a| a.logout_redirect_uris.iter().any(|u| u == target)),
            RedirectScope::App(app) => app.logout_redirect_uris.iter().any(|u| u == target),
        }
    }
}

/// Appends `state` to a redirect URL's query (before any fragment).
fn with_state(target: &str, state: Option<&str>) -> String {
    match state {
        Some(state) => with_params(target, &[("state", state)]),
        None => target.to_string(),
    }
}

/// Ends the session, then redirects to `target` if registered, or shows an error page.
fn finish_logout(
    tenant: &Tenant,
    req: &Request,
    target: Result<Option<String>, String>,
    scope: Result<RedirectScope<'_>, String>,
    state: Option<String>,
) -> Response {
    tenant.end_session(req);
    let error = |message: &str| {
        clear_session_cookie(Response::html(
            400,
            pages::error(
                &tenant.config,
                "Logout redirect refused",
                &format!("You are signed out, but this tenant will not send you on: {message}"),
            ),
        ))
    };
    let target = match target {
        Ok(t) => t,
        Err(message) => return error(&message),
    };
    let Some(target) = target else {
        return clear_session_cookie(Response::html(200, pages::signed_out(&tenant.config)));
    };
    let scope = match scope {
        Ok(s) => s,
        Err(message) => return error(&message),
    };
    if !scope.allows(tenant, &target) {
        return error(&format!(
            "{target} is not one of the registered logout redirect URIs (they are compared as exact strings)."
        ));
    }
    clear_session_cookie(Response::redirect(&with_state(&target, state.as_deref())))
}

/// A logout whose redirect is the query parameter `name`, checked against
/// every app: `GET /login/profile/logout?redirect_uri=…` (source document,
/// "Logout from the frontend") and `GET /cas-idp/logout?url=…`.
fn query_logout(tenant: &Tenant, req: &Request, name: &str) -> Response {
    let pairs = req.query_pairs();
    finish_logout(
        tenant,
        req,
        single(&pairs, name),
        Ok(RedirectScope::AnyApp),
        None,
    )
}

/// `GET|POST /oidc/session/end` (OpenID Connect RP-Initiated Logout 1.0, section 2).
/// `id_token_hint`, `logout_hint` and `ui_locales` are accepted and not
/// checked: this tenant issues no ID tokens.
fn oidc_end_session(tenant: &Tenant, req: &Request) -> Response {
    let pairs = if req.method == "POST" {
        match form_pairs(
            tenant,
            req,
            "Logout failed",
            "A POST to the end-session endpoint must be application/x-www-form-urlencoded.",
        ) {
            Ok(pairs) => pairs,
            Err(refused) => return refused,
        }
    } else {
        req.query_pairs()
    };
    let scope = match single(&pairs, "client_id") {
        Ok(None) => Ok(RedirectScope::AnyApp),
        Ok(Some(id)) => match tenant.config.app(&id) {
            Some(app) => Ok(RedirectScope::App(app)),
            None => Err(format!("client_id {id} is not a registered application.")),
        },
        Err(e) => Err(e),
    };
    let state = single(&pairs, "state").ok().flatten();
    finish_logout(
        tenant,
        req,
        single(&pairs, "post_logout_redirect_uri"),
        scope,
        state,
    )
}

fn api_error(status: u16, code: i64, message: &str) -> Response {
    Response::json(status, &json!({"code": code, "message": message}))
}

/// `POST /api/applications/:appId/kick-active-users` (source document, "Logout from the backend").
fn kick_active_users(tenant: &Tenant, req: &Request, path_app_id: &str) -> Response {
    let config = &tenant.config;
    match req.header("authorization") {
        None => {
            return api_error(401, 401, "Missing Authorization header")
                .header("WWW-Authenticate", "Bearer")
        }
        Some(value) if credentials(value, "bearer") != Some(config.admin_token.as_str()) => {
            return api_error(401, 401, "Invalid or expired user pool administrator token")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
        }
        Some(_) => {}
    }
    match req.header("x-authing-userpool-id") {
        None | Some("") => return api_error(200, 400, "Missing x-authing-userpool-id header"),
        Some(pool) if pool != config.user_pool_id => {
            return api_error(200, 403, "The token does not belong to this user pool")
        }
        Some(_) => {}
    }
    if !req.content_type_is("application/json") {
        return api_error(400, 400, "Content-Type must be application/json");
    }
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(_) => return api_error(400, 400, "The request body is not valid JSON"),
    };
    let Some(obj) = body.as_object() else {
        return api_error(400, 400, "The request body must be a JSON object");
    };
    let user_ids: Vec<String> = match obj.get("userIds").and_then(Value::as_array) {
        Some(ids) if !ids.is_empty() => {
            match ids
                .iter()
                .map(|v| v.as_str().filter(|s| !s.is_empty()))
                .collect::<Option<Vec<&str>>>()
            {
                Some(ids) => ids.into_iter().map(str::to_string).collect(),
                None => return api_error(400, 400, "userIds must contain only non-empty strings"),
            }
        }
        _ => return api_error(400, 400, "userIds must be a non-empty array of user IDs"),
    };
    let body_app_id = match obj.get("appId").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => id,
        _ => return api_error(400, 400, "appId must be a non-empty string"),
    };
    if body_app_id != path_app_id {
        return api_error(
            400,
            400,
            "appId in the body does not match the appId in the path",
        );
    }
    if config.app(path_app_id).is_none() {
        return api_error(200, 404, "Application not found");
    }
    tenant.kick_users(&user_ids);
    api_error(200, 200, "Forced offline successful")
}

fn add_fault(tenant: &Tenant, req: &Request) -> Response {
    let parsed: Result<Vec<Fault>, String> = match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Array(items)) => items.iter().map(Fault::from_json).collect(),
        Ok(v) => Fault::from_json(&v).map(|f| vec![f]),
        Err(_) => Err("body is not valid JSON".into()),
    };
    match parsed {
        Ok(faults) => {
            let mut queued = 0;
            for f in faults {
                queued = tenant.add_fault(f);
            }
            Response::json(
                200,
                &json!({"code": 200, "message": "fault queued", "queued": queued}),
            )
        }
        Err(message) => api_error(400, 400, &message),
    }
}

fn requests(tenant: &Tenant, req: &Request) -> Response {
    let pairs = req.query_pairs();
    let prefix = single(&pairs, "path_prefix")
        .ok()
        .flatten()
        .unwrap_or_default();
    Response::json(
        200,
        &Value::Array(
            tenant
                .records(&prefix)
                .iter()
                .map(|r| r.to_json())
                .collect(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_kick_app_id() {
        assert_eq!(
            kick_app_id("/api/applications/app-demo/kick-active-users").as_deref(),
            Some("app-demo")
        );
        assert_eq!(
            kick_app_id("/api/applications/a%2Fb/kick-active-users").as_deref(),
            Some("a/b")
        );
        assert_eq!(kick_app_id("/api/applications//kick-active-users"), None);
        assert_eq!(kick_app_id("/api/applications/a/b/kick-active-users"), None);
    }

    #[test]
    fn appends_state() {
        assert_eq!(
            with_state("http://a/", Some("x y")),
            "http://a/?state=x%20y"
        );
        assert_eq!(
            with_state("http://a/?q=1", Some("s")),
            "http://a/?q=1&state=s"
        );
        assert_eq!(with_state("http://a/?", Some("s")), "http://a/?state=s");
        assert_eq!(with_state("http://a/#f", Some("s")), "http://a/?state=s#f");
        assert_eq!(with_state("http://a/", None), "http://a/");
    }
}
