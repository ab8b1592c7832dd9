//! `revokeTokens` for confidential clients: the options, the attempts over
//! the shared [`transport`](crate::transport) (redirects not followed, one
//! deadline for the whole call, retries of what another attempt can fix)
//! and the per-token outcome.
//!
//! The requests and the reading of each answer are the core's
//! ([`genauth_logout::revocation`]); when to retry and how long to wait are
//! the admin client's [`RetryPolicy`], so both server-side calls behave
//! alike. The call never rejects once the options are accepted: each token
//! gets an outcome (`revoked`, `refused`, `unavailable`, `unexpected`,
//! `network_error`, `timeout`), and the caller decides what a failure means
//! for its session (it has already ended it or is about to).

use genauth_logout::admin::{RetryPolicy, NETWORK};
use genauth_logout::revocation::{
    ClientAuth, RevocationConfig, RevocationOutcome, RevocationRequest, TokenTypeHint, Tokens,
};
use genauth_logout::{Error, ErrorCode, Result, WhatwgUrl};
use js_sys::{Function, Object, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::js;
use crate::options::{
    function, read, required_app_domain, retries, sender_problem, timeout_ms, Shape,
};
use crate::transport::{attempt, Failed, Next, Outgoing, Stops};

/// `revokeTokens(options)`'s options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RevokeOptions {
    app_domain: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    client_auth: Option<String>,
    revocation_endpoint: Option<String>,
    refresh_token: Option<String>,
    access_token: Option<String>,
    timeout_ms: Option<f64>,
    retries: Option<f64>,
    #[serde(default, deserialize_with = "function")]
    fetch: Option<Function>,
}

const REVOKE: Shape = Shape {
    not_object: "revokeTokens options must be an object",
    unknown: "unknown revokeTokens option: ",
    problem: sender_problem,
};

/// The validated call.
struct Call {
    requests: Vec<RevocationRequest>,
    timeout_ms: u32,
    retries: u32,
    fetch: Function,
}

fn settings(options: &JsValue) -> Result<Call> {
    let o: RevokeOptions = read(options, &REVOKE)?;
    let app_domain = required_app_domain(o.app_domain)?;
    let client_id = o
        .client_id
        .ok_or(Error::new(ErrorCode::InvalidOption, "clientId is required"))?;
    let auth = match o.client_auth.as_deref() {
        None => ClientAuth::ClientSecretBasic,
        Some(name) => ClientAuth::from_name(name).ok_or(Error::new(
            ErrorCode::InvalidOption,
            "clientAuth must be \"client_secret_basic\", \"client_secret_post\" or \"none\"",
        ))?,
    };
    let mut config = RevocationConfig::new(&app_domain, &client_id)?;
    if let Some(endpoint) = &o.revocation_endpoint {
        config = config.with_endpoint(endpoint, &WhatwgUrl)?;
    }
    match (auth, &o.client_secret) {
        (ClientAuth::None, None) => {}
        (ClientAuth::None, Some(_)) => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "clientSecret is not sent with clientAuth \"none\": leave one of them out",
            ))
        }
        (_, None) => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "clientSecret is required (or clientAuth: \"none\" for a public client)",
            ))
        }
        (auth, Some(secret)) => config = config.with_client_secret(secret, auth)?,
    }
    let timeout_ms = timeout_ms(o.timeout_ms)?;
    let retries = retries(o.retries)?;
    let requests = config.requests(&Tokens {
        refresh_token: o.refresh_token.as_deref(),
        access_token: o.access_token.as_deref(),
    })?;
    let fetch = js::fetch_or_global(o.fetch.as_ref())?;
    Ok(Call {
        requests,
        timeout_ms,
        retries,
        fetch,
    })
}

/// What became of one token.
enum Outcome {
    /// The endpoint answered; the core read the answer.
    Answer(RevocationOutcome),
    /// No answer (connection refused, dropped, a `fetch` that threw).
    Network,
    /// The call's deadline passed first.
    Timeout,
}

/// Revokes one token, retrying what another attempt can fix.
async fn revoke_one(call: &Call, request: &RevocationRequest, stops: &Stops) -> (Outcome, u32) {
    let policy = RetryPolicy::new(call.retries);
    let mut number = 0;
    loop {
        let attempts = number + 1;
        let outgoing = Outgoing {
            method: RevocationRequest::METHOD,
            url: request.url(),
            headers: request.headers(),
            body: request.body().expose(),
        };
        let (error, retry_after, outcome) = match attempt(&call.fetch, outgoing, stops).await {
            Err(Failed::Stopped(_)) => return (Outcome::Timeout, attempts),
            Err(Failed::NoAnswer | Failed::NotAResponse) => (NETWORK, None, Outcome::Network),
            Ok(reply) => {
                // A 200 whose body broke off is still the server's "revoked"
                // (RFC 7009 §2.2: the body is not read), so a lost body is
                // read as empty.
                let body = reply.body.unwrap_or_default();
                let outcome =
                    request.read_answer(reply.status, &body, reply.retry_after.as_deref());
                match outcome.clone().into_result() {
                    Ok(()) => return (Outcome::Answer(outcome), attempts),
                    Err(e) => (e, reply.retry_after, Outcome::Answer(outcome)),
                }
            }
        };
        match stops
            .after_failure(&policy, number, &error, retry_after.as_deref())
            .await
        {
            Next::Retry => number += 1,
            Next::GiveUp => return (outcome, attempts),
            Next::Stopped(_) => return (Outcome::Timeout, attempts),
        }
    }
}

/// `{ revoked, outcome, status?, error?, description?, retryAfter?, attempts }`.
fn outcome_to_js(outcome: &Outcome, attempts: u32) -> JsValue {
    let out = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&out, &JsValue::from_str(key), &value);
    };
    let (name, revoked) = match outcome {
        Outcome::Answer(RevocationOutcome::Revoked) => ("revoked", true),
        Outcome::Answer(RevocationOutcome::Refused { .. }) => ("refused", false),
        Outcome::Answer(RevocationOutcome::Unavailable { .. }) => ("unavailable", false),
        Outcome::Answer(RevocationOutcome::Unexpected { .. }) => ("unexpected", false),
        Outcome::Network => ("network_error", false),
        Outcome::Timeout => ("timeout", false),
    };
    set("revoked", JsValue::from_bool(revoked));
    set("outcome", JsValue::from_str(name));
    if let Outcome::Answer(answer) = outcome {
        set("status", JsValue::from(answer.status()));
        match answer {
            RevocationOutcome::Refused {
                error, description, ..
            } => {
                if let Some(error) = error {
                    set("error", JsValue::from_str(error.as_str()));
                }
                if let Some(description) = description {
                    set("description", JsValue::from_str(description));
                }
            }
            RevocationOutcome::Unavailable {
                retry_after: Some(value),
                ..
            } => set("retryAfter", JsValue::from_str(value)),
            _ => {}
        }
    }
    set("attempts", JsValue::from(attempts));
    out.into()
}

/// `revokeTokens(options)`: `{ revoked, refreshToken?, accessToken? }`.
pub(crate) async fn revoke(options: &JsValue) -> Result<JsValue> {
    let call = settings(options)?;
    let stops = Stops::new(call.timeout_ms, None)?;
    let out = Object::new();
    // First in the object, so it reads first when logged.
    let _ = Reflect::set(&out, &JsValue::from_str("revoked"), &JsValue::FALSE);
    let mut all = true;
    for request in &call.requests {
        let (outcome, attempts) = if stops.stop_error().is_some() {
            // The deadline passed on an earlier token: this one was not sent.
            (Outcome::Timeout, 0)
        } else {
            revoke_one(&call, request, &stops).await
        };
        all &= matches!(outcome, Outcome::Answer(RevocationOutcome::Revoked));
        let key = match request.token_type_hint() {
            TokenTypeHint::RefreshToken => "refreshToken",
            TokenTypeHint::AccessToken => "accessToken",
        };
        let _ = Reflect::set(
            &out,
            &JsValue::from_str(key),
            &outcome_to_js(&outcome, attempts),
        );
    }
    let _ = Reflect::set(
        &out,
        &JsValue::from_str("revoked"),
        &JsValue::from_bool(all),
    );
    Ok(out.into())
}
