//! The transport both server-side calls share: one `fetch` attempt, the
//! deadline and the caller's signal, and the wait before a retry.
//!
//! One `AbortController` per call carries both stops to `fetch`; a promise
//! that settles on its `abort` event is raced against every await, so an
//! injected `fetch` that ignores `signal` still cannot hold the call past its
//! deadline, and a wait between attempts ends at once on abort. When to
//! retry and how long to wait are the core's [`RetryPolicy`].

use std::cell::Cell;
use std::rc::Rc;

use genauth_logout::admin::{RetryPolicy, TIMEOUT};
use genauth_logout::{Error, ErrorCode, Result};
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::js::{self, AbortController, AbortSignalLike};
use crate::options::BAD_SIGNAL;

/// The error of a call the caller's signal stopped.
pub(crate) const ABORTED: Error = Error::new(
    ErrorCode::Aborted,
    "the call was aborted by the caller's signal",
);

/// Why the call stopped early, set before the controller aborts.
type StopReason = Rc<Cell<Option<ErrorCode>>>;

/// The per-call stop machinery. Dropping it clears the deadline timer and
/// detaches from the caller's signal, so nothing outlives the call.
pub(crate) struct Stops {
    controller: AbortController,
    /// The call's time limit, and when it started (`Date.now()`).
    timeout_ms: u32,
    started: f64,
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
            timeout_ms,
            started: js_sys::Date::now(),
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

/// One request as `fetch` sends it.
pub(crate) struct Outgoing<'a, H> {
    pub(crate) method: &'static str,
    pub(crate) url: &'a str,
    pub(crate) headers: H,
    pub(crate) body: &'a str,
}

/// The `fetch` init object: method, headers, body, the call's signal, no
/// automatic redirects (a `307` or `308` would re-send the body and the
/// credentials to wherever it points; a redirect is the caller's to report)
/// and no cache (the answers are about secrets).
fn init<'a>(
    method: &str,
    names_and_values: impl Iterator<Item = (&'static str, &'a str)>,
    body: &str,
    signal: &AbortSignalLike,
) -> Object {
    let headers = Object::new();
    for (name, value) in names_and_values {
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
    set("method", &JsValue::from_str(method));
    set("headers", &headers);
    set("body", &JsValue::from_str(body));
    set("signal", signal);
    set("redirect", &JsValue::from_str("manual"));
    set("cache", &JsValue::from_str("no-store"));
    init
}

/// What one attempt produced: the answer's parts.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<String>,
    /// The body text; `None` when the connection failed while it arrived.
    pub(crate) body: Option<String>,
}

/// Why an attempt has no [`Reply`].
pub(crate) enum Failed {
    /// The call stopped (deadline or the caller's signal): this error.
    Stopped(Error),
    /// No answer: `fetch` threw or rejected.
    NoAnswer,
    /// `fetch` gave something that is not a `Response`.
    NotAResponse,
}

/// Sends one attempt with `fetch`, racing every await against the stops.
pub(crate) async fn attempt<'a>(
    fetch: &Function,
    request: Outgoing<'a, impl Iterator<Item = (&'static str, &'a str)>>,
    stops: &Stops,
) -> core::result::Result<Reply, Failed> {
    let Outgoing {
        method,
        url,
        headers,
        body,
    } = request;
    let init = init(method, headers, body, &stops.controller.signal());
    let pending = fetch
        .call2(&JsValue::UNDEFINED, &JsValue::from_str(url), &init)
        .map(|p| Promise::resolve(&p));
    let response = match pending {
        Ok(p) => stops.race(p).await,
        Err(e) => Err(e),
    };
    if let Some(stop) = stops.stop_error() {
        return Err(Failed::Stopped(stop));
    }
    let response = response.map_err(|_| Failed::NoAnswer)?;
    let status = Reflect::get(&response, &JsValue::from_str("status"))
        .ok()
        .and_then(|s| s.as_f64())
        .filter(|s| (0.0..1000.0).contains(s))
        .ok_or(Failed::NotAResponse)? as u16;
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
        .ok_or(Failed::NotAResponse)?;
    let body = match text.call0(&response) {
        Ok(p) => stops.race(Promise::resolve(&p)).await,
        Err(e) => Err(e),
    };
    if let Some(stop) = stops.stop_error() {
        return Err(Failed::Stopped(stop));
    }
    Ok(Reply {
        status,
        retry_after,
        body: body.ok().map(|b| b.as_string().unwrap_or_default()),
    })
}

/// What to do after a failed attempt.
pub(crate) enum Next {
    /// Send attempt `number + 1`: the wait is over.
    Retry,
    /// Stop with the attempt's own failure: no retry fixes it, or none is left.
    GiveUp,
    /// The call stopped during the wait: this error.
    Stopped(Error),
}

impl Stops {
    /// After attempt `number` (from 0) failed with `error`: asks the policy,
    /// and waits the delay (within what is left of the deadline) if it
    /// says to retry.
    pub(crate) async fn after_failure(
        &self,
        policy: &RetryPolicy,
        number: u32,
        error: &Error,
        retry_after: Option<&str>,
    ) -> Next {
        let now = js_sys::Date::now();
        let remaining = (f64::from(self.timeout_ms) - (now - self.started)).max(0.0) as u64;
        match policy.delay_after(number, error, retry_after, now as u64, remaining) {
            None => Next::GiveUp,
            Some(ms) => {
                self.sleep(ms).await;
                match self.stop_error() {
                    Some(stop) => Next::Stopped(stop),
                    None => Next::Retry,
                }
            }
        }
    }
}
