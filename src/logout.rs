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

use alloc::string::String;
use alloc::vec::Vec;

use crate::domain::AppDomain;
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogoutParams {
    /// The protocol for this call.
    pub protocol: Option<Protocol>,
    /// OIDC `id_token_hint`: the ID token the user signed in with.
    pub id_token_hint: Option<String>,
    /// OIDC `state`, returned to the `post_logout_redirect_uri`.
    pub state: Option<String>,
    /// OIDC `client_id`.
    pub client_id: Option<String>,
    /// OIDC `logout_hint`.
    pub logout_hint: Option<String>,
    /// OIDC `ui_locales`.
    pub ui_locales: Option<String>,
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
        let mut url = String::with_capacity(
            self.endpoint.len()
                + self
                    .fields
                    .iter()
                    .map(|(k, v)| k.len() + v.len() * 3 + 2)
                    .sum::<usize>(),
        );
        url.push_str(&self.endpoint);
        let mut separator = if self.endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        for (name, value) in &self.fields {
            url.push(separator);
            url.push_str(name);
            url.push('=');
            encode_uri_component_into(value, &mut url);
            separator = '&';
        }
        url
    }
}

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

fn check_param(value: &str, max: usize, too_long: &'static str) -> Result<()> {
    if value.len() > max {
        return Err(Error::new(ErrorCode::InvalidOption, too_long));
    }
    Ok(())
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
        check_param(&client_id, MAX_PARAM_LEN, "clientId is too long")?;
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
        params: &LogoutParams,
        parser: &impl UrlParser,
    ) -> Result<LogoutTarget> {
        let protocol = params.protocol.unwrap_or(self.protocol);
        let method = params.method.unwrap_or(self.method);
        let redirect = match redirect {
            Some(redirect) => Some(self.policy.check(redirect, parser)?),
            None => None,
        };
        let origin = self.app_domain.origin();
        let mut fields = Vec::new();
        let mut endpoint = String::with_capacity(origin.len() + 24);
        if protocol != Protocol::Oidc {
            // OIDC-only parameters on another protocol would be dropped
            // silently; a caller who passes them expects them to be sent.
            if params.id_token_hint.is_some()
                || params.state.is_some()
                || params.client_id.is_some()
                || params.logout_hint.is_some()
                || params.ui_locales.is_some()
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
            endpoint.push_str(origin);
            let name = if protocol == Protocol::Cas {
                endpoint.push_str("/cas-idp/logout");
                "url"
            } else {
                endpoint.push_str("/login/profile/logout");
                "redirect_uri"
            };
            if let Some(redirect) = redirect {
                fields.push((name, redirect));
            }
        } else {
            match &self.end_session_endpoint {
                Some(configured) => endpoint.push_str(configured),
                None => {
                    endpoint.push_str(origin);
                    endpoint.push_str("/oidc/session/end");
                }
            }
            let client_id = params.client_id.as_ref().or(self.client_id.as_ref());
            let candidates: [(&'static str, Option<&String>, usize, &'static str); 6] = [
                (
                    "id_token_hint",
                    params.id_token_hint.as_ref(),
                    MAX_ID_TOKEN_LEN,
                    "idTokenHint is too long",
                ),
                (
                    "post_logout_redirect_uri",
                    redirect.as_ref(),
                    usize::MAX,
                    "",
                ),
                (
                    "state",
                    params.state.as_ref(),
                    MAX_PARAM_LEN,
                    "state is too long",
                ),
                (
                    "client_id",
                    client_id,
                    MAX_PARAM_LEN,
                    "clientId is too long",
                ),
                (
                    "logout_hint",
                    params.logout_hint.as_ref(),
                    MAX_PARAM_LEN,
                    "logoutHint is too long",
                ),
                (
                    "ui_locales",
                    params.ui_locales.as_ref(),
                    MAX_PARAM_LEN,
                    "uiLocales is too long",
                ),
            ];
            for (name, value, max, too_long) in candidates {
                if let Some(value) = value {
                    check_param(value, max, too_long)?;
                    fields.push((name, value.clone()));
                }
            }
        }
        Ok(LogoutTarget {
            endpoint,
            fields,
            method,
        })
    }
}
