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
//! The genauth-logout library knows nothing of it: it is pointed at the
//! emulator's `http://127.0.0.1:<port>` like at any app domain, and no code
//! path in the library special-cases it. Test hooks under `/__emulator/`
//! inject faults (delays, dropped connections, HTTP errors, non-JSON and API
//! error bodies) and show the requests the library really sent.
//!
//! The server is std only (threads, one request per connection) so that it
//! builds fast on CI; `serde_json` is its only dependency.
#![deny(missing_docs)]

pub mod cli;
pub mod config;
pub mod faults;
pub mod http;
pub mod pages;
pub mod routes;
pub mod server;
pub mod tenant;

pub use cli::{Command, Options};
pub use config::TenantConfig;
pub use server::serve;
pub use tenant::Tenant;
