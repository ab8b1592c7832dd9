//! Installing what the build and the tests need, idempotently: the wasm32
//! target, wasm-bindgen-cli at the crate's exact version, the Node build tools
//! from `tools/package-lock.json`, and Debian's Chromium and ChromeDriver.

use std::path::Path;
use std::process::Command;

use crate::{output, root, run, Result};

/// Must equal the `wasm-bindgen` version pinned in Cargo.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.105";

/// The wasm32 target, wasm-bindgen-cli and the Node build tools.
pub fn ensure_build_tools() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let components = output(Command::new("rustup").args(["component", "list", "--installed"]))
        .unwrap_or_default();
    if !components.lines().any(|l| l.trim() == "rust-src") {
        // Needed to rebuild core/alloc for the size-bound browser build.
        run(Command::new("rustup").args(["component", "add", "rust-src"]))?;
    }
    let version = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if version.split_whitespace().nth(1) != Some(WASM_BINDGEN_VERSION) {
        run(Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &format!("={WASM_BINDGEN_VERSION}"),
            "--locked",
        ]))?;
    }
    npm_ci(&root().join("tools"))
}

/// `npm ci` in `dir` unless its node_modules already matches the lockfile.
pub fn npm_ci(dir: &Path) -> Result {
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::read(&lock), std::fs::read(&stamp)) {
        (Ok(_), Ok(_)) => {
            let l = std::fs::metadata(&lock).and_then(|m| m.modified()).ok();
            let s = std::fs::metadata(&stamp).and_then(|m| m.modified()).ok();
            matches!((l, s), (Some(l), Some(s)) if s >= l)
        }
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir))
}

/// Debian's chromium and chromium-driver (no browser download).
pub fn ensure_chromium() -> Result {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args([
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// A binary installed by `npm ci` in tools/.
pub fn node_tool(name: &str) -> std::path::PathBuf {
    root().join("tools/node_modules/.bin").join(name)
}
