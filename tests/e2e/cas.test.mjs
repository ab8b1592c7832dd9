// protocol: "cas" against the local tenant, in headless Chromium: the demo
// page, signed in, imports genauth-logout (through its import map) and calls
// configure({ appDomain, protocol: "cas" }) + logout(url). The browser goes to
// <tenant>/cas-idp/logout?url=<encodeURIComponent(url)>, the tenant ends the
// session and sends it back to url — only when url is registered.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';

import { newContext, shot, signIn, startDemo, teardown, tenantMe } from './harness.mjs';

let env;
before(async () => { env = await startDemo(); });
after(async () => { await teardown(env); });

const casUrl = (url) => `${env.tenant}/cas-idp/logout?url=${encodeURIComponent(url)}`;

/** In the signed-in demo page: switch the library to CAS and log out to `url`. */
function casLogout(page, url) {
  return page.evaluate(async ([tenant, to]) => {
    const lib = await import('genauth-logout');
    lib.configure({ appDomain: tenant, protocol: 'cas' });
    const built = lib.buildLogoutUrl(to);
    lib.logout(to);
    return built;
  }, [env.tenant, url]);
}

async function withContext(fn) {
  const { context, rec } = await newContext(env.browser);
  try {
    await fn(context);
    assert.deepEqual(rec.blocked, [], 'no request left loopback');
    assert.deepEqual(rec.errors, [], 'no uncaught page errors');
  } finally {
    await context.close();
  }
}

test('cas: logout(<registered URL>) goes through /cas-idp/logout?url=…, ends the session and returns', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    await signIn(page, env);
    assert.equal((await tenantMe(context, env)).signedIn, true, 'control: signed in');
    const landing = `${env.app}/signed-out.html`;
    const from = page.navigations.length;
    const built = await casLogout(page, landing);
    assert.equal(built, casUrl(landing));
    await page.waitForURL(landing);
    await page.waitForSelector('#status:not([data-state="checking"])');
    await shot(page, 'cas-01-returned-signed-out');

    const trips = page.navigations.slice(from);
    assert.deepEqual(trips.map((r) => r.url()), [casUrl(landing), landing]);
    assert.equal(trips[0].method(), 'GET');
    const answer = await trips[0].response();
    assert.equal(answer.status(), 302);
    assert.equal(answer.headers().location, landing);
    assert.deepEqual(await tenantMe(context, env), { signedIn: false, user: null });
    assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-out');
    assert.equal(await page.textContent('#status'), 'The tenant confirms: nobody is signed in.');
  });
});

test('cas: a URL the tenant has not registered shows its error page and goes nowhere', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    await signIn(page, env);
    const unregistered = `${env.app}/not-registered.html`;
    const from = page.navigations.length;
    assert.equal(await casLogout(page, unregistered), casUrl(unregistered));
    await page.waitForURL(casUrl(unregistered));
    await page.waitForSelector('#error');
    await shot(page, 'cas-02-unregistered-url-refused');
    assert.match(await page.textContent('#error'), /not one of the registered logout redirect URIs/);

    // Give a (wrong) redirect the chance to happen before checking that none did.
    await page.waitForTimeout(500);
    const trips = page.navigations.slice(from);
    assert.deepEqual(trips.map((r) => r.url()), [casUrl(unregistered)]);
    const answer = await trips[0].response();
    assert.equal(answer.status(), 400);
    assert.equal(answer.headers().location, undefined);
    assert.equal(page.url(), casUrl(unregistered));
    // The tenant still ends the session (only the redirect is refused).
    assert.deepEqual(await tenantMe(context, env), { signedIn: false, user: null });
  });
});

test('cas: the open-redirect guard applies too — another site is refused before leaving the page', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    await signIn(page, env);
    const from = page.navigations.length;
    const code = await page.evaluate(async (tenant) => {
      const lib = await import('genauth-logout');
      lib.configure({ appDomain: tenant, protocol: 'cas' });
      try {
        lib.logout('https://evil.example/phish');
        return 'no error';
      } catch (err) {
        return err instanceof lib.GenAuthError ? err.code : String(err);
      }
    }, env.tenant);
    assert.equal(code, 'redirect_not_allowed');
    await page.waitForTimeout(500);
    assert.equal(page.navigations.length, from, 'no navigation');
    assert.equal((await tenantMe(context, env)).signedIn, true);
  });
});
