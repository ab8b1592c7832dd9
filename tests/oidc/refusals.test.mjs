// What the provider does with end-session requests it must not honour, and
// what the user sees. Per OpenID Connect RP-Initiated Logout 1.0 §3, "when
// the OP detects errors in the RP-Initiated Logout request, it MUST NOT
// perform post-logout redirection": the user stays on the provider's error
// page, and the app is not told.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';

import {
  setup, teardown, newPage, signIn, clickLogout, confirmLogout, startAuthorization, shot, visibleText, opLogs,
} from './harness.mjs';

let env;
before(async () => { env = await setup({ foreign: true }); }, { timeout: 120_000 });
after(async () => { await teardown(env); }, { timeout: 30_000 });

function oidcConfig(clientId = 'rp-test') {
  return {
    appDomain: env.op.url, protocol: 'oidc', endSessionEndpoint: env.endSession, clientId,
  };
}

/**
 * Click "Log out" with `plan` and wait for the provider's answer to the
 * end-session request. Returns { status, text } of the page the user sees.
 */
async function logoutAndRead(page, plan, shotName) {
  const response = page.waitForResponse((r) => r.request().isNavigationRequest()
    && r.url().startsWith(env.endSession));
  await clickLogout(page, plan);
  const res = await response;
  await page.waitForLoadState('load');
  await shot(page, shotName);
  return { status: res.status(), text: await visibleText(page) };
}

async function expectRefusal(page, rec, plan, shotName, description) {
  const from = env.op.logs.length;
  const { status, text } = await logoutAndRead(page, plan, shotName);
  assert.equal(status, 400);
  assert.match(text, /oops! something went wrong/);
  assert.equal(await page.textContent('#error'), 'error: invalid_request');
  assert.equal(await page.textContent('#error_description'), `error_description: ${description}`);
  assert.deepEqual(opLogs(env.op, 'end_session.error', from).map((e) => e.description), [description]);
  // No post-logout redirection, wherever it would have gone.
  await page.waitForTimeout(300);
  assert.ok(page.url().startsWith(env.endSession), `still on the provider: ${page.url()}`);
  assert.ok(!rec.requests.some((r) => r.url.startsWith(env.unregistered) || r.url.startsWith(env.registered)),
    'the browser never requested a post-logout page');
  assert.equal(opLogs(env.op, 'end_session.success', from).length, 0);
  assert.deepEqual(rec.blocked, [], 'no request left loopback');
  return text;
}

test('an unregistered post_logout_redirect_uri is refused and the session survives', { timeout: 60_000 }, async () => {
  const { context, page, rec } = await newPage(env);
  try {
    await signIn(page, env);
    await expectRefusal(page, rec, {
      config: oidcConfig(),
      redirect: env.unregistered,
      params: { state: 'st-unregistered', clientId: 'rp-test' },
    }, 'b-refusal-unregistered-redirect', 'post_logout_redirect_uri not registered');
    // The refusal had no side effect: the provider session is still there.
    assert.equal(await startAuthorization(page, env), 'signed-in');
  } finally {
    await context.close();
  }
});

test('the registered URI with a trailing slash added is refused too (exact string match)', { timeout: 60_000 }, async () => {
  const { context, page, rec } = await newPage(env);
  try {
    await signIn(page, env);
    await expectRefusal(page, rec, {
      config: oidcConfig(),
      redirect: `${env.registered}/`,
      params: { state: 'st-slash', clientId: 'rp-test' },
    }, 'b-refusal-trailing-slash', 'post_logout_redirect_uri not registered');
    const sent = rec.requests.filter((r) => r.isNavigation && r.url.startsWith(env.endSession)).at(-1);
    assert.equal(new URL(sent.url).searchParams.get('post_logout_redirect_uri'), `${env.registered}/`,
      'sent exactly as written');
  } finally {
    await context.close();
  }
});

test('a client_id that does not match the id_token_hint audience is refused', { timeout: 60_000 }, async () => {
  const { context, page, rec } = await newPage(env);
  try {
    await signIn(page, env);
    await expectRefusal(page, rec, {
      config: oidcConfig('rp-other'),
      redirect: env.registered,
      params: { state: 'st-mismatch', clientId: 'rp-other' },
    }, 'b-refusal-client-id-mismatch', 'client_id does not match the provided id_token_hint');
    assert.equal(await startAuthorization(page, env), 'signed-in');
  } finally {
    await context.close();
  }
});

test('an id_token_hint issued by another provider instance is refused', { timeout: 60_000 }, async () => {
  // A real ID token from a second, independent oidc-provider (own issuer, own
  // key), obtained by signing in there in a separate browser context.
  const foreign = await newPage(env);
  let foreignToken;
  try {
    await signIn(foreign.page, env, { issuer: env.foreignOp.url });
    foreignToken = await foreign.page.evaluate(() => window.rp.idToken());
  } finally {
    await foreign.context.close();
  }
  const claims = JSON.parse(Buffer.from(foreignToken.split('.')[1], 'base64url'));
  assert.equal(claims.iss, env.foreignOp.url);
  assert.equal(claims.aud, 'rp-test');

  const { context, page, rec } = await newPage(env);
  try {
    await signIn(page, env);
    await expectRefusal(page, rec, {
      config: oidcConfig(),
      redirect: env.registered,
      params: { state: 'st-foreign', clientId: 'rp-test', idTokenHint: foreignToken },
    }, 'b-refusal-foreign-provider-token', 'could not validate id_token_hint');
    assert.equal(await startAuthorization(page, env), 'signed-in');
  } finally {
    await context.close();
  }
});

test('an id_token_hint with the right issuer but signed by another key is refused', { timeout: 60_000 }, async () => {
  const { context, page, rec } = await newPage(env);
  try {
    await signIn(page, env);
    const real = await page.evaluate(() => window.rp.idToken());
    // Same header and claims as the provider's token, signature by a key the
    // provider never had (a forgery, or a token from before a key rotation).
    const { privateKey } = await webcrypto.subtle.generateKey({
      name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256',
    }, false, ['sign', 'verify']);
    const signingInput = real.split('.').slice(0, 2).join('.');
    const sig = await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, new TextEncoder().encode(signingInput));
    const forged = `${signingInput}.${Buffer.from(sig).toString('base64url')}`;
    assert.notEqual(forged, real);
    await expectRefusal(page, rec, {
      config: oidcConfig(),
      redirect: env.registered,
      params: { state: 'st-forged', clientId: 'rp-test', idTokenHint: forged },
    }, 'b-refusal-wrong-key-token', 'could not validate id_token_hint');
    assert.equal(await startAuthorization(page, env), 'signed-in');
  } finally {
    await context.close();
  }
});

test('an expired id_token_hint is accepted (the spec says the OP SHOULD accept it)', { timeout: 60_000 }, async () => {
  // rp-expiring's ID tokens live one second. RP-Initiated Logout 1.0 §2: the
  // OP SHOULD accept ID Tokens whose exp has passed when the RP has or had a
  // session; oidc-provider validates the hint with ignoreExpiration. This is
  // what happens, so this is what the test asserts.
  const { context, page } = await newPage(env);
  try {
    await signIn(page, env, { clientId: 'rp-expiring' });
    const claims = await page.evaluate(() => window.rp.claims());
    const wait = (claims.exp + 1) * 1000 - Date.now();
    if (wait > 0) await page.waitForTimeout(Math.min(wait, 3000));
    assert.ok(Date.now() / 1000 > claims.exp, 'the token has expired');
    const from = env.op.logs.length;
    await clickLogout(page, {
      config: oidcConfig('rp-expiring'),
      redirect: env.registered,
      params: { state: 'st-expired', clientId: 'rp-expiring' },
    });
    await confirmLogout(page, 'b-expired-token');
    await page.waitForURL((u) => u.href.startsWith(env.registered));
    assert.equal(page.url(), `${env.registered}?state=st-expired`);
    await shot(page, 'b-expired-token-landed');
    assert.equal(opLogs(env.op, 'end_session.success', from).length, 1);
    assert.equal(await startAuthorization(page, env, { clientId: 'rp-expiring' }), 'login-form');
  } finally {
    await context.close();
  }
});
