//! One `kickActiveUsers` call: the arguments, the caller's signal, and the
//! attempts over the shared [`transport`](crate::transport).

use genauth_logout::admin::{KickActiveUsers, KickAnswer, RetryPolicy, NETWORK};
use genauth_logout::{Error, ErrorCode, Result};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::{self, AbortSignalLike};
use crate::options::{read_call_options, BAD_SIGNAL};
use crate::transport::{attempt, Failed, Next, Outgoing, Reply, Stops, ABORTED};
use crate::{read_arguments, Client};

/// The caller's `signal`, checked to be listenable (duck-typed, so any
/// standards-shaped `AbortSignal` works).
fn caller_signal(options: &JsValue) -> Result<Option<AbortSignalLike>> {
    let Some(value) = read_call_options(options)? else {
        return Ok(None);
    };
    let listenable =
        Reflect::get(&value, &JsValue::from_str("addEventListener")).is_ok_and(|f| f.is_function());
    let has_aborted =
        Reflect::get(&value, &JsValue::from_str("aborted")).is_ok_and(|a| a.as_bool().is_some());
    if !value.is_object() || !listenable || !has_aborted {
        return Err(BAD_SIGNAL);
    }
    Ok(Some(value.unchecked_into::<AbortSignalLike>()))
}

/// `kickActiveUsers(appId, userIds, options)`.
pub(crate) async fn kick(
    client: &Client,
    app_id: &JsValue,
    user_ids: &JsValue,
    options: &JsValue,
) -> Result<KickAnswer> {
    let (app_id, user_ids) = read_arguments(app_id, user_ids)?;
    let signal = caller_signal(options)?;
    let request = client.config.kick_active_users(&app_id, &user_ids)?;
    let fetch = js::fetch_or_global(client.fetch.as_ref())?;
    if signal
        .as_ref()
        .is_some_and(|s| s.aborted().map_or(true, |a| a.is_truthy()))
    {
        return Err(ABORTED);
    }
    let stops = Stops::new(client.config.timeout_ms(), signal)?;
    let policy = RetryPolicy::new(client.config.retries());
    let mut number = 0;
    loop {
        let outgoing = Outgoing {
            method: KickActiveUsers::METHOD,
            url: request.url(),
            headers: request.headers(),
            body: request.body(),
        };
        let (error, retry_after) = match attempt(&fetch, outgoing, &stops).await {
            // The connection failed while the body was arriving: no usable answer.
            Ok(Reply { body: None, .. }) => (NETWORK, None),
            Ok(Reply {
                status,
                retry_after,
                body: Some(body),
            }) => match request.parse_answer(status, &body) {
                Ok(answer) => return Ok(answer),
                Err(e) => (e, retry_after),
            },
            Err(Failed::NoAnswer) => (NETWORK, None),
            Err(Failed::NotAResponse) => {
                return Err(Error::new(
                    ErrorCode::InvalidResponse,
                    "fetch did not return a Response",
                ))
            }
            Err(Failed::Stopped(stop)) => return Err(stop),
        };
        match stops
            .after_failure(&policy, number, &error, retry_after.as_deref())
            .await
        {
            Next::Retry => number += 1,
            Next::GiveUp => return Err(error),
            Next::Stopped(stop) => return Err(stop),
        }
    }
}
