// logout_hint and ui_locales reach the provider (GET and POST), and the
// id_token_hint is never written to Web Storage, the console or the
// cross-tab logout message by the library.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';

import {
  setup, teardown, newPage, signIn, clickLogout, confirmLogout, startAuthorization, shot, opLogs,
} from './harness.mjs';

let env;
before(async () => { env = await setup(); }, { timeout: 120_000 });
after(async () => { await teardown(env); }, { timeout: 30_000 });

const LOGOUT_HINT = 'alice@example.test';
const UI_LOCALES = 'fr-CA en';

/** Everything the page or the library could have leaked the token into. */
async function assertTokenNotLeaked(page, rec, token, channelMessages) {
  const signature = token.split('.')[2];
  const leaks = (text) => text.includes(token) || text.includes(signature);
  // The recorders work: they saw the RP's own PKCE write and a console probe.
  assert.ok(rec.storageWrites.some((w) => w.area === 'sessionStorage' && w.key === 'rp.pending'));
  await page.evaluate(() => console.log('console-probe'));
  assert.ok(rec.console.includes('log: console-probe'));
  assert.ok(!rec.storageWrites.some((w) => leaks(w.key) || leaks(w.value)),
    `no Web Storage write holds the token: ${JSON.stringify(rec.storageWrites.map((w) => `${w.area}.${w.key}`))}`);
  const storage = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
  assert.ok(!leaks(storage), 'storage on the RP origin does not hold the token');
  assert.ok(!rec.console.some(leaks), 'the console never printed the token');
  assert.ok(!rec.errors.some(leaks), 'no page error carries the token');
  assert.ok(!channelMessages.some((m) => leaks(JSON.stringify(m))), 'the cross-tab message does not carry the token');
  assert.deepEqual(rec.blocked, [], 'no request left loopback');
}

/** A second tab of the app listening on the library's BroadcastChannel. */
async function listenForLogoutMessages(context) {
  const other = await context.newPage();
  await other.goto(`${env.rp.url}/logged-out`);
  await other.evaluate(() => {
    window.messages = [];
    new BroadcastChannel('genauth-logout').onmessage = (e) => { window.messages.push(e.data); };
  });
  return other;
}

for (const method of ['get', 'post']) {
  test(`logout_hint and ui_locales pass through by ${method.toUpperCase()}; the token leaks nowhere`, { timeout: 60_000 }, async (t) => {
    const { context, page, rec } = await newPage(env);
    try {
      await signIn(page, env);
      const token = await page.evaluate(() => window.rp.idToken());
      const other = await listenForLogoutMessages(context);
      const from = env.op.logs.length;
      const state = `st-hints-${method}`;
      await clickLogout(page, {
        config: {
          appDomain: env.op.url, protocol: 'oidc', endSessionEndpoint: env.endSession, clientId: 'rp-test', method,
        },
        redirect: env.registered,
        params: {
          state, clientId: 'rp-test', logoutHint: LOGOUT_HINT, uiLocales: UI_LOCALES,
        },
      });
      await page.waitForSelector('#logout-yes');

      // What the browser sent.
      const sent = rec.requests.filter((r) => r.isNavigation && r.url.startsWith(env.endSession));
      assert.equal(sent.length, 1);
      assert.equal(sent[0].method, method.toUpperCase());
      const fields = method === 'get' ? new URL(sent[0].url).searchParams : new URLSearchParams(sent[0].postData);
      assert.deepEqual([...fields.keys()],
        ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id', 'logout_hint', 'ui_locales']);
      assert.equal(fields.get('logout_hint'), LOGOUT_HINT);
      assert.equal(fields.get('ui_locales'), UI_LOCALES);
      t.diagnostic(`${method}: ${method === 'get' ? sent[0].url.replace(token, '<id_token>') : `body ${sent[0].postData.replace(token, '<id_token>')}`}`);

      // What the provider received (its own log) and shows.
      const seen = opLogs(env.op, 'end_session', from);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].params.logout_hint, LOGOUT_HINT);
      assert.equal(seen[0].params.ui_locales, UI_LOCALES);
      assert.equal(seen[0].params.id_token_hint.length, token.length);
      assert.equal(await page.textContent('#logout-hint'), LOGOUT_HINT);
      assert.equal(await page.textContent('#ui-locales'), UI_LOCALES);
      assert.equal(await page.getAttribute('html', 'lang'), 'fr-CA');
      await confirmLogout(page, `d-hints-${method}`);
      await page.waitForURL((u) => u.href.startsWith(env.registered));
      assert.equal(page.url(), `${env.registered}?state=${state}`);
      await shot(page, `d-hints-${method}-landed`);
      assert.equal(await startAuthorization(page, env), 'login-form');

      const messages = await other.evaluate(() => window.messages);
      assert.deepEqual(messages, [{ type: 'logout', appDomain: env.op.url }]);
      await assertTokenNotLeaked(page, rec, token, messages);
    } finally {
      await context.close();
    }
  });
}

test('errors thrown by the library do not carry the id_token_hint', { timeout: 60_000 }, async (t) => {
  const { context, page, rec } = await newPage(env);
  try {
    await signIn(page, env);
    const token = await page.evaluate(() => window.rp.idToken());
    const results = await page.evaluate(async ({ issuer, endSession }) => {
      const { LogoutClient } = await import('genauth-logout');
      const client = new LogoutClient({
        appDomain: issuer, protocol: 'oidc', endSessionEndpoint: endSession, clientId: 'rp-test',
      });
      const idTokenHint = window.rp.idToken();
      const cases = {
        invalid_redirect: ['javascript:alert(1)', { idTokenHint }],
        redirect_not_allowed: ['https://elsewhere.example/', { idTokenHint }],
        bad_state: [`${location.origin}/logged-out`, { idTokenHint, state: 'x'.repeat(100_000) }],
        bad_method: [`${location.origin}/logged-out`, { idTokenHint, method: 'put' }],
      };
      const out = {};
      for (const [name, [redirect, params]] of Object.entries(cases)) {
        try {
          client.logout(redirect, params);
          out[name] = { threw: false, href: location.href };
        } catch (err) {
          out[name] = {
            threw: true,
            name: err.name,
            code: err.code,
            text: `${String(err)} ${err.message} ${err.stack} ${JSON.stringify(err)}`,
          };
        }
      }
      return out;
    }, { issuer: env.op.url, endSession: env.endSession });
    const signature = token.split('.')[2];
    for (const [name, r] of Object.entries(results)) {
      assert.ok(r.threw, `${name}: logout() threw before navigating`);
      assert.equal(r.name, 'GenAuthError', name);
      assert.ok(!r.text.includes(token) && !r.text.includes(signature), `${name}: the error does not include the token`);
    }
    t.diagnostic(`codes: ${Object.entries(results).map(([k, r]) => `${k}=${r.code}`).join(' ')}`);
    assert.equal(results.invalid_redirect.code, 'invalid_redirect');
    assert.equal(results.redirect_not_allowed.code, 'redirect_not_allowed');
    assert.equal(rec.requests.filter((r) => r.url.startsWith(env.endSession)).length, 0, 'nothing was sent');
    assert.ok(!rec.console.some((line) => line.includes(signature)));
  } finally {
    await context.close();
  }
});
