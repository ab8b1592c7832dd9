//! Size limits on caller input.
//!
//! A web page can hand the library anything, including a megabyte string.
//! Browsers and servers commonly refuse request lines longer than 8 to 16 KB
//! (HTTP 414), so a longer URL part could only produce a logout that fails
//! later, far from its cause; we refuse it up front with a clear error.

/// The longest application domain, redirect, endpoint or origin accepted, in UTF-8 bytes.
pub const MAX_URL_LEN: usize = 8 * 1024;
/// The longest `state`, `logoutHint`, `uiLocales` or `clientId` accepted, in UTF-8 bytes.
pub const MAX_PARAM_LEN: usize = 8 * 1024;
/// The longest ID token accepted, in UTF-8 bytes (long tokens need `method: "post"`).
pub const MAX_ID_TOKEN_LEN: usize = 64 * 1024;
/// The most entries in `allowedRedirectOrigins` or `clearStorageKeys`.
pub const MAX_LIST_LEN: usize = 256;
