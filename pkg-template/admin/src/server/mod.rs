//! The npm entry `genauth-logout/server`: a server's logout endpoint
//! (`logoutResponse`) and token revocation for confidential clients
//! (`revokeTokens`).
//!
//! Like the rest of this crate it converts and delegates. The rules are the
//! core's: which requests may log the user out
//! ([`genauth_logout::cross_site`]), how a cookie is deleted
//! ([`genauth_logout::cookie`]), where the browser goes
//! ([`genauth_logout::AppOrigin`], [`genauth_logout::see_other_location`],
//! [`genauth_logout::LogoutFormPage`]) and how tokens are revoked
//! ([`genauth_logout::revocation`]). The JavaScript facade
//! (`pkg-template/server/facade.js`) reads the Web `Request`'s method and
//! headers, hands them here with the options, and turns the answer plan
//! into a Web `Response`.

mod logout;
mod revoke;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::to_js_error;

/// `logoutResponse`'s decision for one request, as a plan the facade turns
/// into a `Response`: `{ status, headers: [[name, value], …], body }`
/// (`body` is `null` for a `303`).
///
/// `method` and the four headers are the request's (`undefined` when a
/// header is absent); `nonce` is a fresh random base64 value the facade
/// draws for each call, used only by a form-POST logout page. Throws a
/// `GenAuthError` when the options are wrong, whatever the request.
#[wasm_bindgen(js_name = logoutPlan)]
pub fn logout_plan(
    method: String,
    origin: Option<String>,
    sec_fetch_site: Option<String>,
    sec_fetch_mode: Option<String>,
    sec_fetch_dest: Option<String>,
    options: JsValue,
    nonce: String,
) -> Result<JsValue, JsValue> {
    let facts = genauth_logout::cross_site::RequestFacts {
        method: &method,
        origin: origin.as_deref(),
        sec_fetch_site: sec_fetch_site.as_deref(),
        sec_fetch_mode: sec_fetch_mode.as_deref(),
        sec_fetch_dest: sec_fetch_dest.as_deref(),
    };
    logout::plan(&facts, &options, &nonce)
        .map(|plan| plan.to_js())
        .map_err(|e| to_js_error(&e))
}

/// `revokeTokens(options)`: revokes the refresh token, then the access
/// token, as a confidential client; resolves with each token's outcome and
/// rejects only when the options are wrong (before any request).
#[wasm_bindgen(js_name = revokeTokens)]
pub fn revoke_tokens(options: JsValue) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        revoke::revoke(&options).await.map_err(|e| to_js_error(&e))
    })
}
