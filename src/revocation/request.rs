//! Building revocation requests (RFC 7009 §2.1).

use alloc::string::String;
use alloc::vec::Vec;

use super::{DEFAULT_REVOCATION_PATH, MAX_CLIENT_SECRET_LEN, MAX_TOKEN_LEN};
use crate::domain::AppDomain;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::MAX_PARAM_LEN;
use crate::redirect::endpoint_problem;
use crate::secret::Secret;
use crate::url_parser::UrlParser;

/// Which kind of token a request revokes (`token_type_hint`, RFC 7009 §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenTypeHint {
    /// `refresh_token`.
    RefreshToken,
    /// `access_token`.
    AccessToken,
}

impl TokenTypeHint {
    /// The value sent: `refresh_token` or `access_token`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenTypeHint::RefreshToken => "refresh_token",
            TokenTypeHint::AccessToken => "access_token",
        }
    }

    /// The option that holds such a token (`refreshToken`, `accessToken`), for errors.
    pub const fn option_name(self) -> &'static str {
        match self {
            TokenTypeHint::RefreshToken => "refreshToken",
            TokenTypeHint::AccessToken => "accessToken",
        }
    }
}

/// How the client authenticates to the revocation endpoint (RFC 6749 §2.3;
/// the names are OpenID Connect Discovery's
/// `revocation_endpoint_auth_methods_supported` values).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// `none`: a public client, identified by `client_id` in the body.
    #[default]
    None,
    /// `client_secret_post`: `client_id` and `client_secret` in the body.
    ClientSecretPost,
    /// `client_secret_basic`: HTTP Basic with the form-encoded id and secret.
    ClientSecretBasic,
}

impl ClientAuth {
    /// Parses `none`, `client_secret_post` or `client_secret_basic`.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            ClientAuth::None,
            ClientAuth::ClientSecretPost,
            ClientAuth::ClientSecretBasic,
        ]
        .into_iter()
        .find(|a| a.as_str() == name)
    }

    /// The method's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ClientAuth::None => "none",
            ClientAuth::ClientSecretPost => "client_secret_post",
            ClientAuth::ClientSecretBasic => "client_secret_basic",
        }
    }
}

/// The tokens to revoke; at least one must be given.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Tokens<'a> {
    /// The refresh token (revoked first).
    pub refresh_token: Option<&'a str>,
    /// The access token.
    pub access_token: Option<&'a str>,
}

impl core::fmt::Debug for Tokens<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let shown = |t: Option<&str>| t.map(|_| "[redacted]");
        f.debug_struct("Tokens")
            .field("refresh_token", &shown(self.refresh_token))
            .field("access_token", &shown(self.access_token))
            .finish()
    }
}

/// Whether `value` is `1*VSCHAR` (RFC 6749 Appendix A: `%x20-7E`) with no
/// space at either end.
fn is_vschar_value(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && value.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Checks a token before any request: non-empty, at most [`MAX_TOKEN_LEN`]
/// bytes, visible ASCII with inner spaces only (`1*VSCHAR`, RFC 6749
/// Appendix A.12 and A.17), no white space at either end. The error names
/// the option (`refreshToken` or `accessToken`), never the value.
///
/// ```
/// use genauth_logout::revocation::{check_token, TokenTypeHint};
/// assert!(check_token("eyJhbGciOi.x.y", TokenTypeHint::AccessToken).is_ok());
/// let err = check_token("secret\r\nvalue", TokenTypeHint::RefreshToken).unwrap_err();
/// assert_eq!(err.code().as_str(), "invalid_option");
/// assert!(err.message().starts_with("refreshToken must be"));
/// assert!(!err.message().contains("secret"));
/// ```
pub fn check_token(token: &str, hint: TokenTypeHint) -> Result<()> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(Error::option(
            hint.option_name(),
            " is too long (over 16384 bytes)",
        ));
    }
    if !is_vschar_value(token) {
        return Err(Error::option(
            hint.option_name(),
            " must be a non-empty string of visible ASCII characters (no control characters, no white space at either end)",
        ));
    }
    Ok(())
}

/// Appends `value` to `out` as the URL Standard's
/// `application/x-www-form-urlencoded` serializer writes it (what
/// `URLSearchParams` sends): ASCII letters, digits and `*-._` as they are,
/// a space as `+`, every other byte of the UTF-8 as `%XX`.
///
/// ```
/// use genauth_logout::revocation::form_urlencode_into;
/// let mut out = String::new();
/// form_urlencode_into("a b+c/é~", &mut out);
/// assert_eq!(out, "a+b%2Bc%2F%C3%A9%7E");
/// ```
pub fn form_urlencode_into(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
}

/// Appends the standard base64 (RFC 4648 §4, with padding) of `bytes`.
fn base64_into(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                let index = (n >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

/// The client's credentials, as sent.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Credentials {
    Public,
    Post(Secret),
    /// The whole `Authorization` header value.
    Basic {
        secret: Secret,
        header: Secret,
    },
}

/// Where and as whom to revoke tokens.
///
/// Its `Debug` shows the endpoint, the client id and the authentication
/// method; the secret is `[redacted]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevocationConfig {
    endpoint: String,
    client_id: String,
    credentials: Credentials,
}

impl RevocationConfig {
    /// A public client `client_id` revoking at `<app origin>/oidc/token/revocation`.
    ///
    /// `client_id` must be `1*VSCHAR` (RFC 6749 Appendix A.1) of at most
    /// 8 KiB: `invalid_option` otherwise.
    pub fn new(app_domain: &AppDomain, client_id: &str) -> Result<Self> {
        if client_id.len() > MAX_PARAM_LEN || !is_vschar_value(client_id) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "clientId must be a non-empty string of at most 8192 visible ASCII characters (revocation needs it)",
            ));
        }
        let mut endpoint = String::from(app_domain.origin());
        endpoint.push_str(DEFAULT_REVOCATION_PATH);
        Ok(RevocationConfig {
            endpoint,
            client_id: String::from(client_id),
            credentials: Credentials::Public,
        })
    }

    /// Revokes at `endpoint` instead: an absolute `https:` URL (`http:` only
    /// on loopback) without user info or fragment, the rules of
    /// `endSessionEndpoint`.
    pub fn with_endpoint(mut self, endpoint: &str, parser: &impl UrlParser) -> Result<Self> {
        if endpoint_problem(endpoint, parser).is_err() {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "revocationEndpoint must be an absolute https URL without user info or fragment",
            ));
        }
        self.endpoint = String::from(endpoint);
        Ok(self)
    }

    /// Authenticates as a confidential client with `secret`, sent as
    /// `method` says ([`ClientAuth::None`] drops a secret set earlier).
    /// The secret must be `1*VSCHAR` of at most [`MAX_CLIENT_SECRET_LEN`]
    /// bytes (`invalid_option`, never quoting it).
    pub fn with_client_secret(mut self, secret: &str, method: ClientAuth) -> Result<Self> {
        if method == ClientAuth::None {
            self.credentials = Credentials::Public;
            return Ok(self);
        }
        if secret.len() > MAX_CLIENT_SECRET_LEN || !is_vschar_value(secret) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "clientSecret must be a non-empty string of at most 16384 visible ASCII characters",
            ));
        }
        let secret = Secret::new(String::from(secret));
        self.credentials = match method {
            ClientAuth::ClientSecretBasic => {
                // RFC 6749 §2.3.1: each part form-encoded, then RFC 7617's
                // `user-id ":" password` in base64.
                let mut pair = String::new();
                form_urlencode_into(&self.client_id, &mut pair);
                pair.push(':');
                form_urlencode_into(secret.expose(), &mut pair);
                let mut header = String::from("Basic ");
                base64_into(pair.as_bytes(), &mut header);
                Credentials::Basic {
                    secret,
                    header: Secret::new(header),
                }
            }
            _ => Credentials::Post(secret),
        };
        Ok(self)
    }

    /// The revocation endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// How the client authenticates.
    pub fn client_auth(&self) -> ClientAuth {
        match self.credentials {
            Credentials::Public => ClientAuth::None,
            Credentials::Post(_) => ClientAuth::ClientSecretPost,
            Credentials::Basic { .. } => ClientAuth::ClientSecretBasic,
        }
    }

    /// The request revoking one token; the token is checked first
    /// ([`check_token`]).
    pub fn request(&self, token: &str, hint: TokenTypeHint) -> Result<RevocationRequest> {
        check_token(token, hint)?;
        let mut body = String::with_capacity(token.len() + self.client_id.len() + 64);
        body.push_str("token=");
        form_urlencode_into(token, &mut body);
        body.push_str("&token_type_hint=");
        body.push_str(hint.as_str());
        let (authorization, secret) = match &self.credentials {
            Credentials::Public => {
                self.push_client_id(&mut body);
                (None, None)
            }
            Credentials::Post(secret) => {
                self.push_client_id(&mut body);
                body.push_str("&client_secret=");
                form_urlencode_into(secret.expose(), &mut body);
                (None, Some(secret.clone()))
            }
            Credentials::Basic { secret, header } => (Some(header.clone()), Some(secret.clone())),
        };
        Ok(RevocationRequest {
            url: self.endpoint.clone(),
            hint,
            body: Secret::new(body),
            authorization,
            token: Secret::new(String::from(token)),
            secret,
        })
    }

    fn push_client_id(&self, body: &mut String) {
        body.push_str("&client_id=");
        form_urlencode_into(&self.client_id, body);
    }

    /// The requests revoking `tokens`, refresh token first. Every token is
    /// checked before any request is built, so on error nothing is sent;
    /// `invalid_option` when neither token is given.
    pub fn requests(&self, tokens: &Tokens<'_>) -> Result<Vec<RevocationRequest>> {
        let given = [
            (tokens.refresh_token, TokenTypeHint::RefreshToken),
            (tokens.access_token, TokenTypeHint::AccessToken),
        ];
        if given.iter().all(|(token, _)| token.is_none()) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "revoking tokens needs a refreshToken or an accessToken",
            ));
        }
        for (token, hint) in given {
            if let Some(token) = token {
                check_token(token, hint)?;
            }
        }
        given
            .into_iter()
            .filter_map(|(token, hint)| token.map(|t| self.request(t, hint)))
            .collect()
    }
}

/// One revocation request, ready to send: `POST` [`url`](Self::url) with
/// [`headers`](Self::headers) and [`body`](Self::body).
///
/// Its `Debug` shows the URL and the hint; the body, the `Authorization`
/// header and the secrets are `[redacted]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevocationRequest {
    url: String,
    hint: TokenTypeHint,
    body: Secret,
    authorization: Option<Secret>,
    token: Secret,
    secret: Option<Secret>,
}

impl RevocationRequest {
    /// The HTTP method.
    pub const METHOD: &'static str = "POST";

    /// The body's media type (CORS-safelisted: a browser sends it without a
    /// preflight).
    pub const CONTENT_TYPE: &'static str = "application/x-www-form-urlencoded";

    /// The revocation endpoint.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Which token this request revokes.
    pub fn token_type_hint(&self) -> TokenTypeHint {
        self.hint
    }

    /// The form body: `token=…&token_type_hint=…` and, unless the client
    /// uses HTTP Basic, `&client_id=…` (and `&client_secret=…`).
    pub fn body(&self) -> &Secret {
        &self.body
    }

    /// The `Authorization` header value, for `client_secret_basic` only.
    pub fn authorization(&self) -> Option<&Secret> {
        self.authorization.as_ref()
    }

    /// The request headers, lower-case names, in this order:
    /// `content-type`, `accept`, then `authorization` for
    /// `client_secret_basic`. (The values are exposed: this is for the
    /// transport only.)
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("content-type", Self::CONTENT_TYPE),
            ("accept", "application/json"),
        ]
        .into_iter()
        .chain(
            self.authorization
                .as_ref()
                .map(|a| ("authorization", a.expose())),
        )
    }

    /// Removes the token and the client secret from `text`, as sent and
    /// as form-encoded (a server's message may echo either).
    pub(crate) fn redact(&self, text: &mut String) {
        for secret in [Some(&self.token), self.secret.as_ref()]
            .into_iter()
            .flatten()
        {
            secret.redact_in(text);
            let mut encoded = String::new();
            form_urlencode_into(secret.expose(), &mut encoded);
            Secret::new(encoded).redact_in(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        // RFC 4648 §10.
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut out = String::new();
            base64_into(input.as_bytes(), &mut out);
            assert_eq!(out, want, "{input}");
        }
        let mut out = String::new();
        base64_into(&[0xfb, 0xff, 0xbf], &mut out);
        assert_eq!(out, "+/+/");
    }

    #[test]
    fn form_encoding_matches_the_url_standard_on_every_ascii_byte() {
        for b in 0u8..0x80 {
            let mut out = String::new();
            form_urlencode_into(core::str::from_utf8(&[b]).unwrap_or(""), &mut out);
            let want = if b.is_ascii_alphanumeric() || b"*-._".contains(&b) {
                String::from(char::from(b))
            } else if b == b' ' {
                String::from("+")
            } else {
                alloc::format!("%{b:02X}")
            };
            assert_eq!(out, want, "byte {b:#04x}");
        }
    }

    #[test]
    fn vschar_values() {
        assert!(is_vschar_value("a b"));
        assert!(is_vschar_value("~"));
        for bad in ["", " a", "a ", "a\tb", "a\u{7f}", "é", "a\nb"] {
            assert!(!is_vschar_value(bad), "{bad:?}");
        }
    }
}
