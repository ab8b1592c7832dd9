//! The auto-submitting form page of a form-POST logout (`method: "post"`,
//! OpenID Connect RP-Initiated Logout 1.0 §2 allows a form-encoded POST to
//! the end-session endpoint, for ID tokens too long for a URL).
//!
//! A server cannot answer with a redirect that makes the browser POST, so
//! it answers with a page holding the form and one inline script that
//! submits it. The page allows that script alone, by a per-response nonce
//! (CSP Level 3, `script-src 'nonce-…'`), and nothing else.

use alloc::string::String;

use crate::error::{Error, ErrorCode, Result};
use crate::logout::{LogoutTarget, Method};

/// The shortest nonce accepted: 22 base64 characters hold 128 bits, the
/// least CSP Level 3 §7.4 recommends.
pub const MIN_NONCE_LEN: usize = 22;
/// The longest nonce accepted.
pub const MAX_NONCE_LEN: usize = 128;

/// Appends `text` to `out` escaped for a double-quoted HTML attribute value:
/// `&`, `"`, `'`, `<` and `>` as character references.
fn push_attribute(text: &str, out: &mut String) {
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        let reference = match b {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        // `run..i` ends at an ASCII byte, so both ends are char boundaries.
        out.push_str(text.get(run..i).unwrap_or(""));
        out.push_str(reference);
        run = i + 1;
    }
    out.push_str(text.get(run..).unwrap_or(""));
}

/// Whether `nonce` is a base64 or base64url value of a sensible length.
fn is_nonce(nonce: &str) -> bool {
    let body = nonce.trim_end_matches('=');
    (MIN_NONCE_LEN..=MAX_NONCE_LEN).contains(&nonce.len())
        && nonce.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'))
}

/// A form-POST logout as an HTML page that submits itself, with the
/// `Content-Security-Policy` that lets only its own script run.
///
/// Answer with status 200, `Content-Type: text/html; charset=utf-8`,
/// `Content-Security-Policy:` [`LogoutFormPage::content_security_policy`]
/// and `Cache-Control: no-store`. Without JavaScript the page shows a
/// Continue button. The policy has no `form-action`: browsers apply it to
/// the redirects that follow the submission too, and the end-session
/// endpoint redirects to the application.
///
/// ```
/// use genauth_logout::{AppDomain, LogoutConfig, LogoutFormPage, LogoutParams, Method, Protocol, WhatwgUrl};
///
/// let config = LogoutConfig::new(AppDomain::parse("myapp.genauth.ai")?)
///     .protocol(Protocol::Oidc)
///     .method(Method::Post);
/// let params = LogoutParams { id_token_hint: Some("eyJ.a.b".into()), ..LogoutParams::default() };
/// let target = config.build(Some("https://app.example.com/bye"), &params, &WhatwgUrl)?;
/// let page = LogoutFormPage::new(&target, "rAnd0mN0nce-0123456789ab")?;
/// assert!(page.html().contains(r#"<form method="post" action="https://myapp.genauth.ai/oidc/session/end">"#));
/// assert!(page.html().contains(r#"<input type="hidden" name="id_token_hint" value="eyJ.a.b">"#));
/// assert_eq!(
///     page.content_security_policy(),
///     "default-src 'none'; script-src 'nonce-rAnd0mN0nce-0123456789ab'; base-uri 'none'; frame-ancestors 'none'"
/// );
/// # Ok::<(), genauth_logout::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogoutFormPage {
    html: String,
    csp: String,
}

impl LogoutFormPage {
    /// The page for `target` (a [`Method::Post`] target), its script
    /// allowed by `nonce`: a fresh random value for each response, 22 to
    /// 128 base64 or base64url characters (16 random bytes in base64 is
    /// 24). Refuses, with `invalid_option`, a GET target (send it as a
    /// `303`, see [`crate::see_other_location`]), a malformed nonce, and a
    /// value with a control character: the HTML form rewrites CR and LF
    /// (to CR LF) when it submits, so such a value could not arrive as given.
    pub fn new(target: &LogoutTarget, nonce: &str) -> Result<Self> {
        if target.method() != Method::Post {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "a form page is for method \"post\"; send a GET logout as a 303",
            ));
        }
        if !is_nonce(nonce) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "the CSP nonce must be 22 to 128 base64 characters",
            ));
        }
        let control = |s: &str| s.bytes().any(|b| b < 0x20 || b == 0x7f);
        if target
            .fields()
            .iter()
            .any(|(name, value)| control(name) || control(value))
        {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "a form-POST logout cannot carry control characters in its parameters",
            ));
        }
        let mut html = String::from(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"><title>Signing out</title></head>\n<body><form method=\"post\" action=\"",
        );
        push_attribute(target.endpoint(), &mut html);
        html.push_str("\">\n");
        for (name, value) in target.fields() {
            html.push_str("<input type=\"hidden\" name=\"");
            push_attribute(name, &mut html);
            html.push_str("\" value=\"");
            push_attribute(value, &mut html);
            html.push_str("\">\n");
        }
        html.push_str("<noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n<script nonce=\"");
        html.push_str(nonce);
        html.push_str("\">document.forms[0].submit()</script>\n</body></html>\n");
        let mut csp = String::from("default-src 'none'; script-src 'nonce-");
        csp.push_str(nonce);
        csp.push_str("'; base-uri 'none'; frame-ancestors 'none'");
        Ok(LogoutFormPage { html, csp })
    }

    /// The page (UTF-8).
    pub fn html(&self) -> &str {
        &self.html
    }

    /// The `Content-Security-Policy` header value to send with it.
    pub fn content_security_policy(&self) -> &str {
        &self.csp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_escaped() {
        let mut out = String::new();
        push_attribute(r#"a&b"c'd<e>f é"#, &mut out);
        assert_eq!(out, "a&amp;b&quot;c&#39;d&lt;e&gt;f é");
    }

    #[test]
    fn nonces() {
        for good in [
            "AAAAAAAAAAAAAAAAAAAAAA",
            "rAnd0m+/rAnd0m+/rAnd0m==",
            "abc-_abc-_abc-_abc-_abc-_",
        ] {
            assert!(is_nonce(good), "{good}");
        }
        let long = "a".repeat(129);
        for bad in [
            "",
            "short",
            "AAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAA'",
            "AAAAAAAAAAAAAAAAAAAAAA\"",
            "AAAAAAAAAAAAAAAAAAAAAA ",
            "AAAAAAAAAAAAAAAAAAAAAA===",
            "AAAAAAAAAAA=AAAAAAAAAAAA",
            long.as_str(),
        ] {
            assert!(!is_nonce(bad), "{bad}");
        }
    }
}
