// Shared pieces of the end-to-end tests: real server processes on loopback
// (the genauth-emulator binary, www/serve.mjs, a static file server), the
// packed tarball installed into a temp project the way a user would, and
// Debian's Chromium driven by playwright-core.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { TARBALL, installTarball } from '../support/package.mjs';
import { startProcess, stopChild } from '../support/process.mjs';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

export { TARBALL };
export const EMULATOR_BIN = process.env.GENAUTH_EMULATOR_BIN || path.join(repoRoot, 'target', 'debug', 'genauth-emulator');
export const ARTIFACTS = path.join(process.env.GENAUTH_ARTIFACTS || path.join(repoRoot, 'target', 'artifacts'), 'e2e');
export const STEP_TIMEOUT = 10_000;

fs.mkdirSync(ARTIFACTS, { recursive: true });

/** Every line a child printed, for failure messages. */
function tail(lines, n = 20) {
  return lines.slice(-n).join('\n');
}

/**
 * Spawn `command args` from the repository root, resolve once its first
 * stdout line matches `banner` (capturing the URL), reject if it prints
 * anything else first, exits, or takes longer than `timeoutMs`.
 */
export async function startServer(name, command, args, banner, { timeoutMs = 15_000, env } = {}) {
  const proc = await startProcess(name, command, args, banner, { timeoutMs, env, cwd: repoRoot });
  return { ...proc, log: () => tail(proc.lines) };
}

export { stopChild };

/** A port the OS considers free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `npm install <tarball>` into a fresh temp project; returns { dir, pkgDir }. */
export function installPackage(prefix, manifest = {}) {
  return installTarball(`e2e-${prefix}`, { name: `e2e-${prefix}`, private: true, ...manifest });
}

/** The emulator with `appUrl`'s origin registered and `redirectUris` as logout redirect URIs. */
export function startEmulator(appOrigin, redirectUris) {
  const args = ['--host', '127.0.0.1', '--port', '0', '--app-origin', appOrigin];
  for (const uri of redirectUris) args.push('--redirect-uri', uri);
  return startServer('genauth-emulator', EMULATOR_BIN, args, /^genauth-emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/);
}

/** A copy of the environment without GENAUTH_APP_DOMAIN (tests always use the local tenant). */
export function localEnv() {
  const env = { ...process.env };
  delete env.GENAUTH_APP_DOMAIN;
  return env;
}

/**
 * Start the demo: install the package, start the emulator with the demo's
 * logout redirect URIs registered, then www/serve.mjs. The app is reached as
 * http://<appHost>:<port> (appHost 127.0.0.1 or localhost), the tenant as
 * http://127.0.0.1:<other port>: two origins.
 */
export async function startDemo({ appHost = '127.0.0.1' } = {}) {
  const cleanups = [];
  const env = { cleanups };
  try {
    const { dir, pkgDir } = await installPackage('demo');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    env.pkgDir = pkgDir;
    // The emulator must know the app's URLs before the app knows the
    // tenant's, so the app's port is picked first; a lost race is retried.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      env.app = `http://${appHost}:${port}`;
      env.registered = [`${env.app}/`, `${env.app}/signed-out.html`];
      env.emulator = await startEmulator(env.app, env.registered);
      env.tenant = env.emulator.url;
      try {
        env.demo = await startServer('www/serve.mjs', process.execPath, [
          path.join(repoRoot, 'www', 'serve.mjs'), '--pkg-dir', pkgDir, '--tenant', env.tenant,
          '--host', '127.0.0.1', '--port', String(port),
        ], /^genauth-demo listening on (http:\/\/127\.0\.0\.1:\d+)$/, { env: localEnv() });
        cleanups.push(env.emulator.stop, env.demo.stop);
        break;
      } catch (err) {
        await env.emulator.stop();
        if (attempt >= 3 || !/EADDRINUSE/.test(err.message)) throw err;
      }
    }
    env.browser = await launchBrowser();
    cleanups.push(() => env.browser.close());
  } catch (err) {
    await teardown(env);
    throw err;
  }
  return env;
}

export async function teardown(env) {
  for (const fn of (env?.cleanups ?? []).reverse()) {
    try { await fn(); } catch { /* keep stopping the rest */ }
  }
  if (env) env.cleanups = [];
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A browser context that lets requests reach loopback only (anything else
 * is aborted and recorded in `rec.blocked`), and records page errors and
 * main-frame navigation requests of every page.
 */
export async function newContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 860 } });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const rec = { blocked: [], errors: [], console: [] };
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK.has(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:') {
      return route.fallback();
    }
    rec.blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  context.on('page', (page) => watchPage(page, rec));
  return { context, rec };
}

function watchPage(page, rec) {
  page.navigations = [];
  page.on('pageerror', (err) => rec.errors.push(`${page.url()}: ${err}`));
  page.on('console', (msg) => rec.console.push(`${msg.type()}: ${msg.text()}`));
  page.on('request', (req) => {
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) page.navigations.push(req);
  });
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** `/api/me` as the browser context sees it (its cookie jar). */
export async function tenantMe(context, env) {
  const res = await context.request.get(`${env.tenant}/api/me`);
  if (res.status() !== 200) throw new Error(`/api/me answered ${res.status()}`);
  return res.json();
}

/** Everything in both Web Storage areas of the page's origin. */
export function storageOf(page) {
  return page.evaluate(() => {
    const dump = (s) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i)).map((k) => [k, s.getItem(k)]));
    return { local: dump(localStorage), session: dump(sessionStorage) };
  });
}

/** Wait until the demo page has asked the tenant, and return the state. */
export async function demoState(page) {
  await page.waitForSelector('#status:not([data-state="checking"])');
  return page.getAttribute('#status', 'data-state');
}

/** Open the demo and sign in through the tenant's hosted page. */
export async function signIn(page, env, { user = 'alice', password = 'alice', shotPrefix } = {}) {
  await page.goto(`${env.app}/`);
  const before = await demoState(page);
  if (before !== 'signed-out') throw new Error(`expected the demo to start signed out, it is ${before}`);
  if (shotPrefix) await shot(page, `${shotPrefix}-01-signed-out`);
  await page.click('#sign-in-link');
  await page.waitForURL((u) => u.href.startsWith(`${env.tenant}/login`));
  await page.fill('#username', user);
  await page.fill('#password', password);
  if (shotPrefix) await shot(page, `${shotPrefix}-02-tenant-sign-in`);
  await page.click('#sign-in');
  await page.waitForURL(`${env.app}/`);
  const after = await demoState(page);
  if (after !== 'signed-in') throw new Error(`expected the demo to show signed in, it is ${after}: ${await page.textContent('#status')}`);
  if (shotPrefix) await shot(page, `${shotPrefix}-03-signed-in`);
}

/** The hosted logout URL the library must build for `redirect` (already absolute). */
export function expectedLogoutUrl(env, redirect) {
  const base = `${env.tenant}/login/profile/logout`;
  return redirect === undefined ? base : `${base}?redirect_uri=${encodeURIComponent(redirect)}`;
}
