// RP-Initiated Logout 1.0 with genauth-logout's `protocol: "oidc"` against a
// real, independently written provider (oidc-provider), in headless Chromium.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';

import {
  setup, teardown, newPage, signIn, clickLogout, confirmLogout, startAuthorization, shot, opLogs, fetchJson,
} from './harness.mjs';

let env;
before(async () => { env = await setup(); }, { timeout: 120_000 });
after(async () => { await teardown(env); }, { timeout: 30_000 });

test('sign in with PKCE, log out through the provider, land on the registered URI with the same state', { timeout: 60_000 }, async () => {
  const { context, page, rec } = await newPage(env);
  try {
    // The provider advertises the end-session endpoint the library is pointed at.
    const meta = await fetchJson(env, `${env.op.url}/.well-known/openid-configuration`);
    assert.equal(meta.end_session_endpoint, env.endSession);

    const tokenLength = await signIn(page, env, { shotName: 'a-logout-01' });
    assert.ok(tokenLength > 100, 'a real ID token');

    // Control: while the provider session lives, a new authorization request
    // does not ask for credentials (so the check after logout can fail).
    assert.equal(await startAuthorization(page, env), 'signed-in');

    const state = 'st-a-0123456789';
    const logsFrom = env.op.logs.length;
    const plan = {
      config: {
        appDomain: env.op.url, protocol: 'oidc', endSessionEndpoint: env.endSession, clientId: 'rp-test',
      },
      redirect: env.registered,
      params: { state, clientId: 'rp-test' },
    };
    // What the library says it will send, for comparison with what it sends.
    const built = await page.evaluate(async ({ config, redirect, params }) => {
      const { LogoutClient } = await import('genauth-logout');
      return new LogoutClient(config).buildLogoutUrl(redirect, { ...params, idTokenHint: window.rp.idToken() });
    }, plan);
    await clickLogout(page, plan);

    // The provider asks the user to confirm; a real user clicks "Yes, sign me out".
    await page.waitForURL((u) => u.href.startsWith(env.endSession));
    const logoutRequest = rec.requests.filter((r) => r.isNavigation && r.url.startsWith(env.endSession))[0];
    assert.equal(logoutRequest.method, 'GET');
    assert.equal(logoutRequest.url, built, 'logout() navigates to buildLogoutUrl()');
    const sent = new URL(logoutRequest.url).searchParams;
    assert.deepEqual([...sent.keys()], ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id']);
    assert.equal(sent.get('post_logout_redirect_uri'), env.registered);
    assert.equal(sent.get('state'), state);
    assert.equal(sent.get('client_id'), 'rp-test');
    assert.equal(await page.textContent('#client'), 'rp-test');
    await confirmLogout(page, 'a-logout-02');

    await page.waitForURL((u) => u.href.startsWith(env.registered));
    assert.equal(page.url(), `${env.registered}?state=${state}`);
    await shot(page, 'a-logout-03-landed');
    assert.equal(opLogs(env.op, 'end_session.success', logsFrom).length, 1);

    // The provider session is gone: a new authorization request shows the login form.
    assert.equal(await startAuthorization(page, env), 'login-form');
    await shot(page, 'a-logout-04-login-again');
    assert.deepEqual(rec.blocked, [], 'no request left loopback');
    assert.deepEqual(rec.errors, []);
  } finally {
    await context.close();
  }
});

test('without an id_token_hint, client_id identifies the app and the logout still returns with state', { timeout: 60_000 }, async () => {
  const { context, page, rec } = await newPage(env);
  try {
    await signIn(page, env);
    const from = env.op.logs.length;
    await clickLogout(page, {
      config: {
        appDomain: env.op.url, protocol: 'oidc', endSessionEndpoint: env.endSession, clientId: 'rp-test',
      },
      redirect: env.registered,
      params: { state: 'st-no-hint' },
      withoutIdToken: true,
    });
    await page.waitForSelector('#logout-yes');
    const sent = new URL(rec.requests.filter((r) => r.isNavigation && r.url.startsWith(env.endSession))[0].url);
    assert.deepEqual([...sent.searchParams.keys()], ['post_logout_redirect_uri', 'state', 'client_id']);
    assert.equal(sent.searchParams.get('client_id'), 'rp-test', 'from the configured clientId');
    await confirmLogout(page, 'a-no-hint');
    await page.waitForURL((u) => u.href.startsWith(env.registered));
    assert.equal(page.url(), `${env.registered}?state=st-no-hint`);
    assert.equal(opLogs(env.op, 'end_session.success', from).length, 1);
    assert.equal(await startAuthorization(page, env), 'login-form');
  } finally {
    await context.close();
  }
});

test('a second tab logging out after the provider session ended returns without asking', { timeout: 60_000 }, async () => {
  const { context, page } = await newPage(env);
  try {
    await signIn(page, env);
    // A second tab of the app signs in silently (provider session) and keeps
    // its own ID token in memory.
    const tab2 = await context.newPage();
    assert.equal(await startAuthorization(tab2, env), 'signed-in');

    const plan = (state) => ({
      config: {
        appDomain: env.op.url, protocol: 'oidc', endSessionEndpoint: env.endSession, clientId: 'rp-test',
      },
      redirect: env.registered,
      params: { state, clientId: 'rp-test' },
    });
    await clickLogout(page, plan('st-tab1'));
    await confirmLogout(page);
    await page.waitForURL((u) => u.href.startsWith(env.registered));

    // The stale tab logs out too: the provider has no session left to end, so
    // oidc-provider skips the confirmation and sends the browser straight back.
    const from = env.op.logs.length;
    await clickLogout(tab2, plan('st-tab2'));
    await tab2.waitForURL((u) => u.href.startsWith(env.registered));
    assert.equal(tab2.url(), `${env.registered}?state=st-tab2`);
    assert.equal(opLogs(env.op, 'end_session.success', from).length, 1);
    await shot(tab2, 'a-second-tab-no-session');
  } finally {
    await context.close();
  }
});
