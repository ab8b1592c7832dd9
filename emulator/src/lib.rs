//! A local GenAuth tenant: a stand-in for `https://<app>.genauth.ai` that
//! runs on loopback for the genauth-logout demo and tests.
//!
//! It follows the source document (`shared/seed/logout.md`) and nothing
//! more: the hosted logout page `/login/profile/logout?redirect_uri=` with
//! its registered-redirect check, the personal center `/u`, the OIDC
//! end-session endpoint `/oidc/session/end` (RP-Initiated Logout 1.0), CAS
//! logout `/cas-idp/logout?url=`, and the administrator API
//! `POST /api/applications/:appId/kick-active-users` with its
//! `x-authing-userpool-id` and `Authorization` checks, answering
//! `{"code":200,"message":"Forced offline successful"}` and reporting API
//! failures in the body, often with HTTP 200, as GenAuth does. A sign-in
//! page and `/api/me` exist so there is a session to end.
//!
//! Tokens are outside the source document: the authorization, token,
//! revocation and userinfo endpoints follow OAuth 2.0, PKCE, RFC 7009
//! (token revocation) and OpenID Connect at GenAuth's paths, and nothing of
//! GenAuth's internals (see [`oidc`]). They exist so that an app can sign in
//! with a refresh token, revoke it at logout, and see it refused afterwards.
//!
//! The genauth-logout library knows nothing of it: it is pointed at the
//! emulator's `http://127.0.0.1:<port>` like at any app domain, and no code
//! path in the library special-cases it. Test hooks under `/__emulator/`
//! inject faults (delays, dropped connections, HTTP errors, non-JSON and API
//! error bodies) and show the requests the library really sent.
//!
//! # Command line
//!
//! `genauth-emulator [--host 127.0.0.1] [--port 0] [--config path.json]
//! [--redirect-uri URL]... [--app-origin ORIGIN]...` — the first stdout line
//! is exactly `genauth-emulator listening on http://127.0.0.1:<port>`, then
//! one line per request (`METHOD /path?name=… -> status`; parameter values,
//! headers and bodies are never logged). The repeatable flags add to the
//! first app of the configuration (`app-demo` by default). Bad arguments or
//! configuration: a message on stderr and exit status 2. See [`config`] for
//! the JSON file.
//!
//! # Endpoints
//!
//! | request | answer |
//! |---|---|
//! | `GET /login?redirect_uri=` | sign-in form (`#username`, `#password`, `#sign-in`) |
//! | `POST /login` (form `username`, `password`, `redirect_uri`) | cookie `genauth_session` (HttpOnly, SameSite=Lax, Path=/); 302 to `redirect_uri` on a registered app origin (or a local path), else the user page; 401 + `#error` on bad credentials |
//! | `GET /api/me` | `{"signedIn":bool,"user":{"id","name"}\|null}`, CORS with credentials for registered app origins |
//! | `GET /u` | personal center: `#user-name`, `#logout` link to `/login/profile/logout` (or `#not-signed-in`) |
//! | `GET /login/profile/logout?redirect_uri=` | ends the session; 302 only to an exactly registered URI, else 400 `#error`; none: `#signed-out` |
//! | `GET`/`POST` (form) `/oidc/session/end` | same, with `post_logout_redirect_uri`, `state` appended, `client_id` narrowing to one app |
//! | `GET /cas-idp/logout?url=` | same, with `url` |
//! | `POST /api/applications/:appId/kick-active-users` | see [`routes`] for the checks and their order |
//! | `GET /oidc/auth?client_id=&redirect_uri=&response_type=code[&state=&code_challenge=&code_challenge_method=S256]` | 302 to `redirect_uri?code=…&state=…` with a session, else to the sign-in page, which comes back |
//! | `POST /oidc/token` (form; `grant_type` `authorization_code`, `refresh_token` or `password`) | `{"access_token","token_type":"Bearer","expires_in","refresh_token"?,"scope"}`; `400 {"error":"invalid_grant"}` for a revoked refresh token |
//! | `POST /oidc/token/revocation` (form `token`, `token_type_hint`, client authentication) | 200 (also for unknown tokens), `400 invalid_request`, `401 invalid_client` |
//! | `GET /oidc/me` (`Authorization: Bearer`) | `{"sub","name"}`, or 401 `invalid_token` |
//! | `OPTIONS` on `/api/me`, kick-active-users and the three `/oidc/` APIs above | preflight: 204 for registered origins, 403 otherwise |
//!
//! # Test hooks
//!
//! | request | effect |
//! |---|---|
//! | `POST /__emulator/faults` (a fault object or an array of them) | queue misbehaviour, see [`faults`] |
//! | `GET /__emulator/requests[?path_prefix=/api/]` | JSON array of `{method, path, query, headers, body, fault}` |
//! | `POST /__emulator/reset` | clear faults and records (sessions stay) |
//! | `GET /__emulator/sessions` | JSON array of `{userId}`, one per live session |
//! | `GET /__emulator/tokens` | JSON array of `{type, clientId, userId}`, one per live token (no values) |
//!
//! Hook requests and `/favicon.ico` are neither recorded nor faulted;
//! CORS preflights are recorded but never consume a fault. Faults apply to
//! every other path, the token endpoints included (`path_prefix`).
//!
//! HTTP/1.1 is hyper's, on one tokio thread, one request per connection
//! (see [`server`]); JSON is serde's, URLs and origins the `url` crate's,
//! and `encodeURIComponent` the genauth-logout core's.
#![deny(missing_docs)]

pub mod cli;
pub mod config;
pub mod faults;
pub mod message;
pub mod oidc;
pub mod pages;
pub mod routes;
pub mod server;
pub mod tenant;

pub use cli::{Command, Options};
pub use config::TenantConfig;
pub use server::serve;
pub use tenant::Tenant;
