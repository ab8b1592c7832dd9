//! Building the npm package: the crate compiled twice to wasm32 (the browser
//! entry and the admin entry), each run through wasm-bindgen and wasm-opt,
//! inlined as a string literal next to its JavaScript glue, plus the hand-written
//! facades and types from `pkg-template/`, an ESM and a CommonJS tree, packed
//! with `npm pack`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::node_tool;
use crate::{root, run, Result};

/// One wasm module of the package.
struct Entry {
    /// Directory under `pkg/dist/` and under `target/bindgen/`.
    dir: &'static str,
    /// The cargo feature that selects its exports.
    feature: &'static str,
    /// wasm-bindgen's `--out-name`.
    out_name: &'static str,
    /// Whether it ships to browsers (built for size).
    size_bound: bool,
}

const ENTRIES: [Entry; 2] = [
    Entry {
        dir: "main",
        feature: "wasm",
        out_name: "genauth_logout",
        size_bound: true,
    },
    Entry {
        dir: "admin",
        feature: "wasm-admin",
        out_name: "genauth_logout_admin",
        size_bound: false,
    },
];

/// The WebAssembly features wasm-bindgen's output uses, for wasm-opt.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            write(
                &target,
                fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?,
            )?;
        }
    }
    Ok(())
}

/// The bytes as the body of a JavaScript string literal, one character per
/// byte: printable ASCII as itself, every other byte as `\xNN`. The file
/// stays pure ASCII (safe under any charset), and unlike base64 it keeps the
/// module's byte patterns aligned, so gzip finds them: measured on the
/// browser module, 17.4 KB gzip against 19.8 KB for base64.
fn byte_string(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
            out.push(b as char);
        } else {
            out.push_str("\\x");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// wasm-bindgen's `--target web` glue ends with an async loader that fetches
/// `new URL("…_bg.wasm", import.meta.url)`. We instantiate synchronously from
/// inlined bytes, and that `import.meta.url` reference would make bundlers
/// look for a file we do not ship, so the loader is cut off.
/// wasm-bindgen imports `module = "/pkg-template/src/…"` snippets from a
/// hashed `snippets/` copy; point the import at the facade's own copy in
/// `dist/` instead, so each module exists once in the package.
fn link_snippets(glue: &str) -> String {
    let mut out = String::with_capacity(glue.len());
    for line in glue.split_inclusive('\n') {
        match (
            line.find("from './snippets/"),
            line.find("/pkg-template/src/"),
        ) {
            (Some(from), Some(file)) if line.starts_with("import ") => {
                out.push_str(&line[..from]);
                out.push_str("from '../");
                out.push_str(&line[file + "/pkg-template/src/".len()..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn strip_async_loader(glue: &str) -> Result<String> {
    let cut = glue
        .find("async function __wbg_init(")
        .ok_or("wasm-bindgen glue has no __wbg_init to remove")?;
    let mut out = glue[..cut].replace("    __wbg_init.__wbindgen_wasm_module = module;\n", "");
    out.push_str("export { initSync };\n");
    if out.contains("__wbg_init") {
        return Err("wasm-bindgen glue still refers to __wbg_init".into());
    }
    if out.contains("import.meta") {
        return Err("wasm-bindgen glue still refers to import.meta".into());
    }
    Ok(out)
}

/// Builds one entry's wasm and returns the optimised `_bg.wasm` path.
fn build_wasm(entry: &Entry) -> Result<PathBuf> {
    let root = root();
    let target_dir = root.join("target/wasm").join(entry.dir);
    let mut cargo = Command::new("cargo");
    cargo
        .args([
            "build",
            "--lib",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .args(["--no-default-features", "--features", entry.feature])
        .arg("--target-dir")
        .arg(&target_dir)
        .current_dir(&root);
    if entry.size_bound {
        // The browser entry is size-bound: rebuild `core` and `alloc` with the
        // immediate-abort panic strategy so no panic message formatting is
        // linked (measured: 52.4 KB -> 46.0 KB after wasm-opt); no source
        // locations and no `Debug` formatting either; and without the
        // reference-types feature, so wasm-bindgen (which passes only
        // strings here) emits no externref table and no code to set it up;
        // and with more MIR-level inlining, which lets LLVM drop more moves
        // and drop glue (bench/wasm-variants.sh measures each choice).
        // All are
        // unstable flags, enabled on the stable toolchain by RUSTC_BOOTSTRAP;
        // the crate itself uses no unstable feature.
        cargo
            .args(["-Z", "build-std=core,alloc"])
            .env("RUSTC_BOOTSTRAP", "1")
            .env(
                "RUSTFLAGS",
                format!(
                    "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Ctarget-feature=-reference-types -Zmir-opt-level=3 -Zinline-mir-threshold=400 --remap-path-prefix={}=",
                    std::env::var("CARGO_HOME")
                        .map(PathBuf::from)
                        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo")))
                        .unwrap_or_default()
                        .display()
                ),
            );
    }
    run(&mut cargo)?;
    let wasm = target_dir.join("wasm32-unknown-unknown/release/genauth_logout.wasm");
    let out = root.join("target/bindgen").join(entry.dir);
    let _ = fs::remove_dir_all(&out);
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--out-name", entry.out_name, "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    let bg = out.join(format!("{}_bg.wasm", entry.out_name));
    let optimised = out.join(format!("{}_opt.wasm", entry.out_name));
    run(Command::new(node_tool("wasm-opt"))
        .args([
            "-Oz",
            "--converge",
            "--strip-debug",
            "--strip-producers",
            "--strip-target-features",
        ])
        .args(WASM_FEATURES)
        .arg(&bg)
        .arg("-o")
        .arg(&optimised))?;
    Ok(optimised)
}

/// `cargo xtask pkg`.
pub fn build() -> Result {
    let root = root();
    let pkg = root.join("pkg");
    let _ = fs::remove_dir_all(&pkg);
    let template = root.join("pkg-template");
    for entry in &ENTRIES {
        let facade = if entry.dir == "main" {
            template.join("src/index.js")
        } else {
            template.join("admin/admin.js")
        };
        if !facade.exists() {
            eprintln!(
                "xtask: {} has no facade yet; skipping that entry",
                entry.dir
            );
            continue;
        }
        let wasm = build_wasm(entry)?;
        let bytes = fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
        let glue = read(
            &root
                .join("target/bindgen")
                .join(entry.dir)
                .join(format!("{}.js", entry.out_name)),
        )?;
        let dist = pkg.join("dist").join(entry.dir);
        write(
            &dist.join("glue.js"),
            strip_async_loader(&link_snippets(&glue))?,
        )?;
        write(
            &dist.join("wasm.js"),
            format!(
                "// The {} WebAssembly module ({} bytes after wasm-opt), inlined so that no bundler\n\
                 // plugin and no fetch are needed; compiled synchronously on first use.\n\
                 const bytes = \"{}\";\n\
                 export const wasmBytes = Uint8Array.from(bytes, (c) => c.charCodeAt(0));\n",
                entry.out_name,
                bytes.len(),
                byte_string(&bytes)
            ),
        )?;
        // Kept for size measurement (`cargo xtask bench`, the size test).
        write(
            &root
                .join("target/pkg")
                .join(format!("{}_bg.wasm", entry.out_name)),
            &bytes,
        )?;
    }
    copy_dir(&template.join("src"), &pkg.join("dist"))?;
    if template.join("admin").exists() {
        for file in fs::read_dir(template.join("admin"))
            .map_err(|e| e.to_string())?
            .flatten()
        {
            let name = file.file_name();
            let name = name.to_string_lossy();
            let dest = if name.ends_with(".d.ts") {
                pkg.join(&*name)
            } else {
                pkg.join("dist/admin").join(&*name)
            };
            write(&dest, fs::read(file.path()).map_err(|e| e.to_string())?)?;
        }
    }
    for file in ["package.json", "README.md", "index.d.ts", "LICENSE"] {
        let from = template.join(file);
        if from.exists() {
            write(&pkg.join(file), fs::read(&from).map_err(|e| e.to_string())?)?;
        }
    }
    // Types for `require()` consumers: TypeScript reads `.d.ts` beside an
    // ESM package as ESM and refuses it from CommonJS (TS1479).
    for name in ["index", "admin"] {
        let dts = pkg.join(format!("{name}.d.ts"));
        if dts.exists() {
            write(
                &pkg.join(format!("{name}.d.cts")),
                read(&dts)?.replace("\"./index.js\"", "\"./index.cjs\""),
            )?;
        }
    }
    commonjs(&pkg)?;
    let packed = root.join("target/pkg");
    fs::create_dir_all(&packed).map_err(|e| e.to_string())?;
    run(Command::new("npm")
        .args(["pack", "--silent", "--pack-destination"])
        .arg(&packed)
        .current_dir(&pkg))?;
    let version = read(&pkg.join("package.json"))?
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("\"version\": \"")
                .map(|v| v.trim_end_matches([',', '"']).to_string())
        })
        .ok_or("pkg-template/package.json has no version")?;
    let tgz = packed.join(format!("genauth-logout-{version}.tgz"));
    fs::rename(&tgz, packed.join("genauth-logout.tgz"))
        .map_err(|e| format!("{}: {e}", tgz.display()))?;
    eprintln!(
        "xtask: packed {}",
        packed.join("genauth-logout.tgz").display()
    );
    Ok(())
}

/// The CommonJS tree for `require()`: each entry bundled by esbuild with the
/// shared `error.js` left external, so both entries throw the same class.
fn commonjs(pkg: &Path) -> Result {
    let dist = pkg.join("dist");
    let cjs = dist.join("cjs");
    let mut jobs = vec![("index.js", "index.js"), ("error.js", "error.js")];
    if dist.join("admin/admin.js").exists() {
        jobs.push(("admin/admin.js", "admin/admin.js"));
    }
    for (from, to) in jobs {
        run(Command::new(node_tool("esbuild"))
            .arg(dist.join(from))
            .args([
                "--bundle",
                "--format=cjs",
                "--platform=neutral",
                "--target=es2022",
            ])
            .args(["--external:./error.js", "--external:../error.js"])
            .arg(format!("--outfile={}", cjs.join(to).display())))?;
    }
    write(&cjs.join("package.json"), "{ \"type\": \"commonjs\" }\n")
}
