//! The blocking `admin::AdminClient` (feature `admin-client`) against a
//! scripted HTTP server on a loopback port the OS picks: the request on the
//! wire, retries with `Retry-After`, no retry on 4xx, connection closes,
//! the time limit and redirects.
#![cfg(all(feature = "admin-client", not(target_arch = "wasm32")))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use genauth_logout::admin::{AdminClient, AdminConfig};
use genauth_logout::{AppDomain, ErrorCode};

/// What the server does with one connection.
enum Step {
    Answer(&'static str),
    Close,
    Delay(u64, &'static str),
}

struct Server {
    origin: String,
    seen: Arc<Mutex<Vec<String>>>,
}

const OK: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 50\r\nconnection: close\r\n\r\n{\"code\":200,\"message\":\"Forced offline successful\"}";

/// Serves `steps` in order, one per connection, recording each raw request.
fn serve(steps: Vec<Step>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    thread::spawn(move || {
        for step in steps {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            head.push_str(&String::from_utf8_lossy(&body));
            log.lock().expect("log").push(head);
            let mut stream = reader.into_inner();
            match step {
                Step::Answer(raw) => {
                    let _ = stream.write_all(raw.as_bytes());
                }
                Step::Close => {}
                Step::Delay(ms, raw) => {
                    thread::sleep(Duration::from_millis(ms));
                    let _ = stream.write_all(raw.as_bytes());
                }
            }
        }
    });
    Server { origin, seen }
}

fn client(server: &Server, timeout_ms: u32, retries: u32) -> AdminClient {
    let config = AdminConfig::new(
        AppDomain::parse(&server.origin).expect("domain"),
        "pool-1",
        "s3cret-token",
    )
    .and_then(|c| c.with_timeout_ms(timeout_ms))
    .and_then(|c| c.with_retries(retries))
    .expect("config");
    AdminClient::new(config)
}

fn requests(server: &Server) -> Vec<String> {
    server.seen.lock().expect("log").clone()
}

#[test]
fn sends_the_documented_request_and_reads_the_answer() {
    let server = serve(vec![Step::Answer(OK)]);
    let answer = client(&server, 5_000, 2)
        .kick_active_users("a/b é", &["u\"1", "u2"])
        .expect("success");
    assert_eq!(answer.message, "Forced offline successful");
    let seen = requests(&server);
    assert_eq!(seen.len(), 1);
    let req = seen[0].to_ascii_lowercase();
    assert!(
        seen[0].starts_with("POST /api/applications/a%2Fb%20%C3%A9/kick-active-users HTTP/1.1\r\n"),
        "{}",
        seen[0]
    );
    assert!(req.contains("\r\ncontent-type: application/json\r\n"));
    assert!(req.contains("\r\nx-authing-userpool-id: pool-1\r\n"));
    assert!(seen[0].contains("\r\nauthorization: Bearer s3cret-token\r\n"));
    assert!(seen[0].ends_with("\r\n\r\n{\"userIds\":[\"u\\\"1\",\"u2\"],\"appId\":\"a/b é\"}"));
}

#[test]
fn honours_retry_after_on_503_then_succeeds() {
    let server = serve(vec![
        Step::Answer("HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"),
        Step::Answer(OK),
    ]);
    let started = Instant::now();
    let answer = client(&server, 5_000, 2).kick_active_users("app", &["u"]);
    assert_eq!(answer.map(|a| a.code), Ok(200));
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(requests(&server).len(), 2);
}

#[test]
fn never_retries_a_4xx() {
    let server = serve(vec![
        Step::Answer("HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 41\r\nconnection: close\r\n\r\n{\"code\":401,\"message\":\"bad s3cret-token\"}"),
        Step::Answer(OK),
    ]);
    let err = client(&server, 5_000, 3)
        .kick_active_users("app", &["u"])
        .expect_err("401");
    assert_eq!(
        (err.code(), err.http_status(), err.api_error_code()),
        (ErrorCode::HttpError, Some(401), Some(401))
    );
    assert!(!err.to_string().contains("s3cret"), "{err}");
    assert_eq!(requests(&server).len(), 1);
}

#[test]
fn closed_connections_are_retried_then_network_error() {
    let server = serve(vec![
        Step::Close,
        Step::Close,
        Step::Close,
        Step::Answer(OK),
    ]);
    let err = client(&server, 5_000, 2)
        .kick_active_users("app", &["u"])
        .expect_err("closed");
    assert_eq!(err.code(), ErrorCode::NetworkError);
    assert_eq!(requests(&server).len(), 3);
}

#[test]
fn an_answer_past_the_time_limit_is_a_timeout() {
    let server = serve(vec![Step::Delay(3_000, OK)]);
    let started = Instant::now();
    let err = client(&server, 400, 2)
        .kick_active_users("app", &["u"])
        .expect_err("timeout");
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert!(started.elapsed() < Duration::from_millis(2_000));
}

#[test]
fn does_not_follow_redirects() {
    let server = serve(vec![Step::Answer(
        "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:9/\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
    )]);
    let err = client(&server, 5_000, 2)
        .kick_active_users("app", &["u"])
        .expect_err("redirect");
    assert_eq!(
        (err.code(), err.http_status()),
        (ErrorCode::HttpError, Some(307))
    );
    assert_eq!(requests(&server).len(), 1);
}

#[test]
fn refuses_dot_segment_app_ids_before_any_request() {
    let server = serve(vec![Step::Answer(OK), Step::Answer(OK)]);
    let client = client(&server, 5_000, 0);
    for app in [".", ".."] {
        let err = client.kick_active_users(app, &["u"]).expect_err(app);
        assert_eq!(err.code(), ErrorCode::InvalidOption, "{app}");
    }
    assert!(requests(&server).is_empty());
    // What only looks like a dot segment is sent, encoded into one segment.
    client.kick_active_users("%2e%2E", &["u"]).expect("sent");
    let seen = requests(&server);
    assert!(
        seen[0].starts_with("POST /api/applications/%252e%252E/kick-active-users HTTP/1.1\r\n"),
        "{}",
        seen[0]
    );
}

#[test]
fn reads_the_answer_as_json_parse_does_after_a_byte_order_mark() {
    // fetch's text() drops one leading BOM; the blocking client does too,
    // and then reads `2.00E+2` as the number 200.
    const BODY: &str = "\u{feff}{\"code\":2.00E+2,\"code\":200.0}";
    let raw: &'static str = Box::leak(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{BODY}",
            BODY.len()
        )
        .into_boxed_str(),
    );
    let server = serve(vec![Step::Answer(raw)]);
    let answer = client(&server, 5_000, 0).kick_active_users("app", &["u"]);
    assert_eq!(answer.map(|a| a.code), Ok(200));
}
