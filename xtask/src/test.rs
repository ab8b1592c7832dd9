//! `cargo xtask test`: every test, from a fresh machine.
//!
//! Order: tools, formatting and lints, native Rust tests (the core's contract
//! table, property tests, the emulator), the npm package build, the type
//! check of a strict TypeScript consumer, then each Node test area (the
//! package as users install it, the browser end-to-end suites, the OpenID
//! provider, the admin entry, hostile input, every other runtime: Chromium
//! under a strict CSP, workerd, Jest with jsdom, `node --jitless`, Bun, Deno
//! and Hermes; the size budget), and a short
//! fuzzing run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{pkg, root, run, tools, Result};

/// Node test areas, in the order they run; each has its own lockfile.
/// The browser crate's wasm-bindgen tests (cargo's arguments): the core and
/// the module's operations with the engine's own URL parser.
pub const BROWSER_WASM_TESTS: [&str; 9] = [
    "test",
    "-p",
    "genauth-logout-browser",
    "--target",
    "wasm32-unknown-unknown",
    "--features",
    "bindgen-tests",
    "--test",
    "wasm",
];

const AREAS: [&str; 8] = [
    "tests/js",
    "tests/admin",
    "tests/server",
    "tests/e2e",
    "tests/oidc",
    "tests/hostile",
    "tests/runtimes",
    "bench",
];

/// Adds the environment every Node test area reads.
pub fn node_env(cmd: &mut Command) -> &mut Command {
    node_env_in(cmd, &root())
}

/// [`node_env`] for a copy of the repository at `root`.
pub fn node_env_in<'a>(cmd: &'a mut Command, root: &Path) -> &'a mut Command {
    cmd.env(
        "GENAUTH_PKG_TARBALL",
        root.join("target/pkg/genauth-logout.tgz"),
    )
    .env("GENAUTH_PKG_DIR", root.join("pkg"))
    .env(
        "GENAUTH_EMULATOR_BIN",
        root.join("target/debug/genauth-emulator"),
    )
    .env("CHROMIUM_PATH", "/usr/bin/chromium")
    .env("GENAUTH_ARTIFACTS", root.join("target/artifacts"))
}

/// The `*.test.mjs` files in `dir`, sorted.
pub fn test_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// `cargo xtask test`.
pub fn run_all() -> Result {
    let root = root();
    tools::ensure_build_tools()?;
    tools::ensure_chromium()?;
    let cargo = |args: &[&str]| run(Command::new("cargo").args(args).current_dir(&root));
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--features",
        "admin,admin-client",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "--workspace", "--features", "admin,admin-client"])?;
    // The core and the browser module's operations under wasm-bindgen-test,
    // with the engine's own URL parser: in Node, then in headless Chromium.
    cargo(&BROWSER_WASM_TESTS)?;
    run(Command::new("cargo")
        .args(BROWSER_WASM_TESTS)
        .env("WASM_BINDGEN_USE_BROWSER", "1")
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .current_dir(&root))?;
    cargo(&["build", "-p", "genauth-emulator"])?;
    pkg::build()?;
    if root.join("tests/types/tsconfig.json").exists() {
        run(Command::new(tools::node_tool("tsc"))
            .args(["-p", "tests/types/tsconfig.json"])
            .current_dir(&root))?;
    }
    let mut ran = 0;
    for area in AREAS {
        let dir = root.join(area);
        let files = test_files(&dir);
        if !dir.join("package.json").exists() || files.is_empty() {
            continue;
        }
        tools::npm_ci(&dir)?;
        run(node_env(&mut Command::new("node"))
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .args(&files)
            .current_dir(&root))?;
        ran += 1;
    }
    if ran == 0 {
        return Err("no Node test area ran".into());
    }
    if root.join("fuzz/run.sh").exists() {
        run(Command::new("bash")
            .args(["fuzz/run.sh", "20"])
            .current_dir(&root))?;
    }
    eprintln!("xtask: all tests passed");
    Ok(())
}
