// Harness for the hostile-input tests: installs the packed genauth-logout
// into a temp project like a user would, imports it in Node, and opens it in
// Debian's Chromium (playwright-core) in a page whose origin is
// https://app.example.com — the page origin the shared contract table uses.
// That page and the package files are answered by request interception
// (context.route) from the local disk; every other request is aborted and
// host resolution is disabled, so nothing leaves the machine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { TARBALL, installTarball } from '../support/package.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export { TARBALL };
export const ARTIFACTS = path.join(
  process.env.GENAUTH_ARTIFACTS || path.join(REPO, 'target', 'artifacts'),
  'hostile',
);
export const DATA = path.join(REPO, 'tests', 'data');
export const PAGE_ORIGIN = 'https://app.example.com';

export function readData(name) {
  return JSON.parse(fs.readFileSync(path.join(DATA, name), 'utf8'));
}

let installed;

/** npm-installs the tarball into a fresh temp project; returns its directory. */
export async function installPackage() {
  if (installed) return installed;
  const { dir, pkgDir } = await installTarball('hostile', { private: true, type: 'module' });
  // Imported through the package name, so the exports map is used as a user's would be.
  fs.writeFileSync(path.join(dir, 'entry.mjs'), "export * from 'genauth-logout';\n");
  installed = { dir, pkgDir };
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return installed;
}

/**
 * Records every WebAssembly.Memory the package instantiates. Must run before
 * the package's first call (it instantiates lazily, synchronously, with
 * `new WebAssembly.Instance`); the async paths are wrapped too.
 * Source text, so the page can run the same function.
 */
export const MEMORY_HOOK = `(() => {
  const seen = (globalThis.__wasmMemories = globalThis.__wasmMemories || []);
  const record = (instance) => {
    for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) seen.push(v);
    return instance;
  };
  const Original = WebAssembly.Instance;
  WebAssembly.Instance = new Proxy(Original, {
    construct(target, args, newTarget) { return record(Reflect.construct(target, args, newTarget)); },
  });
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (...args) => {
    const r = await instantiate.apply(WebAssembly, args);
    record(r instanceof Original ? r : r.instance);
    return r;
  };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) {
    WebAssembly.instantiateStreaming = async (...args) => {
      const r = await streaming.apply(WebAssembly, args);
      record(r.instance);
      return r;
    };
  }
})();`;

/** Imports the installed package in this Node process. */
export async function importPackage({ hookMemory = false } = {}) {
  const { dir } = await installPackage();
  if (hookMemory) (0, eval)(MEMORY_HOOK);
  return import(pathToFileURL(path.join(dir, 'entry.mjs')).href);
}

const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // Belt and braces: should any request escape interception, it cannot resolve a host.
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

function pageHtml() {
  return `<!doctype html><meta charset="utf-8"><title>hostile</title>
<script type="importmap">{"imports":{"genauth-logout":"/pkg/dist/index.js"}}</script>
<script>${MEMORY_HOOK}</script>
<script type="module">
import * as pkg from 'genauth-logout';
import * as checks from '/lib/checks.mjs';
import * as inputs from '/lib/js-inputs.mjs';
import * as memory from '/lib/memory.mjs';
window.hostile = { pkg, checks, inputs, memory };
document.title = 'ready';
</script>`;
}

/**
 * Launches Chromium and opens the test page; returns { browser, page, errors,
 * requests, close }. `routes` maps more paths of the page origin to
 * `(request) => ({ status, contentType, body })` (pages, worker scripts,
 * logout endpoints); `requests` records every request answered that way.
 */
export async function openPage({ routes = {} } = {}) {
  const { pkgDir } = await installPackage();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  try {
    const context = await browser.newContext();
    const served = { pkg: pkgDir, lib: path.join(here, 'lib') };
    const requests = [];
    await context.route('**/*', async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      if (url.origin !== PAGE_ORIGIN) return route.abort('blockedbyclient');
      if (url.pathname === '/') {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: pageHtml() });
      }
      if (Object.hasOwn(routes, url.pathname)) {
        requests.push({ method: request.method(), url: url.href, body: request.postData() });
        return route.fulfill({ status: 200, ...routes[url.pathname](request) });
      }
      const [, top, ...rest] = url.pathname.split('/');
      const root = served[top];
      const file = root && path.resolve(root, ...rest.map(decodeURIComponent));
      if (!file || !file.startsWith(root + path.sep) || !fs.existsSync(file)) {
        return route.fulfill({ status: 404, body: 'not found' });
      }
      return route.fulfill({
        status: 200,
        contentType: TYPES[path.extname(file)] || 'application/octet-stream',
        body: fs.readFileSync(file),
      });
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${PAGE_ORIGIN}/`);
    await page.waitForFunction(() => document.title === 'ready' || undefined, null, { timeout: 20_000 })
      .catch((e) => { throw new Error(`page did not load the package: ${errors.join('; ')} ${e}`); });
    return { browser, context, page, errors, requests, close: () => browser.close() };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** Saves JSON under target/artifacts/hostile/ for a human to read after a failure. */
export function saveArtifact(name, value) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, name), JSON.stringify(value, null, 1));
}
