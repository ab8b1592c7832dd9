//! `cargo xtask demo|test|bench|pkg|fuzz`: every build and test step of the
//! project, including installing the tools it needs, so that a new machine
//! runs the same commands as CI.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod bindgen_check;
mod pkg;
mod tools;

/// What went wrong, for the one-line report at the end.
type Result<T = ()> = std::result::Result<T, String>;

fn usage() -> &'static str {
    "usage: cargo xtask <command>\n\
     \n  pkg     build the npm package into pkg/ and pack it to target/pkg/genauth-logout.tgz\
     \n  test    run every test (installs what it needs first)\
     \n  demo    build the package, start the local GenAuth tenant and the demo app\
     \n  bench   size and start-up benchmark against peer SDKs (writes bench/RESULTS.md)\
     \n  fuzz    a longer fuzzing run (SECONDS, default 600)\
     \n  bindgen-check [VERSION]\
     \n          build the package and run the glue tests against another wasm-bindgen\
     \n          release (default: the next patch release) in a scratch copy"
}

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command to completion; a non-zero exit is an error naming it.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: {shown}");
    let status = cmd.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// Runs a command and returns its standard output, or None if it failed to run.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("pkg") => tools::ensure_build_tools().and_then(|()| pkg::build()),
        Some("test") => test::run_all(),
        Some("demo") => demo::run(),
        Some("bench") => bench(),
        Some("bindgen-check") => bindgen_check::run_check(args.get(1).map(String::as_str)),
        Some("fuzz") => fuzz(args.get(1).map(String::as_str).unwrap_or("600")),
        _ => {
            eprintln!("{}", usage());
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

mod demo;
mod test;

fn bench() -> Result {
    tools::ensure_build_tools()?;
    tools::ensure_chromium()?;
    pkg::build()?;
    let root = root();
    tools::npm_ci(&root.join("bench"))?;
    run(test::node_env(Command::new("node").arg("bench/run.mjs")).current_dir(&root))
}

fn fuzz(seconds: &str) -> Result {
    let root = root();
    run(Command::new("bash")
        .arg("fuzz/run.sh")
        .arg(seconds)
        .current_dir(&root))
}
