// The demo's Administrator panel: www/serve.mjs forces a user offline with
// AdminClient from the installed `genauth-logout/admin` against the real
// local tenant, and the signed-in page of that user notices on its own
// (polling /api/me) — in headless Chromium, with the admin token kept on the
// server.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';

import {
  demoState, localEnv, newContext, repoRoot, shot, signIn, startDemo, startServer, teardown, tenantMe,
} from './harness.mjs';

// The emulator's default administrator token, which serve.mjs uses for the
// local tenant when GENAUTH_ADMIN_TOKEN is not set.
const TOKEN = 'admin-secret-token';
// The page polls every 2 s; the flip must show within this bound.
const NOTICE_WITHIN_MS = 6000;

let env;
before(async () => { env = await startDemo(); });
after(async () => { await teardown(env); });

/**
 * A browser context that also keeps every response (URL, status, body bytes)
 * and every request's headers, to look for the token in all of them.
 */
async function recordingContext() {
  const { context, rec } = await newContext(env.browser);
  rec.responses = [];
  rec.requestHeaders = [];
  const pending = [];
  context.on('request', (req) => {
    pending.push(req.allHeaders().then((h) => rec.requestHeaders.push({ url: req.url(), headers: h }), () => {}));
  });
  context.on('response', (res) => {
    pending.push(res.body().then(
      (body) => rec.responses.push({ url: res.url(), status: res.status(), body }),
      // Redirects have no body; the headers are kept instead.
      () => res.allHeaders().then((h) => rec.responses.push({ url: res.url(), status: res.status(), body: Buffer.from(JSON.stringify(h)) })),
    ));
  });
  rec.settle = async () => {
    // Responses can still be arriving; wait for the queue to stop growing.
    for (let n = -1; n !== pending.length;) {
      n = pending.length;
      await Promise.allSettled(pending.slice());
    }
  };
  return { context, rec };
}

async function emulatorRequests(prefix) {
  const res = await fetch(`${env.tenant}/__emulator/requests?path_prefix=${encodeURIComponent(prefix)}`);
  return res.json();
}

async function resetEmulator() {
  const res = await fetch(`${env.tenant}/__emulator/reset`, { method: 'POST' });
  assert.equal(res.status, 200);
}

/** Press Force offline for `userId` on `page`; returns the HTTP status and JSON of POST /admin/kick. */
async function forceOffline(page, userId) {
  await page.selectOption('#kick-user', userId);
  const answer = page.waitForResponse((r) => r.url() === `${env.app}/admin/kick` && r.request().method() === 'POST');
  await page.click('#kick');
  const res = await answer;
  await page.waitForSelector('#kick-result[data-state="done"]');
  return { status: res.status(), json: await res.json() };
}

test('Force offline for alice: her tab flips to signed out on its own, bob survives, the token never reaches the browser', { timeout: 90_000 }, async (t) => {
  await resetEmulator();
  const alice = await recordingContext();
  const bob = await recordingContext();
  try {
    const tabA = await alice.context.newPage();
    await signIn(tabA, env, { shotPrefix: 'admin' });
    const bobPage = await bob.context.newPage();
    await signIn(bobPage, env, { user: 'bob', password: 'bob' });
    assert.equal((await tenantMe(bob.context, env)).user.id, 'user-bob', 'control: bob is signed in');

    // Tab B: the same page in another tab, where the administrator's panel is used.
    const tabB = await alice.context.newPage();
    await tabB.goto(`${env.app}/`);
    assert.equal(await demoState(tabB), 'signed-in');
    assert.equal(await tabB.isEnabled('#kick'), true, 'the panel is enabled against the local tenant');
    assert.deepEqual(
      await tabB.$$eval('#kick-user option', (os) => os.map((o) => o.value)),
      ['user-alice', 'user-bob'],
    );
    assert.equal(await tabB.textContent('#admin-app'), 'app-demo');

    // Tab A stays signed in while nothing happens (control for the flip below).
    await tabA.waitForTimeout(2500);
    assert.equal(await tabA.getAttribute('#status', 'data-state'), 'signed-in', 'control: polling alone does not sign out');

    const tabANavigations = tabA.navigations.length;
    const started = Date.now();
    const { status, json } = await forceOffline(tabB, 'user-alice');
    assert.equal(status, 200);
    assert.deepEqual(json, { ok: true, userId: 'user-alice', code: 200, message: 'Forced offline successful' });
    assert.equal(await tabB.getAttribute('#kick-result', 'data-code'), '200');
    assert.equal(await tabB.textContent('#kick-code'), '200');
    assert.match(await tabB.textContent('#kick-result'), /Forced offline successful/);
    await tabB.bringToFront();
    await shot(tabB, 'admin-04-tab-b-force-offline-result');

    // Tab A notices by itself (the kick sends nothing to the browser).
    await tabA.waitForFunction(
      () => document.querySelector('#status')?.dataset.state === 'signed-out',
      null,
      { timeout: NOTICE_WITHIN_MS },
    );
    const noticedAfter = Date.now() - started;
    assert.ok(noticedAfter < NOTICE_WITHIN_MS, `tab A noticed after ${noticedAfter} ms`);
    t.diagnostic(`tab A showed the forced logout ${noticedAfter} ms after Force offline was pressed`);
    assert.equal(await tabA.textContent('#status'), 'Signed out');
    assert.equal(await tabA.textContent('#session-note'), 'Your session was ended by an administrator.');
    assert.equal(await tabA.getAttribute('#session-note', 'data-reason'), 'admin');
    assert.equal(tabA.navigations.length, tabANavigations, 'tab A did not reload or navigate');
    assert.equal(tabA.url(), `${env.app}/`);
    const storageA = await tabA.evaluate(() => [localStorage.getItem('demo.profile'), sessionStorage.getItem('demo.token')]);
    assert.deepEqual(storageA, [null, null], 'the per-user keys are dropped');
    await tabA.bringToFront();
    await shot(tabA, 'admin-05-tab-a-ended-by-administrator');
    assert.deepEqual(await tenantMe(alice.context, env), { signedIn: false, user: null });

    // Tab B was alice's too: it flips the same way.
    await tabB.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'signed-out', null, { timeout: NOTICE_WITHIN_MS });

    // Bob, in another browser context, is untouched — also after his page polled again.
    await bobPage.waitForTimeout(2500);
    assert.equal(await bobPage.getAttribute('#status', 'data-state'), 'signed-in');
    assert.equal(await bobPage.isHidden('#session-note'), true);
    assert.deepEqual(await tenantMe(bob.context, env), { signedIn: true, user: { id: 'user-bob', name: 'Bob' } });
    await bobPage.bringToFront();
    await shot(bobPage, 'admin-06-bob-still-signed-in');

    // What the tenant got: exactly one kick, with the token (so the searches
    // below look for a string that really was in play).
    const kicks = (await emulatorRequests('/api/applications/')).filter((r) => r.method === 'POST');
    assert.equal(kicks.length, 1);
    assert.equal(kicks[0].path, '/api/applications/app-demo/kick-active-users');
    assert.equal(kicks[0].headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(kicks[0].headers['x-authing-userpool-id'], 'pool-demo');
    assert.deepEqual(JSON.parse(kicks[0].body), { userIds: ['user-alice'], appId: 'app-demo' });

    // The token is nowhere the browser could see it.
    await alice.rec.settle();
    await bob.rec.settle();
    const responses = [...alice.rec.responses, ...bob.rec.responses];
    const seen = new Set(responses.map((r) => new URL(r.url).pathname));
    for (const p of ['/', '/app.js', '/config.js', '/admin/kick', '/admin/kicks', '/api/me']) {
      assert.ok(seen.has(p), `control: the response of ${p} was recorded`);
    }
    assert.ok(responses.some((r) => r.url.includes('/node_modules/genauth-logout/')), 'control: the package files were recorded');
    for (const r of responses) {
      assert.ok(!r.body.includes(TOKEN), `the token is in the response of ${r.url}`);
    }
    for (const r of [...alice.rec.requestHeaders, ...bob.rec.requestHeaders]) {
      assert.ok(!JSON.stringify(r.headers).includes(TOKEN), `the token is in a request header to ${r.url}`);
    }
    for (const page of [tabA, tabB, bobPage]) {
      const html = await page.content();
      assert.ok(!html.includes(TOKEN), 'the token is in the page HTML');
      const kept = await page.evaluate(() => document.cookie
        + JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      assert.ok(!kept.includes(TOKEN), 'the token is in the page\'s cookies or storage');
    }
    const consoleLines = [...alice.rec.console, ...bob.rec.console];
    assert.ok(!consoleLines.join('\n').includes(TOKEN), 'the token is in the browser console');
    // Nor in the demo server's or the tenant's logs.
    assert.ok(env.demo.lines.some((l) => l.includes('POST /admin/kick 200')), 'control: the demo server logged the call');
    assert.ok(!env.demo.lines.join('\n').includes(TOKEN) && !env.demo.stderr.join('').includes(TOKEN), 'the token is in the demo server log');
    assert.ok(!env.emulator.lines.join('\n').includes(TOKEN), 'the token is in the tenant log');

    for (const { rec } of [alice, bob]) {
      assert.deepEqual(rec.blocked, [], 'no request left loopback');
      assert.deepEqual(rec.errors, [], 'no uncaught page errors');
    }
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});

test('a session ended elsewhere (personal center in another tab) flips too, without blaming an administrator', { timeout: 60_000 }, async () => {
  const { context, rec } = await newContext(env.browser);
  try {
    const tabA = await context.newPage();
    await signIn(tabA, env);
    const tabB = await context.newPage();
    await tabB.goto(`${env.tenant}/u`);
    await tabB.click('#logout');
    await tabB.waitForSelector('#signed-out');
    await tabA.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'signed-out', null, { timeout: NOTICE_WITHIN_MS });
    assert.equal(await tabA.getAttribute('#session-note', 'data-reason'), 'elsewhere');
    assert.match(await tabA.textContent('#session-note'), /ended outside this page/);
    await tabA.bringToFront();
    await shot(tabA, 'admin-09-ended-elsewhere');
    assert.deepEqual(rec.errors, []);
    assert.deepEqual(rec.blocked, []);
  } finally {
    await context.close();
  }
});

test('a tenant refusal shows the GenAuthError code in the panel and signs nobody out', { timeout: 60_000 }, async () => {
  await resetEmulator();
  const { context, rec } = await newContext(env.browser);
  try {
    const page = await context.newPage();
    await signIn(page, env, { user: 'bob', password: 'bob' });
    const fault = await fetch(`${env.tenant}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path_prefix: '/api/applications/', times: 1, mode: 'api_code', api_code: 403, message: 'No permission to kick users of this application' }),
    });
    assert.equal(fault.status, 200);
    const { status, json } = await forceOffline(page, 'user-bob');
    assert.equal(status, 502);
    assert.equal(json.ok, false);
    // GenAuth-style: HTTP 200 with the refusal in the body.
    assert.deepEqual(json.error, { name: 'GenAuthError', code: 'api_error', message: json.error.message, status: 200, apiCode: 403 });
    assert.match(json.error.message, /No permission to kick users/);
    assert.equal(await page.getAttribute('#kick-result', 'data-code'), 'api_error');
    assert.equal(await page.textContent('#kick-code'), 'api_error');
    assert.match(await page.textContent('#kick-result'), /GenAuthError api_error \(HTTP 200, apiCode 403\)/);
    await shot(page, 'admin-07-api-error');
    // One request reached the tenant (api errors are not retried) and bob is still in.
    const kicks = (await emulatorRequests('/api/applications/')).filter((r) => r.method === 'POST');
    assert.equal(kicks.length, 1);
    await page.waitForTimeout(2500);
    assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-in');
    assert.equal((await tenantMe(context, env)).signedIn, true);
    assert.deepEqual(rec.errors, []);
    assert.deepEqual(rec.blocked, []);
  } finally {
    await context.close();
  }
});

test('/admin/kick refuses other origins and non-JSON, and never kicks for them', { timeout: 30_000 }, async () => {
  await resetEmulator();
  const post = (headers, body = JSON.stringify({ userId: 'user-alice' })) => fetch(`${env.app}/admin/kick`, { method: 'POST', headers, body });
  const host = new URL(env.app).host;
  const foreign = await post({ origin: 'http://127.0.0.1:1', 'content-type': 'application/json' });
  assert.equal(foreign.status, 403);
  assert.equal((await foreign.json()).error.code, 'forbidden');
  const noOrigin = await post({ 'content-type': 'application/json' });
  assert.equal(noOrigin.status, 403);
  const form = await post({ origin: `http://${host}`, 'content-type': 'application/x-www-form-urlencoded' }, 'userId=user-alice');
  assert.equal(form.status, 415);
  const unknownUser = await post({ origin: `http://${host}`, 'content-type': 'application/json' }, JSON.stringify({ userId: 'user-mallory' }));
  assert.equal(unknownUser.status, 400);
  assert.equal((await emulatorRequests('/api/applications/')).length, 0, 'no kick reached the tenant');
  // Control: the same request from the app's own origin does kick.
  const ok = await post({ origin: `http://${host}`, 'content-type': 'application/json' });
  assert.equal(ok.status, 200);
  assert.equal((await emulatorRequests('/api/applications/')).length, 1);
});

/** Another www/serve.mjs on the same package and tenant, with `extraEnv`. */
function startServe(extraEnv, tenantArgs = ['--tenant', env.tenant]) {
  return startServer('www/serve.mjs', process.execPath, [
    path.join(repoRoot, 'www', 'serve.mjs'), '--pkg-dir', env.pkgDir, ...tenantArgs, '--host', '127.0.0.1', '--port', '0',
  ], /^genauth-demo listening on (http:\/\/127\.0\.0\.1:\d+)$/, { env: { ...localEnv(), ...extraEnv } });
}

async function kickVia(server) {
  const res = await fetch(`${server.url}/admin/kick`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'user-alice' }),
  });
  return { status: res.status, text: await res.text() };
}

test('GENAUTH_ADMIN_TOKEN / GENAUTH_USERPOOL_ID / GENAUTH_APP_ID are used, and a wrong token is never echoed', { timeout: 30_000 }, async () => {
  await resetEmulator();
  const wrongToken = 'wrong-token-5f1c2a';
  const cases = [
    [{ GENAUTH_ADMIN_TOKEN: wrongToken }, 'http_error', { status: 401 }],
    [{ GENAUTH_USERPOOL_ID: 'pool-other' }, 'api_error', { apiCode: 403 }],
    [{ GENAUTH_APP_ID: 'app-missing' }, 'api_error', { apiCode: 404 }],
  ];
  for (const [extra, code, fields] of cases) {
    const server = await startServe(extra);
    try {
      const { status, text } = await kickVia(server);
      assert.equal(status, 502, text);
      const { error } = JSON.parse(text);
      assert.equal(error.code, code, text);
      assert.equal(error.name, 'GenAuthError', text);
      for (const [k, v] of Object.entries(fields)) assert.equal(error[k], v, text);
      assert.ok(!text.includes(wrongToken) && !text.includes(TOKEN), 'no token in the answer');
      assert.ok(!server.lines.join('\n').includes(wrongToken), 'no token in the log');
    } finally {
      await server.stop();
    }
  }
  const sent = (await emulatorRequests('/api/applications/')).filter((r) => r.method === 'POST');
  assert.deepEqual(sent.map((r) => [r.path, r.headers.authorization, r.headers['x-authing-userpool-id']]), [
    ['/api/applications/app-demo/kick-active-users', `Bearer ${wrongToken}`, 'pool-demo'],
    ['/api/applications/app-demo/kick-active-users', `Bearer ${TOKEN}`, 'pool-other'],
    ['/api/applications/app-missing/kick-active-users', `Bearer ${TOKEN}`, 'pool-demo'],
  ]);
});

test('a real tenant (GENAUTH_APP_DOMAIN) without GENAUTH_ADMIN_TOKEN: the panel says it is disabled', { timeout: 60_000 }, async () => {
  await resetEmulator();
  // GENAUTH_APP_DOMAIN is pointed at the local tenant so that nothing leaves
  // loopback; serve.mjs treats it as a real tenant all the same.
  const server = await startServe({ GENAUTH_APP_DOMAIN: env.tenant }, []);
  const { context, rec } = await newContext(env.browser);
  try {
    const { status, text } = await kickVia(server);
    assert.equal(status, 503);
    assert.equal(JSON.parse(text).error.code, 'admin_disabled');
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#kick-result[data-state="disabled"]');
    assert.equal(await page.isDisabled('#kick'), true);
    assert.match(await page.textContent('#kick-result'), /Disabled: No administrator token: set GENAUTH_ADMIN_TOKEN/);
    await page.waitForSelector('#status:not([data-state="checking"])');
    await shot(page, 'admin-08-disabled-for-real-tenant');
    assert.equal((await emulatorRequests('/api/applications/')).length, 0);
    assert.deepEqual(rec.errors, []);
    assert.deepEqual(rec.blocked, []);
  } finally {
    await context.close();
    await server.stop();
  }
});
