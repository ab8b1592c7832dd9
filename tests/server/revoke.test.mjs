// revokeTokens against the local tenant as the confidential client
// `app-server`: client_secret_basic and client_secret_post revoke, after
// which the refresh token no longer refreshes and the access token no
// longer reads /oidc/me; and the failure paths through the tenant's fault
// hooks (401, 503 then success with Retry-After, a timeout, a 200 that is
// not JSON, a dropped connection), a redirect that is not followed, and the
// secret kept out of every URL, error and printed result.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';

import {
  CLIENT_ID, CLIENT_SECRET, issueTokens, loadServer, meStatus, refreshStatus, startTenant,
} from './harness.mjs';

let server;
let tenant;

before(async () => {
  server = await loadServer();
  tenant = await startTenant('http://127.0.0.1:9');
});
after(async () => { await tenant?.stop(); });

const options = (extra) => ({ appDomain: tenant.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...extra });
const REVOCATION = '/oidc/token/revocation';

/** What the tenant recorded for the revocation endpoint since the last reset. */
const revocationRequests = () => tenant.requests(REVOCATION);

describe('against the local tenant', () => {
  before(async () => { await tenant.reset(); });

  for (const clientAuth of ['client_secret_basic', 'client_secret_post']) {
    test(`${clientAuth}: both tokens revoked, refresh token first; the refresh is refused after`, async () => {
      const tokens = await issueTokens(tenant);
      assert.equal(await refreshStatus(tenant, tokens.refreshToken), 200, 'live before');
      const result = await server.revokeTokens(options({ clientAuth, ...tokens }));
      assert.deepEqual(result, {
        revoked: true,
        refreshToken: { revoked: true, outcome: 'revoked', status: 200, attempts: 1 },
        accessToken: { revoked: true, outcome: 'revoked', status: 200, attempts: 1 },
      });
      assert.equal(await refreshStatus(tenant, tokens.refreshToken), 400);
      assert.equal(await meStatus(tenant, tokens.accessToken), 401);
      assert.deepEqual(await tenant.tokens(), []);
    });
  }

  test('the default client authentication is client_secret_basic', async () => {
    const seen = [];
    const fetch = (url, init) => { seen.push({ url, init }); return globalThis.fetch(url, init); };
    const { refreshToken } = await issueTokens(tenant);
    const result = await server.revokeTokens(options({ refreshToken, fetch }));
    assert.equal(result.revoked, true);
    assert.equal(seen.length, 1);
    const [{ url, init }] = seen;
    assert.equal(url, `${tenant.url}${REVOCATION}`);
    assert.equal(init.method, 'POST');
    assert.equal(init.redirect, 'manual');
    assert.equal(init.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(init.headers.authorization, `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
    assert.equal(init.body, `token=${encodeURIComponent(refreshToken)}&token_type_hint=refresh_token`);
    assert.ok(!url.includes(refreshToken) && !url.includes(CLIENT_SECRET), 'nothing secret in the URL');
  });

  test('client_secret_post sends the id and secret in the body, no Authorization', async () => {
    const seen = [];
    const fetch = (url, init) => { seen.push(init); return globalThis.fetch(url, init); };
    const { accessToken } = await issueTokens(tenant);
    const result = await server.revokeTokens(options({ accessToken, clientAuth: 'client_secret_post', fetch }));
    assert.equal(result.revoked, true);
    assert.equal(seen[0].headers.authorization, undefined);
    assert.equal(seen[0].body, `token=${encodeURIComponent(accessToken)}&token_type_hint=access_token&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`);
  });

  test('a wrong secret: refused with 401 invalid_client for each token; the tokens stay live; the secret appears nowhere', async () => {
    const secret = 'wrong-secret-7f3a9c';
    const tokens = await issueTokens(tenant);
    const result = await server.revokeTokens(options({ clientSecret: secret, ...tokens }));
    assert.equal(result.revoked, false);
    for (const key of ['refreshToken', 'accessToken']) {
      assert.equal(result[key].outcome, 'refused');
      assert.equal(result[key].status, 401);
      assert.equal(result[key].error, 'invalid_client');
      assert.equal(result[key].attempts, 1, '4xx is never retried');
    }
    const printed = JSON.stringify(result) + inspect(result, { depth: 9 });
    for (const value of [secret, tokens.refreshToken, tokens.accessToken]) {
      assert.ok(!printed.includes(value), `${value} printed`);
    }
    assert.equal(await refreshStatus(tenant, tokens.refreshToken), 200);
  });

  test('503 with Retry-After, then success: retried after the wait, revoked', async () => {
    const tokens = await issueTokens(tenant);
    await tenant.fault({ path_prefix: REVOCATION, mode: 'status', status: 503, retry_after: 1, times: 1 });
    const started = performance.now();
    const result = await server.revokeTokens(options({ refreshToken: tokens.refreshToken }));
    const ms = performance.now() - started;
    assert.deepEqual(result.refreshToken, { revoked: true, outcome: 'revoked', status: 200, attempts: 2 });
    assert.ok(ms >= 950, `waited ${ms} ms for Retry-After: 1`);
    assert.equal(await refreshStatus(tenant, tokens.refreshToken), 400);
  });

  test('503 every time: unavailable after the retries, with the Retry-After', async () => {
    const tokens = await issueTokens(tenant);
    await tenant.fault({ path_prefix: REVOCATION, mode: 'status', status: 503, retry_after: 0, times: 3 });
    const result = await server.revokeTokens(options({ refreshToken: tokens.refreshToken, retries: 2 }));
    assert.deepEqual(result.refreshToken, { revoked: false, outcome: 'unavailable', status: 503, retryAfter: '0', attempts: 3 });
    assert.equal(await refreshStatus(tenant, tokens.refreshToken), 200, 'still live: the app must know');
    await tenant.reset();
  });

  test('a hanging endpoint: timeout within timeoutMs; the access token behind it is reported unsent', async () => {
    const tokens = await issueTokens(tenant);
    await tenant.fault({ path_prefix: REVOCATION, mode: 'delay', delay_ms: 3000, times: 2 });
    const started = performance.now();
    const result = await server.revokeTokens(options({ ...tokens, timeoutMs: 400 }));
    const ms = performance.now() - started;
    assert.ok(ms < 1500, `took ${ms} ms`);
    assert.deepEqual(result, {
      revoked: false,
      refreshToken: { revoked: false, outcome: 'timeout', attempts: 1 },
      accessToken: { revoked: false, outcome: 'timeout', attempts: 0 },
    });
    await tenant.reset();
  });

  test('a dropped connection: network_error after the retries', async () => {
    const tokens = await issueTokens(tenant);
    await tenant.fault({ path_prefix: REVOCATION, mode: 'close', times: 2 });
    const result = await server.revokeTokens(options({ refreshToken: tokens.refreshToken, retries: 1 }));
    assert.deepEqual(result.refreshToken, { revoked: false, outcome: 'network_error', attempts: 2 });
    assert.equal(await refreshStatus(tenant, tokens.refreshToken), 200);
    await tenant.reset();
  });

  test('a dropped connection once, then an answer: retried and revoked', async () => {
    const tokens = await issueTokens(tenant);
    await tenant.fault({ path_prefix: REVOCATION, mode: 'close', times: 1 });
    const result = await server.revokeTokens(options({ refreshToken: tokens.refreshToken }));
    assert.deepEqual(result.refreshToken, { revoked: true, outcome: 'revoked', status: 200, attempts: 2 });
  });

  test('a 200 that is an HTML page: revoked, as RFC 7009 §2.2 says a 200 is (the body is not read)', async () => {
    const tokens = await issueTokens(tenant);
    await tenant.fault({ path_prefix: REVOCATION, mode: 'non_json', times: 1 });
    const result = await server.revokeTokens(options({ refreshToken: tokens.refreshToken }));
    assert.deepEqual(result.refreshToken, { revoked: true, outcome: 'revoked', status: 200, attempts: 1 });
  });

  test('a 400 or 401 whose body is not JSON: refused with the status and no error code', async () => {
    const tokens = await issueTokens(tenant);
    await tenant.fault({ path_prefix: REVOCATION, mode: 'status', status: 401, times: 1 });
    const result = await server.revokeTokens(options({ refreshToken: tokens.refreshToken }));
    assert.equal(result.refreshToken.outcome, 'refused');
    assert.equal(result.refreshToken.status, 401);
    assert.equal(result.refreshToken.attempts, 1);
  });
});

describe('without the tenant', () => {
  test('a 307 from the endpoint is not followed: the body (token, secret) is never re-sent', async () => {
    const hits = [];
    const srv = http.createServer((req, res) => {
      hits.push(req.url);
      if (req.url === '/oidc/token/revocation') {
        res.writeHead(307, { location: '/elsewhere' });
      } else {
        res.writeHead(200);
      }
      req.resume();
      res.end();
    });
    await new Promise((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const result = await server.revokeTokens({
        appDomain: `http://127.0.0.1:${srv.address().port}`,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        refreshToken: 'rt-1',
      });
      assert.deepEqual(hits, ['/oidc/token/revocation']);
      assert.equal(result.refreshToken.revoked, false);
      assert.equal(result.refreshToken.outcome, 'unexpected');
      assert.equal(result.refreshToken.status, 307);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });

  test('a revocationEndpoint elsewhere is used as given', async () => {
    const urls = [];
    const fetch = async (url) => { urls.push(url); return new Response(null, { status: 200 }); };
    const result = await server.revokeTokens({
      appDomain: 'myapp.genauth.ai',
      clientId: 'c',
      clientSecret: 's',
      revocationEndpoint: 'https://idp.example.com/oauth2/revoke',
      accessToken: 'at',
      fetch,
    });
    assert.equal(result.revoked, true);
    assert.deepEqual(urls, ['https://idp.example.com/oauth2/revoke']);
  });

  test('bad input rejects with GenAuthError before any request, never quoting the secret', async () => {
    const secret = 'sekret-value-51b2';
    let calls = 0;
    const fetch = async () => { calls += 1; return new Response(null); };
    const base = { appDomain: 'myapp.genauth.ai', clientId: 'c', clientSecret: secret, refreshToken: 'rt', fetch };
    const cases = [
      [{ ...base, refreshToken: undefined }, 'invalid_option'],
      [{ ...base, refreshToken: '' }, 'invalid_option'],
      [{ ...base, refreshToken: 'a\r\nb' }, 'invalid_option'],
      [{ ...base, refreshToken: 42 }, 'invalid_option'],
      [{ ...base, accessToken: 'x'.repeat(16 * 1024 + 1) }, 'invalid_option'],
      [{ ...base, clientSecret: undefined }, 'invalid_option'],
      [{ ...base, clientSecret: `${secret}\n` }, 'invalid_option'],
      [{ ...base, clientAuth: 'private_key_jwt' }, 'invalid_option'],
      [{ ...base, clientAuth: 'none' }, 'invalid_option'],
      [{ ...base, clientId: undefined }, 'invalid_option'],
      [{ ...base, appDomain: 'http://myapp.genauth.ai' }, 'invalid_app_domain'],
      [{ ...base, revocationEndpoint: `https://u:${secret}@idp.example.com/revoke` }, 'invalid_option'],
      [{ ...base, revocationEndpoint: 'http://idp.example.com/revoke' }, 'invalid_option'],
      [{ ...base, timeoutMs: 0 }, 'invalid_option'],
      [{ ...base, retries: 11 }, 'invalid_option'],
      [{ ...base, clientSecrets: secret }, 'invalid_option'],
      [{ ...base, fetch: 'no' }, 'invalid_option'],
      [null, 'invalid_option'],
      [[secret], 'invalid_option'],
    ];
    for (const [opts, code] of cases) {
      const error = await server.revokeTokens(opts).then(
        (v) => assert.fail(`resolved ${JSON.stringify(v)}`),
        (e) => e,
      );
      assert.ok(error instanceof server.GenAuthError, inspect(opts));
      assert.ok(error instanceof server.MainGenAuthError, 'one GenAuthError class for every entry');
      assert.equal(error.code, code, `${inspect(opts)}: ${error.message}`);
      const printed = `${error.message} ${error.stack} ${JSON.stringify(error)} ${inspect(error)}`;
      assert.ok(!printed.includes(secret), `${error.message} shows the secret`);
    }
    assert.equal(calls, 0);
  });

  test('clientAuth "none" without a secret revokes as a public client', async () => {
    const bodies = [];
    const fetch = async (url, init) => { bodies.push(init.body); return new Response(null, { status: 200 }); };
    const result = await server.revokeTokens({ appDomain: 'myapp.genauth.ai', clientId: 'app-demo', clientAuth: 'none', refreshToken: 'r t', fetch });
    assert.equal(result.revoked, true);
    assert.deepEqual(bodies, ['token=r+t&token_type_hint=refresh_token&client_id=app-demo']);
  });
});
