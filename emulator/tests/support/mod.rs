//! Runs the real `genauth-emulator` binary on an OS-picked loopback port and
//! talks raw HTTP/1.1 to it over `TcpStream` (no client crate), so the
//! tests see exactly the bytes a server sends.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Path of the binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_genauth-emulator");

/// A running emulator process, killed on drop.
pub struct Emulator {
    child: Child,
    /// Port it listens on.
    pub port: u16,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The first stdout line.
    pub banner: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Emulator {
    /// Starts the binary with `args` and waits (at most 20 s) for its first line.
    pub fn start(args: &[&str]) -> Emulator {
        let mut child = Command::new(BIN)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start genauth-emulator");
        let stdout = child.stdout.take().expect("stdout is piped");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (first_tx, first_rx) = mpsc::channel();
        let sink = Arc::clone(&log);
        // Keep draining stdout so the server never blocks on a full pipe.
        thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(first)) = lines.next() {
                let _ = first_tx.send(first);
            }
            for line in lines.map_while(Result::ok) {
                sink.lock().expect("log lock").push(line);
            }
        });
        let banner = match first_rx.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("genauth-emulator printed no first line");
            }
        };
        let prefix = "genauth-emulator listening on http://127.0.0.1:";
        let port: u16 = banner
            .strip_prefix(prefix)
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {banner:?}"));
        Emulator {
            child,
            port,
            base: format!("http://127.0.0.1:{port}"),
            banner,
            log,
        }
    }

    /// Log lines printed after the banner so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }

    /// Waits until at least `n` log lines have been printed (the server logs after answering).
    pub fn wait_for_log_lines(&self, n: usize) -> Vec<String> {
        for _ in 0..200 {
            let lines = self.log_lines();
            if lines.len() >= n {
                return lines;
            }
            thread::sleep(Duration::from_millis(10));
        }
        self.log_lines()
    }

    /// Sends raw bytes; `None` when the server closed without answering.
    pub fn raw(&self, request: &[u8]) -> Option<HttpResponse> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        // The server may answer (413, 431) before reading everything.
        let _ = stream.write_all(request);
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        if bytes.is_empty() {
            return None;
        }
        Some(HttpResponse::parse(&bytes))
    }

    /// Sends a request with a `Content-Length` body; `None` when the server closed without answering.
    pub fn try_send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Option<HttpResponse> {
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n",
            self.port
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("Connection: close\r\n\r\n");
        let mut raw = head.into_bytes();
        raw.extend_from_slice(body);
        self.raw(&raw)
    }

    /// Like [`Emulator::try_send`] but the server must answer.
    pub fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> HttpResponse {
        self.try_send(method, target, headers, body)
            .unwrap_or_else(|| panic!("no answer to {method} {target}"))
    }

    /// `GET target`.
    pub fn get(&self, target: &str, headers: &[(&str, &str)]) -> HttpResponse {
        self.send("GET", target, headers, b"")
    }

    /// `POST` an `application/x-www-form-urlencoded` body.
    pub fn post_form(&self, target: &str, headers: &[(&str, &str)], form: &str) -> HttpResponse {
        let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        self.send("POST", target, &all, form.as_bytes())
    }

    /// `POST` a JSON body.
    pub fn post_json(&self, target: &str, headers: &[(&str, &str)], json: &str) -> HttpResponse {
        let mut all = vec![("Content-Type", "application/json")];
        all.extend_from_slice(headers);
        self.send("POST", target, &all, json.as_bytes())
    }

    /// Signs `username` in; returns the `genauth_session=<id>` cookie pair.
    pub fn sign_in(&self, username: &str, password: &str) -> String {
        let resp = self.post_form(
            "/login",
            &[],
            &format!("username={username}&password={password}"),
        );
        assert_eq!(resp.status, 200, "sign-in of {username}: {}", resp.body);
        resp.session_cookie()
            .unwrap_or_else(|| panic!("no session cookie for {username}"))
    }

    /// `GET /api/me` with `cookie`, parsed.
    pub fn me(&self, cookie: &str) -> serde_json::Value {
        let resp = self.get("/api/me", &[("Cookie", cookie)]);
        assert_eq!(resp.status, 200);
        resp.json()
    }

    /// Queues a fault; asserts it was accepted.
    pub fn fault(&self, json: &str) {
        let resp = self.post_json("/__emulator/faults", &[], json);
        assert_eq!(resp.status, 200, "fault {json} refused: {}", resp.body);
    }

    /// The recorded requests.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        match self.get("/__emulator/requests", &[]).json() {
            serde_json::Value::Array(items) => items,
            other => panic!("requests should be an array, got {other}"),
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed answer.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header fields, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body as text.
    pub body: String,
}

impl HttpResponse {
    fn parse(bytes: &[u8]) -> HttpResponse {
        let text = String::from_utf8_lossy(bytes).into_owned();
        // Skip interim 100 Continue answers.
        let mut rest = text.as_str();
        while rest.starts_with("HTTP/1.1 100") {
            rest = rest.split_once("\r\n\r\n").map(|(_, r)| r).unwrap_or("");
        }
        let (head, body) = rest
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("no head in {rest:?}"));
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or("");
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        HttpResponse {
            status,
            headers,
            body: body.to_string(),
        }
    }

    /// First value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (panics with the body when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }

    /// `genauth_session=<id>` from `Set-Cookie`, when it sets a non-empty one.
    pub fn session_cookie(&self) -> Option<String> {
        let value = self.header("set-cookie")?;
        let pair = value.split(';').next()?.trim();
        let id = pair.strip_prefix("genauth_session=")?;
        (!id.is_empty()).then(|| pair.to_string())
    }
}

/// Percent-encodes like JavaScript's `encodeURIComponent` (the core crate's).
pub use genauth_logout::encode_uri_component as encode;

/// A unique temporary file path for this test process.
pub fn temp_path(name: &str) -> std::path::PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    std::env::temp_dir().join(format!(
        "genauth-emulator-test-{}-{}-{name}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ))
}
