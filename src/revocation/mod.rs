//! Token revocation at logout ([RFC 7009]): after a logout the tokens the
//! application still holds stop working.
//!
//! Ending GenAuth's session leaves the access and refresh tokens valid until
//! they expire; whoever copied them keeps access. Revoking them at logout
//! closes that window. Everything here is transport-free and deterministic:
//! [`RevocationConfig::requests`] builds the requests ([RFC 7009 §2.1]),
//! [`RevocationRequest::read_answer`] reads the answer ([RFC 7009 §2.2],
//! [§2.2.1]) into a [`RevocationOutcome`]; the entries send them (`fetch`,
//! in the browser with `keepalive` so a navigation does not cancel them).
//!
//! * **Endpoint**: `<app origin>/oidc/token/revocation` (GenAuth's, as
//!   Authing's SDKs use it), or a configured `revocationEndpoint` checked
//!   like `endSessionEndpoint` (absolute `https:`, `http:` only on loopback,
//!   no user info, no fragment).
//! * **Body** (`application/x-www-form-urlencoded`, the serializer of the
//!   URL Standard: `+` for a space): `token`, `token_type_hint`
//!   (`refresh_token` or `access_token`), then the client's credentials.
//! * **Client authentication** ([RFC 6749 §2.3.1]): a public client sends
//!   `client_id` ([`ClientAuth::None`]); `client_secret_post` adds
//!   `client_secret` to the body; `client_secret_basic` sends
//!   `Authorization: Basic base64(urlencode(client_id) ":" urlencode(secret))`
//!   and leaves both out of the body (one authentication method per
//!   request).
//! * **Order**: the refresh token first. It is the long-lived one, and
//!   revoking it may revoke its access tokens too (RFC 7009 §2.1); if the
//!   page or process goes away between the two requests, the worse token is
//!   already gone.
//! * **Tokens** are checked before any request is built: non-empty, at most
//!   [`MAX_TOKEN_LEN`] bytes, visible ASCII and inner spaces only
//!   ([RFC 6749 Appendix A.12] and A.17, `1*VSCHAR`), no white space at
//!   either end. A token with control characters could not be what the
//!   server issued; one over 16 KiB is far beyond any JWT GenAuth issues.
//! * **Secrets**: tokens and the client secret live in [`Secret`]s; the
//!   request's `Debug` shows `[redacted]`, errors name the option, never its
//!   value, and a server message that echoes a secret is redacted.
//! * **Redirects**: the entries must send with redirects not followed
//!   (`redirect: "manual"` or `"error"`): a `307` would re-send the body,
//!   token and secret included, to wherever it points. A `3xx` reads as
//!   [`RevocationOutcome::Unexpected`].
//!
//! ```
//! use genauth_logout::revocation::{RevocationConfig, RevocationOutcome, Tokens};
//! use genauth_logout::AppDomain;
//!
//! let config = RevocationConfig::new(&AppDomain::parse("myapp.genauth.ai")?, "client-1")?;
//! let requests = config.requests(&Tokens {
//!     refresh_token: Some("r-1"),
//!     access_token: Some("a-1"),
//! })?;
//! assert_eq!(requests[0].url(), "https://myapp.genauth.ai/oidc/token/revocation");
//! assert_eq!(requests[0].body().expose(), "token=r-1&token_type_hint=refresh_token&client_id=client-1");
//! assert_eq!(requests[1].body().expose(), "token=a-1&token_type_hint=access_token&client_id=client-1");
//! // send each with the HTTP client of your choice, then:
//! assert_eq!(requests[0].read_answer(200, "", None), RevocationOutcome::Revoked);
//! # Ok::<(), genauth_logout::Error>(())
//! ```
//!
//! [RFC 7009]: https://www.rfc-editor.org/rfc/rfc7009
//! [RFC 7009 §2.1]: https://www.rfc-editor.org/rfc/rfc7009#section-2.1
//! [RFC 7009 §2.2]: https://www.rfc-editor.org/rfc/rfc7009#section-2.2
//! [§2.2.1]: https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1
//! [RFC 6749 §2.3.1]: https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
//! [RFC 6749 Appendix A.12]: https://www.rfc-editor.org/rfc/rfc6749#appendix-A.12
//! [`Secret`]: crate::Secret

mod answer;
mod json;
mod request;

pub use answer::{OAuthError, RevocationOutcome};
pub use request::{
    check_token, form_urlencode_into, ClientAuth, RevocationConfig, RevocationRequest,
    TokenTypeHint, Tokens,
};

/// The longest token accepted, in bytes.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The longest client secret accepted, in bytes.
pub const MAX_CLIENT_SECRET_LEN: usize = 16 * 1024;

/// The revocation endpoint's path on the application domain.
pub const DEFAULT_REVOCATION_PATH: &str = "/oidc/token/revocation";

/// The longest server text (`error_description`) kept, in bytes.
pub const MAX_DESCRIPTION_LEN: usize = 1024;
