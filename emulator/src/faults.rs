//! Queued misbehaviour for tests (`POST /__emulator/faults`).
//!
//! A fault applies to the next `times` requests whose path starts with
//! `path_prefix`. Test hooks under `/__emulator/` are never affected, so a
//! test can always reset.

use serde::Deserialize;
use serde_json::Value;

/// What the server does instead of (or before) answering normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultMode {
    /// Sleep this many milliseconds, then answer normally.
    Delay(u64),
    /// Read the request, then close the connection without answering.
    Close,
    /// Answer normally, but send the body one byte at a time with this many
    /// milliseconds before each (the head goes at once): a server that
    /// starts answering and then hangs.
    Trickle(u64),
    /// Answer this HTTP status with `{"code":status,"message":…}` and an
    /// optional `Retry-After` header value.
    Status {
        /// HTTP status code.
        status: u16,
        /// `Retry-After` header value, when given.
        retry_after: Option<String>,
        /// Body message.
        message: String,
    },
    /// Answer HTTP 200 with an HTML body (a proxy's error page, say).
    NonJson,
    /// Answer HTTP 200 with `{"code":api_code,"message":message}`.
    ApiCode {
        /// The body `code`.
        code: i64,
        /// The body `message`.
        message: String,
    },
}

impl FaultMode {
    /// Short name used in logs and request records.
    pub fn name(&self) -> &'static str {
        match self {
            FaultMode::Delay(_) => "delay",
            FaultMode::Close => "close",
            FaultMode::Trickle(_) => "trickle",
            FaultMode::Status { .. } => "status",
            FaultMode::NonJson => "non_json",
            FaultMode::ApiCode { .. } => "api_code",
        }
    }
}

/// One queued fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Requests whose path starts with this are affected.
    pub path_prefix: String,
    /// How many more requests it applies to.
    pub remaining: u32,
    /// The misbehaviour.
    pub mode: FaultMode,
}

/// Longest delay a test may ask for, so a forgotten fault can't hang CI.
const MAX_DELAY_MS: u64 = 60_000;

/// A fault as a test writes it (`POST /__emulator/faults`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultSpec {
    path_prefix: Option<String>,
    times: Option<u64>,
    mode: Option<String>,
    delay_ms: Option<u64>,
    status: Option<u64>,
    retry_after: Option<RetryAfter>,
    api_code: Option<i64>,
    message: Option<String>,
}

/// `retry_after` as seconds or as a header value written out (an HTTP date).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RetryAfter {
    Seconds(u64),
    Text(String),
}

impl Fault {
    /// Parses one fault of the JSON body of `POST /__emulator/faults`.
    pub fn from_json(v: &Value) -> Result<Fault, String> {
        let spec = FaultSpec::deserialize(v).map_err(|e| e.to_string())?;
        let path_prefix = match spec.path_prefix {
            None => "/api/".to_string(),
            Some(p) if p.starts_with('/') => p,
            Some(_) => return Err("path_prefix must be a string starting with /".into()),
        };
        let times = match spec.times {
            None => 1,
            Some(t @ 1..=1000) => t as u32,
            Some(_) => return Err("times must be an integer from 1 to 1000".into()),
        };
        let mode = match spec.mode.as_deref() {
            Some("delay") => match spec.delay_ms {
                None => FaultMode::Delay(1000),
                Some(ms) if ms <= MAX_DELAY_MS => FaultMode::Delay(ms),
                Some(_) => return Err("delay_ms must be an integer from 0 to 60000".into()),
            },
            Some("close") => FaultMode::Close,
            Some("trickle") => match spec.delay_ms {
                None => FaultMode::Trickle(200),
                Some(ms @ 1..=MAX_DELAY_MS) => FaultMode::Trickle(ms),
                Some(_) => return Err("delay_ms must be an integer from 1 to 60000".into()),
            },
            Some("status") => {
                let status = match spec.status {
                    None => 503,
                    Some(s @ 200..=599) => s as u16,
                    Some(_) => return Err("status must be an integer from 200 to 599".into()),
                };
                let retry_after = match spec.retry_after {
                    None => None,
                    Some(RetryAfter::Seconds(n)) => Some(n.to_string()),
                    Some(RetryAfter::Text(s))
                        if !s.is_empty() && !s.chars().any(|c| c.is_control()) =>
                    {
                        Some(s)
                    }
                    Some(RetryAfter::Text(_)) => {
                        return Err("retry_after must be a non-negative integer or a string".into())
                    }
                };
                FaultMode::Status {
                    status,
                    retry_after,
                    message: spec
                        .message
                        .unwrap_or_else(|| crate::message::reason(status).to_string()),
                }
            }
            Some("non_json") => FaultMode::NonJson,
            Some("api_code") => FaultMode::ApiCode {
                code: spec.api_code.unwrap_or(500),
                message: spec
                    .message
                    .unwrap_or_else(|| "Simulated API error".to_string()),
            },
            _ => {
                return Err(
                    "mode must be one of delay, close, trickle, status, non_json, api_code".into(),
                )
            }
        };
        Ok(Fault {
            path_prefix,
            remaining: times,
            mode,
        })
    }
}

/// Takes one use of the first queued fault that matches `path`, if any.
pub fn take_matching(queue: &mut Vec<Fault>, path: &str) -> Option<FaultMode> {
    if path.starts_with("/__emulator/") {
        return None;
    }
    let index = queue
        .iter()
        .position(|f| path.starts_with(&f.path_prefix))?;
    let fault = &mut queue[index];
    let mode = fault.mode.clone();
    fault.remaining = fault.remaining.saturating_sub(1);
    if fault.remaining == 0 {
        queue.remove(index);
    }
    Some(mode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_each_mode() {
        let f = Fault::from_json(&json!({"mode":"status","status":503,"retry_after":2,"times":2}))
            .expect("valid");
        assert_eq!(f.remaining, 2);
        assert_eq!(f.path_prefix, "/api/");
        assert_eq!(
            f.mode,
            FaultMode::Status {
                status: 503,
                retry_after: Some("2".into()),
                message: "Service Unavailable".into()
            }
        );
        assert_eq!(
            Fault::from_json(&json!({"mode":"delay","delay_ms":5})).map(|f| f.mode),
            Ok(FaultMode::Delay(5))
        );
        assert_eq!(
            Fault::from_json(&json!({"mode":"trickle"})).map(|f| f.mode),
            Ok(FaultMode::Trickle(200))
        );
        assert_eq!(
            Fault::from_json(&json!({"mode":"api_code","api_code":403,"message":"no"}))
                .map(|f| f.mode),
            Ok(FaultMode::ApiCode {
                code: 403,
                message: "no".into()
            })
        );
        for bad in [
            json!({"mode":"explode"}),
            json!({"mode":"close","times":0}),
            json!({"mode":"close","path_prefix":"api"}),
            json!({"mode":"status","status":99}),
            json!({"mode":"delay","delay_ms":600000}),
            json!({"mode":"trickle","delay_ms":0}),
            json!({"mode":"close","extra":1}),
            json!({"mode":"close","times":1.5}),
            json!({"mode":"status","retry_after":-1}),
            json!({"mode":"status","retry_after":""}),
            json!({"mode":"api_code","message":7}),
            json!("close"),
        ] {
            assert!(Fault::from_json(&bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn applies_times_then_stops() {
        let mut q = vec![Fault {
            path_prefix: "/api/".into(),
            remaining: 2,
            mode: FaultMode::Close,
        }];
        assert_eq!(take_matching(&mut q, "/login"), None);
        assert_eq!(take_matching(&mut q, "/__emulator/reset"), None);
        assert_eq!(take_matching(&mut q, "/api/me"), Some(FaultMode::Close));
        assert_eq!(take_matching(&mut q, "/api/x"), Some(FaultMode::Close));
        assert_eq!(take_matching(&mut q, "/api/x"), None);
        assert!(q.is_empty());
    }
}
