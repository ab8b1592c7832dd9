//! One `kickActiveUsers` call: attempts with `fetch`, waits between them, and
//! the two ways to stop early (the deadline and the caller's signal).
//!
//! One `AbortController` per call carries both stops to `fetch`; a promise
//! that settles on its `abort` event is raced against every await, so an
//! injected `fetch` that ignores `signal` still cannot hold the call past its
//! deadline, and a wait between attempts ends at once on abort.

use std::cell::Cell;
use std::rc::Rc;

use genauth_logout::admin::{KickActiveUsers, KickAnswer, RetryPolicy, NETWORK, TIMEOUT};
use genauth_logout::{Error, ErrorCode, Result};
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::js::{self, AbortController, AbortSignalLike};
use crate::options::{read_call_options, BAD_SIGNAL};
use crate::{read_arguments, Client};

const ABORTED: Error = Error::new(
    ErrorCode::Aborted,
    "the call was aborted by the caller's signal",
);

/// Why the call stopped early, set before the controller aborts.
type StopReason = Rc<Cell<Option<ErrorCode>>>;

/// The per-call stop machinery. Dropping it clears the deadline timer and
/// detaches from the caller's signal, so nothing outlives the call.
pub(crate) struct Stops {
    pub(crate) controller: AbortController,
    reason: StopReason,
    /// Settles when `controller` aborts.
    stopped: Promise,
    timer: JsValue,
    _on_deadline: Closure<dyn FnMut()>,
    caller: Option<(AbortSignalLike, Closure<dyn FnMut()>)>,
}

impl Stops {
    pub(crate) fn new(timeout_ms: u32, caller: Option<AbortSignalLike>) -> Result<Self> {
        let controller = AbortController::new().map_err(|_| {
            Error::new(
                ErrorCode::InvalidOption,
                "this runtime has no AbortController",
            )
        })?;
        let reason: StopReason = Rc::new(Cell::new(None));
        let signal = controller.signal();
        let mut listen_error = false;
        let stopped = Promise::new(&mut |resolve, _reject| {
            listen_error = signal
                .add_event_listener("abort", &resolve, &js::once())
                .is_err();
        });
        if listen_error {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "this runtime's AbortSignal cannot be listened to",
            ));
        }
        let stopper = |code: ErrorCode| {
            let reason = Rc::clone(&reason);
            let controller: AbortController = controller.clone().unchecked_into();
            move || {
                if reason.get().is_none() {
                    reason.set(Some(code));
                }
                controller.abort();
            }
        };
        let on_deadline = Closure::<dyn FnMut()>::new(stopper(ErrorCode::Timeout));
        let timer = js::set_timeout(on_deadline.as_ref().unchecked_ref(), f64::from(timeout_ms));
        let caller = match caller {
            Some(signal) => {
                let on_abort = Closure::<dyn FnMut()>::new(stopper(ErrorCode::Aborted));
                signal
                    .add_event_listener("abort", on_abort.as_ref().unchecked_ref(), &js::once())
                    .map_err(|_| BAD_SIGNAL)?;
                Some((signal, on_abort))
            }
            None => None,
        };
        Ok(Stops {
            controller,
            reason,
            stopped,
            timer,
            _on_deadline: on_deadline,
            caller,
        })
    }

    /// The error for an early stop, if the call has stopped.
    pub(crate) fn stop_error(&self) -> Option<Error> {
        self.reason.get().map(|code| match code {
            ErrorCode::Aborted => ABORTED,
            _ => TIMEOUT,
        })
    }

    /// Awaits `promise`, or the stop, whichever settles first.
    pub(crate) async fn race(&self, promise: Promise) -> core::result::Result<JsValue, JsValue> {
        let both = Array::of2(&promise, &self.stopped);
        JsFuture::from(Promise::race(&both)).await
    }

    /// Waits `ms` milliseconds, or until the call stops.
    pub(crate) async fn sleep(&self, ms: u64) {
        let mut handle = JsValue::UNDEFINED;
        let wait = Promise::new(&mut |resolve, _reject| {
            // Delays are capped well below f64's exact integer range.
            handle = js::set_timeout(&resolve, ms as f64);
        });
        let _ = self.race(wait).await;
        js::clear_timeout(&handle);
    }
}

impl Drop for Stops {
    fn drop(&mut self) {
        js::clear_timeout(&self.timer);
        if let Some((signal, on_abort)) = &self.caller {
            let _ = signal.remove_event_listener("abort", on_abort.as_ref().unchecked_ref());
        }
    }
}

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

/// The `fetch` init object: method, headers, body, our signal, and no
/// automatic redirects (a redirect is reported as `http_error`; following it
/// could re-send the token to another host).
fn init(request: &KickActiveUsers, signal: &AbortSignalLike) -> Object {
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
    set("method", &JsValue::from_str(KickActiveUsers::METHOD));
    set("headers", &headers);
    set("body", &JsValue::from_str(request.body()));
    set("signal", signal);
    set("redirect", &JsValue::from_str("manual"));
    init
}

/// What one attempt produced: the answer's parts, or no answer.
struct Reply {
    status: u16,
    retry_after: Option<String>,
    body: String,
}

/// Sends one attempt. `Err` is the final error of the call (stopped early or
/// no answer, to be decided by the caller with [`Stops::stop_error`]).
async fn attempt(
    fetch: &Function,
    request: &KickActiveUsers,
    stops: &Stops,
) -> core::result::Result<Reply, Error> {
    let pending = fetch
        .call2(
            &JsValue::UNDEFINED,
            &JsValue::from_str(request.url()),
            &init(request, &stops.controller.signal()),
        )
        .map(|p| Promise::resolve(&p));
    let response = match pending {
        Ok(p) => stops.race(p).await,
        Err(e) => Err(e),
    };
    if let Some(stop) = stops.stop_error() {
        return Err(stop);
    }
    let response = response.map_err(|_| NETWORK)?;
    let invalid = || {
        Error::new(
            ErrorCode::InvalidResponse,
            "fetch did not return a Response",
        )
    };
    let status = Reflect::get(&response, &JsValue::from_str("status"))
        .ok()
        .and_then(|s| s.as_f64())
        .filter(|s| (0.0..1000.0).contains(s))
        .ok_or_else(invalid)? as u16;
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
        .ok_or_else(invalid)?;
    let body = match text.call0(&response) {
        Ok(p) => stops.race(Promise::resolve(&p)).await,
        Err(e) => Err(e),
    };
    if let Some(stop) = stops.stop_error() {
        return Err(stop);
    }
    // The connection failed while the body was arriving: no usable answer.
    let body = body.map_err(|_| NETWORK)?;
    Ok(Reply {
        status,
        retry_after,
        body: body.as_string().unwrap_or_default(),
    })
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
    let fetch = match &client.fetch {
        Some(f) => f.clone(),
        None => js::global_fetch()
            .dyn_into::<Function>()
            .map_err(|_| js::NO_FETCH)?,
    };
    if signal
        .as_ref()
        .is_some_and(|s| s.aborted().map_or(true, |a| a.is_truthy()))
    {
        return Err(ABORTED);
    }
    let timeout_ms = client.config.timeout_ms();
    let started = js_sys::Date::now();
    let stops = Stops::new(timeout_ms, signal)?;
    let policy = RetryPolicy::new(client.config.retries());
    let mut number = 0;
    loop {
        let (error, retry_after) = match attempt(&fetch, &request, &stops).await {
            Ok(reply) => match request.parse_answer(reply.status, &reply.body) {
                Ok(answer) => return Ok(answer),
                Err(e) => (e, reply.retry_after),
            },
            Err(e) if e.code() == ErrorCode::NetworkError => (e, None),
            Err(e) => return Err(e),
        };
        let now = js_sys::Date::now();
        let remaining = (f64::from(timeout_ms) - (now - started)).max(0.0) as u64;
        match policy.delay_after(
            number,
            &error,
            retry_after.as_deref(),
            now as u64,
            remaining,
        ) {
            None => return Err(error),
            Some(ms) => {
                stops.sleep(ms).await;
                if let Some(stop) = stops.stop_error() {
                    return Err(stop);
                }
            }
        }
        number += 1;
    }
}
