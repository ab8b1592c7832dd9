//! The tenant's mutable state: browser sessions, queued faults and the
//! request record kept for tests. Everything lives in memory.

use crate::config::{TenantConfig, User};
use crate::faults::{self, Fault, FaultMode};
use crate::http::Request;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

/// Name of the session cookie set by the sign-in page.
pub const SESSION_COOKIE: &str = "genauth_session";

/// How many requests `/__emulator/requests` remembers (oldest dropped first).
const MAX_RECORDS: usize = 1000;

/// A request as remembered for `GET /__emulator/requests`.
#[derive(Debug, Clone)]
pub struct Record {
    /// Method.
    pub method: String,
    /// Path, still percent-encoded.
    pub path: String,
    /// Raw query string (no `?`).
    pub query: String,
    /// Header fields, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body as text (invalid UTF-8 replaced).
    pub body: String,
    /// The fault applied to this request, if any.
    pub fault: Option<&'static str>,
}

impl Record {
    /// JSON form: repeated header fields are joined with `", "`.
    pub fn to_json(&self) -> Value {
        let mut headers = Map::new();
        for (name, value) in &self.headers {
            let joined = match headers.get(name).and_then(Value::as_str) {
                Some(prev) => format!("{prev}, {value}"),
                None => value.clone(),
            };
            headers.insert(name.clone(), Value::String(joined));
        }
        json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": headers,
            "body": self.body,
            "fault": self.fault,
        })
    }
}

/// One user pool's running state.
#[derive(Debug)]
pub struct Tenant {
    /// The configuration it was started with.
    pub config: TenantConfig,
    sessions: Mutex<HashMap<String, String>>,
    faults: Mutex<Vec<Fault>>,
    records: Mutex<VecDeque<Record>>,
}

/// Locks a mutex, carrying on after a panic elsewhere (the data stays usable).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Tenant {
    /// A tenant with no sessions, faults or records.
    pub fn new(config: TenantConfig) -> Self {
        Tenant {
            config,
            sessions: Mutex::new(HashMap::new()),
            faults: Mutex::new(Vec::new()),
            records: Mutex::new(VecDeque::new()),
        }
    }

    /// Starts a session for `user_id`; returns the new session id.
    pub fn create_session(&self, user_id: &str) -> String {
        let id = new_session_id();
        lock(&self.sessions).insert(id.clone(), user_id.to_string());
        id
    }

    /// The signed-in user of the request's session cookie.
    pub fn session_user(&self, req: &Request) -> Option<&User> {
        let sid = req.cookie(SESSION_COOKIE)?;
        let user_id = lock(&self.sessions).get(&sid).cloned()?;
        self.config.user(&user_id)
    }

    /// Ends the request's session, if it has one.
    pub fn end_session(&self, req: &Request) {
        if let Some(sid) = req.cookie(SESSION_COOKIE) {
            lock(&self.sessions).remove(&sid);
        }
    }

    /// Ends every session of these users; returns how many ended.
    pub fn kick_users(&self, user_ids: &[String]) -> usize {
        let mut sessions = lock(&self.sessions);
        let before = sessions.len();
        sessions.retain(|_, user| !user_ids.contains(user));
        before - sessions.len()
    }

    /// User ids of the live sessions, sorted (one entry per session).
    pub fn session_users(&self) -> Vec<String> {
        let mut users: Vec<String> = lock(&self.sessions).values().cloned().collect();
        users.sort();
        users
    }

    /// Queues a fault.
    pub fn add_fault(&self, fault: Fault) -> usize {
        let mut faults = lock(&self.faults);
        faults.push(fault);
        faults.len()
    }

    /// Takes one use of the first fault matching `path`.
    pub fn take_fault(&self, path: &str) -> Option<FaultMode> {
        faults::take_matching(&mut lock(&self.faults), path)
    }

    /// Remembers a request for `/__emulator/requests`.
    pub fn record(&self, req: &Request, fault: Option<&'static str>) {
        let mut records = lock(&self.records);
        if records.len() >= MAX_RECORDS {
            records.pop_front();
        }
        records.push_back(Record {
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers: req.headers.clone(),
            body: String::from_utf8_lossy(&req.body).into_owned(),
            fault,
        });
    }

    /// The remembered requests whose path starts with `prefix`, oldest first.
    pub fn records(&self, prefix: &str) -> Vec<Record> {
        lock(&self.records)
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// Clears faults and records (sessions stay).
    pub fn reset(&self) {
        lock(&self.faults).clear();
        lock(&self.records).clear();
    }
}

/// 128 random bits as hex: from the OS when it can, else from std's
/// randomly keyed hasher. Good enough for a loopback test tenant.
fn new_session_id() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !from_os {
        use std::hash::{BuildHasher, Hasher};
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        for half in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
            if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
                h.write_u128(t.as_nanos());
            }
            half.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_unique_hex() {
        let a = new_session_id();
        let b = new_session_id();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn kicking_ends_only_the_listed_users() {
        let t = Tenant::new(TenantConfig::default());
        t.create_session("user-alice");
        t.create_session("user-alice");
        t.create_session("user-bob");
        assert_eq!(t.kick_users(&["user-alice".into(), "nobody".into()]), 2);
        assert_eq!(t.session_users(), vec!["user-bob".to_string()]);
    }
}
