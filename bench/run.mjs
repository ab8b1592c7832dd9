// The side-by-side benchmark (`cargo xtask bench`, or `node bench/run.mjs`):
// bundles the same logout-button app for genauth-logout, each peer SDK and
// plain JS, counts every emitted byte (raw, gzip -9, brotli 11), then times
// start-up in headless Chromium over cold page loads, prints a table and
// writes bench/RESULTS.md. Every number in that file comes from this run.
//
// Environment: GENAUTH_PKG_TARBALL (our packed package; default
// target/pkg/genauth-logout.tgz), CHROMIUM_PATH (default /usr/bin/chromium),
// BENCH_LOADS (timed cold loads per app, default 25, at least 20).
// Flag --allow-missing-ours: measure only the peers when the tarball is absent
// (development only; RESULTS.md then says ours was not measured).
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";
import { inlinedModules } from "./inline-wasm.mjs";
import {
  ADMIN_MARKERS,
  APPS,
  BENCH_DIR,
  INDEX_HTML,
  REDIRECT,
  REPO_DIR,
  WORK_DIR,
  bundleApp,
  findAdminMarkers,
  installTarball,
  installedVersion,
  measureFiles,
  readBudget,
  tarballPath,
  wasmAccountingProblem,
} from "./lib.mjs";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless=new",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Names other than loopback never resolve: no app can reach the internet,
  // and attempts still show up as request events (reported below).
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];
const WARMUP_ROUNDS = 2;
const SPEED_ROUNDS = 15;
let speed = null;
const LOAD_TIMEOUT_MS = 15000;

const allowMissingOurs = process.argv.includes("--allow-missing-ours");
const loads = Number.parseInt(process.env.BENCH_LOADS || "25", 10);
if (!Number.isInteger(loads) || loads < 20) {
  console.error(`BENCH_LOADS must be an integer >= 20 (got ${process.env.BENCH_LOADS})`);
  process.exit(2);
}
const startedAt = new Date();
const loadBefore = os.loadavg();
const budget = readBudget();

// ---------------------------------------------------------------- install
const tgz = tarballPath();
let oursNodeModules = null;
let oursNote = null;
let tgzSha = null;
if (existsSync(tgz)) {
  // Work on a private copy: the hash and the install see the same bytes even
  // if the package is re-packed while the bench runs.
  mkdirSync(WORK_DIR, { recursive: true });
  const copy = join(WORK_DIR, "genauth-logout.tgz");
  copyFileSync(tgz, copy);
  tgzSha = createHash("sha256").update(readFileSync(copy)).digest("hex");
  oursNodeModules = installTarball(copy, join(WORK_DIR, "genauth"));
} else if (allowMissingOurs) {
  oursNote = `not measured: no tarball at ${relative(REPO_DIR, tgz)} (run with --allow-missing-ours)`;
  console.warn(`warning: genauth-logout ${oursNote}`);
} else {
  console.error(`error: genauth-logout tarball not found at ${tgz}; build it (cargo xtask pkg) or set GENAUTH_PKG_TARBALL`);
  process.exit(1);
}
const apps = APPS.filter((a) => !a.ours || oursNodeModules);

// ---------------------------------------------------------------- bundle + size
const distDir = join(WORK_DIR, "dist");
for (const app of apps) {
  const outdir = join(distDir, app.dir);
  const { files } = await bundleApp(app, outdir, { nodePaths: oursNodeModules ? [oursNodeModules] : [] });
  writeFileSync(join(outdir, "index.html"), INDEX_HTML);
  app.size = measureFiles(files, outdir);
  app.version = app.pkg ? installedVersion(app.pkg, app.ours ? oursNodeModules : undefined) : "—";
  if (app.jsBuild) {
    // The JavaScript build carries no WebAssembly at all.
    app.adminHits = findAdminMarkers(files);
    const wasmIn = files.filter((f) => f.endsWith(".wasm") || (/\.m?js$/.test(f) && inlinedModules(readFileSync(f, "utf8")).length > 0));
    if (wasmIn.length) {
      console.error(`error: ${app.name}: WebAssembly in ${wasmIn.map((f) => relative(outdir, f)).join(", ")}`);
      process.exit(1);
    }
  } else if (app.ours) {
    app.adminHits = findAdminMarkers(files);
    const problem = wasmAccountingProblem(join(oursNodeModules, "genauth-logout"), files);
    if (problem) {
      console.error(`error: ${problem}`);
      process.exit(1);
    }
  }
}

// The speed probe of the JS build against the wasm build (not in the tables above).
const speedProbe = { dir: "js-vs-wasm" };
if (oursNodeModules) {
  await bundleApp(speedProbe, join(distDir, speedProbe.dir), { nodePaths: [oursNodeModules] });
  writeFileSync(join(distDir, speedProbe.dir, "index.html"), INDEX_HTML);
}

// ---------------------------------------------------------------- server
const server = spawn(process.execPath, [join(BENCH_DIR, "serve.mjs"), distDir], {
  stdio: ["pipe", "pipe", "inherit"],
});
const origin = await new Promise((resolveOrigin, reject) => {
  const timer = setTimeout(() => reject(new Error("bench server did not start within 10 s")), 10000);
  const lines = createInterface({ input: server.stdout });
  lines.once("line", (line) => {
    clearTimeout(timer);
    const m = /^bench server listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    if (m) resolveOrigin(m[1]);
    else reject(new Error(`unexpected server output: ${line}`));
  });
  server.once("exit", (code) => reject(new Error(`bench server exited early (${code})`)));
});
const stopServer = () => {
  if (server.exitCode === null) server.kill("SIGTERM");
};
process.on("exit", stopServer);

// ---------------------------------------------------------------- browser
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
  timeout: 60000,
});
const chromiumVersion = browser.version();

/** One cold load in a fresh context: returns { at, url, offHost[] }. */
async function coldLoad(app, { click = false } = {}) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const offHost = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(origin + "/")) offHost.push(r.url());
    });
    await page.goto(`${origin}/${app.dir}/`, { waitUntil: "load", timeout: LOAD_TIMEOUT_MS });
    await page.waitForFunction(() => window.__firstUrlAt !== undefined || window.__benchError !== undefined, null, {
      timeout: LOAD_TIMEOUT_MS,
    });
    const probe = await page.evaluate(() => ({
      at: window.__firstUrlAt,
      url: window.__firstUrl,
      error: window.__benchError,
    }));
    if (probe.error !== undefined || typeof probe.at !== "number") {
      throw new Error(`${app.name}: page error: ${probe.error}`);
    }
    const startupOffHost = offHost.slice();
    let clicked = null;
    if (click) {
      const nav = page.waitForEvent("request", { predicate: (r) => !r.url().startsWith(origin + "/"), timeout: 3000 });
      await page.click("#logout");
      clicked = await nav.then(
        (r) => `${r.method()} ${r.url()}`,
        () => null,
      );
    }
    return { at: probe.at, url: probe.url, offHost: startupOffHost, clicked };
  } finally {
    await context.close();
  }
}

const benchStart = Date.now();
try {
  // Correctness first: each app must produce a logout URL carrying the
  // encoded redirect. An app that fails is reported as failed (its sizes
  // stay in the report), left out of the timing, and makes the run exit 1.
  const encoded = encodeURIComponent(REDIRECT);
  for (const app of apps) {
    try {
      const r = await coldLoad(app, { click: true });
      app.firstUrl_ = r.url;
      app.clicked = r.clicked;
      app.startupOffHost = r.offHost;
      const ok = app.exactUrl ? r.url === app.exactUrl : typeof r.url === "string" && r.url.includes(encoded);
      if (!ok) throw new Error(`start-up URL is wrong: ${r.url}`);
    } catch (e) {
      app.error = String(e.message || e).split("\n")[0];
      console.error(`error: ${app.name}: ${app.error}`);
    }
  }

  // Timed loads: round-robin, app order shuffled each round, so drift of the
  // machine over the run hits every app alike. Warm-up rounds are discarded.
  const timed = apps.filter((a) => !a.error);
  for (const app of timed) app.samples = [];
  for (let round = 0; round < WARMUP_ROUNDS + loads; round++) {
    for (const app of shuffled(timed)) {
      const r = await coldLoad(app);
      if (round >= WARMUP_ROUNDS) app.samples.push(r.at);
    }
  }

  // The JS build against the wasm build, both in one run: each build in a
  // fresh context per sample, alternating, medians of SPEED_ROUNDS.
  if (oursNodeModules) {
    const samples = { wasm: [], js: [] };
    for (let round = 0; round < WARMUP_ROUNDS + SPEED_ROUNDS; round++) {
      for (const build of round % 2 ? ["js", "wasm"] : ["wasm", "js"]) {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          await page.goto(`${origin}/${speedProbe.dir}/`, { waitUntil: "load", timeout: LOAD_TIMEOUT_MS });
          await page.waitForFunction(() => window.__firstUrlAt !== undefined, null, { timeout: LOAD_TIMEOUT_MS });
          const r = await page.evaluate((b) => window.__measure(b), build);
          if (r.url !== apps.find((a) => a.ours).exactUrl) throw new Error(`speed probe (${build}): wrong URL ${r.url}`);
          if (round >= WARMUP_ROUNDS) samples[build].push(r);
        } finally {
          await context.close();
        }
      }
    }
    const median = (list, key) => stats(list.map((r) => r[key])).median;
    speed = {
      rounds: SPEED_ROUNDS,
      wasm: { firstMs: median(samples.wasm, "firstMs"), perCallUs: median(samples.wasm, "perCallUs") },
      js: { firstMs: median(samples.js, "firstMs"), perCallUs: median(samples.js, "perCallUs") },
    };
  }
} finally {
  await browser.close();
  stopServer();
}
const benchSeconds = (Date.now() - benchStart) / 1000;
const loadAfter = os.loadavg();
const loadNote = `load average (1 min) ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after the timed loads`;

for (const app of apps) app.stats = app.error ? null : stats(app.samples);

// ---------------------------------------------------------------- report
const ours = apps.find((a) => a.ours);
const md = renderMarkdown();
writeFileSync(join(BENCH_DIR, "RESULTS.md"), md);
console.log(renderConsole());
console.log(`wrote ${relative(process.cwd(), join(BENCH_DIR, "RESULTS.md"))}`);
if (apps.some((a) => a.error)) process.exitCode = 1;
if (ours && (ours.size.gzip9 > budget.gzip9MaxBytes || ours.adminHits.length > 0)) process.exitCode = 1;
const oursJs = apps.find((a) => a.jsBuild);
if (oursJs && (oursJs.size.gzip9 > budget.jsGzip9MaxBytes || oursJs.adminHits.length > 0)) process.exitCode = 1;

// ---------------------------------------------------------------- helpers
function shuffled(list) {
  const a = list.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function stats(samples) {
  const s = samples.slice().sort((x, y) => x - y);
  return { n: s.length, min: s[0], p25: quantile(s, 0.25), median: quantile(s, 0.5), p75: quantile(s, 0.75), max: s.at(-1) };
}

function ms(n) {
  return n.toFixed(1);
}

function ratio(a, b) {
  return `${(a / b).toFixed(2)}×`;
}

function budgetVerdict() {
  if (!ours) return `genauth-logout ${oursNote}`;
  const verdict = ours.size.gzip9 <= budget.gzip9MaxBytes ? "PASS" : "FAIL";
  const target = budget.targetGzip9Bytes;
  const goal =
    target === undefined
      ? ""
      : `; goal ${target} B: ${ours.size.gzip9 <= target ? "met" : `NOT met (${ratio(ours.size.gzip9, target)} of it)`}`;
  return `${verdict}: ${ours.size.gzip9} B gzip -9 against a budget of ${budget.gzip9MaxBytes} B (bench/budget.json)${goal}`;
}

function jsBudgetVerdict() {
  const js = apps.find((a) => a.jsBuild);
  if (!js) return "not measured";
  const peers = ["oidc-client-ts", "keycloak-js"]
    .map((n) => apps.find((a) => a.name === n))
    .filter(Boolean)
    .map((p) => `${ratio(js.size.gzip9, p.size.gzip9)} ${p.name} (${p.size.gzip9} B)`)
    .join(", ");
  const verdict = js.size.gzip9 <= budget.jsGzip9MaxBytes ? "PASS" : "FAIL";
  return `${verdict}: ${js.size.gzip9} B gzip -9 against a budget of ${budget.jsGzip9MaxBytes} B (bench/budget.json); ${peers}`;
}

function speedLines() {
  const js = apps.find((a) => a.jsBuild);
  const lines = [];
  if (ours?.stats && js?.stats) {
    lines.push(`- Cold page load to the first logout URL (the size table's apps): JS build ${ms(js.stats.median)} ms, wasm build ${ms(ours.stats.median)} ms median: **${ratio(js.stats.median, ours.stats.median)}**`);
  }
  if (speed) {
    lines.push(`- First configure() + buildLogoutUrl in a fresh page (instantiating the module): JS build ${speed.js.firstMs.toFixed(2)} ms, wasm build ${speed.wasm.firstMs.toFixed(2)} ms median of ${speed.rounds}: **${ratio(speed.js.firstMs, speed.wasm.firstMs)}**`);
    lines.push(`- Per buildLogoutUrl call after that (mean of 2,000 calls): JS build ${speed.js.perCallUs.toFixed(2)} µs, wasm build ${speed.wasm.perCallUs.toFixed(2)} µs median of ${speed.rounds}: **${ratio(speed.js.perCallUs, speed.wasm.perCallUs)}**`);
  }
  return lines;
}

function adminVerdict() {
  if (!ours) return "not measured";
  if (ours.adminHits.length === 0) return `PASS: none of ${JSON.stringify(ADMIN_MARKERS)} in any emitted file`;
  return `FAIL: ${ours.adminHits.map((h) => `${h.marker} in ${relative(distDir, h.file)}`).join(", ")}`;
}

function machine() {
  let nproc;
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {
    nproc = String(os.availableParallelism());
  }
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1].trim();
  } catch {
    // keep os.cpus() answer
  }
  return {
    nproc,
    cpu,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: chromiumVersion,
    esbuild: installedVersion("esbuild"),
    "playwright-core": installedVersion("playwright-core"),
  };
}

function sizeRows() {
  return apps.map((a) => ({
    app: a.ours ? `**${a.name}** (ours)` : a.name,
    plainName: a.name,
    version: a.version,
    files: a.size.files.length,
    raw: a.size.raw,
    gzip9: a.size.gzip9,
    brotli: a.size.brotli,
    vs: ours ? (a === ours ? "1.00×" : ratio(ours.size.gzip9, a.size.gzip9)) : "—",
  }));
}

function startupRows() {
  return apps.map((a) => {
    const row = { app: a.ours ? `**${a.name}** (ours)` : a.name, plainName: a.name };
    if (!a.stats) return { ...row, median: "failed", iqr: "—", range: "—", vs: "—" };
    return {
      ...row,
      median: ms(a.stats.median),
      iqr: `${ms(a.stats.p25)}–${ms(a.stats.p75)}`,
      range: `${ms(a.stats.min)}–${ms(a.stats.max)}`,
      vs: !ours?.stats ? "—" : a === ours ? "1.00×" : ratio(ours.stats.median, a.stats.median),
    };
  });
}

function table(headers, rows, align) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(align.map((x) => (x === "r" ? "---:" : "---"))), ...rows.map(line)].join("\n");
}

function renderMarkdown() {
  const m = machine();
  const tgzInfo = ours
    ? `${tgz.startsWith(REPO_DIR + "/") ? relative(REPO_DIR, tgz) : tgz} (sha256 ${tgzSha.slice(0, 16)}…, read at install)`
    : oursNote;
  const out = [];
  out.push("# Logout-button benchmark results");
  out.push("");
  out.push(
    "Generated by `node bench/run.mjs` (run by `cargo xtask bench`); do not edit by hand — every value below comes from the run.",
  );
  out.push("");
  out.push(`- Date: ${startedAt.toISOString()}`);
  out.push(`- Machine: nproc ${m.nproc}; ${m.cpu}; ${m.memory}; ${m.os}`);
  out.push(`- Node ${m.node}; Chromium ${m.chromium} (headless, ${process.env.CHROMIUM_PATH || "/usr/bin/chromium"}); esbuild ${m.esbuild}; playwright-core ${m["playwright-core"]}`);
  out.push(`- Our package: ${tgzInfo}`);
  out.push(`- Start-up samples: ${loads} timed cold loads per app (+${WARMUP_ROUNDS} discarded warm-up rounds), ${benchSeconds.toFixed(0)} s in total; ${loadNote} (timings are only comparable on a quiet machine; sizes are exact)`);
  out.push("");
  out.push("## Size: everything esbuild emits for the app");
  out.push("");
  out.push(
    "`esbuild --bundle --minify --format=esm --target=es2022`; a wasm file a package loads is emitted by the `file` loader and counted" +
      (ours ? (ours.size.files.some((f) => f.file.endsWith(".wasm")) ? " (genauth-logout ships its wasm as a file)" : " (genauth-logout inlines its wasm in its JS as an escaped byte string, XOR-masked, so it is inside `main.js`)") : "") +
      ". Each emitted file is compressed on its own (gzip level 9, brotli quality 11 / window 24) and the sizes are summed. The HTML shell, identical for every app, is not counted. Bytes.",
  );
  out.push("");
  out.push(
    table(
      ["app", "version", "files", "raw", "gzip -9", "brotli", "ours ÷ this (gzip)"],
      sizeRows().map((r) => [r.app, r.version, r.files, r.raw, r.gzip9, r.brotli, r.vs]),
      ["l", "l", "r", "r", "r", "r", "r"],
    ),
  );
  out.push("");
  out.push(`- Budget: ${budgetVerdict()}`);
  out.push(`- JavaScript build (genauth-logout/js): ${jsBudgetVerdict()}`);
  out.push(`- Admin code in the browser app: ${adminVerdict()}`);
  if (ours) {
    out.push(`- Our emitted files: ${ours.size.files.map((f) => `\`${f.file}\` ${f.raw} B raw / ${f.gzip9} B gzip -9`).join(", ")}`);
  }
  out.push("");
  out.push("## Start-up: navigation start → first logout URL computed");
  out.push("");
  out.push(
    "Headless Chromium, a new browser context (empty cache) per load, pages served from 127.0.0.1 by `bench/serve.mjs`; the value is `performance.now()` recorded by the app right after it has computed its logout URL (`window.__firstUrlAt`). Apps are loaded round-robin in a shuffled order each round. Milliseconds.",
  );
  out.push("");
  out.push(
    table(
      ["app", "median", "IQR (p25–p75)", "min–max", "ours ÷ this (median)"],
      startupRows().map((r) => [r.app, r.median, r.iqr, r.range, r.vs]),
      ["l", "r", "r", "r", "r"],
    ),
  );
  out.push("");
  out.push("## The JavaScript build against the wasm build (reported, not gated)");
  out.push("");
  out.push("Headless Chromium, this run; ratio = JS build ÷ wasm build.");
  out.push("");
  out.push(...(speedLines().length ? speedLines() : ["- not measured"]));
  out.push("");
  out.push("## What each app does at start-up and on click");
  out.push("");
  out.push("Every app configures its SDK, computes its logout URL for `" + REDIRECT + "` once (the start-up probe) and wires a button that logs out to it. Checked in this run, once per app, before timing:");
  out.push("");
  out.push(
    table(
      ["app", "start-up URL from", "URL computed", "click navigates to", "other hosts at start-up"],
      apps.map((a) => a.error ? [a.name, a.firstUrl, `**failed**: ${a.error.replaceAll("|", "\\|")}`, "—", "—"] : [
        a.name,
        a.firstUrl,
        "`" + a.firstUrl_ + "`",
        a.clicked ? "`" + a.clicked + "`" : `nothing (no request within 3 s)${a.clickNote ? ": " + a.clickNote : ""}`,
        a.startupOffHost.length ? a.startupOffHost.map((u) => "`" + u + "`").join(", ") : "none",
      ]),
      ["l", "l", "l", "l", "l"],
    ),
  );
  out.push("");
  return out.join("\n");
}

function renderConsole() {
  const pad = (s, n, right) => (right ? String(s).padStart(n) : String(s).padEnd(n));
  const lines = [];
  lines.push("");
  lines.push(
    [pad("app", 22), pad("raw B", 9, 1), pad("gzip9 B", 9, 1), pad("brotli B", 9, 1), pad("ours/gz", 8, 1), pad("median ms", 10, 1), pad("IQR ms", 14, 1), pad("min-max ms", 14, 1), pad("ours/t", 7, 1)].join(" "),
  );
  const sr = sizeRows();
  const tr = startupRows();
  sr.forEach((s, i) => {
    const t = tr[i];
    lines.push(
      [pad(s.plainName, 22), pad(s.raw, 9, 1), pad(s.gzip9, 9, 1), pad(s.brotli, 9, 1), pad(s.vs, 8, 1), pad(t.median, 10, 1), pad(t.iqr, 14, 1), pad(t.range, 14, 1), pad(t.vs, 7, 1)].join(" "),
    );
  });
  lines.push("");
  for (const a of apps) if (a.error) lines.push(`FAILED ${a.name}: ${a.error}`);
  lines.push(`budget: ${budgetVerdict()}`);
  lines.push(`js build: ${jsBudgetVerdict()}`);
  for (const l of speedLines()) lines.push(l.replace(/^- /, "js vs wasm: ").replaceAll("**", ""));
  lines.push(`admin code: ${adminVerdict()}`);
  lines.push(`${loads} timed cold loads per app, ${benchSeconds.toFixed(0)} s in browser; ${loadNote}`);
  return lines.join("\n");
}
