// The demo served as http://localhost:<port> against the tenant on
// http://127.0.0.1:<port>: two sites, as an app on its own domain and a
// GenAuth tenant are. Logout is a top-level navigation, so the tenant's
// SameSite=Lax session cookie goes with it and the session ends.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';

import { expectedLogoutUrl, newContext, shot, startDemo, teardown, tenantMe } from './harness.mjs';

let env;
before(async () => { env = await startDemo({ appHost: 'localhost' }); });
after(async () => { await teardown(env); });

test('cross-site: an app on localhost logs the user out of a tenant on 127.0.0.1', { timeout: 60_000 }, async () => {
  const { context, rec } = await newContext(env.browser);
  try {
    const page = await context.newPage();
    await page.goto(`${env.app}/`);
    await page.waitForSelector('#status:not([data-state="checking"])');
    await page.click('#sign-in-link');
    await page.waitForURL((u) => u.href.startsWith(`${env.tenant}/login`));
    await page.fill('#username', 'bob');
    await page.fill('#password', 'bob');
    await page.click('#sign-in');
    await page.waitForURL(`${env.app}/`);
    assert.deepEqual(await tenantMe(context, env), { signedIn: true, user: { id: 'user-bob', name: 'Bob' } });
    // (The page's own /api/me fetch is cross-site here, so the Lax cookie
    // is not sent with it; the page is not asserted on for that reason.)
    await page.waitForSelector('#status:not([data-state="checking"])');
    await shot(page, 'cross-site-01-signed-in-at-tenant');

    const from = page.navigations.length;
    await page.click('#logout');
    await page.waitForURL(`${env.app}/`, { waitUntil: 'load' });
    const trips = page.navigations.slice(from).map((r) => r.url());
    assert.deepEqual(trips, [expectedLogoutUrl(env, `${env.app}/`), `${env.app}/`]);
    assert.deepEqual(await tenantMe(context, env), { signedIn: false, user: null });
    await shot(page, 'cross-site-02-landed');
    assert.deepEqual(rec.blocked, []);
    assert.deepEqual(rec.errors, []);
  } finally {
    await context.close();
  }
});
