//! `revokeTokens` for confidential clients: the options, the transport
//! (`fetch`, redirects not followed, one deadline for the whole call,
//! retries of what another attempt can fix) and the per-token outcome.
//!
//! The requests and the reading of each answer are the core's
//! ([`genauth_logout::revocation`]); when to retry and how long to wait are
//! the admin client's [`RetryPolicy`], so both server-side calls behave
//! alike. The call never rejects once the options are accepted: each token
//! gets an outcome (`revoked`, `refused`, `unavailable`, `unexpected`,
//! `network_error`, `timeout`), and the caller decides what a failure means
//! for its session (it has already ended it or is about to).

use genauth_logout::admin::{RetryPolicy, NETWORK, RETRIES_RANGE, TIMEOUT_MS_RANGE};
use genauth_logout::revocation::{
    ClientAuth, RevocationConfig, RevocationOutcome, RevocationRequest, TokenTypeHint, Tokens,
};
use genauth_logout::{AppDomain, Error, ErrorCode, Result, WhatwgUrl};
use js_sys::{Function, Object, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::call::Stops;
use crate::js;
use crate::options::{read, Shape};

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

/// A JavaScript function, kept as it is.
fn function<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Function>, D::Error> {
    serde_wasm_bindgen::preserve::deserialize(d).map(Some)
}

const REVOKE: Shape = Shape {
    not_object: "revokeTokens options must be an object",
    unknown: "unknown revokeTokens option: ",
    problem: |key| match key {
        "timeoutMs" => TIMEOUT_MS_RANGE,
        "retries" => RETRIES_RANGE,
        "fetch" => Error::option(key, " must be a function"),
        _ => Error::option(key, " must be a string"),
    },
};

const DEFAULT_TIMEOUT_MS: u32 = genauth_logout::admin::DEFAULT_TIMEOUT_MS;
const DEFAULT_RETRIES: u32 = genauth_logout::admin::DEFAULT_RETRIES;

/// A JavaScript number that is a whole number from `min` to `max`.
fn whole_in(n: f64, min: u32, max: u32) -> Option<u32> {
    (n.trunc() == n && (f64::from(min)..=f64::from(max)).contains(&n)).then_some(n as u32)
}

/// The validated call.
struct Call {
    requests: Vec<RevocationRequest>,
    timeout_ms: u32,
    retries: u32,
    fetch: Function,
}

fn settings(options: &JsValue) -> Result<Call> {
    let o: RevokeOptions = read(options, &REVOKE)?;
    let app_domain = o.app_domain.ok_or(Error::new(
        ErrorCode::InvalidOption,
        "appDomain is required, for example \"myapp.genauth.ai\"",
    ))?;
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
    let mut config = RevocationConfig::new(&AppDomain::parse(&app_domain)?, &client_id)?;
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
    let timeout_ms = match o.timeout_ms {
        None => DEFAULT_TIMEOUT_MS,
        Some(ms) => {
            whole_in(ms, 1, genauth_logout::admin::MAX_TIMEOUT_MS).ok_or(TIMEOUT_MS_RANGE)?
        }
    };
    let retries = match o.retries {
        None => DEFAULT_RETRIES,
        Some(n) => whole_in(n, 0, genauth_logout::admin::MAX_RETRIES).ok_or(RETRIES_RANGE)?,
    };
    let requests = config.requests(&Tokens {
        refresh_token: o.refresh_token.as_deref(),
        access_token: o.access_token.as_deref(),
    })?;
    let fetch = match o.fetch {
        Some(f) => f,
        None => js::global_fetch()
            .dyn_into::<Function>()
            .map_err(|_| js::NO_FETCH)?,
    };
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

/// The answer of one attempt: status, `Retry-After`, body.
struct Reply {
    status: u16,
    retry_after: Option<String>,
    body: String,
}

/// The `fetch` init: no automatic redirects, since a `307` or `308` would
/// re-send the body, token and secret included, to wherever it points.
fn init(request: &RevocationRequest, stops: &Stops) -> Object {
    let headers = Object::new();
    for (name, value) in request.headers() {
        let _ = Reflect::set(
            &headers,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        );
    }
    let init = Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&init, &JsValue::from_str(key), value);
    };
    set("method", &JsValue::from_str(RevocationRequest::METHOD));
    set("headers", &headers);
    set("body", &JsValue::from_str(request.body().expose()));
    set("signal", &stops.controller.signal());
    set("redirect", &JsValue::from_str("manual"));
    set("cache", &JsValue::from_str("no-store"));
    init
}

/// One attempt. `Err(None)`: no answer; `Err(Some(_))`: the call stopped.
async fn attempt(
    fetch: &Function,
    request: &RevocationRequest,
    stops: &Stops,
) -> std::result::Result<Reply, Option<Error>> {
    let pending = fetch
        .call2(
            &JsValue::UNDEFINED,
            &JsValue::from_str(request.url()),
            &init(request, stops),
        )
        .map(|p| Promise::resolve(&p));
    let response = match pending {
        Ok(p) => stops.race(p).await,
        Err(e) => Err(e),
    };
    if let Some(stop) = stops.stop_error() {
        return Err(Some(stop));
    }
    let response = response.map_err(|_| None)?;
    let status = Reflect::get(&response, &JsValue::from_str("status"))
        .ok()
        .and_then(|s| s.as_f64())
        .filter(|s| (0.0..1000.0).contains(s))
        .ok_or(None)? as u16;
    let retry_after = Reflect::get(&response, &JsValue::from_str("headers"))
        .ok()
        .and_then(|headers| {
            let get = Reflect::get(&headers, &JsValue::from_str("get")).ok()?;
            let get = get.dyn_ref::<Function>()?;
            get.call1(&headers, &JsValue::from_str("retry-after")).ok()
        })
        .and_then(|v| v.as_string());
    let text = Reflect::get(&response, &JsValue::from_str("text"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or(None)?;
    let body = match text.call0(&response) {
        Ok(p) => stops.race(Promise::resolve(&p)).await,
        Err(e) => Err(e),
    };
    if let Some(stop) = stops.stop_error() {
        return Err(Some(stop));
    }
    // A 200 whose body broke off is still the server's "revoked" (RFC 7009
    // §2.2: the body is not read), so a lost body is kept as empty.
    Ok(Reply {
        status,
        retry_after,
        body: body.ok().and_then(|b| b.as_string()).unwrap_or_default(),
    })
}

/// Revokes one token, retrying what another attempt can fix.
async fn revoke_one(
    call: &Call,
    request: &RevocationRequest,
    stops: &Stops,
    started: f64,
) -> (Outcome, u32) {
    let policy = RetryPolicy::new(call.retries);
    let mut number = 0;
    loop {
        let attempts = number + 1;
        let (error, retry_after, outcome) = match attempt(&call.fetch, request, stops).await {
            Err(Some(_)) => return (Outcome::Timeout, attempts),
            Err(None) => (NETWORK, None, Outcome::Network),
            Ok(reply) => {
                let outcome =
                    request.read_answer(reply.status, &reply.body, reply.retry_after.as_deref());
                match outcome.clone().into_result() {
                    Ok(()) => return (Outcome::Answer(outcome), attempts),
                    Err(e) => (e, reply.retry_after, Outcome::Answer(outcome)),
                }
            }
        };
        let now = js_sys::Date::now();
        let remaining = (f64::from(call.timeout_ms) - (now - started)).max(0.0) as u64;
        match policy.delay_after(
            number,
            &error,
            retry_after.as_deref(),
            now as u64,
            remaining,
        ) {
            None => return (outcome, attempts),
            Some(ms) => {
                stops.sleep(ms).await;
                if stops.stop_error().is_some() {
                    return (Outcome::Timeout, attempts);
                }
            }
        }
        number += 1;
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
    let started = js_sys::Date::now();
    let out = Object::new();
    // First in the object, so it reads first when logged.
    let _ = Reflect::set(&out, &JsValue::from_str("revoked"), &JsValue::FALSE);
    let mut all = true;
    for request in &call.requests {
        let (outcome, attempts) = if stops.stop_error().is_some() {
            // The deadline passed on an earlier token: this one was not sent.
            (Outcome::Timeout, 0)
        } else {
            revoke_one(&call, request, &stops, started).await
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
