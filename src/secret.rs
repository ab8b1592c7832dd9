//! A string that must never be shown: a token or a client secret.
//!
//! Tokens and client secrets travel only where they must (a form body, an
//! `Authorization` header). Everything else a program does with a value —
//! `{:?}` in a log line, an error message, a panic message of a test —
//! goes through `Debug` or `Display`, so [`Secret`] writes `[redacted]` for
//! `Debug` and has no `Display` at all: showing the value takes an explicit
//! [`Secret::expose`], which is easy to find in review.

use alloc::string::String;
use core::fmt;

/// A secret string (a token, a client secret, a request body holding one).
///
/// ```
/// use genauth_logout::Secret;
/// let secret = Secret::new("s3cr3t".into());
/// assert_eq!(format!("{secret:?}"), "[redacted]");
/// assert_eq!(secret.expose(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Replaces every occurrence of this secret in `text` with `[redacted]`
    /// (for a server's message that echoes what it was sent). An empty
    /// secret redacts nothing.
    pub fn redact_in(&self, text: &mut String) {
        if !self.0.is_empty() && text.contains(self.0.as_str()) {
            *text = text.replace(self.0.as_str(), "[redacted]");
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new(String::from("tok-123"));
        assert_eq!(alloc::format!("{s:?}"), "[redacted]");
        assert_eq!(alloc::format!("{:?}", Some(&s)), "Some([redacted])");
    }

    #[test]
    fn redacts_every_occurrence() {
        let s = Secret::new(String::from("tok"));
        let mut text = String::from("tok and tok again");
        s.redact_in(&mut text);
        assert_eq!(text, "[redacted] and [redacted] again");
        let empty = Secret::new(String::new());
        let mut text = String::from("unchanged");
        empty.redact_in(&mut text);
        assert_eq!(text, "unchanged");
    }
}
