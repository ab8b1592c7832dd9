// The demo app (www/) and the local tenant (genauth-emulator), both real
// processes on loopback, on two origins, in headless Chromium: the whole
// logout flow the way a user clicks through it.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';

import {
  demoState, expectedLogoutUrl, newContext, shot, signIn, startDemo, storageOf, teardown, tenantMe,
} from './harness.mjs';

let env;
before(async () => { env = await startDemo(); });
after(async () => { await teardown(env); });

/** A fresh browser context (its own cookies and storage) for one test. */
async function withContext(fn) {
  const { context, rec } = await newContext(env.browser);
  try {
    await fn(context, rec);
    assert.deepEqual(rec.blocked, [], 'no request left loopback');
    assert.deepEqual(rec.errors, [], 'no uncaught page errors');
  } finally {
    await context.close();
  }
}

const CLEARED_KEYS = ['demo.profile', 'demo.token'];

/** Put the keys the demo clears in both storage areas, and two it must keep. */
async function addStorageKeys(page) {
  await page.evaluate(() => {
    localStorage.setItem('demo.token', 'local-copy');
    sessionStorage.setItem('demo.profile', 'session-copy');
    localStorage.setItem('other.app.key', 'stays');
    sessionStorage.setItem('other.app.key', 'stays too');
  });
  const s = await storageOf(page);
  for (const key of CLEARED_KEYS) {
    assert.ok(s.local[key] && s.session[key], `control: ${key} is in both storage areas`);
  }
  assert.equal(s.local['demo.theme'], 'light', 'control: the demo keeps a theme preference');
}

function withoutClearedKeys({ local, session }) {
  const strip = (area) => Object.fromEntries(Object.entries(area).filter(([k]) => !CLEARED_KEYS.includes(k)));
  return { local: strip(local), session: strip(session) };
}

async function expectEventually(predicate, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => { setTimeout(r, 50); });
  }
}

/** Main-frame navigations of `page` to the tenant's hosted logout, from index `from`. */
function logoutNavigations(page, from = 0) {
  return page.navigations.slice(from).filter((r) => r.url().startsWith(`${env.tenant}/login/profile/logout`));
}

test('sign in, click Logout, pass through the tenant, land back on the page signed out', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    await signIn(page, env, { shotPrefix: 'flow' });
    assert.equal((await tenantMe(context, env)).signedIn, true, 'control: the tenant has a session');
    assert.equal(await page.textContent('#status'), 'Signed in as Alice');

    await addStorageKeys(page);
    const beforeLogout = await storageOf(page);

    assert.equal(await page.inputValue('#landing'), '/', 'the default landing is the page itself');
    assert.equal(await page.textContent('#logout-url'), expectedLogoutUrl(env, `${env.app}/`));
    const from = page.navigations.length;
    await page.click('#logout');
    await page.waitForURL(`${env.app}/`, { waitUntil: 'load' });
    assert.equal(await demoState(page), 'signed-out');
    await shot(page, 'flow-04-landed-signed-out');

    // The browser went app -> tenant logout (302) -> the chosen redirect.
    const [toTenant, ...more] = logoutNavigations(page, from);
    assert.equal(more.length, 0, 'one trip to the tenant');
    assert.equal(toTenant.url(), expectedLogoutUrl(env, `${env.app}/`));
    assert.equal(toTenant.method(), 'GET');
    const answer = await toTenant.response();
    assert.equal(answer.status(), 302);
    assert.equal(answer.headers().location, `${env.app}/`);
    assert.equal(page.url(), `${env.app}/`);

    assert.deepEqual(await tenantMe(context, env), { signedIn: false, user: null });
    assert.equal(await page.textContent('#status'), 'Signed out');

    // Back on the app's origin: exactly the listed keys are gone.
    assert.deepEqual(await storageOf(page), withoutClearedKeys(beforeLogout));
  });
});

test('clearStorageKeys: exactly the listed keys are removed from both storages before the browser navigates', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    await signIn(page, env);
    await addStorageKeys(page);
    const beforeLogout = await storageOf(page);
    await page.evaluate(() => { window.stillThisDocument = true; });
    // Stop the navigation at the tenant: the page that called logout() stays,
    // so what it left in storage is what logout() did before navigating.
    const held = [];
    await page.route(`${env.tenant}/**`, (route) => {
      held.push(route.request().url());
      return route.abort('aborted');
    });
    await page.click('#logout');
    await expectEventually(() => held.length === 1, 'the logout navigation was requested');
    assert.deepEqual(held, [expectedLogoutUrl(env, `${env.app}/`)]);
    assert.equal(await page.evaluate(() => window.stillThisDocument), true, 'still the same document');
    assert.deepEqual(await storageOf(page), withoutClearedKeys(beforeLogout));
    assert.equal((await tenantMe(context, env)).signedIn, true, 'control: the tenant never saw the logout');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });
});

for (const [label, value] of [['an absolute registered URL', 'ABSOLUTE'], ['a relative path', '/signed-out.html']]) {
  test(`landing on ${label}: /signed-out.html`, { timeout: 60_000 }, async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      await signIn(page, env);
      const landing = `${env.app}/signed-out.html`;
      await page.selectOption('#landing', value === 'ABSOLUTE' ? landing : value);
      assert.equal(await page.textContent('#logout-url'), expectedLogoutUrl(env, landing));
      const from = page.navigations.length;
      await page.click('#logout');
      await page.waitForURL(landing);
      await page.waitForSelector('#status:not([data-state="checking"])');
      assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-out');
      await shot(page, `landing-${value === 'ABSOLUTE' ? 'absolute' : 'relative'}`);
      assert.deepEqual(logoutNavigations(page, from).map((r) => r.url()), [expectedLogoutUrl(env, landing)]);
      assert.equal((await tenantMe(context, env)).signedIn, false);
    });
  });
}

test('a redirect to another site is refused before anything happens: still signed in, same page, storage untouched', { timeout: 60_000 }, async () => {
  await withContext(async (context, rec) => {
    const page = await context.newPage();
    await signIn(page, env);
    await page.selectOption('#landing', 'https://evil.example/phish');
    assert.match(await page.textContent('#logout-url'), /redirect_not_allowed/);

    const urlBefore = page.url();
    const storageBefore = await storageOf(page);
    const historyBefore = await page.evaluate(() => history.length);
    const requestsFrom = page.navigations.length;
    const sawTenantLogout = [];
    page.on('request', (r) => { if (r.url().includes('/logout')) sawTenantLogout.push(r.url()); });

    await page.click('#logout');
    await page.waitForSelector('#message:not([hidden])');
    await shot(page, 'refused-redirect');
    assert.equal(await page.getAttribute('#message', 'data-code'), 'redirect_not_allowed');
    assert.equal(await page.textContent('#error-code'), 'redirect_not_allowed');
    assert.match(await page.textContent('#message'), /still signed in/);

    // Give a (wrong) navigation the chance to start before checking that none did.
    await page.waitForTimeout(500);
    assert.equal(page.url(), urlBefore);
    assert.equal(page.navigations.length, requestsFrom, 'no navigation at all');
    assert.deepEqual(sawTenantLogout, []);
    assert.equal(await page.evaluate(() => history.length), historyBefore);
    assert.deepEqual(await storageOf(page), storageBefore);
    assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-in');
    assert.equal((await tenantMe(context, env)).signedIn, true, 'the tenant session lives');
    assert.deepEqual(rec.blocked, []);
  });
});

test('a same-origin page the tenant has not registered: the library sends it, the tenant signs out and refuses to redirect', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    await signIn(page, env);
    const unregistered = `${env.app}/not-registered.html`;
    await page.selectOption('#landing', unregistered);
    await page.click('#logout');
    await page.waitForURL(expectedLogoutUrl(env, unregistered));
    await page.waitForSelector('#error');
    await shot(page, 'tenant-refuses-unregistered');
    assert.match(await page.textContent('#error'), /not one of the registered logout redirect URIs/);
    assert.equal((await tenantMe(context, env)).signedIn, false);
  });
});

test('no landing: the tenant shows its own signed-out page', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    await signIn(page, env);
    await page.selectOption('#landing', '');
    assert.equal(await page.textContent('#logout-url'), expectedLogoutUrl(env, undefined));
    await page.click('#logout');
    await page.waitForURL(expectedLogoutUrl(env, undefined));
    await page.waitForSelector('#signed-out');
    await shot(page, 'tenant-signed-out-page');
    assert.equal((await tenantMe(context, env)).signedIn, false);
  });
});

for (const replace of [false, true]) {
  test(`Back after logout ${replace ? 'with replace: cannot return to the signed-in page' : 'without replace (control): returns to the signed-in page\'s entry'}`, { timeout: 60_000 }, async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      await signIn(page, env);
      // History now: the demo (signed out), the tenant's sign-in page, the demo (signed in).
      const lengthBefore = await page.evaluate(() => history.length);
      if (replace) await page.check('#replace');
      await page.click('#logout');
      await page.waitForURL(`${env.app}/`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'signed-out');
      const lengthAfter = await page.evaluate(() => history.length);
      assert.equal(lengthAfter, replace ? lengthBefore : lengthBefore + 1);

      await page.goBack();
      const back = new URL(page.url());
      if (replace) {
        // The signed-in entry was replaced: Back skips to the tenant's sign-in page.
        assert.equal(back.origin, env.tenant, `Back went to ${back.href}`);
        assert.equal(back.pathname, '/login');
        await shot(page, 'replace-back-goes-to-tenant-sign-in');
      } else {
        assert.equal(back.href, `${env.app}/`, 'control: Back returns to the signed-in page\'s entry');
        // The page asks the tenant again (also when restored from the back/forward cache).
        await page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'signed-out');
        await shot(page, 'no-replace-back-returns-to-app');
      }
    });
  });
}

test('a second tab hears the logout (BroadcastChannel) and shows signed out without reloading', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const first = await context.newPage();
    await signIn(first, env);
    const second = await context.newPage();
    await second.goto(`${env.app}/`);
    assert.equal(await demoState(second), 'signed-in');
    await shot(second, 'tabs-01-second-tab-signed-in');
    const secondNavigations = second.navigations.length;

    await first.click('#logout');
    await second.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'signed-out');
    assert.match(await second.textContent('#status'), /another tab/);
    const heard = await second.textContent('#tab-events li');
    assert.match(heard, new RegExp(`another tab logged out of ${env.tenant.replace(/[.]/g, '\\.')}`));
    assert.equal(second.navigations.length, secondNavigations, 'the second tab did not reload');
    assert.equal(second.url(), `${env.app}/`);
    await second.bringToFront();
    await shot(second, 'tabs-02-second-tab-heard-logout');

    await first.waitForURL(`${env.app}/`, { waitUntil: 'load' });
    assert.equal(await demoState(first), 'signed-out');
    assert.equal((await tenantMe(context, env)).signedIn, false);
  });
});

test('onLogout is for other tabs: the tab that logs out does not hear its own logout', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const first = await context.newPage();
    await signIn(first, env);
    const second = await context.newPage();
    await second.goto(`${env.app}/`);
    assert.equal(await demoState(second), 'signed-in');
    // Keep the first tab on the page after logout() (its navigation is stopped)
    // so its onLogout callback would have time to run.
    const held = [];
    await first.route(`${env.tenant}/**`, (route) => {
      held.push(route.request().url());
      return route.abort('aborted');
    });
    await first.click('#logout');
    await second.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'signed-out');
    await expectEventually(() => held.length === 1, 'the logout navigation was requested');
    await first.waitForTimeout(300);
    await shot(first, 'tabs-03-the-tab-that-logged-out');
    assert.equal(await first.textContent('#tab-events'), 'Nothing heard yet.', 'the first tab heard its own logout');
    assert.equal(await first.getAttribute('#status', 'data-state'), 'leaving');
    await first.unrouteAll({ behavior: 'ignoreErrors' });
  });
});

test('the personal center link goes to the tenant\'s /u, whose Logout ends the session', { timeout: 60_000 }, async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    await signIn(page, env);
    assert.equal(await page.getAttribute('#personal-center', 'href'), `${env.tenant}/u`);
    await page.click('#personal-center');
    await page.waitForURL(`${env.tenant}/u`);
    assert.equal(await page.textContent('#user-name'), 'Alice');
    await shot(page, 'personal-center-01');
    await page.click('#logout');
    await page.waitForSelector('#signed-out');
    await shot(page, 'personal-center-02-signed-out');
    assert.equal((await tenantMe(context, env)).signedIn, false);
    await page.goto(`${env.app}/`);
    assert.equal(await demoState(page), 'signed-out');
  });
});
