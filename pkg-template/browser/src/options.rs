//! Options as JavaScript passes them: named values of a few shapes.
//!
//! The JavaScript facade writes each options object as option records
//! ([`crate::wire`], decoded into `(name, OptionValue)` pairs); the rules
//! about which names exist and which shapes they take live in this file,
//! tested natively. An unknown name or a wrong shape is `invalid_option`: a
//! typo such as `redirectUri` must not be ignored silently.
//!
//! The rules are one table, declared once (the `options!` list below): a
//! name, the shape it takes, and whether it belongs to the config, the
//! per-call params, or both. One loop checks every entry against it (a
//! table, not a branch per name, keeps the browser build small).

use alloc::borrow::Cow;

use genauth_logout::entry::{
    allowed_origin, check_client_id, endpoint_problem, piece, AppDomain, Fail, Fields, Msg, Outcome,
};
use genauth_logout::limits::{MAX_LIST_LEN, MAX_PARAM_LEN};
use genauth_logout::{
    LogoutConfig, LogoutParams, Method, Protocol, RedirectPolicy, Result, UrlParser,
};

use crate::wire::{self as records, List, OptionValue, Wtf8};

/// The options that only matter in a browser, after validation. The values
/// themselves (storage keys, channel name, the callback) stay with the
/// JavaScript facade, which acts on them once the core has accepted them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BrowserOptions {
    /// Navigate with `location.replace` instead of `location.assign`.
    pub replace: bool,
    /// A `navigate(url)` callback was given.
    pub navigate: bool,
}

/// The shape an option takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    String,
    Bool,
    List,
    Function,
}

/// In the config object.
const CONFIG: u8 = 1;
/// In the per-call params object.
const PARAMS: u8 = 2;

/// Declares the option table, one line per option: its index constant,
/// its name, its shape and where it may appear. The indices, the joined
/// [`NAMES`], [`OPTIONS`] and [`COUNT`] all come from that one list.
macro_rules! options {
    ($($index:ident = $name:literal $shape:ident $scope:expr,)*) => {
        /// The options, in table order (their discriminants are the indices).
        #[allow(clippy::upper_case_acronyms, non_camel_case_types, dead_code)]
        enum Index {
            $($index,)*
            COUNT,
        }
        $(const $index: usize = Index::$index as usize;)*
        /// How many options there are.
        pub(crate) const COUNT: usize = Index::COUNT as usize;
        /// Every option's name, in index order, each followed by a NUL: one
        /// string rather than a table of `&str`, which would cost the
        /// browser build a pointer and a length per name (see
        /// `genauth_logout::entry::piece`).
        const NAMES: &str = concat!($($name, "\0",)*);
        /// Every option's shape and where it may appear, in index order.
        const OPTIONS: [(Shape, u8); COUNT] = [$((Shape::$shape, $scope),)*];
        /// Every option's name, in index order (for tests).
        #[cfg(test)]
        const NAME_LIST: [&str; COUNT] = [$($name,)*];
    };
}

options! {
    APP_DOMAIN = "appDomain" String CONFIG,
    PROTOCOL = "protocol" String CONFIG | PARAMS,
    METHOD = "method" String CONFIG | PARAMS,
    END_SESSION_ENDPOINT = "endSessionEndpoint" String CONFIG,
    CLIENT_ID = "clientId" String CONFIG | PARAMS,
    ALLOWED_REDIRECT_ORIGINS = "allowedRedirectOrigins" List CONFIG,
    CLEAR_STORAGE_KEYS = "clearStorageKeys" List CONFIG,
    REPLACE = "replace" Bool CONFIG | PARAMS,
    NAVIGATE = "navigate" Function CONFIG,
    CHANNEL_NAME = "channelName" String CONFIG,
    ID_TOKEN_HINT = "idTokenHint" String PARAMS,
    STATE = "state" String PARAMS,
    LOGOUT_HINT = "logoutHint" String PARAMS,
    UI_LOCALES = "uiLocales" String PARAMS,
}

/// How many keys of an options object the facade reads: one more than there
/// are options, so the keys of an object with more always include an
/// unknown one, the core's first error is among them, and no more is
/// copied in.
pub const MAX_KEYS: usize = COUNT + 1;

/// The facade's copy limits ([`MAX_KEYS`], [`MAX_LEN`](records::MAX_LEN), [`MAX_ITEMS`](records::MAX_ITEMS)) as
/// the JavaScript module `dist/limits.js`, which `cargo xtask pkg` writes.
pub fn limits_js() -> alloc::string::String {
    alloc::format!(
        "// The facade's copy limits, written by `cargo xtask pkg` from the browser\n\
         // module's option table (pkg-template/browser/src/options.rs).\n\
         export const MAX_KEYS = {MAX_KEYS};\n\
         export const MAX_LEN = {MAX_LEN};\n\
         export const MAX_ITEMS = {MAX_ITEMS};\n",
        MAX_LEN = records::MAX_LEN,
        MAX_ITEMS = records::MAX_ITEMS,
    )
}

/// The name of the option at `index`.
fn option_name(index: usize) -> &'static str {
    piece(NAMES, 0, index)
}

/// Records whose every name and shape passed [`given`]. A value is looked
/// up again each time it is read, by index into [`NAMES`] (the last one
/// given for a name wins), so nothing is copied out of the records.
struct Given<'a>(Wtf8<'a>);

// An inlining hint measured smaller on the benchmark app (README, size).
#[inline(never)]
fn unknown(name: &str) -> Fail<'_> {
    // The name is echoed to help with typos, but never more than 64 bytes
    // of it; an empty name is shown as `""`.
    let mut end = name.len().min(64);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let shown = match name.get(..end) {
        Some("") | None => "\"\"",
        Some(shown) => shown,
    };
    Fail::option(
        shown,
        if end < name.len() {
            Msg::NotOptionCut
        } else {
            Msg::NotOption
        },
    )
}

/// Checks each entry's name and shape; the last value of a repeated name wins.
#[inline(never)]
fn given(records: Wtf8<'_>, scope: u8) -> Outcome<'_, Given<'_>> {
    for (name, value) in records::entries(records) {
        let Some(index) =
            (0..COUNT).position(|i| OPTIONS[i].1 & scope != 0 && option_name(i) == name)
        else {
            return Err(unknown(name));
        };
        let shape = OPTIONS[index].0;
        let problem = match (shape, &value) {
            (_, OptionValue::Undefined)
            | (Shape::String, OptionValue::String(_))
            | (Shape::Bool, OptionValue::Bool(_))
            | (Shape::Function, OptionValue::Function) => None,
            (Shape::List, OptionValue::StringList(items)) => {
                (items.len() > MAX_LIST_LEN).then_some(Msg::TooMany)
            }
            (Shape::String | Shape::List, OptionValue::TooLong) => {
                if index == APP_DOMAIN {
                    // The same code as an app domain over the core's own limit.
                    return Err(Fail::new(Msg::AppDomainTooLong));
                }
                Some(Msg::TooLong)
            }
            _ => Some(SHAPE_PROBLEMS[shape as usize]),
        };
        if let Some(problem) = problem {
            return Err(Fail::option(option_name(index), problem));
        }
    }
    Ok(Given(records))
}

/// What a value of the wrong shape is told, by [`Shape`].
const SHAPE_PROBLEMS: [Msg; 4] = [
    Msg::MustBeString,
    Msg::MustBeBool,
    Msg::MustBeList,
    Msg::MustBeFunction,
];

impl<'a> Given<'a> {
    /// The last value given for the option at `index`.
    #[inline(never)]
    fn value(&self, index: usize) -> OptionValue<'a> {
        let mut found = OptionValue::Undefined;
        for (name, value) in records::entries(self.0) {
            if name == option_name(index) {
                found = value;
            }
        }
        found
    }

    fn string(&self, index: usize) -> Option<&'a str> {
        match self.value(index) {
            OptionValue::String(s) => Some(s),
            _ => None,
        }
    }

    fn list(&self, index: usize) -> Option<List<'a>> {
        match self.value(index) {
            OptionValue::StringList(items) => Some(items),
            _ => None,
        }
    }

    fn flag(&self, index: usize) -> Option<bool> {
        match self.value(index) {
            OptionValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// `protocol` and `method`, parsed. (Inlined: 65 B smaller on the
    /// benchmark app than a call.)
    #[inline(always)]
    fn choices(&self) -> Outcome<'static, (Option<Protocol>, Option<Method>)> {
        Ok((
            self.choice(PROTOCOL, Protocol::from_name, Msg::Protocol)?,
            self.choice(METHOD, Method::from_name, Msg::Method)?,
        ))
    }

    /// A string option naming one of a few choices; `message` when it names none.
    fn choice<T>(
        &self,
        index: usize,
        from_name: fn(&str) -> Option<T>,
        message: Msg,
    ) -> Outcome<'static, Option<T>> {
        match self.string(index) {
            None => Ok(None),
            Some(name) => from_name(name).map(Some).ok_or(Fail::new(message)),
        }
    }
}

/// A config object that passed every rule, borrowed from its records: the
/// browser entry uses it as it is, [`read_config`] makes a [`LogoutConfig`]
/// of it.
pub(crate) struct Config<'a> {
    pub(crate) app_domain: AppDomain,
    pub(crate) protocol: Protocol,
    pub(crate) method: Method,
    pub(crate) endpoint: Option<&'a str>,
    pub(crate) client_id: Option<&'a str>,
    /// `allowedRedirectOrigins`, every entry checked, still in record form:
    /// the browser entry parses an entry again when it compares a redirect
    /// with it, [`read_config`] serializes them once.
    pub(crate) allowed: Option<List<'a>>,
    pub(crate) browser: BrowserOptions,
}

/// Checks a config object's records against every rule.
pub(crate) fn check_config<'a>(
    records: Wtf8<'a>,
    parser: &impl UrlParser,
) -> Outcome<'a, Config<'a>> {
    let given = given(records, CONFIG)?;
    let (protocol, method) = given.choices()?;
    if let Some(keys) = given.list(CLEAR_STORAGE_KEYS) {
        if keys.iter().any(|key| key.len() > MAX_PARAM_LEN) {
            return Err(Fail::option("clearStorageKeys", Msg::EntryTooLong));
        }
    }
    if given
        .string(CHANNEL_NAME)
        .is_some_and(|c| c.is_empty() || c.len() > 256)
    {
        return Err(Fail::option("channelName", Msg::ChannelName));
    }
    let app_domain = given
        .string(APP_DOMAIN)
        .ok_or(Fail::new(Msg::AppDomainRequired))?;
    let app_domain = AppDomain::check(app_domain, parser)?;
    let endpoint = given.string(END_SESSION_ENDPOINT);
    if let Some(endpoint) = endpoint {
        endpoint_problem(endpoint, parser)?;
    }
    let client_id = given.string(CLIENT_ID);
    if let Some(client_id) = client_id {
        check_client_id(client_id)?;
    }
    let allowed = given.list(ALLOWED_REDIRECT_ORIGINS);
    if let Some(list) = allowed {
        for entry in list.iter() {
            allowed_origin(entry, parser)?;
        }
    }
    Ok(Config {
        app_domain,
        protocol: protocol.unwrap_or_default(),
        method: method.unwrap_or_default(),
        endpoint,
        client_id,
        allowed,
        browser: BrowserOptions {
            replace: given.flag(REPLACE).unwrap_or(false),
            navigate: matches!(given.value(NAVIGATE), OptionValue::Function),
        },
    })
}

/// Reads a `LogoutConfig` object (`configure(config)`, `new LogoutClient(config)`)
/// from its [`records`].
///
/// `page_origin` is `location.origin` when running in a browser page.
pub fn read_config(
    records: &str,
    page_origin: Option<&str>,
    parser: &impl UrlParser,
) -> Result<(LogoutConfig, BrowserOptions)> {
    let config = check_config(records.into(), parser)?;
    let mut policy = RedirectPolicy::new();
    if let Some(page) = page_origin {
        policy = policy.page_origin(page);
    }
    if let Some(list) = config.allowed {
        policy = policy.allowed_origins(list.iter(), parser)?;
    }
    let mut logout = LogoutConfig::new(config.app_domain)
        .protocol(config.protocol)
        .method(config.method)
        .redirect_policy(policy);
    if let Some(endpoint) = config.endpoint {
        logout = logout.end_session_endpoint(endpoint, parser)?;
    }
    if let Some(client_id) = config.client_id {
        logout = logout.client_id(client_id)?;
    }
    Ok((logout, config.browser))
}

/// A params object that passed the name and shape rules, borrowed from its
/// records (values are checked against their protocol and limits when the
/// logout is built: an ID token may be long).
pub(crate) struct Params<'a> {
    pub(crate) protocol: Option<Protocol>,
    pub(crate) method: Option<Method>,
    /// The logout's parameters; the redirect is not among them yet.
    pub(crate) values: Fields<'a>,
    pub(crate) replace: Option<bool>,
}

/// Checks a params object's records.
pub(crate) fn check_params(records: Wtf8<'_>) -> Outcome<'_, Params<'_>> {
    let given = given(records, PARAMS)?;
    let (protocol, method) = given.choices()?;
    Ok(Params {
        protocol,
        method,
        values: Fields {
            id_token_hint: given.string(ID_TOKEN_HINT),
            redirect: None,
            state: given.string(STATE),
            client_id: given.string(CLIENT_ID),
            logout_hint: given.string(LOGOUT_HINT),
            ui_locales: given.string(UI_LOCALES),
        },
        replace: given.flag(REPLACE),
    })
}

/// Reads a `LogoutParams` object (the second argument of `buildLogoutUrl` and
/// `logout`) from its [`records`]. Returns the parameters and the per-call
/// `replace`.
pub fn read_params(records: &str) -> Result<(LogoutParams<'_>, Option<bool>)> {
    let params = check_params(records.into())?;
    let values = params.values;
    Ok((
        LogoutParams {
            protocol: params.protocol,
            method: params.method,
            id_token_hint: values.id_token_hint.map(Cow::Borrowed),
            state: values.state.map(Cow::Borrowed),
            client_id: values.client_id.map(Cow::Borrowed),
            logout_hint: values.logout_hint.map(Cow::Borrowed),
            ui_locales: values.ui_locales.map(Cow::Borrowed),
        },
        params.replace,
    ))
}

/// Reads the redirect argument, one tagged value ([`records::value`]):
/// `undefined` means none; anything but a well-formed string is
/// `invalid_redirect`.
pub fn read_redirect(tagged: &str) -> Result<Option<&str>> {
    Ok(redirect_value(tagged.into())?)
}

/// [`read_redirect`], reporting a [`Fail`].
pub(crate) fn redirect_value(tagged: Wtf8<'_>) -> Outcome<'static, Option<&str>> {
    match records::value(tagged) {
        OptionValue::Undefined => Ok(None),
        OptionValue::String(s) => Ok(Some(s)),
        OptionValue::TooLong => Err(Fail::new(Msg::RedirectTooLong)),
        _ => Err(Fail::new(Msg::RedirectShape)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_value_of_a_repeated_name_wins() {
        let mut w = crate::wire::RecordWriter::new();
        w.key("state").string("first");
        w.key("replace").bool(false);
        w.key("state").string("second");
        w.key("replace").bool(true);
        let records = w.finish();
        let Ok(params) = check_params(records.as_str().into()) else {
            panic!("the params were refused")
        };
        assert_eq!(params.values.state, Some("second"));
        assert_eq!(params.replace, Some(true));
        // A later entry of the wrong shape is refused even after a good one.
        let mut w = crate::wire::RecordWriter::new();
        w.key("state").string("first");
        w.key("state").bool(true);
        let records = w.finish();
        assert_eq!(
            check_params(records.as_str().into()).err(),
            Some(Fail::option("state", Msg::MustBeString))
        );
    }

    #[test]
    fn every_index_names_its_option() {
        assert_eq!(NAMES.split_terminator('\0').count(), COUNT);
        for (i, name) in NAME_LIST.iter().enumerate() {
            assert_eq!(option_name(i), *name);
        }
        assert_eq!(option_name(COUNT), "");
        assert_eq!(option_name(APP_DOMAIN), "appDomain");
        assert_eq!(option_name(UI_LOCALES), "uiLocales");
        assert_eq!(OPTIONS[NAVIGATE].0 as usize, Shape::Function as usize);
        assert_eq!(
            OPTIONS[ALLOWED_REDIRECT_ORIGINS].0 as usize,
            Shape::List as usize
        );
        // Every name is the option's own (camel case of the constant).
        for (i, name) in NAME_LIST.iter().enumerate() {
            assert!(!name.is_empty() && !name.contains('\0'), "option {i}");
            assert_eq!(
                NAME_LIST.iter().filter(|n| *n == name).count(),
                1,
                "{name} twice"
            );
        }
    }

    #[test]
    fn the_limits_module_holds_every_copy_limit() {
        let js = super::limits_js();
        for name in ["MAX_KEYS", "MAX_LEN", "MAX_ITEMS"] {
            assert!(js.contains(&alloc::format!("export const {name} = ")));
        }
        assert!(js.contains("MAX_KEYS = 15;"), "14 options, 15 keys");
    }
}
