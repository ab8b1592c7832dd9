//! The tenant's mutable state: browser sessions, authorization codes,
//! access and refresh tokens, queued faults and the request record kept for
//! tests. Everything lives in memory.

use crate::config::{TenantConfig, User};
use crate::faults::{self, Fault, FaultMode};
use crate::message::Request;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Name of the session cookie set by the sign-in page.
pub const SESSION_COOKIE: &str = "genauth_session";

/// How many requests `/__emulator/requests` remembers (oldest dropped first).
const MAX_RECORDS: usize = 1000;

/// Lifetime of an access token (refresh tokens live until revoked).
pub const ACCESS_TOKEN_SECONDS: u64 = 3600;
/// Lifetime of an authorization code (RFC 6749 section 4.1.2 suggests at most ten minutes).
const CODE_LIFETIME: Duration = Duration::from_secs(300);
/// Tokens and codes held at once; beyond it the oldest grant goes, so a test
/// that signs in in a loop cannot grow the process without bound.
const MAX_TOKENS: usize = 10_000;

/// Which kind of token a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An access token (`Authorization: Bearer` at `/oidc/me`).
    Access,
    /// A refresh token (`grant_type=refresh_token` at `/oidc/token`).
    Refresh,
}

impl TokenKind {
    /// The RFC 7009 `token_type_hint` name of this kind.
    pub fn hint(self) -> &'static str {
        match self {
            TokenKind::Access => "access_token",
            TokenKind::Refresh => "refresh_token",
        }
    }
}

/// A live token.
#[derive(Debug, Clone)]
struct TokenEntry {
    kind: TokenKind,
    client_id: String,
    user_id: String,
    scope: String,
    /// One sign-in's refresh token and every access token it gave share
    /// this, so revoking the refresh token ends them all (RFC 7009 section 2.1).
    grant: u64,
    /// `None` for refresh tokens.
    expires: Option<Instant>,
    issued: u64,
}

/// An authorization code waiting to be exchanged at the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCode {
    /// The client it was issued to.
    pub client_id: String,
    /// The signed-in user.
    pub user_id: String,
    /// The `redirect_uri` of the authorization request (the token request must repeat it).
    pub redirect_uri: String,
    /// The requested scope, as sent.
    pub scope: String,
    /// PKCE (RFC 7636): the method (`S256` or `plain`) and the challenge.
    pub challenge: Option<(String, String)>,
}

/// Tokens answered by the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    /// The new access token.
    pub access_token: String,
    /// The refresh token: new for a sign-in, `None` when refreshing.
    pub refresh_token: Option<String>,
    /// The scope of the access token.
    pub scope: String,
}

/// What revoking a token did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    /// The token was live and is now revoked (with, for a refresh token, its access tokens).
    Revoked(TokenKind),
    /// No such live token (unknown, expired or already revoked): nothing to do.
    Unknown,
    /// The token belongs to another client and stays live.
    OtherClient,
}

/// Why a refresh token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshRefused {
    /// Not a live refresh token (unknown, revoked, or an access token).
    NotLive,
    /// A live refresh token of another client.
    OtherClient,
}

#[derive(Debug, Default)]
struct Tokens {
    live: HashMap<String, TokenEntry>,
    codes: HashMap<String, (AuthCode, Instant)>,
    next_grant: u64,
    issued: u64,
}

impl Tokens {
    fn insert(&mut self, value: String, mut entry: TokenEntry) {
        self.issued += 1;
        entry.issued = self.issued;
        if self.live.len() >= MAX_TOKENS {
            let oldest = self.live.values().map(|e| (e.issued, e.grant)).min();
            if let Some((_, grant)) = oldest {
                self.live.retain(|_, e| e.grant != grant);
            }
        }
        self.live.insert(value, entry);
    }

    fn drop_expired(&mut self, now: Instant) {
        self.live
            .retain(|_, e| !matches!(e.expires, Some(t) if t <= now));
        self.codes.retain(|_, (_, expires)| *expires > now);
    }
}

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
    tokens: Mutex<Tokens>,
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
            tokens: Mutex::new(Tokens::default()),
            faults: Mutex::new(Vec::new()),
            records: Mutex::new(VecDeque::new()),
        }
    }

    /// Starts a session for `user_id`; returns the new session id.
    pub fn create_session(&self, user_id: &str) -> String {
        let id = random_id();
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

    /// Stores an authorization code; returns its value.
    pub fn issue_code(&self, code: AuthCode) -> String {
        let value = random_id();
        let mut tokens = lock(&self.tokens);
        tokens.drop_expired(Instant::now());
        if tokens.codes.len() >= MAX_TOKENS {
            tokens.codes.clear();
        }
        tokens
            .codes
            .insert(value.clone(), (code, Instant::now() + CODE_LIFETIME));
        value
    }

    /// Takes an authorization code: each is good once, and only before it expires.
    pub fn take_code(&self, value: &str) -> Option<AuthCode> {
        let mut tokens = lock(&self.tokens);
        tokens.drop_expired(Instant::now());
        tokens.codes.remove(value).map(|(code, _)| code)
    }

    /// Starts a grant: a new refresh token and a first access token.
    pub fn issue_tokens(&self, client_id: &str, user_id: &str, scope: &str) -> IssuedTokens {
        let mut tokens = lock(&self.tokens);
        tokens.next_grant += 1;
        let grant = tokens.next_grant;
        let entry = |kind, expires| TokenEntry {
            kind,
            client_id: client_id.to_string(),
            user_id: user_id.to_string(),
            scope: scope.to_string(),
            grant,
            expires,
            issued: 0,
        };
        let refresh = token_value();
        let access = token_value();
        tokens.insert(refresh.clone(), entry(TokenKind::Refresh, None));
        tokens.insert(
            access.clone(),
            entry(TokenKind::Access, Some(access_expiry())),
        );
        IssuedTokens {
            access_token: access,
            refresh_token: Some(refresh),
            scope: scope.to_string(),
        }
    }

    /// A fresh access token for a live refresh token of `client_id`.
    pub fn refresh(
        &self,
        refresh_token: &str,
        client_id: &str,
    ) -> Result<IssuedTokens, RefreshRefused> {
        let mut tokens = lock(&self.tokens);
        tokens.drop_expired(Instant::now());
        let entry = match tokens.live.get(refresh_token) {
            Some(e) if e.kind == TokenKind::Refresh => e.clone(),
            _ => return Err(RefreshRefused::NotLive),
        };
        if entry.client_id != client_id {
            return Err(RefreshRefused::OtherClient);
        }
        let access = token_value();
        tokens.insert(
            access.clone(),
            TokenEntry {
                kind: TokenKind::Access,
                expires: Some(access_expiry()),
                ..entry.clone()
            },
        );
        Ok(IssuedTokens {
            access_token: access,
            refresh_token: None,
            scope: entry.scope,
        })
    }

    /// Revokes `token` for `client_id` (RFC 7009 section 2.1): a refresh
    /// token ends with every access token of its grant, an access token alone.
    pub fn revoke(&self, token: &str, client_id: &str) -> Revocation {
        let mut tokens = lock(&self.tokens);
        tokens.drop_expired(Instant::now());
        let Some(entry) = tokens.live.get(token).cloned() else {
            return Revocation::Unknown;
        };
        if entry.client_id != client_id {
            return Revocation::OtherClient;
        }
        match entry.kind {
            TokenKind::Refresh => tokens.live.retain(|_, e| e.grant != entry.grant),
            TokenKind::Access => {
                tokens.live.remove(token);
            }
        }
        Revocation::Revoked(entry.kind)
    }

    /// The user of a live access token.
    pub fn access_token_user(&self, token: &str) -> Option<&User> {
        let mut tokens = lock(&self.tokens);
        tokens.drop_expired(Instant::now());
        let user_id = match tokens.live.get(token) {
            Some(e) if e.kind == TokenKind::Access => e.user_id.clone(),
            _ => return None,
        };
        drop(tokens);
        self.config.user(&user_id)
    }

    /// The live tokens, without their values, for `GET /__emulator/tokens`:
    /// `{type, clientId, userId}` sorted.
    pub fn token_summaries(&self) -> Vec<Value> {
        let mut tokens = lock(&self.tokens);
        tokens.drop_expired(Instant::now());
        let mut rows: Vec<(&'static str, String, String)> = tokens
            .live
            .values()
            .map(|e| (e.kind.hint(), e.client_id.clone(), e.user_id.clone()))
            .collect();
        rows.sort();
        rows.into_iter()
            .map(|(kind, client, user)| json!({"type": kind, "clientId": client, "userId": user}))
            .collect()
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

fn access_expiry() -> Instant {
    Instant::now() + Duration::from_secs(ACCESS_TOKEN_SECONDS)
}

/// 256 random bits as hex: an opaque token value.
fn token_value() -> String {
    format!("{}{}", random_id(), random_id())
}

/// 128 random bits as hex: from the OS when it can, else from std's
/// randomly keyed hasher. Good enough for a loopback test tenant.
fn random_id() -> String {
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
        let a = random_id();
        let b = random_id();
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

    #[test]
    fn revoking_a_refresh_token_ends_its_grant_only() {
        let t = Tenant::new(TenantConfig::default());
        let one = t.issue_tokens("app-demo", "user-alice", "openid");
        let two = t.issue_tokens("app-demo", "user-alice", "openid");
        let rt = one.refresh_token.clone().expect("refresh token");
        let again = t.refresh(&rt, "app-demo").expect("live");
        assert_eq!(again.refresh_token, None);
        assert_eq!(
            t.refresh(&rt, "app-server"),
            Err(RefreshRefused::OtherClient)
        );
        assert_eq!(t.revoke(&rt, "app-server"), Revocation::OtherClient);
        assert_eq!(
            t.revoke(&rt, "app-demo"),
            Revocation::Revoked(TokenKind::Refresh)
        );
        assert_eq!(t.revoke(&rt, "app-demo"), Revocation::Unknown);
        assert_eq!(t.refresh(&rt, "app-demo"), Err(RefreshRefused::NotLive));
        assert!(t.access_token_user(&one.access_token).is_none());
        assert!(t.access_token_user(&again.access_token).is_none());
        assert_eq!(
            t.access_token_user(&two.access_token)
                .map(|u| u.id.as_str()),
            Some("user-alice")
        );
        // An access token is not a refresh token, and revoking it leaves its refresh token.
        assert_eq!(
            t.refresh(&two.access_token, "app-demo"),
            Err(RefreshRefused::NotLive)
        );
        assert_eq!(
            t.revoke(&two.access_token, "app-demo"),
            Revocation::Revoked(TokenKind::Access)
        );
        let rt2 = two.refresh_token.expect("refresh token");
        assert!(t.refresh(&rt2, "app-demo").is_ok());
        assert_eq!(t.token_summaries().len(), 2);
    }

    #[test]
    fn codes_are_single_use() {
        let t = Tenant::new(TenantConfig::default());
        let code = AuthCode {
            client_id: "app-demo".into(),
            user_id: "user-bob".into(),
            redirect_uri: "http://127.0.0.1:5173/".into(),
            scope: String::new(),
            challenge: None,
        };
        let value = t.issue_code(code.clone());
        assert_eq!(t.take_code(&value), Some(code));
        assert_eq!(t.take_code(&value), None);
    }
}
