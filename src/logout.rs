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

use crate::domain::AppDomain;
use crate::encode::encode_uri_component_into;
use crate::error::{Fail, Msg, Outcome, Result};
use crate::limits::{MAX_ID_TOKEN_LEN, MAX_PARAM_LEN};
use crate::redirect::{endpoint_problem, RedirectPolicy};
use crate::text::{find_byte, piece};
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
pub(crate) fn push_field(url: &mut String, name: &str, value: &str) {
    push_name(url, query_separator(url), name);
    encode_uri_component_into(value, url);
}

/// What goes before the next parameter of `url`: `&` once it has a query, else `?`.
// An inlining hint measured smaller on the benchmark app (README, size).
#[inline(never)]
pub(crate) fn query_separator(url: &str) -> &'static str {
    if find_byte(url, b'?').is_some() {
        "&"
    } else {
        "?"
    }
}

/// Appends `separator`, `name` and `=`: what goes before a parameter's
/// encoded value.
// An inlining hint measured smaller on the benchmark app (README, size).
#[inline(never)]
pub(crate) fn push_name(url: &mut String, separator: &str, name: &str) {
    url.push_str(separator);
    url.push_str(name);
    url.push_str("=");
}

/// The OpenID Connect parameters in sending order, each followed by a NUL
/// (read with [`piece`]). The second place is the redirect's, whose
/// name depends on the protocol.
const FIELD_NAMES: &str = "id_token_hint\0\0state\0client_id\0logout_hint\0ui_locales\0";
/// The same parameters' option names (JavaScript), for errors.
const FIELD_OPTIONS: &str = "idTokenHint\0\0state\0clientId\0logoutHint\0uiLocales\0";
/// The same parameters' longest lengths.
const FIELD_LIMITS: [usize; 6] = [
    MAX_ID_TOKEN_LEN,
    usize::MAX,
    MAX_PARAM_LEN,
    MAX_PARAM_LEN,
    MAX_PARAM_LEN,
    MAX_PARAM_LEN,
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

    /// Uses `endpoint` instead of `<origin>/oidc/session/end` for OIDC: an
    /// absolute `https://` URL (`http://` on loopback hosts) without user
    /// info or fragment, written plainly (see [`RedirectPolicy::check`]), so
    /// it is the same URL with or without the page as base.
    pub fn end_session_endpoint(
        mut self,
        endpoint: impl Into<String>,
        parser: &impl UrlParser,
    ) -> Result<Self> {
        let endpoint = endpoint.into();
        endpoint_problem(&endpoint, parser)?;
        self.end_session_endpoint = Some(endpoint);
        Ok(self)
    }

    /// Sets the default OIDC `client_id`.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Result<Self> {
        let client_id = client_id.into();
        check_client_id(&client_id)?;
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

    /// The rules of [`LogoutConfig::build`]: validates, writes the endpoint
    /// to `out`, and hands `out` and each parameter (name, value) to `field`
    /// in sending order.
    fn visit(
        &self,
        redirect: Option<&str>,
        params: &LogoutParams<'_>,
        parser: &impl UrlParser,
        out: &mut String,
        field: impl FnMut(&mut String, &'static str, &str),
    ) -> Result<Method> {
        let redirect = match redirect {
            Some(redirect) => Some(self.policy.check(redirect, parser)?),
            None => None,
        };
        Ok(write_request(
            Request {
                origin: self.app_domain.origin(),
                endpoint: self.end_session_endpoint.as_deref(),
                client_id: self.client_id.as_deref(),
                protocol: params.protocol.unwrap_or(self.protocol),
                method: params.method.unwrap_or(self.method),
                values: [
                    params.id_token_hint.as_deref(),
                    redirect.as_deref(),
                    params.state.as_deref(),
                    params.client_id.as_deref(),
                    params.logout_hint.as_deref(),
                    params.ui_locales.as_deref(),
                ],
            },
            out,
            field,
        )?)
    }
}

/// A configured default `client_id` is at most [`MAX_PARAM_LEN`] bytes.
pub(crate) fn check_client_id(client_id: &str) -> Outcome<'static, ()> {
    if client_id.len() > MAX_PARAM_LEN {
        return Err(Fail::option("clientId", Msg::TooLong));
    }
    Ok(())
}

/// One logout's settings and values, borrowed: the configuration's and the
/// call's, after the redirect has been checked.
pub(crate) struct Request<'a> {
    /// The application's origin.
    pub(crate) origin: &'a str,
    /// The configured end-session endpoint (checked when configured).
    pub(crate) endpoint: Option<&'a str>,
    /// The configured OIDC `client_id`, used when the call gives none.
    pub(crate) client_id: Option<&'a str>,
    /// The call's protocol (or the configured one).
    pub(crate) protocol: Protocol,
    /// The call's method (or the configured one).
    pub(crate) method: Method,
    /// The call's values in [`FIELD_NAMES`] order, the checked redirect second.
    pub(crate) values: [Option<&'a str>; 6],
}

/// Writes the endpoint of `request` to `out` and hands `out` and each
/// parameter (name, value) to `field` in sending order; refuses parameters
/// the protocol does not take and values over their limits.
pub(crate) fn write_request(
    request: Request<'_>,
    out: &mut String,
    mut field: impl FnMut(&mut String, &'static str, &str),
) -> Outcome<'static, Method> {
    let Request {
        protocol,
        method,
        mut values,
        ..
    } = request;
    let oidc = protocol == Protocol::Oidc;
    let redirect_name = match protocol {
        Protocol::GenAuth => "redirect_uri",
        Protocol::Cas => "url",
        Protocol::Oidc => "post_logout_redirect_uri",
    };
    if oidc && values[3].is_none() {
        values[3] = request.client_id;
    }
    if !oidc {
        // OIDC-only parameters on another protocol would be dropped
        // silently; a caller who passes them expects them to be sent.
        for (i, value) in values.iter().enumerate() {
            if i != 1 && value.is_some() {
                return Err(Fail::option(piece(FIELD_OPTIONS, 0, i), Msg::NeedsOidc));
            }
        }
        if method == Method::Post {
            return Err(Fail::option("method \"post\"", Msg::NeedsOidc));
        }
    }
    for (i, value) in values.iter().enumerate() {
        let Some(value) = value else { continue };
        let problem = if value.len() > FIELD_LIMITS[i] {
            Msg::TooLong
        } else if method == Method::Post && value.bytes().any(|b| b == b'\r' || b == b'\n') {
            // A form submission turns every line break into CRLF (HTML,
            // "converting an entry list to a list of name-value pairs"),
            // which GET would send intact; no form field can deliver the
            // value exactly, so it is refused before anything happens.
            Msg::PostLineBreak
        } else {
            continue;
        };
        return Err(Fail::option(piece(FIELD_OPTIONS, 0, i), problem));
    }
    match (protocol, request.endpoint) {
        (Protocol::Oidc, Some(configured)) => out.push_str(configured),
        _ => {
            out.push_str(request.origin);
            out.push_str(match protocol {
                Protocol::GenAuth => "/login/profile/logout",
                Protocol::Cas => "/cas-idp/logout",
                Protocol::Oidc => "/oidc/session/end",
            });
        }
    }
    for (i, value) in values.iter().enumerate() {
        if let Some(value) = value {
            field(
                out,
                if i == 1 {
                    redirect_name
                } else {
                    piece(FIELD_NAMES, 0, i)
                },
                value,
            );
        }
    }
    Ok(method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lists_agree() {
        for joined in [FIELD_NAMES, FIELD_OPTIONS] {
            assert!(joined.ends_with('\0'), "{joined:?} ends its last piece");
            assert_eq!(joined.split_terminator('\0').count(), FIELD_LIMITS.len());
        }
        let names = [
            "id_token_hint",
            "",
            "state",
            "client_id",
            "logout_hint",
            "ui_locales",
        ];
        let options = [
            "idTokenHint",
            "",
            "state",
            "clientId",
            "logoutHint",
            "uiLocales",
        ];
        for i in 0..FIELD_LIMITS.len() {
            assert_eq!(piece(FIELD_NAMES, 0, i), names[i]);
            assert_eq!(piece(FIELD_OPTIONS, 0, i), options[i]);
        }
        assert_eq!(FIELD_LIMITS[0], MAX_ID_TOKEN_LEN);
    }
}
