// The admin entry in a real browser page (Debian's Chromium, headless, via
// playwright-core): refused with browser_forbidden by default; with
// dangerouslyAllowBrowser it works cross-origin against the tenant (CORS).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { ARTIFACTS, CHROMIUM, POOL, TENANT, TOKEN, installPackage, startEmulator } from './harness.mjs';

let site;
let tenant;
let browser;
let page;

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.json': 'application/json' };

/** Serves the installed package under /pkg/ and an empty page at /. */
function serve(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>admin in a page</title><p>page</p>');
      return;
    }
    const rel = url.pathname.startsWith('/pkg/') ? url.pathname.slice(5) : null;
    const file = rel && path.resolve(root, rel);
    if (!file || !file.startsWith(root + path.sep) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

before(async () => {
  const root = path.join(installPackage(), 'node_modules', 'genauth-logout');
  site = await serve(root);
  const config = structuredClone(TENANT);
  config.apps[0].appOrigins = [site.url];
  tenant = await startEmulator(config);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
  page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${site.url}/`);
});

after(async () => {
  if (page) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'browser-page.png') }).catch(() => {});
  }
  if (browser) await browser.close();
  if (tenant) await tenant.stop();
  if (site) await new Promise((r) => site.server.close(r));
});

const T = { timeout: 60_000 };

test('in a browser page AdminClient refuses with browser_forbidden', T, async () => {
  const result = await page.evaluate(async ([appDomain, userPoolId, token]) => {
    const { AdminClient, GenAuthError } = await import('/pkg/dist/admin/admin.js');
    try {
      new AdminClient({ appDomain, userPoolId, token });
      return { constructed: true };
    } catch (e) {
      return {
        isGenAuthError: e instanceof GenAuthError,
        code: e.code,
        leaked: String(e.message + e.stack).includes(token),
      };
    }
  }, [tenant.url, POOL, TOKEN]);
  assert.deepEqual(result, { isGenAuthError: true, code: 'browser_forbidden', leaked: false });
  assert.equal((await tenant.requests()).length, 0);
});

test('with dangerouslyAllowBrowser it kicks users cross-origin (CORS preflight included)', T, async () => {
  await tenant.reset();
  const result = await page.evaluate(async ([appDomain, userPoolId, token]) => {
    const { AdminClient } = await import('/pkg/dist/admin/admin.js');
    const c = new AdminClient({ appDomain, userPoolId, token, dangerouslyAllowBrowser: true });
    return c.kickActiveUsers('app-demo', ['user-alice']);
  }, [tenant.url, POOL, TOKEN]);
  assert.deepEqual(result, { code: 200, message: 'Forced offline successful' });
  const reqs = await tenant.requests();
  assert.deepEqual(reqs.map((r) => r.method), ['OPTIONS', 'POST']);
  assert.equal(reqs[1].headers.origin, site.url);
  assert.equal(reqs[1].headers.authorization, `Bearer ${TOKEN}`);
});
