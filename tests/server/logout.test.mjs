// logoutResponse in real Express and Hono apps on loopback, each against the
// local tenant: the page's logout form answers 303 to the tenant with the
// session cookie deleted; the same POST from a page on another origin gets
// 403 and the cookie survives; the full flow in Chromium (sign in through
// the tenant, log out, land back signed out, cookie gone, tokens revoked);
// and requests no browser would let a page forge (Host, X-Forwarded-Host,
// Origin) never change where the user lands.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, test } from 'node:test';

import {
  freePort, launchBrowser, meStatus, refreshStatus, startApp, startTenant,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** A raw HTTP/1.1 request, so Host and every other header are exactly as given. */
function rawRequest(url, { method = 'POST', headers = {} } = {}) {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: pathname, method, headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** A server on another origin (`http://localhost:<port>`) whose page posts a form to `target`. */
function startForeignPage(target) {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!DOCTYPE html><form id="f" method="post" action="${target}"><button id="go">go</button></form>`);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://localhost:${server.address().port}/`,
      stop: () => new Promise((r) => server.close(r)),
    }));
  });
}

const SESSION_DELETION = 'session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax';

for (const kind of ['express', 'hono']) {
  describe(kind, () => {
    let tenant;
    let app;
    let origin;
    let logoutUrl;

    before(async () => {
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      tenant = await startTenant(origin);
      app = await startApp(kind, port, tenant);
      logoutUrl = `${tenant.url}/login/profile/logout?redirect_uri=${encodeURIComponent(`${origin}/`)}`;
    });
    after(async () => {
      await app?.stop();
      await tenant?.stop();
    });

    /** A browser context holding a planted session cookie; returns { context, sid }. */
    async function signedInContext() {
      const res = await fetch(`${app.url}/__test/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'planted' }),
      });
      const { sid } = await res.json();
      const context = await browser.newContext();
      await context.addCookies([{ name: 'session', value: sid, url: `${origin}/`, httpOnly: true, sameSite: 'Lax' }]);
      return { context, sid };
    }

    const sessionLive = async (sid) => (await (await fetch(`${app.url}/__test/session/${sid}`)).json()).live;

    test('POST /logout from the page: 303 to the tenant with the session cookie deleted, then back signed out', { timeout: 30_000 }, async () => {
      const { context, sid } = await signedInContext();
      try {
        const page = await context.newPage();
        await page.goto(`${app.url}/`);
        assert.equal(await page.textContent('#user'), 'planted');
        const answer = page.waitForResponse((r) => r.url() === `${app.url}/logout`);
        await page.click('#logout');
        const response = await answer;
        assert.equal(response.status(), 303);
        const headers = await response.allHeaders();
        assert.equal(headers.location, logoutUrl);
        assert.equal(headers['cache-control'], 'no-store');
        assert.equal(headers['set-cookie'], SESSION_DELETION);
        assert.equal(response.request().headers().origin, origin, 'the browser sent its real Origin');
        await page.waitForURL(`${app.url}/`);
        await page.waitForSelector('#sign-in');
        assert.equal(await page.textContent('#state'), 'Signed out');
        const cookies = await context.cookies(`${origin}/`);
        assert.deepEqual(cookies.filter((c) => c.name === 'session'), []);
        assert.equal(await sessionLive(sid), false);
      } finally {
        await context.close();
      }
    });

    test('the same POST from a page on another origin: 403, no Set-Cookie, the cookie and the session survive', { timeout: 30_000 }, async () => {
      const foreign = await startForeignPage(`${app.url}/logout`);
      const { context, sid } = await signedInContext();
      try {
        const page = await context.newPage();
        await page.goto(foreign.url);
        const answer = page.waitForResponse((r) => r.url() === `${app.url}/logout`);
        await page.click('#go');
        const response = await answer;
        assert.equal(response.status(), 403);
        const headers = await response.allHeaders();
        assert.equal(headers['set-cookie'], undefined);
        assert.equal(headers.location, undefined);
        assert.equal(response.request().headers().origin, new URL(foreign.url).origin);
        const cookies = await context.cookies(`${origin}/`);
        assert.deepEqual(cookies.filter((c) => c.name === 'session').map((c) => c.value), [sid]);
        assert.equal(await sessionLive(sid), true);
      } finally {
        await context.close();
        await foreign.stop();
      }
    });

    test('a cross-site <img> GET of /logout is refused; a typed-in /logout navigation proceeds', { timeout: 30_000 }, async () => {
      const { context, sid } = await signedInContext();
      try {
        const page = await context.newPage();
        const foreign = await startForeignPage(`${app.url}/logout`);
        try {
          await page.goto(foreign.url);
          const answer = page.waitForResponse((r) => r.url() === `${app.url}/logout`);
          await page.evaluate((src) => { const img = new Image(); img.src = src; document.body.append(img); }, `${app.url}/logout`);
          assert.equal((await answer).status(), 403);
          assert.equal(await sessionLive(sid), true);
        } finally {
          await foreign.stop();
        }
        const answer = page.waitForResponse((r) => r.url() === `${app.url}/logout`);
        await page.goto(`${app.url}/logout`);
        assert.equal((await answer).status(), 303);
        await page.waitForSelector('#sign-in');
        assert.equal(await sessionLive(sid), false);
      } finally {
        await context.close();
      }
    });

    test('Host and X-Forwarded-Host naming another site never change where the user lands', async () => {
      for (const host of ['evil.example', 'evil.example:443', '127.0.0.1.evil.example:8080']) {
        const res = await rawRequest(`${app.url}/logout`, {
          headers: {
            host,
            'x-forwarded-host': 'evil.example',
            'x-forwarded-proto': 'https',
            origin,
            'sec-fetch-site': 'same-origin',
          },
        });
        assert.equal(res.status, 303, host);
        assert.equal(res.headers.location, logoutUrl, host);
      }
      // Origin is compared with the configured appOrigin, not with Host:
      // an attacker's page that also forges nothing gets nowhere either way.
      const forged = await rawRequest(`${app.url}/logout`, {
        headers: { host: 'evil.example', origin: 'http://evil.example' },
      });
      assert.equal(forged.status, 403);
      assert.equal(forged.headers['set-cookie'], undefined);
    });

    test('requests a browser sends for other reasons: refused with 403/405, nothing touched', async () => {
      const cases = [
        [{ method: 'POST', headers: { origin: 'null' } }, 403],
        [{ method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } }, 403],
        [{ method: 'POST', headers: { origin: 'http://localhost:1', 'sec-fetch-site': 'same-site' } }, 403],
        [{ method: 'POST', headers: {} }, 403],
        [{ method: 'GET', headers: { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' } }, 403],
        [{ method: 'GET', headers: {} }, 403],
        [{ method: 'PUT', headers: { origin } }, 405],
        [{ method: 'DELETE', headers: { origin } }, 405],
      ];
      for (const [request, status] of cases) {
        const res = await rawRequest(`${app.url}/logout`, { ...request, headers: { host: new URL(origin).host, ...request.headers } });
        assert.equal(res.status, status, JSON.stringify(request));
        assert.equal(res.headers['set-cookie'], undefined);
        assert.equal(res.headers.location, undefined);
        assert.equal(res.headers['cache-control'], 'no-store');
        if (status === 405) assert.equal(res.headers.allow, 'GET, POST');
      }
    });

    test('full flow in Chromium: sign in through the tenant, log out, land back signed out; cookie gone, tokens revoked', { timeout: 60_000 }, async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${app.url}/`);
        await page.click('#sign-in');
        await page.waitForSelector('#sign-in-form');
        assert.ok(page.url().startsWith(`${tenant.url}/`), page.url());
        await page.fill('#username', 'alice');
        await page.fill('#password', 'alice');
        await page.click('#sign-in');
        await page.waitForSelector('#user');
        assert.equal(await page.textContent('#user'), 'alice');
        assert.equal((await tenant.sessions()).length, 1, 'signed in at the tenant');
        assert.equal((await context.cookies(`${origin}/`)).filter((c) => c.name === 'session').length, 1);

        const navigations = [];
        page.on('request', (r) => { if (r.isNavigationRequest()) navigations.push(r.url()); });
        await page.click('#logout');
        await page.waitForSelector('#sign-in');
        assert.equal(page.url(), `${app.url}/`);
        assert.deepEqual(navigations, [`${app.url}/logout`, logoutUrl, `${app.url}/`]);
        assert.equal(await page.textContent('#state'), 'Signed out');
        assert.deepEqual((await context.cookies(`${origin}/`)).filter((c) => c.name === 'session'), []);
        assert.deepEqual(await tenant.sessions(), [], 'the tenant session ended');

        const revocation = await (await fetch(`${app.url}/__test/revocation`)).json();
        assert.equal(revocation.revoked, true, JSON.stringify(revocation));
        assert.equal(revocation.refreshToken.outcome, 'revoked');
        assert.equal(revocation.accessToken.outcome, 'revoked');
        assert.equal(await refreshStatus(tenant, revocation.tokens.refreshToken), 400, 'the old refresh token is refused');
        assert.equal(await meStatus(tenant, revocation.tokens.accessToken), 401, 'the old access token is dead');
        assert.deepEqual(await tenant.tokens(), []);
      } finally {
        await context.close();
      }
    });
  });
}
