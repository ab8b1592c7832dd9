//! The package's builds for each place JavaScript runs, from the one browser
//! module and the one facade:
//!
//! * `dist/` (built by the parent module): the module inlined as bytes,
//!   compiled on first use, for browsers, bundlers, Node, Bun and Deno;
//! * `dist/edge/`, for the `workerd` and `edge-light` export conditions:
//!   the same module as a real `.wasm` file, imported as a
//!   `WebAssembly.Module` (those runtimes refuse to compile bytes at run
//!   time but compile a Worker's `.wasm` modules ahead of time);
//! * `dist/js/`, `genauth-logout/js` and the `react-native` condition: the
//!   module compiled to plain JavaScript by binaryen's `wasm2js`, for
//!   engines without WebAssembly and pages whose CSP refuses it.
//!
//! Each build is a copy of the default build's facade beside its own
//! loader (`pkg-template/runtimes/<build>.js`, exporting
//! `instantiate(imports) -> exports`), with `error.js` re-exporting the
//! package's one error class.

use std::fs;
use std::path::Path;
use std::process::Command;

use super::{find_section, leb128, read, write, WASM_FEATURES};
use crate::tools::node_tool;
use crate::{root, run, Result};

/// The browser module's name in `dist/edge/main/`.
const EDGE_WASM: &str = "genauth_logout.wasm";

/// The admin module's file in `dist/admin/`, as the admin build ships it.
const ADMIN_WASM: &str = "genauth_logout_admin_bg.wasm";

/// Builds `dist/edge/` and `dist/js/` beside the default build in `pkg`,
/// whose browser module the parent module has just written.
pub(super) fn build(pkg: &Path) -> Result {
    let root = root();
    let template = root.join("pkg-template");
    let dist = pkg.join("dist");
    let module = root.join("target/pkg/genauth_logout_bg.wasm");
    // The edge build: the default build's module as a file.
    facade_copy(&template, &dist, "edge")?;
    let edge = dist.join("edge");
    write(
        &edge.join("main").join(EDGE_WASM),
        fs::read(&module).map_err(|e| format!("{}: {e}", module.display()))?,
    )?;
    admin_edge(&template, &dist)?;

    // The JavaScript build: the same module through wasm2js, which cannot
    // express functions returning several values.
    facade_copy(&template, &dist, "js")?;
    let js = dist.join("js");
    let bytes = fs::read(&module).map_err(|e| format!("{}: {e}", module.display()))?;
    if returns_multiple_values(&bytes)? {
        return Err(
            "the browser module returns multiple values, which wasm2js cannot compile; \
                    build it without multi-value (xtask/browser.rustflags)"
                .into(),
        );
    }
    write(&js.join("main/wasm2js.js"), wasm2js(&module)?)?;
    Ok(())
}

/// Whether any function type of `module` has more than one result (the
/// multi-value feature).
fn returns_multiple_values(module: &[u8]) -> Result<bool> {
    let Some((_, body)) = find_section(module, 1)? else {
        return Ok(false);
    };
    let (count, mut at) = leb128(module, body)?;
    for _ in 0..count {
        if module.get(at) != Some(&0x60) {
            return Err("wasm: a type that is not a function type".into());
        }
        // Parameters, then results: each a count and one byte per value
        // type (the numeric and reference types this module may use).
        let (params, after) = leb128(module, at + 1)?;
        let (results, after) = leb128(module, after + params)?;
        if results > 1 {
            return Ok(true);
        }
        at = after + results;
    }
    Ok(false)
}

/// `dist/<build>/` as a copy of the default build's facade (every module
/// at the top of `dist/`, the generated ones included) with the loader of
/// `build`.
fn facade_copy(template: &Path, dist: &Path, build: &str) -> Result {
    let to = dist.join(build);
    let entries = fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "js") {
            write(&to.join(entry.file_name()), read(&path)?)?;
        }
    }
    let loaders = template.join("runtimes");
    write(
        &to.join("load.js"),
        read(&loaders.join(format!("{build}.js")))?,
    )?;
    write(&to.join("error.js"), read(&loaders.join("error.js"))?)
}

/// The admin entry for the edge conditions, `dist/admin/edge.js`: the admin
/// facade over the module file the admin build ships beside it.
fn admin_edge(template: &Path, dist: &Path) -> Result {
    let admin = dist.join("admin");
    for needed in ["facade.js", ADMIN_WASM] {
        if !admin.join(needed).exists() {
            return Err(format!(
                "dist/admin/{needed} is missing; dist/admin/edge.js needs it"
            ));
        }
    }
    write(
        &admin.join("edge.js"),
        read(&template.join("runtimes/admin-edge.js"))?,
    )
}

/// The module compiled to JavaScript by wasm2js, as an ES module exporting
/// `instantiate(imports) -> exports` (the loader's shape) instead of
/// wasm2js's own module, which imports its imports by module name and
/// instantiates itself once at import time. Checked: no `eval`, no
/// `Function`, no WebAssembly.
fn wasm2js(module: &Path) -> Result<String> {
    let out = module.with_extension("wasm2js.js");
    run(Command::new(node_tool("wasm2js"))
        .args(
            WASM_FEATURES
                .iter()
                .filter(|f| **f != "--enable-multivalue"),
        )
        .arg("-Oz")
        .arg(module)
        .arg("-o")
        .arg(&out))?;
    let text = read(&out)?;
    // wasm2js starts with one `import * as <name> from '<module>';` per
    // imported module and ends by instantiating `asmFunc` with them and
    // exporting each export as a `var`.
    let mut body = text.as_str();
    while let Some(rest) = body.strip_prefix("import * as ") {
        let end = rest
            .find(";\n")
            .ok_or("wasm2js: an import line does not end")?;
        if !rest[..end].contains(" from '") {
            return Err(format!(
                "wasm2js: unexpected import line {:?}",
                &rest[..end]
            ));
        }
        body = &rest[end + 2..];
    }
    let tail = body
        .find("\nvar retasmFunc = asmFunc(")
        .ok_or("wasm2js: the output does not end by calling asmFunc; its output changed")?;
    if body.matches("function asmFunc(imports) {").count() != 1 {
        return Err("wasm2js: expected exactly one `function asmFunc(imports) {`".into());
    }
    let body = &body[..tail + 1];
    for refused in ["eval(", "Function(", "WebAssembly"] {
        if body.contains(refused) {
            return Err(format!("wasm2js output contains {refused:?}"));
        }
    }
    Ok(format!(
        "// The browser module compiled to JavaScript by binaryen's wasm2js: each\n\
         // call makes a fresh instance (its own memory) from the imports.\n\
         {body}\nexport {{ asmFunc as instantiate }};\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::returns_multiple_values;

    /// A module holding only a type section with `types`, each as
    /// (parameter count, result count), all i32.
    fn module(types: &[(u8, u8)]) -> Vec<u8> {
        let mut section = vec![types.len() as u8];
        for &(params, results) in types {
            section.push(0x60);
            section.push(params);
            section.extend(std::iter::repeat_n(0x7f, params.into()));
            section.push(results);
            section.extend(std::iter::repeat_n(0x7f, results.into()));
        }
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        out.push(1);
        out.push(section.len() as u8);
        out.extend(section);
        out
    }

    #[test]
    fn finds_a_type_with_two_results_among_others() {
        assert!(returns_multiple_values(&module(&[(1, 1), (10, 2), (0, 0)])).unwrap());
        assert!(!returns_multiple_values(&module(&[(1, 1), (10, 1), (0, 0)])).unwrap());
        assert!(!returns_multiple_values(b"\0asm\x01\0\0\0").unwrap());
    }

    #[test]
    fn refuses_a_type_that_is_not_a_function() {
        let mut bytes = module(&[(1, 1)]);
        bytes[10] = 0x5f;
        assert!(returns_multiple_values(&bytes).is_err());
    }
}
