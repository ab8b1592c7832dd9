//! The tenant's configuration: one user pool, its applications and users.
//!
//! Read from the JSON file given with `--config` (every key optional):
//!
//! ```json
//! { "userPoolId": "pool-demo", "adminToken": "admin-secret-token",
//!   "apps": [{ "id": "app-demo", "name": "Demo",
//!              "logoutRedirectUris": ["http://127.0.0.1:5173/"],
//!              "appOrigins": ["http://127.0.0.1:5173"] }],
//!   "users": [{ "id": "user-alice", "name": "Alice", "password": "alice" }] }
//! ```
//!
//! Unknown keys are refused so that a typo (`logoutRedirectUri`) fails loudly
//! instead of silently leaving the default list in place.

use serde_json::{Map, Value};
use std::fmt;

/// An application registered in the user pool (GenAuth console > Applications).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// Application ID, the `:appId` of the admin API and the OIDC `client_id`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Registered logout callback URLs, compared as exact strings.
    pub logout_redirect_uris: Vec<String>,
    /// Web origins allowed for CORS and for the post-sign-in redirect.
    pub app_origins: Vec<String>,
}

/// A user of the pool who can sign in on the hosted page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// User ID, as passed in `userIds` to kick-active-users.
    pub id: String,
    /// Display name (also accepted as the sign-in user name).
    pub name: String,
    /// Password for the sign-in page.
    pub password: String,
}

/// The whole tenant configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantConfig {
    /// Expected value of the `x-authing-userpool-id` header.
    pub user_pool_id: String,
    /// The user pool administrator token (sent as `Authorization: Bearer <token>`).
    pub admin_token: String,
    /// Registered applications.
    pub apps: Vec<App>,
    /// Users of the pool.
    pub users: Vec<User>,
}

/// Why a configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The demo app at `http://127.0.0.1:5173` (the demo's default port).
fn default_app() -> App {
    App {
        id: "app-demo".into(),
        name: "Demo".into(),
        logout_redirect_uris: vec![
            "http://127.0.0.1:5173/".into(),
            "http://localhost:5173/".into(),
        ],
        app_origins: vec![
            "http://127.0.0.1:5173".into(),
            "http://localhost:5173".into(),
        ],
    }
}

fn default_users() -> Vec<User> {
    vec![
        User {
            id: "user-alice".into(),
            name: "Alice".into(),
            password: "alice".into(),
        },
        User {
            id: "user-bob".into(),
            name: "Bob".into(),
            password: "bob".into(),
        },
    ]
}

impl Default for TenantConfig {
    fn default() -> Self {
        TenantConfig {
            user_pool_id: "pool-demo".into(),
            admin_token: "admin-secret-token".into(),
            apps: vec![default_app()],
            users: default_users(),
        }
    }
}

impl TenantConfig {
    /// Parses and validates the JSON configuration; missing keys take defaults.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ConfigError(format!("config is not valid JSON: {e}")))?;
        let obj = as_object(&value, "config")?;
        check_keys(
            obj,
            "config",
            &["userPoolId", "adminToken", "apps", "users"],
        )?;
        let mut config = TenantConfig::default();
        if let Some(v) = obj.get("userPoolId") {
            config.user_pool_id = non_empty_string(v, "userPoolId")?;
        }
        if let Some(v) = obj.get("adminToken") {
            config.admin_token = non_empty_string(v, "adminToken")?;
        }
        if let Some(v) = obj.get("apps") {
            config.apps = as_array(v, "apps")?
                .iter()
                .enumerate()
                .map(|(i, app)| parse_app(app, i))
                .collect::<Result<_, _>>()?;
        }
        if let Some(v) = obj.get("users") {
            config.users = as_array(v, "users")?
                .iter()
                .enumerate()
                .map(|(i, user)| parse_user(user, i))
                .collect::<Result<_, _>>()?;
        }
        config.validate()?;
        Ok(config)
    }

    /// Checks invariants: unique ids, absolute http(s) redirect URIs, valid origins.
    /// Origins are stored normalised (see [`origin_of`]).
    pub fn validate(&mut self) -> Result<(), ConfigError> {
        if self
            .admin_token
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(ConfigError(
                "adminToken must not contain white space".into(),
            ));
        }
        for (i, app) in self.apps.iter().enumerate() {
            if self.apps[..i].iter().any(|a| a.id == app.id) {
                return Err(ConfigError(format!("duplicate app id {:?}", app.id)));
            }
        }
        for (i, user) in self.users.iter().enumerate() {
            if self.users[..i].iter().any(|u| u.id == user.id) {
                return Err(ConfigError(format!("duplicate user id {:?}", user.id)));
            }
        }
        for app in &mut self.apps {
            for uri in &app.logout_redirect_uris {
                if origin_of(uri).is_none() {
                    return Err(ConfigError(format!(
                        "app {:?}: logoutRedirectUris entry {uri:?} is not an absolute http(s) URL",
                        app.id
                    )));
                }
            }
            for origin in &mut app.app_origins {
                match parse_origin(origin) {
                    Some(normal) => *origin = normal,
                    None => {
                        return Err(ConfigError(format!(
                            "app {:?}: appOrigins entry {origin:?} is not an origin like http://127.0.0.1:5173",
                            app.id
                        )))
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds a logout redirect URI to the first app (creating the default app when there is none).
    pub fn add_redirect_uri(&mut self, uri: &str) -> Result<(), ConfigError> {
        if origin_of(uri).is_none() {
            return Err(ConfigError(format!(
                "--redirect-uri {uri:?} is not an absolute http(s) URL"
            )));
        }
        self.first_app().logout_redirect_uris.push(uri.to_string());
        Ok(())
    }

    /// Adds an app origin to the first app (creating the default app when there is none).
    pub fn add_app_origin(&mut self, origin: &str) -> Result<(), ConfigError> {
        match parse_origin(origin) {
            Some(normal) => {
                self.first_app().app_origins.push(normal);
                Ok(())
            }
            None => Err(ConfigError(format!(
                "--app-origin {origin:?} is not an origin like http://127.0.0.1:5173"
            ))),
        }
    }

    fn first_app(&mut self) -> &mut App {
        if self.apps.is_empty() {
            let mut app = default_app();
            app.logout_redirect_uris.clear();
            app.app_origins.clear();
            self.apps.push(app);
        }
        &mut self.apps[0]
    }

    /// The application with this id.
    pub fn app(&self, id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.id == id)
    }

    /// Whether `origin` (a browser `Origin` header value) belongs to a registered app.
    pub fn origin_registered(&self, origin: &str) -> bool {
        self.apps
            .iter()
            .any(|a| a.app_origins.iter().any(|o| o == origin))
    }

    /// The user whose id or name (name case-insensitively) is `username`, if the password matches.
    pub fn authenticate(&self, username: &str, password: &str) -> Option<&User> {
        let username = username.trim();
        self.users
            .iter()
            .find(|u| u.id == username || u.name.eq_ignore_ascii_case(username))
            .filter(|u| u.password == password)
    }

    /// The user with this id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
}

/// The ASCII serialisation of a URL's origin (`scheme://host[:port]`, lower
/// case, default port dropped), or `None` when `url` is not an absolute
/// `http:`/`https:` URL with a host and without user info.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.is_empty()
        || authority.contains('@')
        || authority
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
    {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    let (host, port) = match authority.rfind(':') {
        // An IPv6 literal's colons sit inside brackets.
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority.as_str(), None),
    };
    if host.is_empty() {
        return None;
    }
    let default_port = if scheme == "http" { "80" } else { "443" };
    match port {
        None | Some("") => Some(format!("{scheme}://{host}")),
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok() => {
            let p = p.trim_start_matches('0');
            let p = if p.is_empty() { "0" } else { p };
            if p == default_port {
                Some(format!("{scheme}://{host}"))
            } else {
                Some(format!("{scheme}://{host}:{p}"))
            }
        }
        Some(_) => None,
    }
}

/// The normalised origin when `text` is a bare origin (at most a trailing `/`, no path or query).
pub fn parse_origin(text: &str) -> Option<String> {
    let bare = text.strip_suffix('/').unwrap_or(text);
    let after_scheme = bare.split_once("://")?.1;
    if after_scheme.contains(['/', '?', '#', '\\']) {
        return None;
    }
    origin_of(bare)
}

fn as_object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, ConfigError> {
    v.as_object()
        .ok_or_else(|| ConfigError(format!("{what} must be a JSON object")))
}

fn as_array<'a>(v: &'a Value, what: &str) -> Result<&'a Vec<Value>, ConfigError> {
    v.as_array()
        .ok_or_else(|| ConfigError(format!("{what} must be an array")))
}

fn non_empty_string(v: &Value, what: &str) -> Result<String, ConfigError> {
    match v.as_str() {
        Some(s) if !s.is_empty() => Ok(s.to_string()),
        _ => Err(ConfigError(format!("{what} must be a non-empty string"))),
    }
}

fn strings(v: &Value, what: &str) -> Result<Vec<String>, ConfigError> {
    as_array(v, what)?
        .iter()
        .map(|item| non_empty_string(item, what))
        .collect()
}

fn check_keys(obj: &Map<String, Value>, what: &str, allowed: &[&str]) -> Result<(), ConfigError> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(ConfigError(format!(
            "{what}: unknown key {k:?} (expected one of {})",
            allowed.join(", ")
        ))),
        None => Ok(()),
    }
}

fn parse_app(v: &Value, index: usize) -> Result<App, ConfigError> {
    let what = format!("apps[{index}]");
    let obj = as_object(v, &what)?;
    check_keys(
        obj,
        &what,
        &["id", "name", "logoutRedirectUris", "appOrigins"],
    )?;
    let id = non_empty_string(obj.get("id").unwrap_or(&Value::Null), &format!("{what}.id"))?;
    let name = match obj.get("name") {
        Some(v) => non_empty_string(v, &format!("{what}.name"))?,
        None => id.clone(),
    };
    let logout_redirect_uris = match obj.get("logoutRedirectUris") {
        Some(v) => strings(v, &format!("{what}.logoutRedirectUris"))?,
        None => Vec::new(),
    };
    let app_origins = match obj.get("appOrigins") {
        Some(v) => strings(v, &format!("{what}.appOrigins"))?,
        None => Vec::new(),
    };
    Ok(App {
        id,
        name,
        logout_redirect_uris,
        app_origins,
    })
}

fn parse_user(v: &Value, index: usize) -> Result<User, ConfigError> {
    let what = format!("users[{index}]");
    let obj = as_object(v, &what)?;
    check_keys(obj, &what, &["id", "name", "password"])?;
    let field = |key: &str| {
        non_empty_string(
            obj.get(key).unwrap_or(&Value::Null),
            &format!("{what}.{key}"),
        )
    };
    Ok(User {
        id: field("id")?,
        name: field("name")?,
        password: field("password")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            origin_of("http://127.0.0.1:5173/").as_deref(),
            Some("http://127.0.0.1:5173")
        );
        assert_eq!(
            origin_of("HTTPS://Example.COM:443/a?b").as_deref(),
            Some("https://example.com")
        );
        assert_eq!(
            origin_of("http://[::1]:8080/x").as_deref(),
            Some("http://[::1]:8080")
        );
        assert_eq!(origin_of("http://[::1]/x").as_deref(), Some("http://[::1]"));
        assert_eq!(origin_of("http://a:80").as_deref(), Some("http://a"));
        assert_eq!(origin_of("http://user@a/"), None);
        assert_eq!(origin_of("javascript://a/"), None);
        assert_eq!(origin_of("/relative"), None);
        assert_eq!(origin_of("http:///x"), None);
        assert_eq!(parse_origin("http://A:80/").as_deref(), Some("http://a"));
        assert_eq!(parse_origin("http://a/b"), None);
        assert_eq!(parse_origin("http://a?b"), None);
        assert_eq!(origin_of("http://a:99999/"), None);
    }

    #[test]
    fn empty_config_takes_defaults() {
        assert_eq!(TenantConfig::from_json("{}"), Ok(TenantConfig::default()));
    }

    #[test]
    fn parses_a_full_config() {
        let c = TenantConfig::from_json(
            r#"{"userPoolId":"p","adminToken":"t","apps":[{"id":"a","logoutRedirectUris":["http://x:1/after"],"appOrigins":["HTTP://X:1"]}],"users":[{"id":"u","name":"U","password":"pw"}]}"#,
        )
        .expect("valid");
        assert_eq!(c.user_pool_id, "p");
        assert_eq!(c.apps[0].name, "a");
        assert_eq!(c.apps[0].app_origins, vec!["http://x:1".to_string()]);
        assert_eq!(c.authenticate("u", "pw").map(|u| u.id.as_str()), Some("u"));
        assert_eq!(c.authenticate("u", "nope"), None);
    }

    #[test]
    fn refuses_bad_configs() {
        for bad in [
            "[]",
            r#"{"userPoolID":"x"}"#,
            r#"{"apps":[{"id":"a","logoutRedirectUri":[]}]}"#,
            r#"{"apps":[{"id":"a","logoutRedirectUris":["/relative"]}]}"#,
            r#"{"apps":[{"id":"a","appOrigins":["http://x/path"]}]}"#,
            r#"{"apps":[{"id":"a"},{"id":"a"}]}"#,
            r#"{"users":[{"id":"u","name":"U"}]}"#,
            r#"{"adminToken":"a b"}"#,
        ] {
            assert!(
                TenantConfig::from_json(bad).is_err(),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn flags_extend_the_first_app() {
        let mut c = TenantConfig::default();
        c.add_redirect_uri("http://127.0.0.1:9/x").expect("valid");
        c.add_app_origin("http://127.0.0.1:9").expect("valid");
        assert!(c.apps[0]
            .logout_redirect_uris
            .contains(&"http://127.0.0.1:9/x".to_string()));
        assert!(c.origin_registered("http://127.0.0.1:9"));
        assert!(c.add_app_origin("http://127.0.0.1:9/path").is_err());
        assert!(c.add_redirect_uri("ftp://x/").is_err());
    }
}
