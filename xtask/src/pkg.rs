//! Building the npm package: two crates compiled to wasm32 (the browser
//! module, `pkg-template/browser`, with its own ABI and hand-written
//! JavaScript side `pkg-template/src/wire.js`; the admin entry,
//! `pkg-template/admin`, run through wasm-bindgen), each optimised with
//! wasm-opt and inlined as a string literal, plus the hand-written facades
//! and types from `pkg-template/`, an ESM and a CommonJS tree, packed with
//! `npm pack`. Nothing generated is edited: the browser module has no
//! generated glue, and the admin entry ships wasm-bindgen's as it is.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::node_tool;
use crate::{root, run, Result};

mod runtimes;

/// One wasm module of the package.
struct Entry {
    /// Directory under `pkg/dist/` and under `target/bindgen/`.
    dir: &'static str,
    /// The `cargo build` arguments that select the crate and its exports.
    cargo: &'static [&'static str],
    /// The file stem of the `.wasm` cargo writes (the crate's library name).
    artifact: &'static str,
    /// wasm-bindgen's `--out-name`; `None` for a module with its own ABI
    /// and a hand-written JavaScript side (the browser module, see
    /// `pkg-template/browser/src/wire.rs`).
    out_name: Option<&'static str>,
    /// Whether it ships to browsers (built for size).
    size_bound: bool,
}

const ENTRIES: [Entry; 2] = [
    Entry {
        dir: "main",
        cargo: &["-p", "genauth-logout-browser"],
        artifact: "genauth_logout_browser",
        out_name: None,
        size_bound: true,
    },
    Entry {
        dir: "admin",
        cargo: &["-p", "genauth-logout-admin"],
        artifact: "genauth_logout_admin",
        out_name: Some("genauth_logout_admin"),
        size_bound: false,
    },
];

/// The compiler flags of the size-bound browser entry (also read by
/// `bench/wasm-variants.sh`, so the measured build is the shipped one).
const BROWSER_RUSTFLAGS: &str = include_str!("../browser.rustflags");

/// wasm-opt's passes for the modules that are not size-bound (the admin and
/// server module).
const WASM_OPT_ARGS: &str = include_str!("../wasm-opt.args");

/// wasm-opt's passes for the size-bound browser module; `bench/wasm-variants.sh`
/// reads the same file. After `-Oz --converge`, flattening the code and
/// rebuilding its control flow (`--flatten --rereloop`) and two more `-Oz`
/// rounds compress better than `-Oz --converge` alone (the alternatives
/// measured are in docs/size.md).
const BROWSER_WASM_OPT_ARGS: &str = include_str!("../browser.wasm-opt.args");

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

/// What the browser module's inlined bytes before its data section are
/// XOR-ed with. A module's code is mostly zero bytes, small LEB128 numbers
/// and opcodes; the mask maps the most frequent of them onto printable
/// characters that need no escape, which gzip then codes in fewer bits. The
/// data section, mostly the messages' text, is left as it is (see
/// [`data_section_start`]). It is the smallest of all 256 masks on the
/// benchmark app (esbuild, then gzip -9); try them all again when the module
/// changes much. The checks that look inside bundles
/// (`bench/inline-wasm.mjs`) read the mask off the first character, since
/// every module starts with a zero byte.
const MASK: u8 = 99;

// Where the mask stops must be unambiguous to a reader walking the sections
// (`bench/inline-wasm.mjs`): a masked section id (0 to 13) must never read
// as the unmasked data section id 11, so 11 XOR MASK may not be an id.
const _: () = assert!(11 ^ MASK > 13, "MASK would make the data section ambiguous");

/// Where the data section (id 11) of a module starts, at its id byte; the
/// module's length when it has none. Text is printable as it is, while
/// masked it would need escapes and would not match the same words in the
/// JavaScript around it: leaving the data section unmasked measured 152 B
/// gzip smaller on the benchmark app.
fn data_section_start(module: &[u8]) -> Result<usize> {
    Ok(find_section(module, 11)?.map_or(module.len(), |(at, _)| at))
}

/// The first section of a module with the id `wanted`: where it starts (its
/// id byte) and where its body starts.
fn find_section(module: &[u8], wanted: u8) -> Result<Option<(usize, usize)>> {
    let mut at = 8;
    while let Some(&id) = module.get(at) {
        let (size, body) = leb128(module, at + 1)?;
        if id == wanted {
            return Ok(Some((at, body)));
        }
        at = body + size;
    }
    Ok(None)
}

/// The bytes as the body of a JavaScript string literal, one character per
/// byte: printable ASCII as itself, every other byte as `\xNN`. The file
/// stays pure ASCII (safe under any charset), and unlike base64 it keeps the
/// module's byte patterns aligned, so gzip finds them (base64 scrambles
/// them and measured larger).
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

/// `wasm.js` of the size-bound browser module: its bytes one character per
/// byte ([`byte_string`]), those before the data section XOR-ed with
/// [`MASK`] (see there), decoded by `Uint8Array.from`.
fn size_bound_wasm_js(name: &str, bytes: &[u8]) -> Result<String> {
    let end = data_section_start(bytes)?;
    let masked: Vec<u8> = bytes
        .iter()
        .enumerate()
        .map(|(i, b)| if i < end { b ^ MASK } else { *b })
        .collect();
    Ok(format!(
        "// The {name} WebAssembly module ({} bytes after wasm-opt), inlined so that no bundler\n\
         // plugin and no fetch are needed; compiled synchronously on first use.\n\
         const bytes = \"{}\";\n\
         export const wasmBytes = Uint8Array.from(bytes, (c, i) => c.charCodeAt(0) ^ (i < {end} && {MASK}));\n",
        bytes.len(),
        byte_string(&masked)
    ))
}

/// The standard base64 alphabet (RFC 4648, section 4).
const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `bytes` in standard base64, padded (the decoder below reads [`BASE64`]).
fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `wasm.js` of a module that is not size-bound (the admin and server
/// module, which runs in Node, Bun, Deno and the like, never in a browser
/// bundle): base64, whose four characters per three bytes are far fewer
/// than the escaped byte string of the browser module needs for binary
/// code, unpacked and in the tarball. Gzip finds less in base64, which only
/// matters for the browser module. It is decoded by its own few lines
/// rather than `atob`, `Buffer` or `Uint8Array.fromBase64`, which not every
/// supported runtime has, once, when first imported.
fn base64_wasm_js(name: &str, bytes: &[u8]) -> String {
    format!(
        "// The {name} WebAssembly module ({} bytes after wasm-opt), inlined as base64 so\n\
         // that no bundler plugin and no fetch are needed; decoded here with no\n\
         // runtime-specific global, and compiled synchronously on first use.\n\
         const base64 = \"{}\";\n\
         \n\
         function decode(text) {{\n\
         \x20 const digit = new Uint8Array(128);\n\
         \x20 const alphabet = \"{}\";\n\
         \x20 for (let i = 0; i < 64; i++) digit[alphabet.charCodeAt(i)] = i;\n\
         \x20 const length = text.length - (text.endsWith(\"==\") ? 2 : text.endsWith(\"=\") ? 1 : 0);\n\
         \x20 const out = new Uint8Array(Math.floor((length * 3) / 4));\n\
         \x20 let bits = 0;\n\
         \x20 let count = 0;\n\
         \x20 let at = 0;\n\
         \x20 for (let i = 0; i < length; i++) {{\n\
         \x20   bits = ((bits << 6) | digit[text.charCodeAt(i)]) & 0xffffff;\n\
         \x20   count += 6;\n\
         \x20   if (count >= 8) {{\n\
         \x20     count -= 8;\n\
         \x20     out[at++] = bits >> count;\n\
         \x20   }}\n\
         \x20 }}\n\
         \x20 return out;\n\
         }}\n\
         \n\
         export const wasmBytes = decode(base64);\n",
        bytes.len(),
        base64(bytes),
        std::str::from_utf8(BASE64).unwrap_or_default(),
    )
}

/// Builds one entry's wasm and returns wasm-bindgen's `_bg.wasm` path.
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
        .args(entry.cargo)
        .arg("--target-dir")
        .arg(&target_dir)
        .current_dir(&root);
    if entry.size_bound {
        // The browser entry is size-bound. Its build (each flag measured,
        // see docs/size.md and bench/wasm-variants.sh):
        // - `core` and `alloc` rebuilt with the immediate-abort panic
        //   strategy: no panic message formatting is linked;
        // - WebAssembly 1.0 plus bulk memory (`-Ctarget-cpu=mvp
        //   -Ctarget-feature=+bulk-memory`): no multi-value and no reference
        //   types, so binaryen's wasm2js can compile the same module to
        //   JavaScript (`wasm2js --enable-bulk-memory`); bulk memory keeps
        //   `memcpy` one instruction (plain MVP measured larger);
        // - MIR optimisation level 3, which lets LLVM drop more moves and
        //   drop glue;
        // - every function inlinable across crates, `core` and `alloc`
        //   included, and LLVM's inline threshold at 100 (the `z` level's
        //   default is lower): the whole browser path becomes a few large
        //   functions, which compress better than many small ones.
        // These are unstable flags, enabled on the stable toolchain by
        // RUSTC_BOOTSTRAP; the crate itself uses no unstable feature, and
        // the tests run against the package built this way.
        cargo
            .args(["-Z", "build-std=core,alloc"])
            .env("RUSTC_BOOTSTRAP", "1")
            .env(
                "RUSTFLAGS",
                format!(
                    "{} --remap-path-prefix={}=",
                    BROWSER_RUSTFLAGS.trim(),
                    std::env::var("CARGO_HOME")
                        .map(PathBuf::from)
                        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo")))
                        .unwrap_or_default()
                        .display()
                ),
            );
    }
    run(&mut cargo)?;
    let wasm = target_dir
        .join("wasm32-unknown-unknown/release")
        .join(format!("{}.wasm", entry.artifact));
    let Some(out_name) = entry.out_name else {
        return Ok(wasm);
    };
    let out = root.join("target/bindgen").join(entry.dir);
    let _ = fs::remove_dir_all(&out);
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--out-name", out_name, "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    Ok(out.join(format!("{out_name}_bg.wasm")))
}

/// Runs wasm-opt's passes (`xtask/wasm-opt.args`) on `input`.
fn optimise(input: &Path, output: &Path) -> Result {
    run(Command::new(node_tool("wasm-opt"))
        .args(WASM_OPT_ARGS.split_whitespace())
        .args(WASM_FEATURES)
        .arg(input)
        .arg("-o")
        .arg(output))
}

/// The exports of the browser module that its JavaScript side calls
/// (`pkg-template/browser/src/wire.rs` names them; a test there checks
/// `pkg-template/src/wire.js` uses these names).
const BROWSER_EXPORTS: [&str; 4] = ["memory", "a", "c", "r"];

/// The size-bound module, optimised with only the exports of its wire:
/// `wasm-metadce` keeps [`BROWSER_EXPORTS`] and drops the rest (the
/// linker's `__data_end` and `__heap_base`) with what only they reach, then
/// [`BROWSER_WASM_OPT_ARGS`] run.
fn optimise_size_bound(module: &Path) -> Result<PathBuf> {
    let dir = module.parent().ok_or("the module has no directory")?;
    let graph = dir.join("metadce-graph.json");
    let roots: Vec<String> = BROWSER_EXPORTS.iter().map(|n| format!("\"{n}\"")).collect();
    let nodes: String = BROWSER_EXPORTS
        .iter()
        .map(|n| format!(",\n  {{ \"name\": \"{n}\", \"export\": \"{n}\" }}"))
        .collect();
    write(
        &graph,
        format!(
            "[\n  {{ \"name\": \"the wire\", \"root\": true, \"reaches\": [{}] }}{nodes}\n]\n",
            roots.join(",")
        ),
    )?;
    let reduced = dir.join("reduced.wasm");
    run(Command::new(node_tool("wasm-metadce"))
        .arg(module)
        .arg("--graph-file")
        .arg(&graph)
        .arg("-o")
        .arg(&reduced))?;
    let optimised = dir.join("optimised.wasm");
    run(Command::new(node_tool("wasm-opt"))
        .args(BROWSER_WASM_OPT_ARGS.split_whitespace())
        .arg(&reduced)
        .arg("-o")
        .arg(&optimised))?;
    Ok(optimised)
}

/// An unsigned LEB128 number at `at`, and where the bytes after it start.
fn leb128(bytes: &[u8], mut at: usize) -> Result<(usize, usize)> {
    let mut value = 0usize;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at).ok_or("wasm: a number runs past the end")?;
        at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok((value, at));
        }
    }
    Err("wasm: a number is too long".into())
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
        let built = build_wasm(entry)?;
        let dist = pkg.join("dist").join(entry.dir);
        let wasm = if let Some(out_name) = entry.out_name {
            // The admin entry ships wasm-bindgen's glue as generated. Its
            // async loader's `new URL("<out_name>_bg.wasm", import.meta.url)`
            // names a file the package really holds (written below), so a
            // bundler that follows it finds it; the facade never calls it.
            let glue = read(
                &root
                    .join("target/bindgen")
                    .join(entry.dir)
                    .join(format!("{out_name}.js")),
            )?;
            write(&dist.join("glue.js"), glue)?;
            let optimised = built.with_file_name("optimised.wasm");
            optimise(&built, &optimised)?;
            let bytes = fs::read(&optimised).map_err(|e| e.to_string())?;
            write(&dist.join(format!("{out_name}_bg.wasm")), bytes)?;
            optimised
        } else {
            // The browser module's JavaScript side is pkg-template/src/wire.js.
            optimise_size_bound(&built)?
        };
        let bytes = fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
        let name = entry.out_name.unwrap_or(entry.artifact);
        let inlined = if entry.size_bound {
            size_bound_wasm_js(name, &bytes)?
        } else {
            base64_wasm_js(name, &bytes)
        };
        write(&dist.join("wasm.js"), inlined)?;
        // Kept for size measurement (`cargo xtask bench`, the size test).
        write(
            &root.join("target/pkg").join(format!(
                "{}_bg.wasm",
                entry.out_name.unwrap_or("genauth_logout")
            )),
            &bytes,
        )?;
    }
    copy_dir(&template.join("src"), &pkg.join("dist"))?;
    // The facade's copy limits, from the browser module's option table.
    write(
        &pkg.join("dist/limits.js"),
        genauth_logout_browser::options::limits_js(),
    )?;
    if template.join("admin").exists() {
        // pkg-template/admin is also the admin crate: only its JavaScript
        // facade and its types ship.
        for file in fs::read_dir(template.join("admin"))
            .map_err(|e| e.to_string())?
            .flatten()
        {
            let name = file.file_name();
            let name = name.to_string_lossy();
            let dest = if name.ends_with(".d.ts") {
                pkg.join(&*name)
            } else if name.ends_with(".js") {
                pkg.join("dist/admin").join(&*name)
            } else {
                continue;
            };
            write(&dest, fs::read(file.path()).map_err(|e| e.to_string())?)?;
        }
    }
    runtimes::build(&pkg)?;
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
                read(&dts)?
                    .replace("\"./index.js\"", "\"./index.cjs\"")
                    .replace("\"./admin.js\"", "\"./admin.cjs\""),
            )?;
        }
    }
    commonjs(&pkg)?;
    server_entry(&template, &pkg)?;
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

/// The entry `genauth-logout/server`: its facade and loaders
/// (`pkg-template/server/*.js`) in `dist/server/`, beside the admin entry
/// whose module and glue they share (the server's exports live in the same
/// crate); its types at the package root, also as `.d.cts`; and its
/// CommonJS bundle, with the shared `error.js` and the admin entry's inlined
/// module left external (see [`commonjs`]).
fn server_entry(template: &Path, pkg: &Path) -> Result {
    let from = template.join("server");
    if !from.exists() {
        return Ok(());
    }
    if !pkg.join("dist/admin/glue.js").exists() {
        return Err("genauth-logout/server needs the admin entry's module and glue".into());
    }
    for file in fs::read_dir(&from).map_err(|e| e.to_string())?.flatten() {
        let name = file.file_name();
        let name = name.to_string_lossy();
        let bytes = fs::read(file.path()).map_err(|e| e.to_string())?;
        if let Some(stem) = name.strip_suffix(".d.ts") {
            let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
            write(
                &pkg.join(format!("{stem}.d.cts")),
                text.replace("\"./index.js\"", "\"./index.cjs\"")
                    .replace("\"./admin.js\"", "\"./admin.cjs\""),
            )?;
            write(&pkg.join(&*name), text)?;
        } else if name.ends_with(".js") {
            write(&pkg.join("dist/server").join(&*name), bytes)?;
        }
    }
    let dist = pkg.join("dist");
    if !dist.join("cjs/admin/wasm.js").exists() {
        return Err("genauth-logout/server needs the admin entry's CommonJS module".into());
    }
    esbuild_cjs(
        &dist.join("server/server.js"),
        &dist.join("cjs/server/server.js"),
    )
}

/// The CommonJS tree for `require()`: each entry bundled by esbuild with the
/// shared `error.js` left external, so both entries throw the same class.
/// The admin entry's inlined module (`admin/wasm.js`) is left external too
/// and bundled once on its own, so that the admin and server bundles, which
/// both need it, `require` one copy rather than carrying one each.
fn commonjs(pkg: &Path) -> Result {
    let dist = pkg.join("dist");
    let cjs = dist.join("cjs");
    let mut jobs = vec![("index.js", "index.js"), ("error.js", "error.js")];
    if dist.join("admin/admin.js").exists() {
        jobs.push(("admin/wasm.js", "admin/wasm.js"));
        jobs.push(("admin/admin.js", "admin/admin.js"));
    }
    // `require("genauth-logout/js")`; its error.js re-exports the shared one.
    jobs.push(("js/index.js", "js/index.js"));
    jobs.push(("js/error.js", "js/error.js"));
    for (from, to) in jobs {
        esbuild_cjs(&dist.join(from), &cjs.join(to))?;
    }
    write(&cjs.join("package.json"), "{ \"type\": \"commonjs\" }\n")
}

/// The modules every CommonJS bundle leaves to `require` rather than
/// carrying: the shared error class, and the admin entry's inlined module
/// (as imported from `dist/admin/` and from `dist/server/`).
const CJS_EXTERNAL: [&str; 3] = [
    "--external:./error.js",
    "--external:../error.js",
    "--external:../admin/wasm.js",
];

/// Bundles the ESM module `from` to the CommonJS file `to`, leaving
/// [`CJS_EXTERNAL`] out; `admin/admin.js` also leaves its `./wasm.js` out.
fn esbuild_cjs(from: &Path, to: &Path) -> Result {
    let mut esbuild = Command::new(node_tool("esbuild"));
    esbuild
        .arg(from)
        .args([
            "--bundle",
            "--format=cjs",
            "--platform=neutral",
            "--target=es2022",
        ])
        .args(CJS_EXTERNAL);
    if from.ends_with("admin/admin.js") {
        esbuild.arg("--external:./wasm.js");
    }
    run(esbuild.arg(format!("--outfile={}", to.display())))
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0, 0x61, 0x73, 0x6d]), "AGFzbQ==");
    }
}
