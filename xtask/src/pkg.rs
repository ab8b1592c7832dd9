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
    /// The `cargo build` arguments that select the crate and its exports.
    cargo: &'static [&'static str],
    /// The file stem of the `.wasm` cargo writes (the crate's library name).
    artifact: &'static str,
    /// wasm-bindgen's `--out-name`.
    out_name: &'static str,
    /// Whether it ships to browsers (built for size).
    size_bound: bool,
}

const ENTRIES: [Entry; 2] = [
    Entry {
        dir: "main",
        cargo: &["--no-default-features", "--features", "wasm"],
        artifact: "genauth_logout",
        out_name: "genauth_logout",
        size_bound: true,
    },
    Entry {
        dir: "admin",
        cargo: &["-p", "genauth-logout-admin"],
        artifact: "genauth_logout_admin",
        out_name: "genauth_logout_admin",
        size_bound: false,
    },
];

/// The compiler flags of the size-bound browser entry (also read by
/// `bench/wasm-variants.sh`, so the measured build is the shipped one).
const BROWSER_RUSTFLAGS: &str = include_str!("../browser.rustflags");

/// wasm-opt's passes, for both entries; `bench/wasm-variants.sh` reads the
/// same file. `-Oz --converge`: `--one-caller-inline-max-function-size=20`
/// was smaller until the browser build's inlining flags changed, and is 62 B
/// larger on the benchmark app since (10, 40, `-Os`, one pass, and
/// `--inline-functions-with-loops` measured too).
const WASM_OPT_ARGS: &str = include_str!("../wasm-opt.args");

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
/// [`data_section_start`]). Every mask from 0 to 255 was tried on the
/// benchmark app (esbuild, then gzip -9): 105 was the smallest, 75 B below
/// 67, which had been the best while the whole module was masked. The
/// checks that look inside bundles (`bench/inline-wasm.mjs`) read the mask
/// off the first character, since every module starts with a zero byte.
const MASK: u8 = 105;

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

/// Replaces the one occurrence of `from` in `text` by `to`; fails unless
/// `from` occurs exactly once, so a change in wasm-bindgen's output stops the
/// build instead of slipping through unslimmed or half-edited.
fn replace_once(text: &str, from: &str, to: &str) -> Result<String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => Err(format!(
            "wasm-bindgen glue: expected exactly one occurrence of\n{from}\nfound {n}; \
             its output changed, update slim_glue in xtask/src/pkg.rs"
        )),
    }
}

/// The browser glue without what this package never needs, each edit checked
/// against wasm-bindgen 0.2.105's exact text (after `strip_async_loader`):
///
/// * strings go into wasm by `TextEncoder.encode` and one exact `malloc`
///   (wasm-bindgen's own path for modules without `realloc`), so the ASCII
///   fast path, the `realloc` calls and the `encodeInto` polyfill go;
/// * strings come out through a `TextDecoder` made per call, which needs no
///   counter for Safari's 2 GB-per-decoder limit; `fatal` is dropped, as Rust
///   strings are valid UTF-8; `ignoreBOM` is kept, so a leading U+FEFF in a
///   redirect reaches the URL parser unchanged;
/// * memory views (and the `TextEncoder`) are made per use instead of cached
///   and revalidated;
/// * `initSync(bytes)` takes the bytes only: no deprecated-parameter warning,
///   no module object, no return value (the facade ignores it), and the
///   imports are one constant object instead of a builder function;
///   `dropInstance()` forgets the instance after a trap;
/// * `passStringToWasm0` answers `[pointer, length]` instead of leaving the
///   length in `WASM_VECTOR_LEN`; the `platform` import ([`slim_imports`])
///   and the `call` export ([`slim_export`]) use that pair.
///
/// The texts matched are those of a module built without reference types
/// (see `build_wasm`): no externref table and no start function to call.
fn slim_glue(glue: &str) -> Result<String> {
    const EDITS: [(&str, &str); 7] = [
        (
            "let cachedUint8ArrayMemory0 = null;

function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}
",
            "",
        ),
        (
            "let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

cachedTextDecoder.decode();

const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(ptr, len) {
    numBytesDecoded += len;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
        cachedTextDecoder.decode();
        numBytesDecoded = len;
    }
    return cachedTextDecoder.decode(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(ptr, len);
}
",
            "function getStringFromWasm0(ptr, len) {
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(wasm.memory.buffer, ptr >>> 0, len));
}
",
        ),
        (
            "let WASM_VECTOR_LEN = 0;

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    }
}

function passStringToWasm0(arg, malloc, realloc) {

    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }

    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}
",
            "function passStringToWasm0(arg) {
    const buf = new TextEncoder().encode(arg);
    const ptr = wasm.__wbindgen_malloc(buf.length, 1) >>> 0;
    new Uint8Array(wasm.memory.buffer).set(buf, ptr);
    return [ptr, buf.length];
}
",
        ),
        (
            "let cachedDataViewMemory0 = null;

function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}
",
            "",
        ),
        (
            "function __wbg_finalize_init(instance, module) {
    wasm = instance.exports;
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;



    return wasm;
}

function initSync(module) {
    if (wasm !== undefined) return wasm;


    if (typeof module !== 'undefined') {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
        }
    }

    const imports = __wbg_get_imports();

    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }

    const instance = new WebAssembly.Instance(module, imports);

    return __wbg_finalize_init(instance, module);
}
",
            "function initSync(bytes) {
    wasm ||= new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
}

// After a trap the instance's heap cannot be trusted (what the trapped call
// allocated is never freed); the next initSync makes a fresh instance.
function dropInstance() {
    wasm = undefined;
}
",
        ),
        ("export { initSync };\n", "export { initSync, dropInstance };\n"),
        // The loader that `strip_async_loader` cut off was their only user.
        (
            "const EXPECTED_RESPONSE_TYPES = new Set(['basic', 'cors', 'default']);\n",
            "",
        ),
    ];
    let mut out = glue.to_string();
    for (from, to) in EDITS {
        out = replace_once(&out, from, to)?;
    }
    out = cut_function(&out, "async function __wbg_load(module, imports) {")?;
    out = slim_export(&out)?;
    out = slim_imports(&out)?;
    for gone in [
        "realloc",
        "encodeInto",
        "cached",
        "console.",
        "__wbg_load",
        "__wbg_finalize_init",
        "decodeText",
        "externref",
        "__wbindgen_start",
        "WASM_VECTOR_LEN",
        "getDataViewMemory0",
        "getUint8ArrayMemory0",
        "__wbg_get_imports",
    ] {
        if out.contains(gone) {
            return Err(format!(
                "slimmed wasm-bindgen glue still contains {gone:?}; update slim_glue in xtask/src/pkg.rs"
            ));
        }
    }
    Ok(out)
}

/// The one export, `call(op, <strings>…) -> string`, checked against the
/// text wasm-bindgen generates for its parameter names and rewritten with
/// the slim `passStringToWasm0`: the strings (a rest parameter) as their
/// (pointer, length) pairs straight into the call, and the answer freed once
/// it has been read.
fn slim_export(glue: &str) -> Result<String> {
    const HEAD: &str = "export function call(";
    if glue.matches(HEAD).count() != 1 {
        return Err("wasm-bindgen glue: expected exactly one `export function call(`".into());
    }
    let start = glue.find(HEAD).unwrap_or_default();
    let params_end = glue[start..]
        .find(") {\n")
        .ok_or("wasm-bindgen glue: `call` has no parameter list")?
        + start;
    let params: Vec<&str> = glue[start + HEAD.len()..params_end].split(", ").collect();
    let [op, strings @ ..] = params.as_slice() else {
        return Err("wasm-bindgen glue: `call` has no parameters".into());
    };
    if strings.is_empty() {
        return Err("wasm-bindgen glue: `call` takes no strings".into());
    }
    let n = params.len();
    let mut expected = format!(
        "{HEAD}{}) {{\n    let deferred{n}_0;\n    let deferred{n}_1;\n    try {{\n",
        params.join(", ")
    );
    let mut pairs = Vec::new();
    for (i, name) in strings.iter().enumerate() {
        expected.push_str(&format!(
            "        const ptr{i} = passStringToWasm0({name}, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);\n        const len{i} = WASM_VECTOR_LEN;\n"
        ));
        pairs.push(format!("ptr{i}, len{i}"));
    }
    expected.push_str(&format!(
        "        const ret = wasm.call({op}, {});
        deferred{n}_0 = ret[0];
        deferred{n}_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    }} finally {{
        wasm.__wbindgen_free(deferred{n}_0, deferred{n}_1, 1);
    }}
}}
",
        pairs.join(", ")
    ));
    if !glue[start..].starts_with(&expected) {
        return Err(format!(
            "wasm-bindgen glue: `call` is not the expected\n{expected}\nits output changed, \
             update slim_export in xtask/src/pkg.rs"
        ));
    }
    // No `finally` around the read: after any throw from `call` the facade
    // drops the whole instance, this answer's allocation with it.
    let slim = format!(
        "{HEAD}{op}, ...strings) {{
    const [ptr, len] = wasm.call({op}, ...strings.flatMap(passStringToWasm0));
    const ret = getStringFromWasm0(ptr, len);
    wasm.__wbindgen_free(ptr, len, 1);
    return ret;
}}
"
    );
    Ok(format!(
        "{}{slim}{}",
        &glue[..start],
        &glue[start + expected.len()..]
    ))
}

/// The one import, wasm-bindgen's shim for `platform` (named as generated,
/// `__wbg_platform_<hash>`), checked against its exact text and rewritten as
/// a method of a constant imports object, which `initSync` passes: the
/// answer's (pointer, length) pair from the slim `passStringToWasm0`, written
/// where the wasm caller expects it (little-endian, as wasm memory is).
fn slim_imports(glue: &str) -> Result<String> {
    const HEAD: &str = "function __wbg_get_imports() {
    const imports = {};
    imports.wbg = {};
    imports.wbg.";
    const SIGNATURE: &str = " = function(arg0, arg1, arg2, arg3) {\n";
    const BODY: &str = "        const ret = platform(arg1 >>> 0, getStringFromWasm0(arg2, arg3));
        const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        getDataViewMemory0().setInt32(arg0 + 4 * 1, len1, true);
        getDataViewMemory0().setInt32(arg0 + 4 * 0, ptr1, true);
    };

    return imports;
}
";
    if glue.matches(HEAD).count() != 1 {
        return Err(
            "wasm-bindgen glue: expected exactly one `__wbg_get_imports` \
                    starting with the wbg imports; update slim_imports in xtask/src/pkg.rs"
                .into(),
        );
    }
    let start = glue.find(HEAD).unwrap_or_default() + HEAD.len();
    let name_len = glue[start..]
        .find(SIGNATURE)
        .ok_or("wasm-bindgen glue: the first import is not `function(arg0, arg1, arg2, arg3)`")?;
    let name = &glue[start..start + name_len];
    let hashed = name
        .strip_prefix("__wbg_platform_")
        .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()));
    let body = start + name_len + SIGNATURE.len();
    if !hashed || !glue[body..].starts_with(BODY) {
        return Err(format!(
            "wasm-bindgen glue: the imports are not the one expected `platform` shim\n{BODY}\n\
             its output changed, update slim_imports in xtask/src/pkg.rs"
        ));
    }
    let slim = format!(
        "const imports = {{ wbg: {{
    {name}(arg0, arg1, arg2, arg3) {{
        const [ptr, len] = passStringToWasm0(platform(arg1, getStringFromWasm0(arg2, arg3)));
        const view = new DataView(wasm.memory.buffer);
        view.setInt32(arg0 + 4, len, true);
        view.setInt32(arg0, ptr, true);
    }},
}} }};
"
    );
    Ok(format!(
        "{}{slim}{}",
        &glue[..start - HEAD.len()],
        &glue[body + BODY.len()..]
    ))
}

/// Removes the top-level function starting with `head` (up to its closing
/// `}` at the start of a line, and the blank line after it).
fn cut_function(text: &str, head: &str) -> Result<String> {
    if text.matches(head).count() != 1 {
        return Err(format!("wasm-bindgen glue: expected exactly one {head}"));
    }
    let start = text.find(head).unwrap_or_default();
    let len = text[start..]
        .find("\n}\n")
        .ok_or_else(|| format!("wasm-bindgen glue: {head} does not end"))?
        + "\n}\n".len();
    let mut end = start + len;
    if text[end..].starts_with('\n') {
        end += 1;
    }
    Ok(format!("{}{}", &text[..start], &text[end..]))
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
        // see the README's size section):
        // - `core` and `alloc` rebuilt with the immediate-abort panic
        //   strategy: no panic message formatting (52.4 KB -> 46.0 KB);
        // - no reference types: the interface passes strings only, and
        //   without them wasm-bindgen emits no externref table nor its
        //   start-up initialiser, in the module or the glue;
        // - MIR optimisation level 3, which lets LLVM drop more moves and
        //   drop glue (20,957 -> 18,869 B when it was added);
        // - every function inlinable across crates, `core` and `alloc`
        //   included, and LLVM's inline threshold at 100 (the `z` level's
        //   default is lower): the whole browser path becomes a few large
        //   functions (app 9,681 -> 8,600 B gzip; see the README).
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
    let out = root.join("target/bindgen").join(entry.dir);
    let _ = fs::remove_dir_all(&out);
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--out-name", entry.out_name, "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    Ok(out.join(format!("{}_bg.wasm", entry.out_name)))
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

/// The size-bound module, optimised with only what its slimmed glue uses,
/// under short names; returns the module's path and the glue renamed to
/// match.
///
/// * `wasm-metadce` keeps the exports the glue calls (`wasm.<name>`) and
///   drops the rest with what only they reach (wasm-bindgen's
///   `__wbindgen_realloc`, which the slim glue never calls);
/// * after the passes, `--minify-imports-and-exports-and-modules` renames
///   the import and the exports to one or two letters, in the module and
///   then in the glue (together 115 B less gzip on the benchmark app).
fn optimise_size_bound(bg: &Path, glue: &str) -> Result<(PathBuf, String)> {
    let used = exports_used(glue)?;
    let dir = bg.parent().ok_or("wasm-bindgen output has no directory")?;
    let graph = dir.join("metadce-graph.json");
    let mut roots = String::new();
    let mut nodes = String::new();
    for name in &used {
        roots.push_str(&format!("\"{name}\","));
        nodes.push_str(&format!(
            ",\n  {{ \"name\": \"{name}\", \"export\": \"{name}\" }}"
        ));
    }
    write(
        &graph,
        format!(
            "[\n  {{ \"name\": \"the glue\", \"root\": true, \"reaches\": [{}] }}{nodes}\n]\n",
            roots.trim_end_matches(',')
        ),
    )?;
    let reduced = dir.join("reduced.wasm");
    run(Command::new(node_tool("wasm-metadce"))
        .args(WASM_FEATURES)
        .arg(bg)
        .arg("--graph-file")
        .arg(&graph)
        .arg("-o")
        .arg(&reduced))?;
    let optimised = dir.join("optimised.wasm");
    optimise(&reduced, &optimised)?;
    let minified = dir.join("minified.wasm");
    let mut minify = Command::new(node_tool("wasm-opt"));
    minify
        .args(WASM_FEATURES)
        .arg("--minify-imports-and-exports-and-modules")
        .arg(&optimised)
        .arg("-o")
        .arg(&minified);
    eprintln!("xtask: {minify:?}");
    let minified_run = minify.output().map_err(|e| format!("{minify:?}: {e}"))?;
    if !minified_run.status.success() {
        return Err(format!(
            "{minify:?} failed with {}:\n{}",
            minified_run.status,
            String::from_utf8_lossy(&minified_run.stderr)
        ));
    }
    let report = String::from_utf8_lossy(&minified_run.stdout).into_owned();
    let module = fs::read(&minified).map_err(|e| format!("{}: {e}", minified.display()))?;
    Ok((minified, rename_in_glue(glue, &report, &module)?))
}

/// The glue with each `wasm.<name>` (an export it calls) written as
/// `wasm.<rename(name)>`, in one pass; `wasm.` without a name is an error.
fn map_exports(glue: &str, mut rename: impl FnMut(&str) -> Result<String>) -> Result<String> {
    let mut out = String::with_capacity(glue.len());
    let mut rest = glue;
    while let Some(at) = rest.find("wasm.") {
        let after = &rest[at + "wasm.".len()..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(after.len());
        if len == 0 {
            return Err(format!(
                "wasm-bindgen glue: `wasm.` without a name at byte {}",
                glue.len() - rest.len() + at
            ));
        }
        out.push_str(&rest[..at]);
        out.push_str("wasm.");
        out.push_str(&rename(&after[..len])?);
        rest = &after[len..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The exports the glue calls: each `wasm.<name>`, once.
fn exports_used(glue: &str) -> Result<Vec<String>> {
    let mut used: Vec<String> = Vec::new();
    map_exports(glue, |name| {
        if !used.iter().any(|u| u == name) {
            used.push(name.to_string());
        }
        Ok(name.to_string())
    })?;
    if used.is_empty() {
        return Err("wasm-bindgen glue: no export is used".into());
    }
    Ok(used)
}

/// The glue with the names `--minify-imports-and-exports-and-modules` gave:
/// its report (`["old", "new"]` per export, `["module", "old", "new"]` per
/// import) renames `wasm.<export>`, and the module's own import section
/// gives the import's new module name. The glue's import must be the one
/// [`slim_imports`] wrote, and every export it calls must be renamed (in one
/// pass, so a new name can never be renamed again).
fn rename_in_glue(glue: &str, report: &str, module: &[u8]) -> Result<String> {
    let mut exports = Vec::new();
    let mut imports = Vec::new();
    for line in report.lines() {
        let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        match quoted[..] {
            [old, new] => exports.push((old, new)),
            [_, old, new] => imports.push((old, new)),
            _ => {}
        }
    }
    let [(old_field, new_field)] = imports[..] else {
        return Err(format!(
            "wasm-opt renamed {} imports, not one:\n{report}",
            imports.len()
        ));
    };
    let (module_name, field) = only_import(module)?;
    if field != new_field {
        return Err(format!(
            "the minified module imports {field}, wasm-opt reported {new_field}"
        ));
    }
    let mut glue = replace_once(
        glue,
        &format!("const imports = {{ wbg: {{\n    {old_field}("),
        &format!("const imports = {{ \"{module_name}\": {{\n    \"{field}\"("),
    )?;
    glue = map_exports(&glue, |name| {
        exports
            .iter()
            .find(|&&(old, _)| old == name)
            .map(|&(_, new)| new.to_string())
            .ok_or_else(|| format!("the glue calls wasm.{name}, which wasm-opt did not rename"))
    })?;
    Ok(glue)
}

/// The module name and field name of a module's one import.
fn only_import(module: &[u8]) -> Result<(String, String)> {
    let (_, body) = find_section(module, 2)?.ok_or("the module has no import section")?;
    let (count, mut at) = leb128(module, body)?;
    if count != 1 {
        return Err(format!("the module has {count} imports, not one"));
    }
    let mut name = || -> Result<String> {
        let (len, start) = leb128(module, at)?;
        at = start + len;
        let bytes = module
            .get(start..at)
            .ok_or("wasm: an import name runs past the end")?;
        String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())
    };
    Ok((name()?, name()?))
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
        let bg = build_wasm(entry)?;
        let glue = read(
            &root
                .join("target/bindgen")
                .join(entry.dir)
                .join(format!("{}.js", entry.out_name)),
        )?;
        let dist = pkg.join("dist").join(entry.dir);
        let (wasm, glue) = if entry.size_bound {
            let glue = strip_async_loader(&link_snippets(&glue))?;
            optimise_size_bound(&bg, &slim_glue(&glue)?)?
        } else {
            // The admin entry ships wasm-bindgen's glue as generated. Its
            // async loader's `new URL("<out_name>_bg.wasm", import.meta.url)`
            // names a file the package really holds (written below), so a
            // bundler that follows it finds it; the facade never calls it.
            let optimised = bg.with_file_name("optimised.wasm");
            optimise(&bg, &optimised)?;
            let bytes = fs::read(&optimised).map_err(|e| e.to_string())?;
            write(&dist.join(format!("{}_bg.wasm", entry.out_name)), bytes)?;
            (optimised, glue)
        };
        let bytes = fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
        write(&dist.join("glue.js"), glue)?;
        // The size-bound module's bytes before its data section are stored
        // XOR-ed with MASK (see there).
        let (masked_len, decode) = if entry.size_bound {
            let end = data_section_start(&bytes)?;
            (
                end,
                format!("(c, i) => c.charCodeAt(0) ^ (i < {end} && {MASK})"),
            )
        } else {
            (0, String::from("(c) => c.charCodeAt(0)"))
        };
        let masked: Vec<u8> = bytes
            .iter()
            .enumerate()
            .map(|(i, b)| if i < masked_len { b ^ MASK } else { *b })
            .collect();
        write(
            &dist.join("wasm.js"),
            format!(
                "// The {} WebAssembly module ({} bytes after wasm-opt), inlined so that no bundler\n\
                 // plugin and no fetch are needed; compiled synchronously on first use.\n\
                 const bytes = \"{}\";\n\
                 export const wasmBytes = Uint8Array.from(bytes, {decode});\n",
                entry.out_name,
                bytes.len(),
                byte_string(&masked)
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
/// CommonJS bundle, with the shared `error.js` left external as for the
/// other entries.
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
                text.replace("\"./index.js\"", "\"./index.cjs\""),
            )?;
            write(&pkg.join(&*name), text)?;
        } else if name.ends_with(".js") {
            write(&pkg.join("dist/server").join(&*name), bytes)?;
        }
    }
    let dist = pkg.join("dist");
    run(Command::new(node_tool("esbuild"))
        .arg(dist.join("server/server.js"))
        .args([
            "--bundle",
            "--format=cjs",
            "--platform=neutral",
            "--target=es2022",
        ])
        .args(["--external:./error.js", "--external:../error.js"])
        .arg(format!(
            "--outfile={}",
            dist.join("cjs/server/server.js").display()
        )))
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
