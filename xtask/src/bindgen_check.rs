//! `cargo xtask bindgen-check [VERSION]`: the package built and its
//! generated-glue tests run against another wasm-bindgen release (by default
//! the next patch release after the pinned one), to show that nothing in the
//! build depends on the text of one release's output.
//!
//! Everything happens in a scratch copy of the committed tree under
//! `target/bindgen-check/tree` (the checkout is never edited):
//! 1. every `=` pin of the wasm-bindgen family (`wasm-bindgen`, `js-sys`,
//!    `web-sys`, `wasm-bindgen-futures`, `wasm-bindgen-test`) in the copy's
//!    Cargo.toml files is moved: `wasm-bindgen` to `=VERSION`, the others
//!    loosened to their minor series so that Cargo's resolver picks the one
//!    release of each that was published with that wasm-bindgen (each of
//!    them requires an exact wasm-bindgen version), then pinned again with
//!    `=` to what it picked; xtask's own `WASM_BINDGEN_VERSION` follows;
//! 2. wasm-bindgen-cli at VERSION is installed with `--root
//!    target/bindgen-check/cli-VERSION` (kept between runs);
//! 3. in the copy, with that cli first on PATH: `cargo xtask pkg`, the
//!    emulator, the Node areas `tests/admin` (which checks the admin glue is
//!    wasm-bindgen's output byte for byte) and `tests/server`, and the browser
//!    crate's wasm-bindgen tests in Node.
//!
//! It is not part of `cargo xtask test`: a cold run installs the cli and
//! rebuilds everything in the copy (see docs/wasm-bindgen.md for timings).

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{output, root, run, test, tools, Result};

/// The crates released together with wasm-bindgen that the project pins.
const FAMILY: [&str; 5] = [
    "wasm-bindgen",
    "js-sys",
    "web-sys",
    "wasm-bindgen-futures",
    "wasm-bindgen-test",
];

/// The Node test areas that load the wasm-bindgen glue.
const AREAS: [&str; 2] = ["tests/admin", "tests/server"];

/// The test in `tests/admin` that compares the shipped glue with
/// wasm-bindgen's output; the check fails if it did not run and pass.
const GLUE_TEST: &str = "glue.js is wasm-bindgen's output as generated";

/// One step's outcome, for the summary.
struct Step {
    name: String,
    ok: bool,
    detail: String,
    seconds: u64,
}

/// `cargo xtask bindgen-check [VERSION]`.
pub fn run_check(version: Option<&str>) -> Result {
    let started = Instant::now();
    let root = root();
    let pinned = pinned_versions(&root)?;
    let old = pinned
        .iter()
        .find(|(name, _)| name == "wasm-bindgen")
        .map(|(_, v)| v.clone())
        .ok_or("no `=` pin of wasm-bindgen in any Cargo.toml")?;
    if old != tools::WASM_BINDGEN_VERSION {
        return Err(format!(
            "Cargo.toml pins wasm-bindgen ={old} but xtask/src/tools.rs says {}",
            tools::WASM_BINDGEN_VERSION
        ));
    }
    let new = match version {
        Some(v) => parse_version(v).map(|_| v.to_string())?,
        None => next_patch(&old)?,
    };
    let head = output(
        Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(&root),
    )
    .unwrap_or_default()
    .trim()
    .to_string();
    eprintln!("bindgen-check: commit {head}, wasm-bindgen {old} -> {new}");

    let scratch = root.join("target/bindgen-check");
    let tree = scratch.join("tree");
    copy_tree(&root, &tree)?;
    let versions = move_pins(&tree, &manifests(&root)?, &pinned, &new)?;

    let cli_root = scratch.join(format!("cli-{new}"));
    let mut steps = Vec::new();
    let t = Instant::now();
    let installed = install_cli(&cli_root, &new)?;
    steps.push(Step {
        name: format!("wasm-bindgen-cli {new} (--root {})", rel(&root, &cli_root)),
        ok: true,
        detail: if installed {
            "installed"
        } else {
            "already there"
        }
        .into(),
        seconds: t.elapsed().as_secs(),
    });
    let path = format!(
        "{}:{}",
        cli_root.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Anything the copy's xtask would install goes to the scratch root too.
    let env = |cmd: &mut Command| {
        cmd.env("PATH", &path)
            .env("CARGO_INSTALL_ROOT", &cli_root)
            .current_dir(&tree);
    };

    let t = Instant::now();
    let mut pkg = Command::new("cargo");
    pkg.args(["xtask", "pkg"]);
    env(&mut pkg);
    let built = run(&mut pkg);
    steps.push(Step {
        name: "cargo xtask pkg".into(),
        ok: built.is_ok(),
        detail: built.err().unwrap_or_else(|| "built".into()),
        seconds: t.elapsed().as_secs(),
    });
    if steps.iter().all(|s| s.ok) {
        let t = Instant::now();
        let mut emulator = Command::new("cargo");
        emulator.args(["build", "-p", "genauth-emulator"]);
        env(&mut emulator);
        let built = run(&mut emulator);
        steps.push(Step {
            name: "cargo build -p genauth-emulator".into(),
            ok: built.is_ok(),
            detail: built.err().unwrap_or_else(|| "built".into()),
            seconds: t.elapsed().as_secs(),
        });
    }
    if steps.iter().all(|s| s.ok) {
        for area in AREAS {
            let t = Instant::now();
            let step = node_area(&tree, area, &env);
            steps.push(Step {
                seconds: t.elapsed().as_secs(),
                ..step
            });
        }
        let t = Instant::now();
        let mut wasm = Command::new("cargo");
        wasm.args(crate::test::BROWSER_WASM_TESTS);
        env(&mut wasm);
        let (ok, text) = tee(&mut wasm);
        steps.push(Step {
            name: "browser crate wasm-bindgen tests (Node)".into(),
            ok: ok && !text.is_empty(),
            detail: last_line_with(&text, "test result:")
                .unwrap_or_else(|| "no test result line".into()),
            seconds: t.elapsed().as_secs(),
        });
    }

    let passed = steps.iter().all(|s| s.ok);
    let mut summary = format!(
        "bindgen-check {} (commit {head}, {} s in all)\nversions:\n",
        if passed { "PASSED" } else { "FAILED" },
        started.elapsed().as_secs()
    );
    for (name, from, to) in &versions {
        summary.push_str(&format!("  {name} ={from} -> ={to}\n"));
    }
    summary.push_str("steps:\n");
    for s in &steps {
        summary.push_str(&format!(
            "  [{}] {} ({} s): {}\n",
            if s.ok { "pass" } else { "FAIL" },
            s.name,
            s.seconds,
            s.detail
        ));
    }
    eprint!("\n{summary}");
    let _ = fs::write(scratch.join("last-result.txt"), &summary);
    if passed {
        Ok(())
    } else {
        Err("bindgen-check failed (see the steps above)".into())
    }
}

/// A version as three numbers.
fn parse_version(v: &str) -> Result<[u64; 3]> {
    let parts: Vec<u64> = v
        .split('.')
        .map(|p| p.parse::<u64>().map_err(|_| format!("not a version: {v}")))
        .collect::<Result<_>>()?;
    <[u64; 3]>::try_from(parts).map_err(|_| format!("not a MAJOR.MINOR.PATCH version: {v}"))
}

fn next_patch(v: &str) -> Result<String> {
    let [major, minor, patch] = parse_version(v)?;
    Ok(format!("{major}.{minor}.{}", patch + 1))
}

/// The Cargo.toml files tracked by git (the copy is no repository of its
/// own: it lies in the checkout's ignored `target/`).
fn manifests(root: &Path) -> Result<Vec<PathBuf>> {
    let listed = output(
        Command::new("git")
            .args(["ls-files", "--", "Cargo.toml", "*/Cargo.toml"])
            .current_dir(root),
    )
    .ok_or("git ls-files failed")?;
    Ok(listed.lines().map(|l| PathBuf::from(l.trim())).collect())
}

/// The dependency a manifest line declares and its `=` pin, if any:
/// `name = "=1.2.3"` or `name = { version = "=1.2.3", ... }`.
fn pin_on_line(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = line.split_once('=')?;
    let name = name.trim();
    let start = rest.find("\"=")? + 2;
    let len = rest[start..].find('"')?;
    Some((name, &rest[start..start + len]))
}

/// Every family crate's pinned version, checked to be one per crate.
fn pinned_versions(root: &Path) -> Result<Vec<(String, String)>> {
    let mut found: Vec<(String, String)> = Vec::new();
    for manifest in manifests(root)? {
        let text = fs::read_to_string(root.join(&manifest))
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
        for line in text.lines() {
            let Some((name, version)) = pin_on_line(line) else {
                continue;
            };
            if !FAMILY.contains(&name) {
                continue;
            }
            match found.iter().find(|(n, _)| n == name) {
                Some((_, v)) if v != version => {
                    return Err(format!(
                        "{name} is pinned both ={v} and ={version} ({})",
                        manifest.display()
                    ))
                }
                Some(_) => {}
                None => found.push((name.to_string(), version.to_string())),
            }
        }
    }
    Ok(found)
}

/// The committed tree (`git archive HEAD`) extracted into `tree`; the copy's
/// own `target/` is kept so a second run builds incrementally.
fn copy_tree(root: &Path, tree: &Path) -> Result {
    fs::create_dir_all(tree).map_err(|e| format!("{}: {e}", tree.display()))?;
    for entry in fs::read_dir(tree).map_err(|e| e.to_string())?.flatten() {
        if entry.file_name() == "target" {
            continue;
        }
        let path = entry.path();
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let archive = format!(
        "git archive --format=tar HEAD | tar -x -C '{}'",
        tree.display()
    );
    run(Command::new("bash")
        .args(["-o", "pipefail", "-c", &archive])
        .current_dir(root))
}

/// Moves the copy's pins to wasm-bindgen `new` and the releases of the
/// other family crates that go with it; returns (crate, from, to).
fn move_pins(
    tree: &Path,
    manifests: &[PathBuf],
    pinned: &[(String, String)],
    new: &str,
) -> Result<Vec<(String, String, String)>> {
    // First wasm-bindgen exact and the others by minor series: the resolver
    // then finds the one release of each that requires `=new`.
    rewrite_pins(tree, manifests, |name, req| {
        let old = req.strip_prefix('=')?;
        if name == "wasm-bindgen" {
            Some(format!("={new}"))
        } else {
            let [major, minor, _] = parse_version(old).ok()?;
            Some(format!("{major}.{minor}"))
        }
    })?;
    // Resolving (here by `cargo tree`) updates the copy's Cargo.lock.
    run(Command::new("cargo")
        .args(["tree", "--workspace", "--depth", "0"])
        .stdout(Stdio::null())
        .current_dir(tree))?;
    let lock = fs::read_to_string(tree.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let mut moved = Vec::new();
    for (name, from) in pinned {
        let versions = locked_versions(&lock, name);
        let [to] = versions.as_slice() else {
            return Err(format!(
                "Cargo.lock holds {name} at {versions:?}, not one version"
            ));
        };
        moved.push((name.clone(), from.clone(), to.clone()));
    }
    if let Some(wb) = moved.iter().find(|(n, _, _)| n == "wasm-bindgen") {
        if wb.2 != new {
            return Err(format!("the resolver chose wasm-bindgen {}", wb.2));
        }
    }
    // Every version in the lock for the wasm-bindgen internals as well.
    for name in [
        "wasm-bindgen-macro",
        "wasm-bindgen-macro-support",
        "wasm-bindgen-shared",
    ] {
        let versions = locked_versions(&lock, name);
        if versions.iter().any(|v| v != new) {
            return Err(format!("Cargo.lock holds {name} at {versions:?}"));
        }
    }
    // Then every pin exact again, as the project keeps them.
    rewrite_pins(tree, manifests, |name, _| {
        moved
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, to)| format!("={to}"))
    })?;
    run(Command::new("cargo")
        .args(["tree", "--workspace", "--depth", "0", "--locked"])
        .stdout(Stdio::null())
        .current_dir(tree))?;
    let tools_rs = tree.join("xtask/src/tools.rs");
    let text = fs::read_to_string(&tools_rs).map_err(|e| e.to_string())?;
    let from = format!(
        "WASM_BINDGEN_VERSION: &str = \"{}\";",
        tools::WASM_BINDGEN_VERSION
    );
    if !text.contains(&from) {
        return Err(format!("{} has no `{from}`", tools_rs.display()));
    }
    let to = format!("WASM_BINDGEN_VERSION: &str = \"{new}\";");
    fs::write(&tools_rs, text.replace(&from, &to)).map_err(|e| e.to_string())?;
    Ok(moved)
}

/// Rewrites the requirement of family crates in the copy's manifests: `to`
/// gets the crate and its requirement as written and returns the new one,
/// or `None` to leave the line alone.
fn rewrite_pins(
    tree: &Path,
    manifests: &[PathBuf],
    to: impl Fn(&str, &str) -> Option<String>,
) -> Result {
    for manifest in manifests {
        let path = tree.join(manifest);
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            out.push_str(&rewrite_line(line, &to).unwrap_or_else(|| line.to_string()));
        }
        if out != text {
            fs::write(&path, out).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// One manifest line with the family crate's requirement replaced.
fn rewrite_line(line: &str, to: &impl Fn(&str, &str) -> Option<String>) -> Option<String> {
    let (name, rest) = line.split_once('=')?;
    let name_trimmed = name.trim();
    if !FAMILY.contains(&name_trimmed) {
        return None;
    }
    // The requirement is the first quoted string: `"..."` or `version = "..."`.
    let start = rest.find('"')? + 1;
    let len = rest[start..].find('"')?;
    let new = to(name_trimmed, &rest[start..start + len])?;
    Some(format!(
        "{name}={}{new}{}",
        &rest[..start],
        &rest[start + len..]
    ))
}

/// The versions Cargo.lock holds of one package.
fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let wanted = format!("name = \"{name}\"");
    let mut out = Vec::new();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                out.push(v.to_string());
            }
        }
    }
    out
}

/// wasm-bindgen-cli at `version` into `cli_root`, unless it is there;
/// whether it had to be installed.
fn install_cli(cli_root: &Path, version: &str) -> Result<bool> {
    let bin = cli_root.join("bin/wasm-bindgen");
    let have = output(Command::new(&bin).arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(version) {
        return Ok(false);
    }
    run(Command::new("cargo")
        .args(["install", "wasm-bindgen-cli", "--locked", "--version"])
        .arg(format!("={version}"))
        .arg("--root")
        .arg(cli_root))?;
    let have = output(Command::new(&bin).arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(version) {
        Ok(true)
    } else {
        Err(format!("{} --version says {have:?}", bin.display()))
    }
}

/// One Node test area in the copy, with its counts.
fn node_area(tree: &Path, area: &str, env: &impl Fn(&mut Command)) -> Step {
    let name = format!("node --test {area}");
    let dir = tree.join(area);
    let fail = |detail: String| Step {
        name: name.clone(),
        ok: false,
        detail,
        seconds: 0,
    };
    if let Err(e) = tools::npm_ci(&dir) {
        return fail(e);
    }
    let files = test::test_files(&dir);
    if files.is_empty() {
        return fail(format!("no test files in {area}"));
    }
    let mut cmd = Command::new("node");
    test::node_env_in(&mut cmd, tree)
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .args(&files);
    env(&mut cmd);
    let (ok, text) = tee(&mut cmd);
    let count = |key: &str| {
        last_line_with(&text, &format!("ℹ {key} "))
            .and_then(|l| l.rsplit(' ').next().map(str::to_string))
            .unwrap_or_else(|| "?".into())
    };
    let mut detail = format!(
        "tests {}, pass {}, fail {}, skipped {}",
        count("tests"),
        count("pass"),
        count("fail"),
        count("skipped")
    );
    let mut ok = ok && count("fail") == "0";
    if area == "tests/admin" {
        match last_line_with(&text, GLUE_TEST) {
            Some(l) if l.contains('✔') && !l.contains("# SKIP") => {
                detail.push_str("; glue-as-generated check passed");
            }
            other => {
                ok = false;
                detail.push_str(&format!(
                    "; glue-as-generated check did not pass: {other:?}"
                ));
            }
        }
    }
    Step {
        name,
        ok,
        detail,
        seconds: 0,
    }
}

/// Runs `cmd`, echoing its standard output as it comes and keeping it.
fn tee(cmd: &mut Command) -> (bool, String) {
    eprintln!("xtask: {cmd:?}");
    let Ok(mut child) = cmd.stdout(Stdio::piped()).spawn() else {
        return (false, String::new());
    };
    let mut text = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::io::Result::ok)
        {
            println!("{line}");
            text.push_str(&line);
            text.push('\n');
        }
    }
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (ok, text)
}

fn last_line_with(text: &str, needle: &str) -> Option<String> {
    text.lines()
        .rev()
        .find(|l| l.contains(needle))
        .map(|l| l.trim().to_string())
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_read_from_both_forms() {
        assert_eq!(
            pin_on_line(r#"js-sys = "=0.3.82""#),
            Some(("js-sys", "0.3.82"))
        );
        assert_eq!(
            pin_on_line(r#"wasm-bindgen = { version = "=0.2.105", default-features = false }"#),
            Some(("wasm-bindgen", "0.2.105"))
        );
        assert_eq!(pin_on_line(r#"serde-wasm-bindgen = "0.6""#), None);
    }

    #[test]
    fn lines_are_rewritten_in_place() {
        let to = |name: &str, old: &str| Some(format!("{name}:{old}"));
        assert_eq!(
            rewrite_line(
                "web-sys = { version = \"=0.3.82\", features = [\"Window\"] }\n",
                &to
            )
            .as_deref(),
            Some("web-sys = { version = \"web-sys:=0.3.82\", features = [\"Window\"] }\n")
        );
        assert_eq!(rewrite_line("serde-wasm-bindgen = \"0.6\"\n", &to), None);
        assert_eq!(rewrite_line("# wasm-bindgen = \"=1\"\n", &to), None);
    }

    #[test]
    fn the_next_patch_release() {
        assert_eq!(next_patch("0.2.105").as_deref(), Ok("0.2.106"));
        assert!(next_patch("0.2").is_err());
        assert!(parse_version("0.2.x").is_err());
    }

    #[test]
    fn locked_versions_lists_every_copy() {
        let lock = "[[package]]\nname = \"syn\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"syn\"\nversion = \"2.0.1\"\n";
        assert_eq!(locked_versions(lock, "syn"), ["1.0.0", "2.0.1"]);
        assert!(locked_versions(lock, "quote").is_empty());
    }
}
