// Token revocation (RFC 7009) with genauth-logout/server's `revokeTokens`
// against oidc-provider's revocation endpoint, as a confidential client with
// client_secret_basic and with client_secret_post. The refresh token is a real
// one: the test signs in through the provider's authorization-code flow (over
// plain HTTPS requests: the sign-in form is the test's own), then shows that
// the token refreshes before revocation and is refused after it.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';

import { setup, teardown, PASSWORD, STEP_TIMEOUT } from './harness.mjs';

// The confidential clients' secret, as provider-server.mjs registers it.
const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

let env;
let server;
before(async () => {
  env = await setup();
  // `genauth-logout/server` as the installed project resolves it.
  const project = path.dirname(path.dirname(env.pkgDir));
  const entry = path.join(project, 'server-entry.mjs');
  fs.writeFileSync(entry, "export * from 'genauth-logout/server';\n");
  server = await import(pathToFileURL(entry).href);
}, { timeout: 120_000 });
after(async () => { await teardown(env); }, { timeout: 30_000 });

/** One HTTPS request to the provider (trusting its certificate); redirects are not followed. */
function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method, headers, ca: env.ca, timeout: STEP_TIMEOUT,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * The `fetch` given to revokeTokens: Node's global fetch does not trust the
 * provider's self-signed certificate. Records what was sent.
 */
function trustingFetch(sent) {
  return async (url, init) => {
    sent.push({ url, method: init.method, headers: { ...init.headers }, body: init.body });
    const res = await request(url, { method: init.method, headers: init.headers, body: init.body });
    return {
      status: res.status,
      headers: { get: (name) => { const v = res.headers[name.toLowerCase()]; return v === undefined ? null : String(v); } },
      text: async () => res.text,
    };
  };
}

/** A minimal cookie jar: the provider's cookies all live on one host. */
function cookieJar() {
  const jar = new Map();
  return {
    take(res) {
      for (const line of res.headers['set-cookie'] ?? []) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
        else jar.set(name, value);
      }
    },
    header() { return [...jar].map(([k, v]) => `${k}=${v}`).join('; '); },
  };
}

/** Sign alice in to `clientId` with the authorization-code flow (PKCE, offline_access); returns the token response. */
async function signInForTokens(clientId, clientAuth) {
  const jar = cookieJar();
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = `${env.rp.url}/callback`;
  const auth = new URL(`${env.op.url}/auth`);
  auth.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid offline_access',
    // oidc-provider drops offline_access unless the user is asked to consent.
    prompt: 'consent',
    state: crypto.randomUUID(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();

  let url = auth.href;
  let res;
  let form;
  // Follow the provider's redirects to the sign-in form, post it, and follow
  // on to the client's redirect URI (not requested: the code is in the URL).
  for (let hops = 0; hops < 10; hops += 1) {
    if (url.startsWith(redirectUri)) break;
    res = await request(url, { method: form ? 'POST' : 'GET', headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }, body: form });
    jar.take(res);
    form = undefined;
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.location, url).href;
      continue;
    }
    assert.equal(res.status, 200, `${url}: ${res.text.slice(0, 300)}`);
    const action = /<form id="login-form" method="post" action="([^"]+)"/.exec(res.text);
    assert.ok(action, `the sign-in form at ${url}: ${res.text.slice(0, 300)}`);
    url = new URL(action[1], url).href;
    form = new URLSearchParams({ login: 'alice', password: PASSWORD }).toString();
  }
  assert.ok(url.startsWith(redirectUri), `reached the redirect URI, not ${url}`);
  const code = new URL(url).searchParams.get('code');
  assert.ok(code, `a code in ${url}`);

  const tokens = await tokenRequest(clientId, clientAuth, {
    grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier,
  });
  assert.equal(tokens.status, 200, tokens.text);
  return JSON.parse(tokens.text);
}

/** POST the provider's token endpoint, authenticating as the confidential client. */
function tokenRequest(clientId, clientAuth, params) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams(params);
  if (clientAuth === 'client_secret_basic') {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(SECRET)}`).toString('base64')}`;
  } else {
    form.set('client_id', clientId);
    form.set('client_secret', SECRET);
  }
  return request(`${env.op.url}/token`, { method: 'POST', headers, body: form.toString() });
}

for (const [clientId, clientAuth] of [['rp-secret-basic', 'client_secret_basic'], ['rp-secret-post', 'client_secret_post']]) {
  test(`${clientAuth}: oidc-provider accepts revokeTokens, and the revoked refresh token no longer refreshes`, { timeout: 60_000 }, async () => {
    const meta = JSON.parse((await request(`${env.op.url}/.well-known/openid-configuration`)).text);
    const revocationEndpoint = `${env.op.url}/token/revocation`;
    assert.equal(meta.revocation_endpoint, revocationEndpoint);

    const tokens = await signInForTokens(clientId, clientAuth);
    assert.equal(typeof tokens.refresh_token, 'string', 'the provider issued a refresh token');
    assert.equal(typeof tokens.access_token, 'string');
    const refreshToken = tokens.refresh_token;

    // Control: before revocation the refresh token refreshes (so the check after can fail).
    const refreshed = await tokenRequest(clientId, clientAuth, { grant_type: 'refresh_token', refresh_token: refreshToken });
    assert.equal(refreshed.status, 200, refreshed.text);
    const fresh = JSON.parse(refreshed.text);
    assert.equal(fresh.refresh_token ?? refreshToken, refreshToken, 'not rotated');
    const accessToken = fresh.access_token;
    const me = await request(`${env.op.url}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(me.status, 200, `the access token works before revocation: ${me.text}`);

    const sent = [];
    const result = await server.revokeTokens({
      appDomain: env.op.url,
      clientId,
      clientSecret: SECRET,
      clientAuth,
      revocationEndpoint,
      refreshToken,
      accessToken,
      fetch: trustingFetch(sent),
    });
    assert.equal(result.revoked, true, inspect(result));
    assert.equal(result.refreshToken.outcome, 'revoked');
    assert.equal(result.refreshToken.status, 200);
    assert.equal(result.accessToken.outcome, 'revoked');
    assert.equal(result.accessToken.status, 200);

    // What reached the provider: refresh token first, tokens and secret only in the body or header.
    assert.equal(sent.length, 2);
    assert.deepEqual(sent.map((s) => s.url), [revocationEndpoint, revocationEndpoint]);
    const bodies = sent.map((s) => new URLSearchParams(s.body));
    assert.equal(bodies[0].get('token'), refreshToken);
    assert.equal(bodies[0].get('token_type_hint'), 'refresh_token');
    assert.equal(bodies[1].get('token'), accessToken);
    assert.equal(bodies[1].get('token_type_hint'), 'access_token');
    const authHeader = Object.entries(sent[0].headers).find(([k]) => k.toLowerCase() === 'authorization');
    if (clientAuth === 'client_secret_basic') {
      assert.ok(authHeader && authHeader[1].startsWith('Basic '), 'Basic authorization header');
      assert.equal(bodies[0].get('client_secret'), null);
    } else {
      assert.equal(authHeader, undefined);
      assert.equal(bodies[0].get('client_id'), clientId);
      assert.equal(bodies[0].get('client_secret'), SECRET);
    }
    const shown = `${inspect(result, { depth: 5 })}${JSON.stringify(result)}`;
    assert.ok(!shown.includes(SECRET) && !shown.includes(refreshToken), 'no secret or token in the result');

    // After revocation the refresh token is refused and the access token stops working.
    const after = await tokenRequest(clientId, clientAuth, { grant_type: 'refresh_token', refresh_token: refreshToken });
    assert.equal(after.status, 400, after.text);
    assert.equal(JSON.parse(after.text).error, 'invalid_grant');
    const meAfter = await request(`${env.op.url}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(meAfter.status, 401, meAfter.text);

    // A wrong secret: the provider refuses the client, and revokeTokens says so.
    const wrong = await server.revokeTokens({
      appDomain: env.op.url,
      clientId,
      clientSecret: `${SECRET}-wrong`,
      clientAuth,
      revocationEndpoint,
      refreshToken: fresh.refresh_token ?? refreshToken,
      fetch: trustingFetch([]),
    });
    assert.equal(wrong.revoked, false, inspect(wrong));
    assert.equal(wrong.refreshToken.outcome, 'refused');
    assert.equal(wrong.refreshToken.error, 'invalid_client');
  });
}
