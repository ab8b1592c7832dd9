// The installed package in a real headless Chromium page, loaded with
// `<script type="module">` and an import map, served from a loopback server
// process that is both the app and the GenAuth tenant (appDomain points at
// it), so logout() really navigates and we can check where it lands.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { ARTIFACTS, installPackage, loadCases, startServer } from './helpers.mjs';

const STEP = 10_000;
const TABLE_ORIGIN = 'https://app.example.com';
const cases = loadCases();

let project;
let server;
let browser;
let O; // the page's real origin, http://127.0.0.1:<port>

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  project = await installPackage('browser');
  server = await startServer(project.installed);
  O = server.url;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  project?.cleanup();
});

/** Replaces the table's page origin with the real one (plain and encoded). */
function substitute(value) {
  if (typeof value === 'string') {
    return value
      .replaceAll(TABLE_ORIGIN, O)
      .replaceAll(encodeURIComponent(TABLE_ORIGIN), encodeURIComponent(O));
  }
  if (Array.isArray(value)) return value.map(substitute);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
  }
  return value;
}

const outcome = (c) => ('url' in c ? { url: c.url } : { error: c.error });

/** A new tab at O/app.html, with O/start.html before it in its history. */
async function openApp(context, pathname = '/app.html') {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${O}/start.html`);
  await page.goto(`${O}${pathname}`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: STEP });
  page.errors = errors;
  return page;
}

/** Puts the same three keys in localStorage and sessionStorage. */
const seedStorage = (page) => page.evaluate(() => {
  for (const s of [localStorage, sessionStorage]) {
    s.setItem('token', 't');
    s.setItem('profile', 'p');
    s.setItem('keep', 'k');
  }
});

const readStorage = (page) => page.evaluate(() => {
  const read = (s) => Object.fromEntries(Object.keys(s).sort().map((k) => [k, s.getItem(k)]));
  return { local: read(localStorage), session: read(sessionStorage) };
});

/** Runs `logout` in the page (the call returns before the navigation). */
function startLogout(page, config, redirect, params) {
  return page.evaluate(([config, redirect, params]) => {
    window.lib.configure(config);
    window.lib.logout(redirect, params);
    return true;
  }, [config, redirect, params]);
}

const logoutUrl = (redirect) =>
  `${O}/login/profile/logout${redirect === undefined ? '' : `?redirect_uri=${encodeURIComponent(redirect)}`}`;

describe('contract table in Chromium', () => {
  test('browser cases in a page (real origin substituted) and origin-independent cases', async () => {
    const context = await browser.newContext();
    try {
      const page = await openApp(context);
      const selected = cases
        .filter((c) => c.browser || !('redirect' in c))
        .map(substitute);
      assert.ok(selected.filter((c) => c.browser).length >= 5, 'the table has browser cases');
      const results = await page.evaluate((list) => list.map((c) => {
        const run = (viaModule) => {
          try {
            if (viaModule) {
              window.lib.configure(c.config);
              return { url: window.lib.buildLogoutUrl(c.redirect, c.params) };
            }
            return { url: new window.lib.LogoutClient(c.config).buildLogoutUrl(c.redirect, c.params) };
          } catch (e) {
            return { error: e.code, ok: e instanceof window.lib.GenAuthError && e instanceof Error && e.name === 'GenAuthError' };
          }
        };
        return [run(true), run(false)];
      }), selected);
      const failures = [];
      results.forEach((pair, i) => {
        for (const got of pair) {
          const { ok, ...out } = got;
          if (JSON.stringify(out) !== JSON.stringify(outcome(selected[i])) || ok === false) {
            failures.push(`${selected[i].name}\n  input    ${JSON.stringify({ config: selected[i].config, redirect: selected[i].redirect, params: selected[i].params })}\n  expected ${JSON.stringify(outcome(selected[i]))}\n  got      ${JSON.stringify(got)}`);
          }
        }
      });
      assert.deepEqual(failures, [], failures.join('\n'));
      assert.deepEqual(page.errors, []);
    } finally {
      await context.close();
    }
  });

  test('browser cases in a module Worker: no window, but the worker has an origin and the guard applies as in a page', async () => {
    const context = await browser.newContext();
    try {
      const page = await openApp(context);
      const selected = cases
        .filter((c) => c.browser || !('redirect' in c))
        .map(substitute);
      const reply = await page.evaluate((list) => new Promise((resolve, reject) => {
        const w = new Worker('/worker.mjs', { type: 'module' });
        w.onmessage = (e) => { resolve(e.data); w.terminate(); };
        w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
        w.postMessage(list);
      }), selected);
      assert.equal(reply.hasWindow, false);
      assert.equal(reply.origin, O);
      const failures = [];
      reply.out.forEach((got, i) => {
        const { isGenAuthError, ...out } = got;
        if (JSON.stringify(out) !== JSON.stringify(outcome(selected[i])) || isGenAuthError === false) {
          failures.push(`${selected[i].name}\n  expected ${JSON.stringify(outcome(selected[i]))}\n  got      ${JSON.stringify(got)}`);
        }
      });
      assert.deepEqual(failures, [], failures.join('\n'));
    } finally {
      await context.close();
    }
  });
});

describe('logout() navigates the real window.location', () => {
  test('default: location.assign lands on /login/profile/logout with the exact redirect_uri, adds a history entry, clears only clearStorageKeys', async () => {
    const context = await browser.newContext();
    try {
      await server.reset();
      const page = await openApp(context);
      await seedStorage(page);
      const h0 = await page.evaluate(() => history.length);
      const redirect = `${O}/after?x=1&y=é z`;
      await startLogout(page, { appDomain: O, clearStorageKeys: ['token', 'profile'] }, redirect);
      await page.waitForURL((u) => u.pathname === '/login/profile/logout');
      await page.waitForSelector('#landed');
      assert.equal(page.url(), logoutUrl(redirect));
      const reqs = (await server.requests()).filter((r) => r.url.startsWith('/login/profile/logout'));
      assert.deepEqual(reqs.map((r) => [r.method, r.url]), [['GET', `/login/profile/logout?redirect_uri=${encodeURIComponent(redirect)}`]]);
      assert.equal(await page.evaluate(() => history.length), h0 + 1, 'assign adds a history entry');
      assert.deepEqual(await readStorage(page), { local: { keep: 'k' }, session: { keep: 'k' } });
      await page.screenshot({ path: path.join(ARTIFACTS, 'landed-after-logout.png') });
      await page.goBack();
      assert.equal(page.url(), `${O}/app.html`, 'back returns to the page that logged out');
    } finally {
      await context.close();
    }
  });

  for (const [label, config, params] of [
    ['config replace: true', { replace: true }, undefined],
    ['per-call { replace: true }', {}, { replace: true }],
  ]) {
    test(`${label}: location.replace leaves no history entry`, async () => {
      const context = await browser.newContext();
      try {
        const page = await openApp(context);
        const h0 = await page.evaluate(() => history.length);
        await startLogout(page, { appDomain: O, ...config }, `${O}/after`, params);
        await page.waitForURL((u) => u.pathname === '/login/profile/logout');
        assert.equal(page.url(), logoutUrl(`${O}/after`));
        assert.equal(await page.evaluate(() => history.length), h0, 'replace keeps history.length');
        await page.goBack();
        assert.equal(page.url(), `${O}/start.html`, 'back skips the page that logged out');
      } finally {
        await context.close();
      }
    });
  }

  test('per-call { replace: false } overrides config replace: true', async () => {
    const context = await browser.newContext();
    try {
      const page = await openApp(context);
      const h0 = await page.evaluate(() => history.length);
      await startLogout(page, { appDomain: O, replace: true }, `${O}/after`, { replace: false });
      await page.waitForURL((u) => u.pathname === '/login/profile/logout');
      assert.equal(await page.evaluate(() => history.length), h0 + 1);
    } finally {
      await context.close();
    }
  });

  test('a relative redirect is resolved against the page origin; no redirect sends none', async () => {
    const context = await browser.newContext();
    try {
      const page = await openApp(context);
      await startLogout(page, { appDomain: O }, '/after?q=a b');
      await page.waitForURL((u) => u.pathname === '/login/profile/logout');
      assert.equal(page.url(), logoutUrl(`${O}/after?q=a b`));
      const page2 = await openApp(context);
      await startLogout(page2, { appDomain: O });
      await page2.waitForURL((u) => u.pathname === '/login/profile/logout');
      assert.equal(page2.url(), `${O}/login/profile/logout`);
    } finally {
      await context.close();
    }
  });

  test('oidc GET lands with the parameters in contract order; cas lands on /cas-idp/logout', async () => {
    const context = await browser.newContext();
    try {
      const page = await openApp(context);
      await startLogout(page, { appDomain: O, protocol: 'oidc', clientId: 'cid' }, `${O}/after`,
        { uiLocales: 'fr-CA en', logoutHint: 'alice@example.com', state: 's/1', idTokenHint: 'h.t' });
      await page.waitForURL((u) => u.pathname === '/oidc/session/end');
      assert.equal(page.url(), `${O}/oidc/session/end?id_token_hint=h.t&post_logout_redirect_uri=${encodeURIComponent(`${O}/after`)}&state=s%2F1&client_id=cid&logout_hint=alice%40example.com&ui_locales=fr-CA%20en`);
      const page2 = await openApp(context);
      await startLogout(page2, { appDomain: O, protocol: 'cas' }, `${O}/after?a=1&b=2`);
      await page2.waitForURL((u) => u.pathname === '/cas-idp/logout');
      assert.equal(page2.url(), `${O}/cas-idp/logout?url=${encodeURIComponent(`${O}/after?a=1&b=2`)}`);
    } finally {
      await context.close();
    }
  });

  test('method "post" (oidc) submits a form POST with the fields in order', async () => {
    const context = await browser.newContext();
    try {
      for (const [config, params] of [
        [{ appDomain: O, protocol: 'oidc', method: 'post', clientId: 'cid' }, {}],
        [{ appDomain: O, protocol: 'oidc', clientId: 'cid' }, { method: 'post' }],
      ]) {
        await server.reset();
        const page = await openApp(context);
        const token = `eyJ${'a'.repeat(3000)}.b-c_d`;
        await startLogout(page, config, `${O}/after?x=é`, {
          ...params, idTokenHint: token, state: 's 1&2', logoutHint: 'alice@example.com', uiLocales: 'fr-CA en',
        });
        await page.waitForURL((u) => u.pathname === '/oidc/session/end');
        await page.waitForSelector('#landed');
        assert.equal(page.url(), `${O}/oidc/session/end`, 'nothing in the URL: the fields went in the body');
        const posts = (await server.requests()).filter((r) => r.url.startsWith('/oidc/session/end'));
        assert.equal(posts.length, 1, JSON.stringify(posts.map((r) => [r.method, r.url])));
        assert.equal(posts[0].method, 'POST');
        assert.equal(posts[0].url, '/oidc/session/end');
        assert.equal(posts[0].contentType, 'application/x-www-form-urlencoded');
        assert.deepEqual([...new URLSearchParams(posts[0].body)], [
          ['id_token_hint', token],
          ['post_logout_redirect_uri', `${O}/after?x=é`],
          ['state', 's 1&2'],
          ['client_id', 'cid'],
          ['logout_hint', 'alice@example.com'],
          ['ui_locales', 'fr-CA en'],
        ]);
        await page.screenshot({ path: path.join(ARTIFACTS, 'oidc-post-landed.png') });
        await page.close();
      }
    } finally {
      await context.close();
    }
  });
});

describe('a rejected redirect changes nothing', () => {
  for (const [redirect, code] of [
    ['https://evil.example.com/', 'redirect_not_allowed'],
    ['javascript:alert(1)', 'invalid_redirect'],
    ['//evil.example.com/x', 'invalid_redirect'],
    ['/\\evil.example.com', 'invalid_redirect'],
    [' /after', 'invalid_redirect'],
  ]) {
    test(`${JSON.stringify(redirect)} → ${code}: location, history, storage untouched; no notice sent`, async () => {
      const context = await browser.newContext();
      try {
        await server.reset();
        const page = await openApp(context);
        const other = await openApp(context, '/other.html');
        await other.evaluate(() => {
          window.raw = [];
          const ch = new BroadcastChannel('genauth-logout');
          ch.onmessage = (e) => window.raw.push(e.data);
          window.lib.configure({ appDomain: location.origin });
          window.lib.onLogout((e) => window.events.push(e));
        });
        await seedStorage(page);
        const before = { url: page.url(), history: await page.evaluate(() => history.length), storage: await readStorage(page) };
        const got = await page.evaluate(([O, redirect]) => {
          window.lib.configure({ appDomain: O, clearStorageKeys: ['token', 'profile'] });
          try {
            window.lib.logout(redirect);
            return { threw: false };
          } catch (e) {
            return { threw: true, code: e.code, isGenAuthError: e instanceof window.lib.GenAuthError };
          }
        }, [O, redirect]);
        assert.deepEqual(got, { threw: true, code, isGenAuthError: true });
        // Bound the wait for a stray notice with a sentinel posted afterwards.
        await page.evaluate(() => {
          const ch = new BroadcastChannel('genauth-logout');
          ch.postMessage({ type: 'sentinel' });
          ch.close();
        });
        await other.waitForFunction(() => window.raw.some((m) => m.type === 'sentinel'));
        await page.waitForTimeout(300);
        assert.deepEqual(await other.evaluate(() => window.raw), [{ type: 'sentinel' }], 'no BroadcastChannel message');
        assert.deepEqual(await other.evaluate(() => window.events), []);
        assert.equal(page.url(), before.url);
        assert.equal(await page.evaluate(() => history.length), before.history);
        assert.deepEqual(await readStorage(page), before.storage);
        const reqs = (await server.requests()).filter((r) => /^\/(login\/profile\/logout|oidc\/session\/end|cas-idp\/logout)/.test(r.url));
        assert.deepEqual(reqs, [], 'nothing reached the tenant');
        if (code === 'redirect_not_allowed') {
          await page.screenshot({ path: path.join(ARTIFACTS, 'rejected-redirect-unchanged.png') });
        }
      } finally {
        await context.close();
      }
    });
  }
});

describe('onLogout between tabs', () => {
  test('a second page of the same origin gets {type:"logout", appDomain}; another appDomain does not; unsubscribe stops it', async () => {
    const context = await browser.newContext();
    try {
      const tab1 = await openApp(context);
      const tab2 = await openApp(context, '/two.html');
      const tab3 = await openApp(context, '/three.html');
      const otherDomain = O.replace('127.0.0.1', 'localhost');
      await tab2.evaluate((O) => {
        window.lib.configure({ appDomain: O });
        window.unsub = window.lib.onLogout((e) => window.events.push(e));
      }, O);
      await tab3.evaluate((d) => {
        window.lib.configure({ appDomain: d });
        window.lib.onLogout((e) => window.events.push(e));
      }, otherDomain);
      await startLogout(tab1, { appDomain: O }, `${O}/after`);
      await tab1.waitForURL((u) => u.pathname === '/login/profile/logout');
      await tab2.waitForFunction(() => window.events.length > 0);
      assert.deepEqual(await tab2.evaluate(() => window.events), [{ type: 'logout', appDomain: O }]);
      await tab2.evaluate(() => window.unsub());
      const tab4 = await openApp(context, '/four.html');
      const sentinel = await tab3.evaluate(() => {
        window.raw = [];
        const ch = new BroadcastChannel('genauth-logout');
        ch.onmessage = (e) => window.raw.push(e.data);
        return true;
      });
      assert.equal(sentinel, true);
      await startLogout(tab4, { appDomain: O }, `${O}/after`);
      await tab4.waitForURL((u) => u.pathname === '/login/profile/logout');
      await tab3.waitForFunction(() => window.raw.length > 0);
      await tab2.waitForTimeout(300);
      assert.deepEqual(await tab2.evaluate(() => window.events), [{ type: 'logout', appDomain: O }], 'unsubscribed');
      assert.deepEqual(await tab3.evaluate(() => window.events), [], 'another appDomain hears nothing');
    } finally {
      await context.close();
    }
  });

  test("the page that logs out does not get its own notice", async () => {
    const context = await browser.newContext();
    try {
      const tab1 = await openApp(context);
      const tab2 = await openApp(context, '/two.html');
      await tab2.evaluate((O) => {
        window.lib.configure({ appDomain: O });
        window.lib.onLogout((e) => window.events.push(e));
      }, O);
      await tab1.evaluate((O) => {
        window.navigated = [];
        window.lib.configure({ appDomain: O, navigate: (u) => window.navigated.push(u) });
        window.lib.onLogout((e) => window.events.push(e));
        window.lib.logout('/after');
      }, O);
      await tab2.waitForFunction(() => window.events.length > 0);
      await tab1.waitForTimeout(300);
      assert.deepEqual(await tab1.evaluate(() => window.navigated), [logoutUrl(`${O}/after`)]);
      assert.deepEqual(await tab1.evaluate(() => window.events), []);
      assert.equal(tab1.url(), `${O}/app.html`, 'navigate replaces the built-in navigation');
    } finally {
      await context.close();
    }
  });
});
