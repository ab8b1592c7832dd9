//! Accepts connections, reads each request in full, applies queued faults,
//! answers, and writes one log line per request on stdout.
//!
//! HTTP/1.1 itself is hyper's (request parsing, `chunked` bodies,
//! `Expect: 100-continue`, the 431 for an oversized head, the 400 for
//! a malformed one). Every answer carries `Connection: close`: one request
//! per connection keeps the `close` fault a plain connection drop and the
//! log in request order. The `close` fault is a service error, on which
//! hyper closes the connection without writing anything; `delay` is a timer
//! before the normal answer; `trickle` a body that yields one byte per
//! timer tick. One thread runs every connection.

use crate::faults::FaultMode;
use crate::message::{parse_form, Request, Response};
use crate::routes;
use crate::tenant::Tenant;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::io::{self, Write};
use std::net::TcpListener;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// Connections handled at once; more are answered 503 straight away.
const MAX_CONNECTIONS: usize = 128;
/// How long a client may take to send its request head, and then its body.
const IO_TIMEOUT: Duration = Duration::from_secs(15);
/// Largest request line plus header block accepted (hyper answers 431 beyond).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body accepted (answered 413 beyond). OIDC logout forms
/// carry ID tokens that can exceed 8 KB, so this is generous.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Serves `tenant` on `listener` until the process ends.
pub fn serve(listener: TcpListener, tenant: Arc<Tenant>) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(accept_loop(listener, tenant))
}

async fn accept_loop(listener: TcpListener, tenant: Arc<Tenant>) -> io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let active = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // E.g. out of file descriptors: back off instead of spinning.
                eprintln!("genauth-emulator: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let busy = active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS;
        let tenant = Arc::clone(&tenant);
        let active = Arc::clone(&active);
        tokio::spawn(async move {
            connection(tenant, stream, busy).await;
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// The service error that makes hyper drop the connection unanswered.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

async fn connection(tenant: Arc<Tenant>, stream: tokio::net::TcpStream, busy: bool) {
    let service = service_fn(move |req| {
        let tenant = Arc::clone(&tenant);
        async move {
            if busy {
                let resp = Response::json(
                    503,
                    &json!({"code": 503, "message": "Too many connections"}),
                )
                .header("Retry-After", "1");
                return Ok(into_hyper(resp, None));
            }
            answer(&tenant, req)
                .await
                .map(|(resp, trickle)| into_hyper(resp, trickle))
        }
    });
    let served = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(IO_TIMEOUT)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service)
        .await;
    if let Err(e) = served {
        // hyper has answered a malformed request itself; say so in the log.
        if e.is_parse_too_large() {
            log("- (unreadable request: request head too large) -> 431");
        } else if e.is_parse() {
            log("- (unreadable request: malformed request) -> 400");
        }
    }
}

/// Reads the whole request, then answers it (or applies its fault); with
/// the pause between body bytes when the answer is to trickle.
async fn answer(
    tenant: &Tenant,
    req: hyper::Request<Incoming>,
) -> Result<(Response, Option<Duration>), Dropped> {
    let (parts, body) = req.into_parts();
    if parts.uri.scheme().is_some() || parts.uri.authority().is_some() {
        return Ok((reject(400, "request target must be a path"), None));
    }
    // hyper's buffer limit bounds memory but may let a head a little over
    // it through; the documented limit is this one.
    let head_bytes = parts.method.as_str().len()
        + parts.uri.to_string().len()
        + parts
            .headers
            .iter()
            .map(|(n, v)| n.as_str().len() + v.len() + 4)
            .sum::<usize>();
    if head_bytes > MAX_HEAD_BYTES {
        return Ok((reject(431, "request head too large"), None));
    }
    if body.size_hint().lower() > MAX_BODY_BYTES as u64 {
        return Ok((reject(413, "request body too large"), None));
    }
    let body = match tokio::time::timeout(IO_TIMEOUT, Limited::new(body, MAX_BODY_BYTES).collect())
        .await
    {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return Ok((reject(413, "request body too large"), None))
        }
        // The client went away or stalled mid-body: nobody to answer.
        Ok(Err(_)) | Err(_) => return Err(Dropped),
    };
    let req = Request {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).trim().to_string();
                (name.as_str().to_string(), value)
            })
            .collect(),
        body: body.to_vec(),
    };

    // Hooks and the browser's icon probe are neither faulted nor recorded.
    let hook = req.path.starts_with("/__emulator/") || req.path == "/favicon.ico";
    // Preflights never consume a fault: a test that queues one fault for
    // the next API call from a browser means the call, not its preflight.
    let fault = if hook || req.method == "OPTIONS" {
        None
    } else {
        tenant.take_fault(&req.path)
    };
    let fault_name = fault.as_ref().map(FaultMode::name);
    if !hook {
        tenant.record(&req, fault_name);
    }

    let mut trickle = None;
    let response = match fault {
        None => routes::handle(tenant, &req),
        Some(FaultMode::Trickle(ms)) => {
            trickle = Some(Duration::from_millis(ms));
            routes::handle(tenant, &req)
        }
        Some(FaultMode::Delay(ms)) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            routes::handle(tenant, &req)
        }
        Some(FaultMode::Close) => {
            log(&format!("{} -> closed (fault close)", describe(&req)));
            return Err(Dropped);
        }
        Some(FaultMode::Status {
            status,
            retry_after,
            message,
        }) => {
            let resp = Response::json(status, &json!({"code": status, "message": message}));
            match retry_after {
                Some(value) => resp.header("Retry-After", &value),
                None => resp,
            }
        }
        Some(FaultMode::NonJson) => Response::html(
            200,
            "<!doctype html><html><head><title>Bad gateway</title></head>\
             <body><h1>Simulated non-JSON answer</h1><p>Local GenAuth tenant fault injection.</p></body></html>\n"
                .to_string(),
        ),
        Some(FaultMode::ApiCode { code, message }) => {
            Response::json(200, &json!({"code": code, "message": message}))
        }
    };
    let response = routes::with_cors(tenant, &req, response);
    let fault_note = match fault_name {
        Some(name) => format!(" (fault {name})"),
        None => String::new(),
    };
    log(&format!(
        "{} -> {}{fault_note}",
        describe(&req),
        response.status
    ));
    Ok((response, trickle))
}

/// A request the tenant will not read further.
fn reject(status: u16, message: &str) -> Response {
    log(&format!("- (unreadable request: {message}) -> {status}"));
    Response::json(status, &json!({"code": status, "message": message}))
}

/// A response body: all at once, or one byte per pause (the `trickle`
/// fault). Its length is known either way, so the head says
/// `Content-Length` and a client sees a well-formed answer arrive slowly.
enum Payload {
    Whole(Full<Bytes>),
    Trickle {
        rest: Bytes,
        pause: Duration,
        timer: Option<Pin<Box<tokio::time::Sleep>>>,
    },
}

impl Body for Payload {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Payload::Whole(full) => Pin::new(full).poll_frame(cx),
            Payload::Trickle { rest, pause, timer } => {
                if rest.is_empty() {
                    return Poll::Ready(None);
                }
                let sleep = timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(*pause)));
                if sleep.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                *timer = None;
                Poll::Ready(Some(Ok(Frame::data(rest.split_to(1)))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Payload::Whole(full) => full.is_end_stream(),
            Payload::Trickle { rest, .. } => rest.is_empty(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Payload::Whole(full) => full.size_hint(),
            Payload::Trickle { rest, .. } => SizeHint::with_exact(rest.len() as u64),
        }
    }
}

/// The answer for hyper, with the headers every answer carries. Header
/// fields whose name or value holds a control character are dropped rather
/// than written, so a value that came from a request can never split the
/// response.
fn into_hyper(response: Response, trickle: Option<Duration>) -> hyper::Response<Payload> {
    let body = Bytes::from(response.body);
    let payload = match trickle {
        Some(pause) => Payload::Trickle {
            rest: body,
            pause,
            timer: None,
        },
        None => Payload::Whole(Full::new(body)),
    };
    let mut out = hyper::Response::new(payload);
    *out.status_mut() =
        hyper::StatusCode::from_u16(response.status).unwrap_or(hyper::StatusCode::OK);
    let headers = out.headers_mut();
    let fixed = [
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
        ("connection", "close"),
    ];
    let fields = response
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .chain(fixed);
    for (name, value) in fields {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            headers.append(name, value);
        }
    }
    out
}

/// `METHOD /path?name=…&name=…`: parameter values never reach the log, as
/// they can hold ID tokens; headers and bodies never do either.
fn describe(req: &Request) -> String {
    let clean = |s: &str, max: usize| -> String {
        s.chars()
            .filter(|c| !c.is_control())
            .take(max)
            .collect::<String>()
    };
    let mut line = format!("{} {}", clean(&req.method, 16), clean(&req.path, 200));
    let names: Vec<String> = parse_form(req.query.as_bytes())
        .into_iter()
        .map(|(name, _)| format!("{}=…", clean(&name, 40)))
        .collect();
    if !names.is_empty() {
        line.push('?');
        line.push_str(&names.join("&"));
    }
    line
}

/// Writes one line on stdout and flushes (tests read it through a pipe).
pub fn log(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
