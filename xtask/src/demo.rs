//! `cargo xtask demo`: the package, the local GenAuth tenant and the demo app
//! on loopback; or, with `GENAUTH_APP_DOMAIN`, the demo app against a real tenant.

use crate::Result;

/// `cargo xtask demo`.
pub fn run() -> Result {
    Err("the demo is not built yet; use `cargo xtask pkg`".into())
}
