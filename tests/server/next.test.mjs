// A Next.js app (pinned in this area's lockfile): `next build`, then
// `next start` on 127.0.0.1. The prerendered page holds the logout link the
// main entry built at build time; its forms POST to a route handler on
// Node.js (/logout) and one on the edge runtime (/edge/logout, the package's
// edge-light build), each logoutResponse: 303 to the tenant with the session
// cookie deleted from the page, 403 with the cookie kept from a page on
// another origin, a forged Host changing nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { stopChild } from '../support/process.mjs';
import { freePort, installProject, launchBrowser, startTenant } from './harness.mjs';

let browser;
let tenant;
let origin;
let appDir;
let nextServer;
let logoutUrl;
const output = [];

function run(args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(appDir, '..', 'node_modules', 'next', 'dist', 'bin', 'next'), ...args], {
      cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => output.push(String(d)));
    child.stderr.on('data', (d) => output.push(String(d)));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`next ${args[0]} timed out\n${output.join('')}`)); }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(); else reject(new Error(`next ${args[0]} exited ${code}\n${output.join('')}`));
    });
  });
}

before(async () => {
  const dir = await installProject();
  appDir = path.join(dir, 'next-app');
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  tenant = await startTenant(origin);
  logoutUrl = `${tenant.url}/login/profile/logout?redirect_uri=${encodeURIComponent(`${origin}/`)}`;
  const env = { ...process.env, TENANT: tenant.url, APP_ORIGIN: origin, NEXT_TELEMETRY_DISABLED: '1' };
  const started = performance.now();
  await run(['build'], env, 600_000);
  process.stdout.write(`next build: ${Math.round((performance.now() - started) / 1000)} s\n`);
  nextServer = spawn(process.execPath, [path.join(dir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  nextServer.stdout.on('data', (d) => output.push(String(d)));
  nextServer.stderr.on('data', (d) => output.push(String(d)));
  for (let i = 0; ; i += 1) {
    try {
      const res = await fetch(`${origin}/`, { signal: AbortSignal.timeout(1000) });
      await res.text();
      if (res.ok) break;
    } catch (e) {
      if (i > 100) throw new Error(`next start did not answer\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (nextServer) await stopChild(nextServer);
  await tenant?.stop();
  if (process.exitCode) process.stdout.write(output.join(''));
});

const SESSION_DELETION = 'session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax';

test('the prerendered page holds the logout link built at build time', async () => {
  const prerendered = fs.readFileSync(path.join(appDir, '.next', 'server', 'app', 'index.html'), 'utf8');
  assert.ok(prerendered.includes(`id="logout-link" href="${logoutUrl}"`), prerendered);
  const served = await (await fetch(`${origin}/`)).text();
  assert.ok(served.includes(`id="logout-link" href="${logoutUrl}"`));
  assert.ok(served.includes('action="/logout"') && served.includes('action="/edge/logout"'));
});

/** A context with a session cookie for the app. */
async function contextWithSession(value) {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'session', value, url: `${origin}/`, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

const sessionCookies = async (context) =>
  (await context.cookies(`${origin}/`)).filter((c) => c.name === 'session').map((c) => c.value);

test('a server action logs out the same way: cookie deleted, through the tenant, back on the page', { timeout: 30_000 }, async () => {
  const context = await contextWithSession('s-action');
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/action`);
    const navigations = [];
    page.on('request', (r) => { if (r.isNavigationRequest()) navigations.push(r.url()); });
    await page.click('#action-logout');
    await page.waitForURL(`${origin}/`);
    assert.ok(navigations.includes(logoutUrl), navigations.join(' '));
    assert.deepEqual(await sessionCookies(context), []);
  } finally {
    await context.close();
  }
});

for (const [route, button] of [['/logout', '#logout'], ['/edge/logout', '#edge-logout']]) {
  describe(`route handler ${route}`, () => {
    test('POST from the page: 303 to the tenant with the session cookie deleted, back on the page', { timeout: 30_000 }, async () => {
      const context = await contextWithSession('s-1');
      try {
        const page = await context.newPage();
        await page.goto(`${origin}/`);
        const answer = page.waitForResponse((r) => r.url() === `${origin}${route}`);
        await page.click(button);
        const response = await answer;
        const headers = await response.allHeaders();
        assert.equal(response.status(), 303, output.join(''));
        assert.equal(headers.location, logoutUrl);
        assert.equal(headers['set-cookie'], SESSION_DELETION);
        assert.match(headers['cache-control'], /no-store/);
        await page.waitForURL(`${origin}/`);
        assert.deepEqual(await sessionCookies(context), []);
      } finally {
        await context.close();
      }
    });

    test('the same POST from a page on another origin: 403, the cookie survives', { timeout: 30_000 }, async () => {
      const foreign = http.createServer((req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(`<form method="post" action="${origin}${route}"><button id="go">go</button></form>`);
      });
      await new Promise((r) => foreign.listen(0, '127.0.0.1', r));
      const context = await contextWithSession('s-2');
      try {
        const page = await context.newPage();
        await page.goto(`http://localhost:${foreign.address().port}/`);
        const answer = page.waitForResponse((r) => r.url() === `${origin}${route}`);
        await page.click('#go');
        const response = await answer;
        assert.equal(response.status(), 403);
        assert.equal((await response.allHeaders())['set-cookie'], undefined);
        assert.deepEqual(await sessionCookies(context), ['s-2']);
      } finally {
        await context.close();
        await new Promise((r) => foreign.close(r));
      }
    });

    test('a forged Host never changes where the user lands', async () => {
      const res = await new Promise((resolve, reject) => {
        const req = http.request({
          hostname: '127.0.0.1', port: new URL(origin).port, path: route, method: 'POST', setHost: false,
          headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', origin, 'sec-fetch-site': 'same-origin' },
        }, (r) => { r.resume(); r.on('end', () => resolve(r)); });
        req.on('error', reject);
        req.end();
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, logoutUrl);
    });
  });
}
