// Shared pieces of the benchmark (run.mjs) and the size gate (size.test.mjs):
// which apps exist, how our tarball is installed, how an app is bundled and
// how emitted bytes are counted. Keeping them in one place guarantees the
// gate measures exactly what the benchmark reports.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import * as esbuild from "esbuild";
import { inlinedModules } from "./inline-wasm.mjs";

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = resolve(BENCH_DIR, "..");
export const WORK_DIR = join(BENCH_DIR, ".work");

/** The redirect every app logs out to. */
export const REDIRECT = "https://app.example.com/after?x=1";
/** The hosted logout URL that ours and the plain app must produce for REDIRECT. */
export const EXPECTED_GENAUTH_URL =
  "https://myapp.genauth.ai/login/profile/logout?redirect_uri=" + encodeURIComponent(REDIRECT);

/** Strings that only the admin entry may contain; none may reach the browser app. */
export const ADMIN_MARKERS = ["kick-active-users", "kickActiveUsers", "x-authing-userpool-id", "AdminClient"];

/** Strings only the server entry (genauth-logout/server) holds, in its facade or in its module. */
export const SERVER_MARKERS = ["logoutPlan", "logoutResponse", "sec-fetch-site", "Max-Age=0", "appOrigin is required on a server"];

/**
 * The apps, in report order. `pkg` is the npm package whose version is reported
 * (null for plain JS); `firstUrl` says how the start-up probe gets its URL.
 */
export const APPS = [
  {
    name: "genauth-logout",
    dir: "genauth-logout",
    pkg: "genauth-logout",
    ours: true,
    firstUrl: "buildLogoutUrl(redirect) after configure()",
    exactUrl: EXPECTED_GENAUTH_URL,
  },
  {
    name: "genauth-logout/js",
    dir: "genauth-logout-js",
    pkg: "genauth-logout",
    ours: true,
    jsBuild: true,
    firstUrl: "the same app on genauth-logout/js (the core through wasm2js, no WebAssembly)",
    exactUrl: EXPECTED_GENAUTH_URL,
  },
  {
    name: "plain",
    dir: "plain",
    pkg: null,
    firstUrl: "string concatenation + encodeURIComponent (the floor)",
    exactUrl: EXPECTED_GENAUTH_URL,
  },
  {
    name: "keycloak-js",
    dir: "keycloak-js",
    pkg: "keycloak-js",
    firstUrl: "keycloak.createLogoutUrl({ redirectUri }) after init({ checkLoginIframe: false })",
  },
  {
    name: "oidc-client-ts",
    dir: "oidc-client-ts",
    pkg: "oidc-client-ts",
    firstUrl: "new OidcClient(settings).createSignoutRequest({ post_logout_redirect_uri }).url (inline metadata, no discovery)",
  },
  {
    name: "@authing/web",
    dir: "authing-web",
    pkg: "@authing/web",
    firstUrl: "none in the SDK: the app concatenates the hosted URL itself after new Authing(...)",
    exactUrl: EXPECTED_GENAUTH_URL,
    clickNote: "logoutWithRedirect() returns without navigating when no login state is stored, as on this page",
  },
  {
    name: "@auth0/auth0-spa-js",
    dir: "auth0-spa-js",
    pkg: "@auth0/auth0-spa-js",
    firstUrl: "await auth0.logout({ logoutParams: { returnTo }, openUrl: cb }) (v2 has no public builder)",
  },
];

/** The size budget, read from bench/budget.json (the single place it lives). */
export function readBudget() {
  const budget = JSON.parse(readFileSync(join(BENCH_DIR, "budget.json"), "utf8"));
  if (!Number.isInteger(budget.gzip9MaxBytes) || budget.gzip9MaxBytes <= 0) {
    throw new Error("bench/budget.json: gzip9MaxBytes must be a positive integer");
  }
  if (!Number.isInteger(budget.jsGzip9MaxBytes) || budget.jsGzip9MaxBytes <= 0) {
    throw new Error("bench/budget.json: jsGzip9MaxBytes must be a positive integer");
  }
  return budget;
}

/** Absolute path of our packed tarball: $GENAUTH_PKG_TARBALL or target/pkg/genauth-logout.tgz. */
export function tarballPath() {
  return resolve(process.env.GENAUTH_PKG_TARBALL || join(REPO_DIR, "target", "pkg", "genauth-logout.tgz"));
}

/**
 * Installs the tarball into `dir` as a user would (`npm install <tgz>`, offline:
 * the package has no dependencies). Returns the node_modules directory.
 */
export function installTarball(tgz, dir) {
  if (!existsSync(tgz)) {
    throw new Error(`genauth-logout tarball not found at ${tgz} (build it with \`cargo xtask pkg\` or set GENAUTH_PKG_TARBALL)`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench-genauth-install", private: true }) + "\n");
  execFileSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--offline", "--no-package-lock", "--loglevel=error", tgz],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  return join(dir, "node_modules");
}

/** Version from an installed package's own package.json. */
export function installedVersion(pkg, nodeModules = join(BENCH_DIR, "node_modules")) {
  const file = join(nodeModules, pkg, "package.json");
  return JSON.parse(readFileSync(file, "utf8")).version;
}

// wasm-bindgen's `--target web` glue locates its wasm with
// `new URL("x_bg.wasm", import.meta.url)`, which esbuild leaves untouched (the
// file would not be emitted). This plugin turns each such reference into an
// import handled by the `file` loader, so the wasm is emitted next to the
// bundle and the URL points at it. Packages that inline their wasm or import
// it directly are not affected.
const WASM_URL_RE = /new\s+URL\(\s*(["'`])([^"'`]+?\.wasm)\1\s*,\s*import\.meta\.url\s*\)/g;
const wasmUrlPlugin = {
  name: "wasm-new-url",
  setup(build) {
    build.onLoad({ filter: /\.m?js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes(".wasm")) return undefined;
      let n = 0;
      const imports = [];
      const out = text.replace(WASM_URL_RE, (_m, _q, spec) => {
        const id = `__bench_wasm_url_${n++}`;
        const rel = spec.startsWith(".") || spec.startsWith("/") ? spec : "./" + spec;
        imports.push(`import ${id} from ${JSON.stringify(rel)};`);
        return `new URL(${id}, import.meta.url)`;
      });
      if (n === 0) return undefined;
      return { contents: imports.join("\n") + "\n" + out, loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

/**
 * Bundles one app the way the benchmark defines it (bundle, minify, esm,
 * es2022, wasm as emitted file) into `outdir`, which is emptied first.
 * `nodePaths` lets the app resolve genauth-logout from its install dir.
 * Returns `{ files, inputs }`: absolute paths of every file esbuild emitted
 * and of every input file that went into the bundle.
 */
export async function bundleApp(app, outdir, { nodePaths = [] } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { main: join(BENCH_DIR, "apps", app.dir, "main.js") },
    absWorkingDir: BENCH_DIR,
    outdir,
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    loader: { ".wasm": "file" },
    assetNames: "[name]-[hash]",
    nodePaths,
    metafile: true,
    logLevel: "silent",
    plugins: [wasmUrlPlugin],
  });
  return {
    files: Object.keys(result.metafile.outputs).map((p) => resolve(BENCH_DIR, p)),
    inputs: Object.keys(result.metafile.inputs).map((p) => resolve(BENCH_DIR, p)),
  };
}

/** Raw, gzip -9 and brotli (quality 11, window 24) sizes of each file and in total. */
export function measureFiles(files, baseDir) {
  const rows = files.map((file) => {
    const bytes = readFileSync(file);
    return {
      file: baseDir ? relative(baseDir, file) : file,
      raw: bytes.length,
      gzip9: zlib.gzipSync(bytes, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(bytes, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_LGWIN]: zlib.constants.BROTLI_MAX_WINDOW_BITS,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }).length,
    };
  });
  const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
  return { files: rows, raw: sum("raw"), gzip9: sum("gzip9"), brotli: sum("brotli") };
}

/**
 * Which of ADMIN_MARKERS occur (case-insensitively) in which emitted file,
 * looking at the file's bytes and inside every inlined wasm module (base64,
 * or an escaped byte string, masked or not: see inline-wasm.mjs), whose
 * strings the plain text may not show.
 */
export function findAdminMarkers(files, markers = ADMIN_MARKERS) {
  const hits = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    const views = [{ where: "", text: bytes.toString("latin1").toLowerCase() }];
    // Literals are read from the text as UTF-8, the way bundlers write it.
    for (const m of inlinedModules(bytes.toString("utf8"))) {
      views.push({
        where: ` (inlined wasm, ${m.form}, at character ${m.index})`,
        text: m.bytes.toString("latin1").toLowerCase(),
      });
    }
    for (const marker of markers) {
      const view = views.find((v) => v.text.includes(marker.toLowerCase()));
      if (view) hits.push({ file: file + view.where, marker });
    }
  }
  return hits;
}

/** The HTML shell served for every app (not counted: identical for all). */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>logout button</title>
<script>addEventListener("error",e=>{window.__benchError=String(e.message)});addEventListener("unhandledrejection",e=>{window.__benchError=String(e.reason&&e.reason.stack||e.reason)})</script>
<button id="logout" type="button">Log out</button>
<script type="module" src="./main.js"></script>
</html>
`;

/**
 * Guards against under-counting: when the installed package ships .wasm files,
 * the bundle must either emit a .wasm file or carry the module inlined (see
 * inline-wasm.mjs). Returns null when fine, else a message.
 */
export function wasmAccountingProblem(pkgDir, files) {
  // The edge build's .wasm files are for the workerd and edge-light
  // conditions only; a browser bundle never reaches them.
  const shipped = listFiles(pkgDir).filter((f) => f.endsWith(".wasm") && !relative(pkgDir, f).startsWith("dist/edge/"));
  if (shipped.length === 0) return null;
  if (files.some((f) => f.endsWith(".wasm"))) return null;
  const inlined = files
    .filter((f) => /\.m?js$/.test(f))
    .some((f) => inlinedModules(readFileSync(f, "utf8")).length > 0);
  if (inlined) return null;
  return `the package ships ${shipped.map((f) => relative(pkgDir, f)).join(", ")} but the bundle neither emits a .wasm file nor inlines one: the wasm would be fetched from somewhere esbuild did not see, and its bytes would not be counted`;
}

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}
