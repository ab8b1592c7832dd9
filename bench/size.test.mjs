// Size gate for the logout-button app built with genauth-logout (run by
// `cargo xtask test`). It installs the packed tarball the way a user would,
// bundles bench/apps/genauth-logout exactly as bench/run.mjs does, and checks
// real emitted bytes: everything emitted, gzip -9, within bench/budget.json,
// and no admin-only code in any emitted file.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { after, before, test } from "node:test";
import { inlinedModules } from "./inline-wasm.mjs";
import {
  ADMIN_MARKERS,
  APPS,
  SERVER_MARKERS,
  bundleApp,
  findAdminMarkers,
  installTarball,
  measureFiles,
  readBudget,
  tarballPath,
  wasmAccountingProblem,
} from "./lib.mjs";

const ours = APPS.find((a) => a.ours && !a.jsBuild);
const oursJs = APPS.find((a) => a.jsBuild);
const budget = readBudget();
let tmp;
let pkgDir;
let outdir;
let bundle;
let jsOutdir;
let jsBundle;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "genauth-bench-size-"));
  const nodeModules = installTarball(tarballPath(), join(tmp, "install"));
  pkgDir = join(nodeModules, "genauth-logout");
  outdir = join(tmp, "dist");
  bundle = await bundleApp(ours, outdir, { nodePaths: [nodeModules] });
  jsOutdir = join(tmp, "dist-js");
  jsBundle = await bundleApp(oursJs, jsOutdir, { nodePaths: [nodeModules] });
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test("the app is bundled from the installed tarball, wasm included in the count", () => {
  assert.ok(bundle.files.length > 0, "esbuild emitted nothing");
  const fromPkg = bundle.inputs.filter((p) => p.startsWith(pkgDir + sep));
  assert.ok(fromPkg.length > 0, `no input of the bundle comes from ${pkgDir}`);
  assert.equal(wasmAccountingProblem(pkgDir, bundle.files), null);
});

test(`everything emitted, gzip -9, is at most ${budget.gzip9MaxBytes} bytes (bench/budget.json)`, (t) => {
  const size = measureFiles(bundle.files, outdir);
  for (const f of size.files) t.diagnostic(`${f.file}: ${f.raw} B raw, ${f.gzip9} B gzip -9, ${f.brotli} B brotli`);
  t.diagnostic(`total: ${size.raw} B raw, ${size.gzip9} B gzip -9 (budget ${budget.gzip9MaxBytes} B), ${size.brotli} B brotli`);
  assert.ok(
    size.gzip9 <= budget.gzip9MaxBytes,
    `logout-button app is ${size.gzip9} B gzip -9, over the ${budget.gzip9MaxBytes} B budget by ${size.gzip9 - budget.gzip9MaxBytes} B`,
  );
});

test("the app carries the built browser module, inlined once", () => {
  // The module as the package build wrote it (xtask keeps a copy for
  // measuring), found in the bundle however it is stored.
  const built = readFileSync(new URL("../target/pkg/genauth_logout_bg.wasm", import.meta.url));
  const found = bundle.files
    .filter((f) => /\.m?js$/.test(f))
    .flatMap((f) => inlinedModules(readFileSync(f, "utf8")));
  assert.equal(found.length, 1, `inlined modules: ${found.map((m) => m.form).join(", ") || "none"}`);
  assert.ok(found[0].bytes.equals(built), `the inlined module (${found[0].form}, ${found[0].bytes.length} B) is not target/pkg/genauth_logout_bg.wasm (${built.length} B)`);
});

test("no admin code reaches the browser app", () => {
  const hits = findAdminMarkers(bundle.files).map((h) => `${h.marker} in ${relative(outdir, h.file)}`);
  assert.deepEqual(hits, [], `admin-only strings found in the bundle: ${hits.join(", ")}`);
});

test("no server-entry code reaches the browser app", () => {
  const hits = findAdminMarkers(bundle.files, SERVER_MARKERS).map((h) => `${h.marker} in ${relative(outdir, h.file)}`);
  assert.deepEqual(hits, [], `genauth-logout/server strings found in the bundle: ${hits.join(", ")}`);
});

test("the server markers are in the server entry's files (so their absence above means something)", () => {
  const files = [join(pkgDir, "dist/server/facade.js"), join(pkgDir, "dist/admin/wasm.js")];
  const found = new Set(findAdminMarkers(files, SERVER_MARKERS).map((h) => h.marker));
  assert.deepEqual(SERVER_MARKERS.filter((m) => !found.has(m)), []);
});

test("the admin-code scan finds a marker when one is there (detector self-check)", () => {
  const probeDir = mkdtempSync(join(tmp, "probe-"));
  const file = join(probeDir, "probe.wasm");
  // A marker embedded in binary bytes, as a wasm data segment would hold it.
  writeFileSync(file, Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.from("/KICK-ACTIVE-USERS\0")]));
  const hits = findAdminMarkers([file]);
  assert.deepEqual(
    hits.map((h) => h.marker),
    [ADMIN_MARKERS[0]],
  );
  // The same module inlined in JS as base64, the way a package may ship it.
  const js = join(probeDir, "probe.js");
  const b64 = readFileSync(file).toString("base64");
  writeFileSync(js, `const b64="${b64}";export default b64;`);
  assert.ok(!readFileSync(js, "latin1").toLowerCase().includes("kick-active-users"));
  assert.deepEqual(
    findAdminMarkers([js]).map((h) => h.marker),
    [ADMIN_MARKERS[0]],
  );
  // And as a byte string XOR-masked with one byte, the way genauth-logout
  // inlines its browser module, in a string and in a template literal.
  for (const [open, close] of [['"', '"'], ["`", "`"]]) {
    const masked = [...readFileSync(file)]
      .map((b) => b ^ 67)
      .map((b) => (b >= 0x20 && b < 0x7f && !'"`\\$'.includes(String.fromCharCode(b)) ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`))
      .join("");
    const maskedJs = join(probeDir, "masked.js");
    writeFileSync(maskedJs, `const s=${open}${masked}${close};export default s;`);
    assert.ok(!readFileSync(maskedJs, "latin1").toLowerCase().includes("kick-active-users"));
    assert.deepEqual(
      findAdminMarkers([maskedJs]).map((h) => h.marker),
      [ADMIN_MARKERS[0]],
      `masked, in ${open}${close}`,
    );
  }
  // And masked only up to a data section, as the package build does: a
  // module with a masked custom section (id 0) for the walk to step over,
  // then a data section (id 11) holding a marker in plain text. The module
  // reads back byte for byte and the marker is found.
  const text = (t) => [...Buffer.from(t)];
  const custom = [0, 10, 4, ...text("name"), ...text("/KICK")];
  const data = [11, 19, ...text("/KICK-ACTIVE-USERS\0")];
  const module = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...custom, ...data];
  const stored = module.map((b, i) => (i < module.length - data.length ? b ^ 67 : b));
  const literal = stored.map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("");
  const partlyJs = join(probeDir, "partly-masked.js");
  writeFileSync(partlyJs, `const s="${literal}";export default s;`);
  const [found] = inlinedModules(readFileSync(partlyJs, "utf8"));
  assert.deepEqual([...found.bytes], module, "masked up to the data section: the module reads back");
  assert.deepEqual(
    findAdminMarkers([partlyJs]).map((h) => h.marker),
    [ADMIN_MARKERS[0]],
    "masked up to the data section",
  );
});

test(`the same app on genauth-logout/js: everything emitted, gzip -9, is at most ${budget.jsGzip9MaxBytes} bytes (bench/budget.json)`, (t) => {
  const fromJs = jsBundle.inputs.filter((p) => p.startsWith(join(pkgDir, "dist", "js") + sep));
  assert.ok(fromJs.length > 0, "the app is bundled from the package's dist/js");
  const size = measureFiles(jsBundle.files, jsOutdir);
  for (const f of size.files) t.diagnostic(`${f.file}: ${f.raw} B raw, ${f.gzip9} B gzip -9, ${f.brotli} B brotli`);
  t.diagnostic(`total: ${size.raw} B raw, ${size.gzip9} B gzip -9 (budget ${budget.jsGzip9MaxBytes} B)`);
  assert.ok(
    size.gzip9 <= budget.jsGzip9MaxBytes,
    `the JS-build app is ${size.gzip9} B gzip -9, over the ${budget.jsGzip9MaxBytes} B budget by ${size.gzip9 - budget.jsGzip9MaxBytes} B`,
  );
});

test("the JS-build app carries no WebAssembly and no admin code", () => {
  for (const f of jsBundle.files) {
    assert.ok(!f.endsWith(".wasm"), `${relative(jsOutdir, f)} is a .wasm file`);
    const text = readFileSync(f, "utf8");
    assert.deepEqual(inlinedModules(text), [], `an inlined wasm module in ${relative(jsOutdir, f)}`);
    assert.doesNotMatch(text, /WebAssembly\.(Module|Instance|instantiate|compile)/, `${relative(jsOutdir, f)} uses WebAssembly`);
    assert.doesNotMatch(text, /\beval\(|new Function\(/, `${relative(jsOutdir, f)} evaluates code`);
  }
  const hits = findAdminMarkers(jsBundle.files).map((h) => `${h.marker} in ${relative(jsOutdir, h.file)}`);
  assert.deepEqual(hits, []);
});
