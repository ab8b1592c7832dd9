// A page served with `Content-Security-Policy: script-src 'self'` (no
// 'wasm-unsafe-eval'), the policy auth pages often run. The app is the
// README's plain example, bundled by esbuild as an application build would
// bundle it: a module-level configure() and a Logout button whose handler
// catches. With `genauth-logout/js` the click navigates to the hosted logout
// URL; with the default entry the page still renders and the click reaches
// the app's catch with `wasm_unavailable`, nothing cleared, nowhere
// navigated.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS, bundle, installPackage, servePages } from './harness.mjs';

const CSP = "script-src 'self'";
const STEP = 10_000;

let project;
let browser;
const servers = [];

before(async () => {
  project = await installPackage('csp');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
});

after(async () => {
  await browser?.close().catch(() => {});
  for (const s of servers) await s.stop();
  project?.cleanup();
});

const HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Logout app</title></head>
<body><p id="status">loading</p><button id="logout">Logout</button><p id="error"></p>
<script type="module" src="/app.js"></script></body></html>`;

/** The app's source, importing `specifier`. */
const appSource = (specifier) => `import { configure, logout, GenAuthError } from ${JSON.stringify(specifier)};

configure({ appDomain: location.origin, clearStorageKeys: ["token"] });
document.getElementById("status").textContent = "ready";
document.getElementById("logout").addEventListener("click", () => {
  try {
    logout(location.origin + "/after?x=1&y=é");
  } catch (e) {
    window.caught = { code: e.code, message: e.message, isGenAuthError: e instanceof GenAuthError };
    document.getElementById("error").textContent = e.code;
  }
});
`;

/** The app bundled for browsers from the installed package, served under the CSP. */
async function serveApp(specifier) {
  const name = specifier.replace(/\W/g, '_');
  const entry = path.join(project.dir, `${name}.js`);
  fs.writeFileSync(entry, appSource(specifier));
  const out = path.join(project.dir, `${name}.bundle.js`);
  await bundle(entry, out, { format: 'esm', platform: 'browser', target: 'es2022', minify: true });
  const server = await servePages({
    '/app.html': ['text/html; charset=utf-8', HTML],
    '/app.js': ['text/javascript', fs.readFileSync(out)],
  }, { 'content-security-policy': CSP });
  servers.push(server);
  return server;
}

/** A page at `server`'s app, with the CSP violations and page errors it reports. */
async function open(context, server) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}/app.html`);
  await page.evaluate(() => {
    localStorage.setItem('token', 't');
    localStorage.setItem('keep', 'k');
  });
  return { page, errors };
}

describe(`Chromium, ${CSP}`, () => {
  test('the policy really refuses WebAssembly compilation on this page', async () => {
    const server = await servePages({
      '/app.html': ['text/html; charset=utf-8', HTML],
      '/app.js': ['text/javascript', 'document.getElementById("status").textContent = "ready";'],
    }, { 'content-security-policy': CSP });
    servers.push(server);
    const context = await browser.newContext();
    try {
      const { page } = await open(context, server);
      const refused = await page.evaluate(() => {
        try {
          new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
          return false;
        } catch (e) {
          return e instanceof WebAssembly.CompileError;
        }
      });
      assert.equal(refused, true);
    } finally {
      await context.close();
    }
  });

  test('genauth-logout/js: the Logout button navigates to the hosted logout URL and clears the configured key', async () => {
    const server = await serveApp('genauth-logout/js');
    const context = await browser.newContext();
    try {
      const { page, errors } = await open(context, server);
      await page.waitForFunction(() => document.getElementById('status').textContent === 'ready');
      await page.click('#logout');
      await page.waitForURL((u) => u.pathname === '/login/profile/logout');
      const redirect = `${server.url}/after?x=1&y=é`;
      assert.equal(page.url(), `${server.url}/login/profile/logout?redirect_uri=${encodeURIComponent(redirect)}`);
      assert.deepEqual(
        server.requests.filter((r) => r.url.startsWith('/login')).map((r) => r.url),
        [`/login/profile/logout?redirect_uri=${encodeURIComponent(redirect)}`],
      );
      assert.deepEqual(await page.evaluate(() => ({ ...localStorage })), { keep: 'k' });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('default entry: the page renders, the click reaches the catch with wasm_unavailable, nothing is cleared', async () => {
    const server = await serveApp('genauth-logout');
    const context = await browser.newContext();
    try {
      const { page, errors } = await open(context, server);
      await page.waitForFunction(() => document.getElementById('status').textContent === 'ready', null, { timeout: STEP })
        .catch(() => assert.fail(`the page did not render: ${errors.join('\n')}`));
      await page.click('#logout');
      await page.waitForFunction(() => window.caught !== undefined);
      const caught = await page.evaluate(() => window.caught);
      assert.equal(caught.code, 'wasm_unavailable');
      assert.equal(caught.isGenAuthError, true);
      assert.match(caught.message, /wasm-unsafe-eval/, 'the message names the CSP keyword');
      assert.match(caught.message, /genauth-logout\/js/, 'the message names the JS build');
      assert.equal(await page.locator('#error').textContent(), 'wasm_unavailable');
      // Nothing cleared, nowhere navigated.
      await page.waitForTimeout(300);
      assert.equal(page.url(), `${server.url}/app.html`);
      assert.deepEqual(await page.evaluate(() => ({ ...localStorage })), { token: 't', keep: 'k' });
      assert.deepEqual(server.requests.filter((r) => r.url.startsWith('/login')), []);
      assert.deepEqual(errors.filter((e) => !/Content Security Policy|wasm-unsafe-eval/.test(e)), []);
    } finally {
      await context.close();
    }
  });
});
