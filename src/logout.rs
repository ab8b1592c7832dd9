//! Building the logout request for each protocol.
//!
//! * `genauth` — the source document's front-end logout:
//!   `<origin>/login/profile/logout?redirect_uri=<encodeURIComponent(redirect)>`.
//! * `oidc` — OpenID Connect RP-Initiated Logout 1.0 §2: the end-session
//!   endpoint (`<origin>/oidc/session/end` unless configured) with
//!   `id_token_hint`, `post_logout_redirect_uri`, `state`, `client_id`,
//!   `logout_hint`, `ui_locales`, each only when given, in that order. The
//!   spec allows GET and form-encoded POST; [`Method::Post`] is for ID tokens
//!   too long for a URL.
//! * `cas` — `<origin>/cas-idp/logout?url=<encodeURIComponent(redirect)>`.
//!
//! Every value is encoded as `encodeURIComponent` would, whatever the protocol.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::domain::{find_byte, AppDomain};
use crate::encode::encode_uri_component_into;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_ID_TOKEN_LEN, MAX_PARAM_LEN};
use crate::redirect::{check_endpoint, RedirectPolicy};
use crate::url_parser::UrlParser;

/// Which logout endpoint to use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Protocol {
    /// GenAuth's hosted logout page (`/login/profile/logout`).
    #[default]
    GenAuth,
    /// OpenID Connect RP-Initiated Logout (`/oidc/session/end`).
    Oidc,
    /// CAS logout (`/cas-idp/logout`).
    Cas,
}

impl Protocol {
    /// Parses the JavaScript name: `"genauth"`, `"oidc"` or `"cas"`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "genauth" => Some(Protocol::GenAuth),
            "oidc" => Some(Protocol::Oidc),
            "cas" => Some(Protocol::Cas),
            _ => None,
        }
    }
}

/// How the browser is sent to the logout endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Method {
    /// Navigate to the logout URL.
    #[default]
    Get,
    /// Submit the parameters as an `application/x-www-form-urlencoded` form
    /// (OpenID Connect only).
    Post,
}

impl Method {
    /// Parses the JavaScript name: `"get"` or `"post"`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "get" => Some(Method::Get),
            "post" => Some(Method::Post),
            _ => None,
        }
    }
}

/// Per-call parameters; each overrides the configured default when set.
/// Values may be borrowed or owned (`Some("x".into())` or
/// `Some(string.into())`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogoutParams<'a> {
    /// The protocol for this call.
    pub protocol: Option<Protocol>,
    /// OIDC `id_token_hint`: the ID token the user signed in with.
    pub id_token_hint: Option<Cow<'a, str>>,
    /// OIDC `state`, returned to the `post_logout_redirect_uri`.
    pub state: Option<Cow<'a, str>>,
    /// OIDC `client_id`.
    pub client_id: Option<Cow<'a, str>>,
    /// OIDC `logout_hint`.
    pub logout_hint: Option<Cow<'a, str>>,
    /// OIDC `ui_locales`.
    pub ui_locales: Option<Cow<'a, str>>,
    /// GET or form POST.
    pub method: Option<Method>,
}

/// Where and how to send the browser: an endpoint and its parameters, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogoutTarget {
    endpoint: String,
    fields: Vec<(&'static str, String)>,
    method: Method,
}

impl LogoutTarget {
    /// The endpoint (a form's `action` for POST).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The parameters, in the order they are sent, not yet encoded.
    pub fn fields(&self) -> &[(&'static str, String)] {
        &self.fields
    }

    /// GET or POST.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The GET URL: the endpoint followed by the encoded parameters.
    pub fn url(&self) -> String {
        let mut url = self.endpoint.clone();
        for (name, value) in &self.fields {
            push_field(&mut url, name, value);
        }
        url
    }
}

/// Appends `?name=value` (or `&name=value` once `url` has a query), the
/// value encoded as `encodeURIComponent` would.
fn push_field(url: &mut String, name: &str, value: &str) {
    url.push_str(if find_byte(url, b'?').is_some() {
        "&"
    } else {
        "?"
    });
    url.push_str(name);
    url.push_str("=");
    encode_uri_component_into(value, url);
}

/// The OpenID Connect parameters in sending order: (name, the option's
/// JavaScript name for errors, its longest length). The second place is the
/// redirect's, whose name depends on the protocol.
const OIDC_FIELDS: [(&str, &str, usize); 6] = [
    ("id_token_hint", "idTokenHint", MAX_ID_TOKEN_LEN),
    ("", "", usize::MAX),
    ("state", "state", MAX_PARAM_LEN),
    ("client_id", "clientId", MAX_PARAM_LEN),
    ("logout_hint", "logoutHint", MAX_PARAM_LEN),
    ("ui_locales", "uiLocales", MAX_PARAM_LEN),
];

/// An application's logout settings: everything needed to build a logout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogoutConfig {
    pub(crate) app_domain: AppDomain,
    pub(crate) protocol: Protocol,
    pub(crate) method: Method,
    pub(crate) end_session_endpoint: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) policy: RedirectPolicy,
}

impl LogoutConfig {
    /// Settings for `app_domain` with the `genauth` protocol and no
    /// redirect restrictions beyond the [`RedirectPolicy`] defaults.
    pub fn new(app_domain: AppDomain) -> Self {
        LogoutConfig {
            app_domain,
            protocol: Protocol::GenAuth,
            method: Method::Get,
            end_session_endpoint: None,
            client_id: None,
            policy: RedirectPolicy::new(),
        }
    }

    /// Sets the default protocol.
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Sets the default method (form POST only applies to OIDC).
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Uses `endpoint` instead of `<origin>/oidc/session/end` for OIDC.
    pub fn end_session_endpoint(
        mut self,
        endpoint: impl Into<String>,
        parser: &impl UrlParser,
    ) -> Result<Self> {
        let endpoint = endpoint.into();
        check_endpoint(&endpoint, parser)?;
        self.end_session_endpoint = Some(endpoint);
        Ok(self)
    }

    /// Sets the default OIDC `client_id`.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Result<Self> {
        let client_id = client_id.into();
        if client_id.len() > MAX_PARAM_LEN {
            return Err(Error::option("clientId", " is too long"));
        }
        self.client_id = Some(client_id);
        Ok(self)
    }

    /// Sets the redirect rules.
    pub fn redirect_policy(mut self, policy: RedirectPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The application domain.
    pub fn app_domain(&self) -> &AppDomain {
        &self.app_domain
    }

    /// The redirect rules.
    pub fn policy(&self) -> &RedirectPolicy {
        &self.policy
    }

    /// The personal center URL: `<origin>/u`.
    pub fn personal_center_url(&self) -> String {
        self.app_domain.personal_center_url()
    }

    /// Validates the redirect and parameters and builds the logout request.
    /// Nothing is sent or changed: on error the caller has done nothing yet.
    pub fn build(
        &self,
        redirect: Option<&str>,
        params: &LogoutParams<'_>,
        parser: &impl UrlParser,
    ) -> Result<LogoutTarget> {
        let mut endpoint = String::new();
        let mut fields = Vec::new();
        let method = self.visit(redirect, params, parser, &mut endpoint, |_, name, value| {
            fields.push((name, String::from(value)));
        })?;
        Ok(LogoutTarget {
            endpoint,
            fields,
            method,
        })
    }

    /// [`LogoutConfig::build`] written straight into `url`: the GET URL.
    /// Returns the endpoint's length (the URL's start) and the method.
    #[cfg_attr(not(feature = "wasm"), allow(dead_code))]
    pub(crate) fn write_url(
        &self,
        redirect: Option<&str>,
        params: &LogoutParams<'_>,
        parser: &impl UrlParser,
        url: &mut String,
    ) -> Result<(usize, Method)> {
        let mut endpoint = 0;
        let method = self.visit(redirect, params, parser, url, |url, name, value| {
            if endpoint == 0 {
                endpoint = url.len();
            }
            push_field(url, name, value);
        })?;
        Ok((if endpoint == 0 { url.len() } else { endpoint }, method))
    }

    /// The rules of [`LogoutConfig::build`]: validates, writes the endpoint
    /// to `out`, and hands `out` and each parameter (name, value) to `field`
    /// in sending order.
    fn visit(
        &self,
        redirect: Option<&str>,
        params: &LogoutParams<'_>,
        parser: &impl UrlParser,
        out: &mut String,
        mut field: impl FnMut(&mut String, &'static str, &str),
    ) -> Result<Method> {
        let protocol = params.protocol.unwrap_or(self.protocol);
        let method = params.method.unwrap_or(self.method);
        let redirect = match redirect {
            Some(redirect) => Some(self.policy.check(redirect, parser)?),
            None => None,
        };
        let oidc = protocol == Protocol::Oidc;
        let redirect_name = match protocol {
            Protocol::GenAuth => "redirect_uri",
            Protocol::Cas => "url",
            Protocol::Oidc => "post_logout_redirect_uri",
        };
        // The parameters in sending order, the redirect second.
        let client_id = params.client_id.as_deref().or(if oidc {
            self.client_id.as_deref()
        } else {
            None
        });
        let values = [
            params.id_token_hint.as_deref(),
            redirect.as_deref(),
            params.state.as_deref(),
            client_id,
            params.logout_hint.as_deref(),
            params.ui_locales.as_deref(),
        ];
        if !oidc {
            // OIDC-only parameters on another protocol would be dropped
            // silently; a caller who passes them expects them to be sent.
            if values
                .iter()
                .enumerate()
                .any(|(i, value)| i != 1 && value.is_some())
            {
                return Err(Error::new(
                    ErrorCode::InvalidOption,
                    "idTokenHint, state, clientId, logoutHint and uiLocales need protocol \"oidc\"",
                ));
            }
            if method == Method::Post {
                return Err(Error::new(
                    ErrorCode::InvalidOption,
                    "method \"post\" needs protocol \"oidc\"",
                ));
            }
        }
        for (value, &(_, option, max)) in values.iter().zip(&OIDC_FIELDS) {
            if value.is_some_and(|v| v.len() > max) {
                return Err(Error::option(option, " is too long"));
            }
        }
        match (protocol, &self.end_session_endpoint) {
            (Protocol::Oidc, Some(configured)) => out.push_str(configured),
            _ => {
                out.push_str(self.app_domain.origin());
                out.push_str(match protocol {
                    Protocol::GenAuth => "/login/profile/logout",
                    Protocol::Cas => "/cas-idp/logout",
                    Protocol::Oidc => "/oidc/session/end",
                });
            }
        }
        for (i, (value, &(name, _, _))) in values.iter().zip(&OIDC_FIELDS).enumerate() {
            if let Some(value) = value {
                field(out, if i == 1 { redirect_name } else { name }, value);
            }
        }
        Ok(method)
    }
}

#[cfg(all(test, feature = "url"))]
mod tests {
    use super::*;
    use crate::options::{read_config, read_params, read_redirect};
    use crate::records::RecordWriter;
    use crate::url_parser::WhatwgUrl;

    fn write(w: &mut RecordWriter, v: &serde_json::Value) {
        match v {
            serde_json::Value::String(s) => w.string(s),
            serde_json::Value::Bool(b) => w.bool(*b),
            serde_json::Value::Array(items) => {
                match items.iter().map(|i| i.as_str()).collect::<Option<Vec<_>>>() {
                    Some(items) => w.list(&items),
                    None => w.other(),
                }
            }
            _ => w.other(),
        };
    }

    fn records(v: Option<&serde_json::Value>) -> String {
        let mut w = RecordWriter::new();
        for (k, v) in v.and_then(|v| v.as_object()).into_iter().flatten() {
            w.key(k);
            write(&mut w, v);
        }
        w.finish()
    }

    /// `write_url` (the browser entry's path) and `build` (the Rust API's)
    /// agree on every case of the contract table: the same URL, the same
    /// endpoint, the same method, or the same error.
    #[test]
    fn write_url_agrees_with_build_on_the_table() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../tests/data/logout_cases.json")).unwrap();
        let cases = table["cases"].as_array().unwrap();
        let mut compared = 0;
        for case in cases {
            for page in [None, Some("https://app.example.com")] {
                let config = records(case.get("config"));
                let Ok((config, _)) = read_config(&config, page, &WhatwgUrl) else {
                    continue;
                };
                let params = records(case.get("params"));
                let Ok((params, _)) = read_params(&params) else {
                    continue;
                };
                let mut redirect = RecordWriter::new();
                if let Some(r) = case.get("redirect") {
                    write(&mut redirect, r);
                }
                let redirect = redirect.finish();
                let Ok(redirect) = read_redirect(&redirect) else {
                    continue;
                };
                let built = config.build(redirect, &params, &WhatwgUrl);
                let mut url = String::new();
                let written = config.write_url(redirect, &params, &WhatwgUrl, &mut url);
                match (built, written) {
                    (Ok(target), Ok((endpoint, method))) => {
                        assert_eq!(url, target.url(), "{case}");
                        assert_eq!(&url[..endpoint], target.endpoint(), "{case}");
                        assert_eq!(method, target.method(), "{case}");
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "{case}"),
                    (a, b) => panic!("build {a:?} but write_url {b:?} for {case}"),
                }
                compared += 1;
            }
        }
        assert!(compared > 150, "only {compared} comparisons");
    }
}
