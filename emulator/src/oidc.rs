//! Tokens: the authorization endpoint, the token endpoint, token
//! revocation (RFC 7009) and userinfo, as an OpenID Connect provider has
//! them. The source document says nothing about tokens; these follow
//! OAuth 2.0 (RFC 6749), PKCE (RFC 7636), token revocation (RFC 7009),
//! bearer tokens (RFC 6750) and OpenID Connect Core 1.0, at the paths a
//! GenAuth application domain uses (`/oidc/auth`, `/oidc/token`,
//! `/oidc/token/revocation`, `/oidc/me`). Nothing here copies GenAuth's
//! internals: tokens are opaque random strings, no ID token is issued.
//!
//! Clients are the configured apps ([`crate::config`]): an app without a
//! `clientSecret` is a public client (authentication method `none`:
//! `client_id` in the form body), one with a secret is confidential
//! (`client_secret_basic`, or `client_secret_post` with `client_id` and
//! `client_secret` in the body). Using two methods at once, a secret for a
//! public client, or no secret for a confidential one is `invalid_client`.
//!
//! Choices where the RFCs leave room, made once here:
//! - Client authentication is checked before anything else about the
//!   request, so a bad client is 401 `invalid_client` even when the token is
//!   missing; a missing `client_id` is `invalid_client` too (no client
//!   authentication included, RFC 6749 section 5.2).
//! - Revoking an unknown, expired or already revoked token answers 200
//!   (RFC 7009 section 2.2); revoking a refresh token also ends the access
//!   tokens it gave (section 2.1); `token_type_hint` only orders the search,
//!   an unknown hint is ignored. A live token of another client is not
//!   revoked: 401 `invalid_client` (the caller is not the client the token
//!   was issued to).
//! - A parameter given twice is `invalid_request` (RFC 6749 section 3.2); an
//!   empty one counts as absent.
//! - Every sign-in (authorization code or password grant) gives a refresh
//!   token, without asking for `offline_access`; refreshing answers a new
//!   access token and keeps the refresh token (no rotation).
//! - The authorization endpoint accepts a `redirect_uri` on one of the
//!   client's `appOrigins` (the same rule as the sign-in page's redirect),
//!   without a fragment. An unknown client or such a `redirect_uri` is an
//!   error page, never a redirect.

use crate::config::{origin_of, App};
use crate::message::{credentials, single, with_params};
use crate::message::{Request, Response};
use crate::pages;
use crate::tenant::{
    AuthCode, IssuedTokens, RefreshRefused, Revocation, Tenant, ACCESS_TOKEN_SECONDS,
};
use base64::Engine;
use genauth_logout::encode_uri_component;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The authorization endpoint (`GET`).
pub const AUTH_PATH: &str = "/oidc/auth";
/// The token endpoint (`POST`, form-encoded).
pub const TOKEN_PATH: &str = "/oidc/token";
/// The revocation endpoint (`POST`, form-encoded, RFC 7009).
pub const REVOCATION_PATH: &str = "/oidc/token/revocation";
/// The userinfo endpoint (`GET` with `Authorization: Bearer`).
pub const USERINFO_PATH: &str = "/oidc/me";

const FORM: &str = "application/x-www-form-urlencoded";

/// Decoded `name=value` pairs of a form body, in order.
type FormPairs = Vec<(String, String)>;

/// An OAuth error answer: `{"error", "error_description"}` (RFC 6749 section 5.2).
fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    let resp = Response::json(
        status,
        &json!({"error": error, "error_description": description}),
    )
    .header("Pragma", "no-cache");
    if status == 401 {
        resp.header("WWW-Authenticate", "Basic realm=\"oidc\"")
    } else {
        resp
    }
}

fn invalid_request(description: &str) -> Response {
    oauth_error(400, "invalid_request", description)
}

fn invalid_client(description: &str) -> Response {
    oauth_error(401, "invalid_client", description)
}

/// Compares secrets in time independent of where they first differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Decodes one half of `client_secret_basic` credentials, which are
/// form-encoded before the Base64 step (RFC 6749 section 2.3.1).
fn form_decode(part: &str) -> String {
    percent_encoding::percent_decode_str(&part.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// `(client_id, client_secret)` of an `Authorization: Basic` value.
fn basic_credentials(value: &str) -> Option<(String, String)> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(credentials(value, "basic")?)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((form_decode(id), form_decode(secret)))
}

/// The authenticated client of a token or revocation request.
fn authenticate_client<'a>(
    tenant: &'a Tenant,
    req: &Request,
    pairs: &[(String, String)],
) -> Result<&'a App, Response> {
    let body_id = single(pairs, "client_id").map_err(|e| invalid_request(&e))?;
    let body_secret = single(pairs, "client_secret").map_err(|e| invalid_request(&e))?;
    let basic = match req.header("authorization") {
        None => None,
        Some(value) => Some(basic_credentials(value).ok_or_else(|| {
            invalid_client("The Authorization header is not client_secret_basic credentials.")
        })?),
    };
    let (id, secret) = match (basic, body_secret) {
        (Some(_), Some(_)) => {
            return Err(invalid_request(
                "The client used more than one authentication method.",
            ))
        }
        (Some((id, secret)), None) => {
            if body_id.as_ref().is_some_and(|b| *b != id) {
                return Err(invalid_request(
                    "client_id in the body differs from the Authorization header.",
                ));
            }
            (id, Some(secret))
        }
        (None, secret) => match body_id {
            Some(id) => (id, secret),
            None => return Err(invalid_client("No client authentication was included.")),
        },
    };
    let Some(app) = tenant.config.app(&id) else {
        return Err(invalid_client("Unknown client."));
    };
    match (&app.client_secret, secret) {
        (None, None) => Ok(app),
        (Some(expected), Some(given)) if same_secret(expected, &given) => Ok(app),
        (None, Some(_)) => Err(invalid_client(
            "This is a public client: it authenticates with client_id only.",
        )),
        (Some(_), _) => Err(invalid_client("Client authentication failed.")),
    }
}

/// The form pairs of a token or revocation request and its authenticated client.
fn client_request<'a>(tenant: &'a Tenant, req: &Request) -> Result<(FormPairs, &'a App), Response> {
    if !req.content_type_is(FORM) {
        return Err(invalid_request(
            "The request must be application/x-www-form-urlencoded.",
        ));
    }
    let pairs = req.form_pairs();
    let client = authenticate_client(tenant, req, &pairs)?;
    Ok((pairs, client))
}

/// The single, non-empty value of a parameter the request must have.
fn required(pairs: &[(String, String)], name: &str) -> Result<String, Response> {
    match single(pairs, name) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(invalid_request(&format!(
            "The parameter {name} is missing."
        ))),
        Err(e) => Err(invalid_request(&e)),
    }
}

/// `POST /oidc/token/revocation` (RFC 7009 section 2).
pub fn revoke(tenant: &Tenant, req: &Request) -> Response {
    let (pairs, client) = match client_request(tenant, req) {
        Ok(request) => request,
        Err(resp) => return resp,
    };
    let token = match required(&pairs, "token") {
        Ok(t) => t,
        Err(resp) => return resp,
    };
    if let Err(e) = single(&pairs, "token_type_hint") {
        return invalid_request(&e);
    }
    match tenant.revoke(&token, &client.id) {
        Revocation::Revoked(_) | Revocation::Unknown => Response::empty(200),
        Revocation::OtherClient => invalid_client("The token was not issued to this client."),
    }
}

/// The token endpoint's success answer (RFC 6749 section 5.1).
fn token_answer(tokens: IssuedTokens) -> Response {
    let mut body = Map::new();
    body.insert("access_token".into(), Value::String(tokens.access_token));
    body.insert("token_type".into(), Value::String("Bearer".into()));
    body.insert("expires_in".into(), json!(ACCESS_TOKEN_SECONDS));
    if let Some(refresh) = tokens.refresh_token {
        body.insert("refresh_token".into(), Value::String(refresh));
    }
    body.insert("scope".into(), Value::String(tokens.scope));
    Response::json(200, &Value::Object(body)).header("Pragma", "no-cache")
}

/// `POST /oidc/token`: `authorization_code` (with PKCE), `refresh_token`
/// and `password` grants.
pub fn token(tenant: &Tenant, req: &Request) -> Response {
    let (pairs, client) = match client_request(tenant, req) {
        Ok(request) => request,
        Err(resp) => return resp,
    };
    let param = |name: &str| single(&pairs, name);
    let required = |name: &str| required(&pairs, name);
    let grant = match required("grant_type") {
        Ok(g) => g,
        Err(resp) => return resp,
    };
    let invalid_grant = |description: &str| oauth_error(400, "invalid_grant", description);
    match grant.as_str() {
        "refresh_token" => {
            let refresh = match required("refresh_token") {
                Ok(r) => r,
                Err(resp) => return resp,
            };
            match tenant.refresh(&refresh, &client.id) {
                Ok(tokens) => token_answer(tokens),
                Err(RefreshRefused::NotLive) => {
                    invalid_grant("The refresh token is invalid, expired or revoked.")
                }
                Err(RefreshRefused::OtherClient) => {
                    invalid_grant("The refresh token was issued to another client.")
                }
            }
        }
        "authorization_code" => {
            let (code, redirect_uri) = match (required("code"), required("redirect_uri")) {
                (Ok(c), Ok(r)) => (c, r),
                (Err(resp), _) | (_, Err(resp)) => return resp,
            };
            let verifier = match param("code_verifier") {
                Ok(v) => v,
                Err(e) => return invalid_request(&e),
            };
            let Some(grant) = tenant.take_code(&code) else {
                return invalid_grant("The authorization code is invalid, expired or used.");
            };
            if grant.client_id != client.id {
                return invalid_grant("The authorization code was issued to another client.");
            }
            if grant.redirect_uri != redirect_uri {
                return invalid_grant(
                    "redirect_uri differs from the one of the authorization request.",
                );
            }
            if let Some((method, challenge)) = &grant.challenge {
                let Some(verifier) = verifier else {
                    return invalid_grant("code_verifier is required for this code.");
                };
                if !pkce_matches(method, challenge, &verifier) {
                    return invalid_grant("code_verifier does not match the code_challenge.");
                }
            }
            if tenant.config.user(&grant.user_id).is_none() {
                return invalid_grant("The user of this code is gone.");
            }
            token_answer(tenant.issue_tokens(&client.id, &grant.user_id, &grant.scope))
        }
        "password" => {
            let (username, password) = match (required("username"), required("password")) {
                (Ok(u), Ok(p)) => (u, p),
                (Err(resp), _) | (_, Err(resp)) => return resp,
            };
            let scope = param("scope")
                .ok()
                .flatten()
                .unwrap_or_else(|| "openid".into());
            match tenant.config.authenticate(&username, &password) {
                Some(user) => token_answer(tenant.issue_tokens(&client.id, &user.id, &scope)),
                None => invalid_grant("Wrong user name or password."),
            }
        }
        _ => oauth_error(
            400,
            "unsupported_grant_type",
            "grant_type must be authorization_code, refresh_token or password.",
        ),
    }
}

/// A PKCE `code_verifier`: 43 to 128 unreserved characters (RFC 7636 section 4.1).
fn pkce_value_ok(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

fn pkce_matches(method: &str, challenge: &str, verifier: &str) -> bool {
    if !pkce_value_ok(verifier) {
        return false;
    }
    match method {
        "S256" => {
            let digest = Sha256::digest(verifier.as_bytes());
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest) == challenge
        }
        _ => verifier == challenge,
    }
}

/// `GET /oidc/auth`: the authorization code flow. Without a session it
/// sends the browser to the sign-in page, which comes back here.
pub fn authorize(tenant: &Tenant, req: &Request) -> Response {
    let pairs = req.query_pairs();
    let page_error = |message: &str| {
        Response::html(
            400,
            pages::error(&tenant.config, "Sign-in request refused", message),
        )
    };
    let param = |name: &str| single(&pairs, name);
    let (client_id, redirect_uri) = match (param("client_id"), param("redirect_uri")) {
        (Ok(Some(c)), Ok(Some(r))) => (c, r),
        (Err(e), _) | (_, Err(e)) => return page_error(&e),
        _ => return page_error("client_id and redirect_uri are required."),
    };
    let Some(app) = tenant.config.app(&client_id) else {
        return page_error(&format!(
            "client_id {client_id} is not a registered application."
        ));
    };
    let on_app_origin = origin_of(&redirect_uri).is_some_and(|o| app.app_origins.contains(&o));
    if !on_app_origin || redirect_uri.contains('#') {
        return page_error(&format!(
            "{redirect_uri} is not on one of the origins registered for {client_id}."
        ));
    }
    // From here on, errors go back to the client (RFC 6749 section 4.1.2.1).
    let state = param("state").ok().flatten();
    let back = |error: &str| {
        let mut params = vec![("error", error)];
        if let Some(s) = state.as_deref() {
            params.push(("state", s));
        }
        Response::redirect(&with_params(&redirect_uri, &params))
    };
    let (Ok(response_type), Ok(scope), Ok(challenge), Ok(method), Ok(prompt)) = (
        param("response_type"),
        param("scope"),
        param("code_challenge"),
        param("code_challenge_method"),
        param("prompt"),
    ) else {
        return back("invalid_request");
    };
    if response_type.as_deref() != Some("code") {
        return back("unsupported_response_type");
    }
    let challenge = match (challenge, method.as_deref()) {
        (None, None) => None,
        (Some(c), Some("S256")) | (Some(c), Some("plain")) | (Some(c), None)
            if pkce_value_ok(&c) =>
        {
            Some((method.unwrap_or_else(|| "plain".into()), c))
        }
        _ => return back("invalid_request"),
    };
    let Some(user) = tenant.session_user(req) else {
        if prompt.as_deref() == Some("none") {
            return back("login_required");
        }
        let here = format!("{AUTH_PATH}?{}", req.query);
        return Response::redirect(&format!(
            "/login?redirect_uri={}",
            encode_uri_component(&here)
        ));
    };
    let code = tenant.issue_code(AuthCode {
        client_id: app.id.clone(),
        user_id: user.id.clone(),
        redirect_uri: redirect_uri.clone(),
        scope: scope.unwrap_or_else(|| "openid".into()),
        challenge,
    });
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = state.as_deref() {
        params.push(("state", s));
    }
    Response::redirect(&with_params(&redirect_uri, &params))
}

/// `GET /oidc/me` with `Authorization: Bearer <access token>` (OpenID
/// Connect Core section 5.3; errors as RFC 6750 section 3).
pub fn userinfo(tenant: &Tenant, req: &Request) -> Response {
    let token = req
        .header("authorization")
        .and_then(|v| credentials(v, "bearer"));
    let Some(token) = token else {
        return Response::json(
            401,
            &json!({"error": "invalid_request", "error_description": "No access token."}),
        )
        .header("WWW-Authenticate", "Bearer realm=\"oidc\"");
    };
    match tenant.access_token_user(token) {
        Some(user) => Response::json(200, &json!({"sub": user.id, "name": user.name})),
        None => Response::json(
            401,
            &json!({"error": "invalid_token", "error_description": "The access token is invalid, expired or revoked."}),
        )
        .header("WWW-Authenticate", "Bearer realm=\"oidc\", error=\"invalid_token\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_basic_credentials() {
        let encode = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        assert_eq!(
            basic_credentials(&format!("Basic {}", encode("app-server:s%3Acret+x"))),
            Some(("app-server".into(), "s:cret x".into()))
        );
        assert_eq!(
            basic_credentials(&format!("basic  {}", encode("a:"))),
            Some(("a".into(), "".into()))
        );
        assert_eq!(basic_credentials("Basic !!!"), None);
        assert_eq!(
            basic_credentials(&format!("Basic {}", encode("no-colon"))),
            None
        );
        assert_eq!(basic_credentials("Bearer abc"), None);
    }

    #[test]
    fn checks_pkce() {
        // RFC 7636 appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches("S256", challenge, verifier));
        assert!(!pkce_matches(
            "S256",
            challenge,
            &verifier.replace('d', "e")
        ));
        assert!(pkce_matches("plain", verifier, verifier));
        assert!(!pkce_matches("plain", "short", "short"));
    }

    #[test]
    fn compares_secrets() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
