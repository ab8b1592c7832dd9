//! Queued misbehaviour for tests (`POST /__emulator/faults`).
//!
//! A fault applies to the next `times` requests whose path starts with
//! `path_prefix`. Test hooks under `/__emulator/` are never affected, so a
//! test can always reset.

use serde_json::Value;

/// What the server does instead of (or before) answering normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultMode {
    /// Sleep this many milliseconds, then answer normally.
    Delay(u64),
    /// Read the request, then close the connection without answering.
    Close,
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

impl Fault {
    /// Parses the JSON body of `POST /__emulator/faults`.
    pub fn from_json(v: &Value) -> Result<Fault, String> {
        let obj = v.as_object().ok_or("fault must be a JSON object")?;
        const KEYS: [&str; 8] = [
            "path_prefix",
            "times",
            "mode",
            "delay_ms",
            "status",
            "retry_after",
            "api_code",
            "message",
        ];
        if let Some(k) = obj.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(format!("unknown key {k:?}"));
        }
        let path_prefix = match obj.get("path_prefix") {
            None => "/api/".to_string(),
            Some(p) => match p.as_str() {
                Some(p) if p.starts_with('/') => p.to_string(),
                _ => return Err("path_prefix must be a string starting with /".into()),
            },
        };
        let times = match obj.get("times") {
            None => 1,
            Some(t) => match t.as_u64() {
                Some(t) if (1..=1000).contains(&t) => t as u32,
                _ => return Err("times must be an integer from 1 to 1000".into()),
            },
        };
        let message = match obj.get("message") {
            None => None,
            Some(m) => Some(m.as_str().ok_or("message must be a string")?.to_string()),
        };
        let mode = match obj.get("mode").and_then(Value::as_str) {
            Some("delay") => {
                let ms = match obj.get("delay_ms") {
                    None => 1000,
                    Some(d) => d
                        .as_u64()
                        .filter(|d| *d <= MAX_DELAY_MS)
                        .ok_or("delay_ms must be an integer from 0 to 60000")?,
                };
                FaultMode::Delay(ms)
            }
            Some("close") => FaultMode::Close,
            Some("status") => {
                let status = match obj.get("status") {
                    None => 503,
                    Some(s) => s
                        .as_u64()
                        .filter(|s| (200..=599).contains(s))
                        .ok_or("status must be an integer from 200 to 599")?
                        as u16,
                };
                let retry_after = match obj.get("retry_after") {
                    None | Some(Value::Null) => None,
                    Some(Value::Number(n)) => Some(
                        n.as_u64()
                            .ok_or("retry_after must be a non-negative integer or a string")?
                            .to_string(),
                    ),
                    Some(Value::String(s))
                        if !s.is_empty() && !s.chars().any(|c| c.is_control()) =>
                    {
                        Some(s.clone())
                    }
                    Some(_) => {
                        return Err("retry_after must be a non-negative integer or a string".into())
                    }
                };
                let message = message
                    .clone()
                    .unwrap_or_else(|| crate::http::reason(status).to_string());
                FaultMode::Status {
                    status,
                    retry_after,
                    message,
                }
            }
            Some("non_json") => FaultMode::NonJson,
            Some("api_code") => FaultMode::ApiCode {
                code: match obj.get("api_code") {
                    None => 500,
                    Some(c) => c.as_i64().ok_or("api_code must be an integer")?,
                },
                message: message
                    .clone()
                    .unwrap_or_else(|| "Simulated API error".to_string()),
            },
            _ => return Err("mode must be one of delay, close, status, non_json, api_code".into()),
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
            json!({"mode":"close","extra":1}),
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
