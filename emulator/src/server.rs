//! Accepts connections (one thread each), applies queued faults, answers,
//! and writes one log line per request on stdout.

use crate::faults::FaultMode;
use crate::http::{parse_form, read_request, write_response, ReadError, Request, Response};
use crate::routes;
use crate::tenant::Tenant;
use serde_json::json;
use std::io::{self, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// Connections handled at once; more are answered 503 straight away.
const MAX_CONNECTIONS: usize = 128;
/// How long a client may take to send its request or read the answer.
const IO_TIMEOUT: Duration = Duration::from_secs(15);

/// Serves `tenant` on `listener` until the process ends.
pub fn serve(listener: TcpListener, tenant: Arc<Tenant>) -> io::Result<()> {
    let active = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        let mut stream = match conn {
            Ok(s) => s,
            Err(e) => {
                // E.g. out of file descriptors: back off instead of spinning.
                eprintln!("genauth-emulator: accept failed: {e}");
                thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_response(
                &mut stream,
                &Response::json(
                    503,
                    &json!({"code": 503, "message": "Too many connections"}),
                )
                .header("Retry-After", "1"),
            );
            continue;
        }
        let tenant = Arc::clone(&tenant);
        let active = Arc::clone(&active);
        let spawned = thread::Builder::new()
            .name("genauth-emulator-conn".into())
            .spawn(move || {
                handle_connection(&tenant, stream);
                active.fetch_sub(1, Ordering::SeqCst);
            });
        if let Err(e) = spawned {
            eprintln!("genauth-emulator: cannot start a thread: {e}");
        }
    }
    Ok(())
}

fn handle_connection(tenant: &Tenant, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let req = match read_request(&mut stream) {
        Ok(req) => req,
        Err(ReadError::Closed) | Err(ReadError::Io(_)) => return,
        Err(ReadError::Reject(status, message)) => {
            let _ = write_response(
                &mut stream,
                &Response::json(status, &json!({"code": status, "message": message})),
            );
            log(&format!("- (unreadable request: {message}) -> {status}"));
            linger(&mut stream);
            return;
        }
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

    let response = match fault {
        None => routes::handle(tenant, &req),
        Some(FaultMode::Delay(ms)) => {
            thread::sleep(Duration::from_millis(ms));
            routes::handle(tenant, &req)
        }
        Some(FaultMode::Close) => {
            let _ = stream.shutdown(Shutdown::Both);
            log(&format!("{} -> closed (fault close)", describe(&req)));
            return;
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
    let outcome = match write_response(&mut stream, &response) {
        Ok(()) => String::new(),
        Err(_) => " (client gone)".to_string(),
    };
    let fault_note = match fault_name {
        Some(name) => format!(" (fault {name})"),
        None => String::new(),
    };
    log(&format!(
        "{} -> {}{fault_note}{outcome}",
        describe(&req),
        response.status
    ));
}

/// Closes after an early answer without losing it: unread input at close
/// makes the kernel send a reset, which can discard the answer on the
/// client's side, so stop writing and drain what the client still sends.
fn linger(stream: &mut TcpStream) {
    use std::io::Read;
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 8192];
    let mut drained = 0usize;
    while drained < 4 * 1024 * 1024 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
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
    let names: Vec<String> = parse_form(&req.query)
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
