//! Errors with stable codes.
//!
//! Every failure the library reports carries an [`ErrorCode`] whose string form
//! (`invalid_redirect`, `api_error`, …) is part of the public contract: the
//! JavaScript `GenAuthError.code` is exactly [`ErrorCode::as_str`]. Messages
//! are built from static strings plus, at most, the caller's option *name*
//! (never an option *value*, so secrets cannot leak into an error).

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

/// The stable, machine-readable reason for a failure.
///
/// The codes only the administrator's API reports (`api_error` to `aborted`)
/// exist with the feature `admin`, so the browser build carries none of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The application domain is not a bare origin this library accepts.
    InvalidAppDomain,
    /// The redirect is not an absolute `http:`/`https:` URL or a same-origin path.
    InvalidRedirect,
    /// The redirect's origin is neither the page's own nor an allowed one.
    RedirectNotAllowed,
    /// An option has an unknown name, a wrong type or a value out of range.
    InvalidOption,
    /// A module-level function was called before `configure`.
    NotConfigured,
    /// `logout` ran outside a browser and no `navigate` callback was given.
    NoWindow,
    /// The admin API answered with a body `code` other than 200.
    #[cfg(feature = "admin")]
    ApiError,
    /// The admin API answered with an HTTP status outside 2xx.
    #[cfg(feature = "admin")]
    HttpError,
    /// The admin API could not be reached.
    #[cfg(feature = "admin")]
    NetworkError,
    /// The admin API did not answer within the configured time.
    #[cfg(feature = "admin")]
    Timeout,
    /// The admin API's answer could not be understood.
    #[cfg(feature = "admin")]
    InvalidResponse,
    /// The admin client was created in a browser page without opting in.
    #[cfg(feature = "admin")]
    BrowserForbidden,
    /// The caller cancelled the admin request with its `AbortSignal`.
    #[cfg(feature = "admin")]
    Aborted,
}

impl ErrorCode {
    /// The code's string form, as JavaScript sees it in `GenAuthError.code`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidAppDomain => "invalid_app_domain",
            ErrorCode::InvalidRedirect => "invalid_redirect",
            ErrorCode::RedirectNotAllowed => "redirect_not_allowed",
            ErrorCode::InvalidOption => "invalid_option",
            ErrorCode::NotConfigured => "not_configured",
            ErrorCode::NoWindow => "no_window",
            #[cfg(feature = "admin")]
            ErrorCode::ApiError => "api_error",
            #[cfg(feature = "admin")]
            ErrorCode::HttpError => "http_error",
            #[cfg(feature = "admin")]
            ErrorCode::NetworkError => "network_error",
            #[cfg(feature = "admin")]
            ErrorCode::Timeout => "timeout",
            #[cfg(feature = "admin")]
            ErrorCode::InvalidResponse => "invalid_response",
            #[cfg(feature = "admin")]
            ErrorCode::BrowserForbidden => "browser_forbidden",
            #[cfg(feature = "admin")]
            ErrorCode::Aborted => "aborted",
        }
    }
}

/// A failure: a stable [`ErrorCode`], a human-readable message, and for admin
/// API failures the HTTP status and the API's own `code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: Cow<'static, str>,
    // Only admin API failures carry these; the browser entry is built
    // without the `admin` feature, and its errors stay two fields wide.
    #[cfg(feature = "admin")]
    status: Option<u16>,
    #[cfg(feature = "admin")]
    api_code: Option<i64>,
}

impl Error {
    /// An error with a fixed message.
    pub const fn new(code: ErrorCode, message: &'static str) -> Self {
        Error {
            code,
            message: Cow::Borrowed(message),
            #[cfg(feature = "admin")]
            status: None,
            #[cfg(feature = "admin")]
            api_code: None,
        }
    }

    /// An error whose message is `message` followed by `detail`
    /// (for example the name of an unknown option; never a secret value).
    pub fn with_detail(code: ErrorCode, message: &'static str, detail: &str) -> Self {
        let mut text = String::with_capacity(message.len() + detail.len());
        text.push_str(message);
        text.push_str(detail);
        Error {
            code,
            message: Cow::Owned(text),
            #[cfg(feature = "admin")]
            status: None,
            #[cfg(feature = "admin")]
            api_code: None,
        }
    }

    /// `invalid_option` for the option `name`: its name followed by
    /// `problem` (such as `" must be a string"`); never the option's value.
    pub fn option(name: &str, problem: &'static str) -> Self {
        let mut text = String::with_capacity(name.len() + problem.len());
        text.push_str(name);
        text.push_str(problem);
        Error::with_message(ErrorCode::InvalidOption, text)
    }

    /// An error with a message owned by the error (for example a server's
    /// `message`, which the admin API chose to show).
    pub fn with_message(code: ErrorCode, message: String) -> Self {
        Error {
            code,
            message: Cow::Owned(message),
            #[cfg(feature = "admin")]
            status: None,
            #[cfg(feature = "admin")]
            api_code: None,
        }
    }

    /// Attaches the HTTP status of the answer that caused the error.
    #[cfg(feature = "admin")]
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Attaches the admin API's body `code`.
    #[cfg(feature = "admin")]
    pub fn api_code(mut self, api_code: i64) -> Self {
        self.api_code = Some(api_code);
        self
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status, for `http_error` (and `api_error` when known).
    #[cfg(feature = "admin")]
    pub fn http_status(&self) -> Option<u16> {
        self.status
    }

    /// The admin API's body `code`, for `api_error`.
    #[cfg(feature = "admin")]
    pub fn api_error_code(&self) -> Option<i64> {
        self.api_code
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_str())?;
        f.write_str(": ")?;
        f.write_str(&self.message)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// Declares every message the core's rules report: [`Msg`] names each, and
/// [`CODES`] and [`TEXTS`] hold its code and text in the same order.
macro_rules! messages {
    ($($(#[$doc:meta])* $id:ident = $code:ident $text:literal,)*) => {
        /// A message of the core's rules (an index into `CODES` and `TEXTS`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        #[allow(missing_docs)]
        pub enum Msg {
            $($(#[$doc])* $id,)*
        }

        impl Msg {
            /// Every message, in declaration order (for tests that must
            /// cover each, here and in the entries).
            pub const ALL: &[Msg] = &[$(Msg::$id,)*];
        }

        /// Each [`Msg`]'s code.
        const CODES: &[ErrorCode] = &[$(ErrorCode::$code,)*];
        /// Each [`Msg`]'s text, each followed by a NUL (one string rather
        /// than a table of `&str`, see [`crate::text::piece`]). A text that starts
        /// with a space follows an option's name.
        const TEXTS: &str = concat!($($text, "\0",)*);
    };
}

messages! {
    AppDomainRequired = InvalidOption "appDomain is required",
    AppDomainTooLong = InvalidAppDomain "appDomain is too long",
    AppDomainShape = InvalidAppDomain "appDomain must be a host such as myapp.genauth.ai",
    AppDomainHttps = InvalidAppDomain "appDomain must use https:// (http:// only for localhost, 127.0.0.1 or [::1])",
    AppDomainBare = InvalidAppDomain "appDomain must be a bare host[:port]",
    AppDomainHost = InvalidAppDomain "appDomain is not a valid host",
    AppDomainIp = InvalidAppDomain "appDomain must write its IP address canonically",
    AllowedOrigin = InvalidOption "allowedRedirectOrigins entries must be origins such as https://app.example.com",
    Endpoint = InvalidOption "endSessionEndpoint must be an https:// URL without user info or fragment",
    Protocol = InvalidOption "protocol must be \"genauth\", \"oidc\" or \"cas\"",
    Method = InvalidOption "method must be \"get\" or \"post\"",
    NotOption = InvalidOption " is not an option",
    NotOptionCut = InvalidOption "… is not an option",
    MustBeString = InvalidOption " must be a string",
    MustBeBool = InvalidOption " must be a boolean",
    MustBeList = InvalidOption " must be an array of strings",
    MustBeFunction = InvalidOption " must be a function",
    TooLong = InvalidOption " is too long",
    TooMany = InvalidOption " has too many entries",
    EntryTooLong = InvalidOption " has an entry that is too long",
    ChannelName = InvalidOption " must be 1 to 256 bytes",
    NeedsOidc = InvalidOption " needs protocol \"oidc\"",
    PostLineBreak = InvalidOption " must not hold a line break with method \"post\"",
    /// (The browser entry's.)
    PostNavigate = InvalidOption "method \"post\" cannot be combined with navigate",
    /// (The browser entry's.)
    NoWindow = NoWindow "logout needs a window or a navigate callback",
    RedirectShape = InvalidRedirect "redirect must be a well-formed string",
    RedirectTooLong = InvalidRedirect "redirect is too long",
    RedirectEmpty = InvalidRedirect "redirect must not be empty",
    RedirectControl = InvalidRedirect "redirect must not contain control characters",
    RedirectWhiteSpace = InvalidRedirect "redirect must not start or end with white space",
    RedirectSchemeRelative = InvalidRedirect "redirect must not start with // or /\\",
    RedirectNeedsPage = InvalidRedirect "a relative redirect needs a browser page",
    RedirectWritten = InvalidRedirect "redirect must be a /path, or https://host or http://host without user info or \\ before the query",
    RedirectUnparsable = InvalidRedirect "redirect is not a valid URL",
    RedirectHost = InvalidRedirect "redirect must have a host and no user info",
    RedirectLeavesPage = InvalidRedirect "relative redirect does not stay on the page's origin",
    RedirectNotAllowed = RedirectNotAllowed "redirect origin is not the page's origin or in allowedRedirectOrigins",
}

impl Msg {
    /// The message's code.
    pub fn code(self) -> ErrorCode {
        CODES[self as usize]
    }

    /// The message's text.
    pub fn text(self) -> &'static str {
        crate::text::piece(TEXTS, 0, self as usize)
    }
}

/// A failure as the core's rules report it, before it becomes an [`Error`]:
/// a [`Msg`], and the option name its text follows (often empty). It borrows
/// the name and owns nothing, so the size-bound browser entry writes it out
/// without building an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fail<'a> {
    /// The option name the message follows (often empty).
    pub name: &'a str,
    /// The message.
    pub msg: Msg,
}

impl Fail<'static> {
    /// A failure with a fixed message.
    pub const fn new(msg: Msg) -> Self {
        Fail { name: "", msg }
    }
}

impl<'a> Fail<'a> {
    /// A failure about the option `name`: its name followed by the text of
    /// `msg` (such as `" must be a string"`); never the option's value.
    pub const fn option(name: &'a str, msg: Msg) -> Self {
        Fail { name, msg }
    }

    /// The code.
    pub fn code(&self) -> ErrorCode {
        self.msg.code()
    }
}

impl From<Fail<'_>> for Error {
    fn from(fail: Fail<'_>) -> Self {
        if fail.name.is_empty() {
            Error::new(fail.code(), fail.msg.text())
        } else {
            let mut message = String::from(fail.name);
            message.push_str(fail.msg.text());
            Error::with_message(fail.code(), message)
        }
    }
}

/// What the core's rules return.
pub type Outcome<'a, T> = core::result::Result<T, Fail<'a>>;

/// Shorthand for results whose error is [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_a_code_and_a_text() {
        assert_eq!(TEXTS.split_terminator('\0').count(), CODES.len());
        assert_eq!(Msg::AppDomainRequired.text(), "appDomain is required");
        assert_eq!(Msg::AppDomainRequired.code(), ErrorCode::InvalidOption);
        assert_eq!(
            Msg::RedirectNotAllowed.text(),
            "redirect origin is not the page's origin or in allowedRedirectOrigins"
        );
        assert_eq!(
            Msg::RedirectNotAllowed.code(),
            ErrorCode::RedirectNotAllowed
        );
    }
}
