//! The tenant's configuration: one user pool, its applications and users.
//!
//! Read from the JSON file given with `--config` (every key optional):
//!
//! ```json
//! { "userPoolId": "pool-demo", "adminToken": "admin-secret-token",
//!   "apps": [{ "id": "app-demo", "name": "Demo",
//!              "logoutRedirectUris": ["http://127.0.0.1:5173/"],
//!              "appOrigins": ["http://127.0.0.1:5173"] },
//!            { "id": "app-server", "name": "Demo back end",
//!              "clientSecret": "app-server-secret" }],
//!   "users": [{ "id": "user-alice", "name": "Alice", "password": "alice" }] }
//! ```
//!
//! An app is an OAuth 2.0 / OpenID Connect client whose `client_id` is its
//! `id`. Without `clientSecret` it is a public client (a browser app:
//! authentication method `none`, `client_id` in the form); with one it is a
//! confidential client (`client_secret_basic` or `client_secret_post`).
//!
//! Unknown keys are refused so that a typo (`logoutRedirectUri`) fails loudly
//! instead of silently leaving the default list in place.

use serde::Deserialize;
use std::fmt;
use url::Url;

/// An application registered in the user pool (GenAuth console > Applications).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// Application ID, the `:appId` of the admin API and the OIDC `client_id`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Registered logout callback URLs, compared as exact strings.
    pub logout_redirect_uris: Vec<String>,
    /// Web origins allowed for CORS, for the post-sign-in redirect and for
    /// the authorization endpoint's `redirect_uri`.
    pub app_origins: Vec<String>,
    /// The client secret of a confidential client; `None` for a public client.
    pub client_secret: Option<String>,
}

/// A user of the pool who can sign in on the hosted page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
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

/// The configuration file as written; [`TenantConfig::from_json`] fills in
/// the defaults and checks it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ConfigFile {
    user_pool_id: Option<String>,
    admin_token: Option<String>,
    apps: Option<Vec<AppFile>>,
    users: Option<Vec<User>>,
}

/// One entry of `apps` as written (`name` defaults to `id`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AppFile {
    id: String,
    name: Option<String>,
    #[serde(default)]
    logout_redirect_uris: Vec<String>,
    #[serde(default)]
    app_origins: Vec<String>,
    client_secret: Option<String>,
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

/// The demo's browser app at `http://127.0.0.1:5173` (the demo's default
/// port): a public client.
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
        client_secret: None,
    }
}

/// A confidential client of the same pool, for back ends that revoke
/// tokens with a client secret.
fn default_server_app() -> App {
    App {
        id: "app-server".into(),
        name: "Demo back end".into(),
        logout_redirect_uris: Vec::new(),
        app_origins: Vec::new(),
        client_secret: Some("app-server-secret".into()),
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
            apps: vec![default_app(), default_server_app()],
            users: default_users(),
        }
    }
}

/// `Err` naming `what` unless `value` is a non-empty string.
fn non_empty(value: &str, what: &str) -> Result<(), ConfigError> {
    if value.is_empty() {
        return Err(ConfigError(format!("{what} must be a non-empty string")));
    }
    Ok(())
}

impl TenantConfig {
    /// Parses and validates the JSON configuration; missing keys take defaults.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let file: ConfigFile = serde_json::from_str(text)
            .map_err(|e| ConfigError(format!("config is not valid: {e}")))?;
        let mut config = TenantConfig::default();
        if let Some(pool) = file.user_pool_id {
            non_empty(&pool, "userPoolId")?;
            config.user_pool_id = pool;
        }
        if let Some(token) = file.admin_token {
            non_empty(&token, "adminToken")?;
            config.admin_token = token;
        }
        if let Some(apps) = file.apps {
            config.apps = apps
                .into_iter()
                .enumerate()
                .map(|(i, app)| app.into_app(i))
                .collect::<Result<_, _>>()?;
        }
        if let Some(users) = file.users {
            for (i, user) in users.iter().enumerate() {
                non_empty(&user.id, &format!("users[{i}].id"))?;
                non_empty(&user.name, &format!("users[{i}].name"))?;
                non_empty(&user.password, &format!("users[{i}].password"))?;
            }
            config.users = users;
        }
        config.validate()?;
        Ok(config)
    }

    /// Checks invariants: unique ids, absolute http(s) redirect URIs, valid
    /// origins, secrets without white space. Origins are stored normalised
    /// (see [`origin_of`]).
    pub fn validate(&mut self) -> Result<(), ConfigError> {
        let spaced = |s: &str| s.chars().any(|c| c.is_whitespace() || c.is_control());
        if spaced(&self.admin_token) {
            return Err(ConfigError(
                "adminToken must not contain white space".into(),
            ));
        }
        for (i, app) in self.apps.iter().enumerate() {
            if self.apps[..i].iter().any(|a| a.id == app.id) {
                return Err(ConfigError(format!("duplicate app id {:?}", app.id)));
            }
            if app.client_secret.as_deref().is_some_and(spaced) {
                return Err(ConfigError(format!(
                    "app {:?}: clientSecret must not contain white space",
                    app.id
                )));
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

impl AppFile {
    fn into_app(self, index: usize) -> Result<App, ConfigError> {
        let what = format!("apps[{index}]");
        non_empty(&self.id, &format!("{what}.id"))?;
        if let Some(name) = &self.name {
            non_empty(name, &format!("{what}.name"))?;
        }
        for uri in &self.logout_redirect_uris {
            non_empty(uri, &format!("{what}.logoutRedirectUris"))?;
        }
        for origin in &self.app_origins {
            non_empty(origin, &format!("{what}.appOrigins"))?;
        }
        if let Some(secret) = &self.client_secret {
            non_empty(secret, &format!("{what}.clientSecret"))?;
        }
        Ok(App {
            name: self.name.unwrap_or_else(|| self.id.clone()),
            id: self.id,
            logout_redirect_uris: self.logout_redirect_uris,
            app_origins: self.app_origins,
            client_secret: self.client_secret,
        })
    }
}

/// The ASCII serialisation of a URL's origin (`scheme://host[:port]`, as
/// the WHATWG URL standard serialises it: lower case, default port
/// dropped), or `None` when `url` is not an absolute `http:`/`https:` URL
/// with a host and without user info.
pub fn origin_of(url: &str) -> Option<String> {
    let parsed = Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https")
        || !parsed.username().is_empty()
        || parsed.password().is_some()
    {
        return None;
    }
    parsed.host()?;
    Some(parsed.origin().ascii_serialization())
}

/// The normalised origin when `text` is a bare origin (at most a trailing
/// `/`, no path, query or fragment).
pub fn parse_origin(text: &str) -> Option<String> {
    let bare = text.strip_suffix('/').unwrap_or(text);
    if bare.split_once("://")?.1.contains(['/', '?', '#', '\\']) {
        return None;
    }
    origin_of(bare)
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
        assert_eq!(origin_of("http://u:p@a/"), None);
        assert_eq!(origin_of("javascript://a/"), None);
        assert_eq!(origin_of("/relative"), None);
        // As a browser reads it: extra slashes and backslashes before the host.
        assert_eq!(
            origin_of("http:///evil.example/x").as_deref(),
            Some("http://evil.example")
        );
        assert_eq!(
            origin_of("http:\\\\evil.example\\x").as_deref(),
            Some("http://evil.example")
        );
        assert_eq!(parse_origin("http://A:80/").as_deref(), Some("http://a"));
        assert_eq!(parse_origin("http://a/b"), None);
        assert_eq!(parse_origin("http://a/."), None);
        assert_eq!(parse_origin("http://a?b"), None);
        assert_eq!(parse_origin("http://a#b"), None);
        assert_eq!(origin_of("http://a:99999/"), None);
    }

    #[test]
    fn empty_config_takes_defaults() {
        assert_eq!(TenantConfig::from_json("{}"), Ok(TenantConfig::default()));
    }

    #[test]
    fn parses_a_full_config() {
        let c = TenantConfig::from_json(
            r#"{"userPoolId":"p","adminToken":"t","apps":[{"id":"a","logoutRedirectUris":["http://x:1/after"],"appOrigins":["HTTP://X:1"]},{"id":"b","clientSecret":"s"}],"users":[{"id":"u","name":"U","password":"pw"}]}"#,
        )
        .expect("valid");
        assert_eq!(c.user_pool_id, "p");
        assert_eq!(c.apps[0].name, "a");
        assert_eq!(c.apps[0].app_origins, vec!["http://x:1".to_string()]);
        assert_eq!(c.apps[0].client_secret, None);
        assert_eq!(c.apps[1].client_secret.as_deref(), Some("s"));
        assert_eq!(c.authenticate("u", "pw").map(|u| u.id.as_str()), Some("u"));
        assert_eq!(c.authenticate("u", "nope"), None);
    }

    #[test]
    fn refuses_bad_configs() {
        for bad in [
            "[]",
            r#"{"userPoolID":"x"}"#,
            r#"{"userPoolId":""}"#,
            r#"{"apps":[{"id":"a","logoutRedirectUri":[]}]}"#,
            r#"{"apps":[{"id":"a","logoutRedirectUris":["/relative"]}]}"#,
            r#"{"apps":[{"id":"a","appOrigins":["http://x/path"]}]}"#,
            r#"{"apps":[{"id":"a"},{"id":"a"}]}"#,
            r#"{"apps":[{"id":""}]}"#,
            r#"{"apps":[{"id":"a","clientSecret":"a b"}]}"#,
            r#"{"apps":[{"id":"a","clientSecret":""}]}"#,
            r#"{"apps":[{"id":"a","logoutRedirectUris":"http://x/"}]}"#,
            r#"{"users":[{"id":"u","name":"U"}]}"#,
            r#"{"users":[{"id":"u","name":"","password":"p"}]}"#,
            r#"{"adminToken":"a b"}"#,
        ] {
            assert!(
                TenantConfig::from_json(bad).is_err(),
                "{bad} should be refused"
            );
        }
        let typo = TenantConfig::from_json(r#"{"apps":[{"id":"a","logoutRedirectUri":[]}]}"#);
        assert!(typo.is_err_and(|e| e.0.contains("logoutRedirectUri")));
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
