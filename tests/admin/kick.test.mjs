// AdminClient.kickActiveUsers against the local tenant: the request on the
// wire, every answer path of DESIGN.md, and every fault the tenant can
// inject (delay, close, status with Retry-After, non-JSON, api_code).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  ODD_APP,
  POOL,
  TOKEN,
  loadAdmin,
  me,
  rejection,
  signIn,
  startEmulator,
} from './harness.mjs';

let tenant;
let AdminClient;
let GenAuthError;

before(async () => {
  ({ AdminClient, GenAuthError } = await loadAdmin());
  tenant = await startEmulator();
});
after(async () => tenant && tenant.stop());
beforeEach(async () => tenant.reset());

function client(extra = {}) {
  return new AdminClient({ appDomain: tenant.url, userPoolId: POOL, token: TOKEN, ...extra });
}

function assertGenAuthError(error, code, extra = {}) {
  assert.ok(error instanceof GenAuthError, `not a GenAuthError: ${error && error.stack}`);
  assert.equal(error.name, 'GenAuthError');
  assert.equal(error.code, code, `${error.code}: ${error.message}`);
  for (const [key, value] of Object.entries(extra)) assert.equal(error[key], value, key);
}

const T = { timeout: 30_000 };

describe('the request', () => {
  test('success resolves to the API answer; method, path, headers and body are exact', T, async () => {
    const answer = await client().kickActiveUsers('app-demo', ['user-alice', 'user-bob']);
    assert.deepEqual(answer, { code: 200, message: 'Forced offline successful' });
    const [req, ...more] = await tenant.requests();
    assert.equal(more.length, 0);
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/api/applications/app-demo/kick-active-users');
    assert.equal(req.query, '');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['x-authing-userpool-id'], POOL);
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(req.body, '{"userIds":["user-alice","user-bob"],"appId":"app-demo"}');
  });

  test('a token that already has a scheme is sent as given', T, async () => {
    await client({ token: `Bearer ${TOKEN}` }).kickActiveUsers('app-demo', ['user-bob']);
    const [req] = await tenant.requests();
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
  });

  test('an appId with / ? % # space and non-ASCII travels as one encoded path segment', T, async () => {
    const answer = await client().kickActiveUsers(ODD_APP, ['user-bob']);
    assert.equal(answer.code, 200, 'the tenant found the app after decoding the segment');
    const [req] = await tenant.requests();
    assert.equal(req.path, `/api/applications/${encodeURIComponent(ODD_APP)}/kick-active-users`);
    assert.equal(req.path, '/api/applications/a%2Fb%3Fc%25d%20%23%C3%A9%F0%9F%98%80/kick-active-users');
    assert.equal(req.query, '');
    assert.equal(JSON.parse(req.body).appId, ODD_APP);
  });

  test('the body is JSON with correctly escaped strings (same bytes as JSON.stringify)', T, async () => {
    const ids = ['quote"d', 'back\\slash', 'line\nbreak\ttab', 'ctl\u0001\u001f', 'é😀\u2028', '</script>'];
    // The tenant ignores ids it has no session for: the call succeeds.
    await client().kickActiveUsers('app-demo', ids);
    const [req] = await tenant.requests();
    assert.equal(req.body, JSON.stringify({ userIds: ids, appId: 'app-demo' }));
    assert.deepEqual(JSON.parse(req.body), { userIds: ids, appId: 'app-demo' });
  });

  test("the kicked user's session ends; other users stay signed in", T, async () => {
    const alice = await signIn(tenant, 'alice', 'alice');
    const bob = await signIn(tenant, 'bob', 'bob');
    assert.equal((await me(tenant, alice)).signedIn, true);
    assert.equal((await me(tenant, bob)).signedIn, true);
    await client().kickActiveUsers('app-demo', ['user-alice']);
    assert.deepEqual(await me(tenant, alice), { signedIn: false, user: null });
    assert.equal((await me(tenant, bob)).signedIn, true);
  });
});

describe('answers that are not success', () => {
  test('body code other than 200 → api_error with apiCode, status and the server message', T, async () => {
    const { error } = await rejection(client({ userPoolId: 'another-pool' }).kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(error, 'api_error', { apiCode: 403, status: 200 });
    assert.equal(error.message, 'The token does not belong to this user pool');

    const unknown = await rejection(client().kickActiveUsers('no-such-app', ['u']));
    assertGenAuthError(unknown.error, 'api_error', { apiCode: 404, message: 'Application not found' });

    await tenant.fault({ mode: 'api_code', api_code: 2004, message: 'User pool quota exceeded' });
    const injected = await rejection(client().kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(injected.error, 'api_error', { apiCode: 2004, message: 'User pool quota exceeded' });
    assert.equal((await tenant.requests()).length, 3, 'api errors are not retried');
  });

  test('HTTP 401 → http_error, not retried (the tenant saw exactly one request)', T, async () => {
    const { error } = await rejection(client({ token: 'wrong-token', retries: 3 }).kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(error, 'http_error', { status: 401, apiCode: 401 });
    assert.equal(error.message, 'Invalid or expired user pool administrator token');
    assert.equal((await tenant.requests()).length, 1);
  });

  for (const status of [400, 403, 404, 429]) {
    test(`HTTP ${status} → http_error, never retried even with Retry-After`, T, async () => {
      await tenant.fault({ mode: 'status', status, retry_after: 0, times: 5 });
      const { error } = await rejection(client({ retries: 3 }).kickActiveUsers('app-demo', ['u']));
      assertGenAuthError(error, 'http_error', { status });
      assert.equal((await tenant.requests()).length, 1);
    });
  }

  test('HTTP 500 is not a gateway status: not retried', T, async () => {
    await tenant.fault({ mode: 'status', status: 500, times: 5 });
    const { error } = await rejection(client().kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(error, 'http_error', { status: 500 });
    assert.equal((await tenant.requests()).length, 1);
  });

  test('a non-JSON answer → invalid_response', T, async () => {
    await tenant.fault({ mode: 'non_json' });
    const { error } = await rejection(client().kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(error, 'invalid_response', { status: 200 });
    assert.equal((await tenant.requests()).length, 1);
  });
});

describe('retries', () => {
  test('503 with Retry-After: 1, then success: two attempts, the wait honoured Retry-After', T, async () => {
    await tenant.fault({ mode: 'status', status: 503, retry_after: 1 });
    const started = performance.now();
    const answer = await client().kickActiveUsers('app-demo', ['user-alice']);
    const ms = performance.now() - started;
    assert.equal(answer.code, 200);
    const reqs = await tenant.requests();
    assert.deepEqual(reqs.map((r) => r.fault), ['status', null]);
    // The computed first backoff is 250 ms; only Retry-After explains a 1 s wait.
    assert.ok(ms >= 950, `waited only ${ms} ms`);
    assert.ok(ms < 3_000, `waited ${ms} ms`);
  });

  test('Retry-After as an HTTP-date is honoured too', T, async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2_000);
    await tenant.fault({ mode: 'status', status: 503, retry_after: at.toUTCString() });
    await client().kickActiveUsers('app-demo', ['u']);
    assert.ok(Date.now() >= at.getTime() - 50, 'the retry waited for the date');
    assert.equal((await tenant.requests()).length, 2);
  });

  for (const status of [502, 504]) {
    test(`${status} every time: retried \`retries\` times with backoff, then http_error`, T, async () => {
      await tenant.fault({ mode: 'status', status, times: 10 });
      const { error, ms } = await rejection(client({ retries: 2 }).kickActiveUsers('app-demo', ['u']));
      assertGenAuthError(error, 'http_error', { status });
      assert.equal((await tenant.requests()).length, 3);
      assert.ok(ms >= 700, `backoff 250 + 500 ms, took ${ms} ms`);
    });
  }

  test('retries: 0 means one attempt', T, async () => {
    await tenant.fault({ mode: 'status', status: 503, times: 5 });
    const { error } = await rejection(client({ retries: 0 }).kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(error, 'http_error', { status: 503 });
    assert.equal((await tenant.requests()).length, 1);
  });

  test('connection closed without an answer: retried, then network_error', T, async () => {
    await tenant.fault({ mode: 'close', times: 10 });
    const { error } = await rejection(client({ retries: 1 }).kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(error, 'network_error');
    assert.equal(error.status, undefined);
    assert.equal((await tenant.requests()).length, 2);
  });

  test('connection closed once, then success', T, async () => {
    await tenant.fault({ mode: 'close' });
    const answer = await client().kickActiveUsers('app-demo', ['u']);
    assert.equal(answer.code, 200);
    assert.deepEqual((await tenant.requests()).map((r) => r.fault), ['close', null]);
  });

  test('nothing listening → network_error', T, async () => {
    const dead = await startEmulator();
    const url = dead.url;
    await dead.stop();
    const c = new AdminClient({ appDomain: url, userPoolId: POOL, token: TOKEN, retries: 1 });
    const { error } = await rejection(c.kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(error, 'network_error');
  });

  test('retries stay inside timeoutMs: a wait that would end past it reports the last failure', T, async () => {
    await tenant.fault({ mode: 'status', status: 503, retry_after: 5, times: 3 });
    const { error, ms } = await rejection(client({ timeoutMs: 2_000 }).kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(error, 'http_error', { status: 503 });
    assert.ok(ms < 1_000, `gave up after ${ms} ms instead of waiting 5 s`);
    assert.equal((await tenant.requests()).length, 1);
  });
});

describe('time limits and cancellation', () => {
  test('timeoutMs bounds the whole call, retries and waits included', T, async () => {
    await tenant.fault({ mode: 'close', times: 20 });
    const { error, ms } = await rejection(client({ retries: 10, timeoutMs: 1_000 }).kickActiveUsers('app-demo', ['u']));
    // 250 + 500 ms of backoff fit; the next 1 s wait would not: the last failure is reported.
    assertGenAuthError(error, 'network_error');
    assert.ok(ms < 1_100, `took ${ms} ms`);
    assert.equal((await tenant.requests()).length, 3);
  });

  test('concurrent calls on one client are independent', T, async () => {
    await tenant.fault({ mode: 'delay', delay_ms: 2_000 });
    const c = client({ timeoutMs: 1_000 });
    const results = await Promise.allSettled([
      c.kickActiveUsers('app-demo', ['a']),
      c.kickActiveUsers('app-demo', ['b']),
      c.kickActiveUsers('app-demo', ['c']),
    ]);
    const codes = results.map((r) => (r.status === 'fulfilled' ? r.value.code : r.reason.code)).sort();
    assert.deepEqual(codes, [200, 200, 'timeout'].sort());
  });

  test('an answer later than timeoutMs → timeout, on time', T, async () => {
    await tenant.fault({ mode: 'delay', delay_ms: 5_000 });
    const { error, ms } = await rejection(client({ timeoutMs: 500 }).kickActiveUsers('app-demo', ['u']));
    assertGenAuthError(error, 'timeout');
    assert.ok(ms >= 450 && ms < 1_500, `took ${ms} ms`);
  });

  test('a delay shorter than timeoutMs still succeeds', T, async () => {
    await tenant.fault({ mode: 'delay', delay_ms: 300 });
    const answer = await client({ timeoutMs: 5_000 }).kickActiveUsers('app-demo', ['u']);
    assert.equal(answer.code, 200);
  });

  test('caller abort during the request → aborted, promptly', T, async () => {
    await tenant.fault({ mode: 'delay', delay_ms: 5_000 });
    const controller = new AbortController();
    const pending = client().kickActiveUsers('app-demo', ['u'], { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 200));
    const abortedAt = performance.now();
    controller.abort();
    const { error } = await rejection(pending);
    const ms = performance.now() - abortedAt;
    assertGenAuthError(error, 'aborted');
    assert.ok(ms < 300, `rejected ${ms} ms after abort`);
  });

  test('caller abort while waiting to retry → aborted, promptly, no further attempt', T, async () => {
    await tenant.fault({ mode: 'status', status: 503, retry_after: 5, times: 3 });
    const controller = new AbortController();
    const pending = client({ timeoutMs: 20_000 }).kickActiveUsers('app-demo', ['u'], { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 400));
    const abortedAt = performance.now();
    controller.abort();
    const { error } = await rejection(pending);
    assertGenAuthError(error, 'aborted');
    assert.ok(performance.now() - abortedAt < 300);
    assert.equal((await tenant.requests()).length, 1);
  });

  test('an already aborted signal → aborted without any request', T, async () => {
    const { error } = await rejection(
      client().kickActiveUsers('app-demo', ['u'], { signal: AbortSignal.abort() }),
    );
    assertGenAuthError(error, 'aborted');
    assert.equal((await tenant.requests()).length, 0);
  });

  test('AbortSignal.timeout works as the caller signal', T, async () => {
    await tenant.fault({ mode: 'delay', delay_ms: 5_000 });
    const { error, ms } = await rejection(
      client().kickActiveUsers('app-demo', ['u'], { signal: AbortSignal.timeout(300) }),
    );
    assertGenAuthError(error, 'aborted');
    assert.ok(ms < 1_500, `took ${ms} ms`);
  });

  test('a finished call leaves nothing behind: the process can exit at once', T, async () => {
    // Covered in a child process: if the deadline timer or a listener
    // survived the call, the child would stay alive for timeoutMs.
    const { runChild } = await import('./harness.mjs');
    const started = performance.now();
    const { code, stdout, stderr } = await runChild(`
      import { AdminClient } from 'genauth-logout/admin';
      const c = new AdminClient({ appDomain: ${JSON.stringify(tenant.url)}, userPoolId: ${JSON.stringify(POOL)},
        token: ${JSON.stringify(TOKEN)}, timeoutMs: 60000 });
      const signal = new AbortController().signal;
      console.log((await c.kickActiveUsers('app-demo', ['u'], { signal })).code);
    `);
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), '200');
    assert.ok(performance.now() - started < 10_000);
  });
});
