// Shared harness for the OpenID Connect interop tests: starts the RP page
// server and oidc-provider instances as real processes on 127.0.0.1, installs
// the packed genauth-logout tarball into a temp project like a user would,
// launches Debian's Chromium through playwright-core, and stops everything.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

import { TARBALL, installTarball } from '../support/package.mjs';
import { startProcess as startChild } from '../support/process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

export { TARBALL };
export const ARTIFACTS = path.join(
  process.env.GENAUTH_ARTIFACTS || path.join(repoRoot, 'target', 'artifacts'),
  'oidc',
);
export const PASSWORD = 'correct horse';
export const STEP_TIMEOUT = 20_000;

fs.mkdirSync(ARTIFACTS, { recursive: true });

// Children still running when this test process exits (a crash, a runner
// timeout) are killed with it.
const children = new Set();
process.on('exit', () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/**
 * Start `node <script> ...args`; resolve once its first stdout line matches
 * `banner`. Later lines are JSON log records, kept parsed in `logs`.
 */
export async function startProcess(script, args, banner, { timeoutMs = 20_000 } = {}) {
  const logs = [];
  const proc = await startChild(script, process.execPath, [path.join(here, script), ...args], banner, {
    timeoutMs,
    cwd: here,
    onSpawn: (child) => {
      children.add(child);
      child.on('exit', () => { children.delete(child); });
    },
    onLine: (line) => {
      try { logs.push(JSON.parse(line)); } catch { logs.push({ raw: line }); }
    },
  });
  return { url: proc.url, child: proc.child, logs, stderr: proc.stderr, stop: proc.stop };
}

/** Install the tarball into a fresh temp project; returns { dir, pkgDir }. */
export function installPackage() {
  return installTarball('oidc', { name: 'oidc-rp-app', private: true });
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
}

/** A throwaway self-signed certificate for https://127.0.0.1 (the browser is told to accept it). */
async function makeCertificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genauth-oidc-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256',
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', cert], { timeout: 30_000 });
  return { dir, cert, key };
}

const OP_BANNER = /^oidc-provider listening on (https:\/\/127\.0\.0\.1:\d+)$/;

/**
 * Start everything a test file needs. Options: { foreign: true } also starts a
 * second, independent provider instance (its own key and issuer);
 * { getOnly: true } also starts one with oidc-provider's default of GET only
 * at the end-session endpoint.
 */
export async function setup({ foreign = false, getOnly = false } = {}) {
  const cleanups = [];
  const env = { cleanups };
  try {
    const tls = await makeCertificate();
    cleanups.push(() => fs.rmSync(tls.dir, { recursive: true, force: true }));
    env.ca = fs.readFileSync(tls.cert);
    const opArgs = (...more) => ['--rp-origin', env.rp.url, '--tls-cert', tls.cert, '--tls-key', tls.key, ...more];
    const { dir, pkgDir } = await installPackage();
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    env.pkgDir = pkgDir;
    env.rp = await startProcess('rp-server.mjs', ['--pkg-dir', env.pkgDir],
      /^rp-server listening on (http:\/\/127\.0\.0\.1:\d+)$/);
    cleanups.push(env.rp.stop);
    env.op = await startProcess('provider-server.mjs', opArgs(), OP_BANNER);
    cleanups.push(env.op.stop);
    if (foreign) {
      env.foreignOp = await startProcess('provider-server.mjs', opArgs('--cookie-prefix', 'foreign'), OP_BANNER);
      cleanups.push(env.foreignOp.stop);
    }
    if (getOnly) {
      env.getOnlyOp = await startProcess('provider-server.mjs', opArgs('--cookie-prefix', 'getonly', '--get-only'), OP_BANNER);
      cleanups.push(env.getOnlyOp.stop);
    }
    env.browser = await launchBrowser();
    cleanups.push(() => env.browser.close());
  } catch (err) {
    await teardown(env);
    throw err;
  }
  env.registered = `${env.rp.url}/logged-out`;
  env.unregistered = `${env.rp.url}/not-registered`;
  env.endSession = `${env.op.url}/session/end`;
  return env;
}

export async function teardown(env) {
  if (!env) return;
  for (const fn of (env.cleanups || []).reverse()) {
    try { await fn(); } catch { /* keep stopping the rest */ }
  }
  env.cleanups = [];
}

/**
 * A new browser context and page, instrumented: only loopback requests are
 * allowed (others are aborted and recorded), console output, page errors,
 * every request and every Web Storage write are recorded.
 */
export async function newPage(env) {
  // The provider's certificate is self-signed for 127.0.0.1.
  const context = await env.browser.newContext({ viewport: { width: 900, height: 700 }, ignoreHTTPSErrors: true });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const rec = {
    blocked: [], console: [], errors: [], requests: [], storageWrites: [],
  };
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === '127.0.0.1') {
      route.continue();
    } else {
      rec.blocked.push(route.request().url());
      route.abort();
    }
  });
  await context.exposeBinding('__recordStorageWrite', (_source, entry) => { rec.storageWrites.push(entry); });
  await context.addInitScript(() => {
    const original = Storage.prototype.setItem;
    Storage.prototype.setItem = function setItem(key, value) {
      // eslint-disable-next-line no-undef
      __recordStorageWrite({
        origin: location.origin,
        area: this === localStorage ? 'localStorage' : 'sessionStorage',
        key: String(key),
        value: String(value),
      });
      return original.call(this, key, value);
    };
  });
  const page = await context.newPage();
  page.on('console', (msg) => { rec.console.push(`${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (err) => { rec.errors.push(String(err)); });
  page.on('request', (req) => {
    rec.requests.push({
      method: req.method(),
      url: req.url(),
      postData: req.postData(),
      headers: req.headers(),
      isNavigation: req.isNavigationRequest(),
    });
  });
  return { context, page, rec };
}

/** GET a JSON document from one of the test's HTTPS servers (trusting its certificate). */
export function fetchJson(env, url) {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: env.ca, timeout: STEP_TIMEOUT }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => {
        try { resolve(JSON.parse(body)); } catch (err) { reject(err); }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
  });
}

export async function shot(page, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export async function visibleText(page) {
  return page.evaluate(() => document.body?.innerText ?? '');
}

/** Open the RP app for `issuer` and start the authorization request. */
export async function startAuthorization(page, env, { issuer = env.op.url, clientId = 'rp-test' } = {}) {
  const app = new URL('/app', env.rp.url);
  app.searchParams.set('issuer', issuer);
  app.searchParams.set('client_id', clientId);
  await page.goto(app.href);
  await page.click('#start-sign-in');
  // Either the provider asks the user to sign in, or (an existing provider
  // session) it sends the browser straight back to the RP.
  await page.waitForSelector('#login-form, #status[data-state="signed-in"], #status[data-state="error"]');
  return (await page.$('#login-form')) ? 'login-form' : page.getAttribute('#status', 'data-state');
}

/** Full sign-in as `username` through the provider's login form; returns the token length. */
export async function signIn(page, env, {
  issuer = env.op.url, clientId = 'rp-test', username = 'alice', shotName,
} = {}) {
  const first = await startAuthorization(page, env, { issuer, clientId });
  if (first !== 'login-form') throw new Error(`expected the provider's login form, got ${first}`);
  await page.fill('#login', username);
  await page.fill('#password', PASSWORD);
  if (shotName) await shot(page, `${shotName}-login-form`);
  await page.click('#sign-in');
  await page.waitForSelector('#status[data-state="signed-in"], #status[data-state="error"]');
  const state = await page.getAttribute('#status', 'data-state');
  if (state !== 'signed-in') throw new Error(`sign-in failed: ${await page.textContent('#status')}`);
  if (shotName) await shot(page, `${shotName}-signed-in`);
  return page.evaluate(() => window.rp.idToken().length);
}

/** Plan a logout in the RP page (config + params for genauth-logout), then click "Log out". */
export async function clickLogout(page, plan) {
  await page.evaluate((p) => window.rp.planLogout(p), plan);
  await page.click('#logout');
}

/** Wait for the provider's logout confirmation and click "Yes, sign me out". */
export async function confirmLogout(page, shotName) {
  await page.waitForSelector('#logout-yes');
  if (shotName) await shot(page, `${shotName}-confirm`);
  await page.click('#logout-yes');
}

/** Provider log entries of a kind, from index `from` on. */
export function opLogs(proc, kind, from = 0) {
  return proc.logs.slice(from).filter((e) => e.log === kind);
}
