// appId stays exactly one path segment (issue class: dot segments escape the
// admin path). Whatever an appId is, the URL handed to fetch either is
// refused up front with invalid_option, or is one that a WHATWG URL parser
// (Node's URL, as fetch applies it) keeps exactly as written, with
// encodeURIComponent(appId) as its one third segment.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { POOL, TOKEN, loadAdmin, rejection, startEmulator } from './harness.mjs';

let AdminClient;
let GenAuthError;
let tenant;

before(async () => {
  ({ AdminClient, GenAuthError } = await loadAdmin());
  tenant = await startEmulator();
});
after(async () => tenant && tenant.stop());
beforeEach(async () => tenant.reset());

/** Sends `appId` through a fetch that records the URL; { url } or { error }. */
async function send(appId) {
  const urls = [];
  const fetch = async (url) => {
    urls.push(url);
    return { status: 200, headers: { get: () => null }, text: async () => '{"code":200}' };
  };
  const client = new AdminClient({ appDomain: 'myapp.genauth.ai', userPoolId: POOL, token: TOKEN, fetch });
  try {
    await client.kickActiveUsers(appId, ['u']);
    assert.equal(urls.length, 1);
    return { url: urls[0] };
  } catch (error) {
    assert.ok(error instanceof GenAuthError, String(error));
    assert.equal(urls.length, 0, 'a refused call sent nothing');
    return { error };
  }
}

/** Holds the rule for one appId; returns whether it was refused. */
async function holds(appId) {
  const { url, error } = await send(appId);
  if (error) {
    assert.equal(error.code, 'invalid_option', `${JSON.stringify(appId)}: ${error.message}`);
    return true;
  }
  const parsed = new URL(url);
  assert.equal(parsed.href, url, `${JSON.stringify(appId)} was normalised by the URL parser`);
  const segments = parsed.pathname.split('/');
  assert.deepEqual(
    segments,
    ['', 'api', 'applications', encodeURIComponent(appId), 'kick-active-users'],
    JSON.stringify(appId),
  );
  return false;
}

describe('appId is one path segment', () => {
  test('"." and ".." are invalid_option before any request, against the tenant too', async () => {
    for (const appId of ['.', '..']) {
      const client = new AdminClient({ appDomain: tenant.url, userPoolId: POOL, token: TOKEN });
      const { error } = await rejection(client.kickActiveUsers(appId, ['user-alice']));
      assert.ok(error instanceof GenAuthError);
      assert.equal(error.code, 'invalid_option');
      assert.match(error.message, /one segment/);
    }
    assert.deepEqual(await tenant.requests(), [], 'nothing reached the tenant');
  });

  test('dot-like ids: raw percent-escapes, cases, white space, separators', async () => {
    const refused = [];
    for (const appId of [
      '.', '..', '...', '. ', ' .', '.\t', '\t..', '..\n', '\u0000.', '%2e', '%2E', '.%2e', '%2e.', '%2E%2e',
      '%2e%2E', '%252e', '%2e%2e%2e', './', '../', '/..', '\\..', '..\\', '.?', '..#', ';..', '..;', '..%00',
      '\uff0e\uff0e', '\u3002', '\uff0e', '%2f..', '..%2f', 'a/..', '../a', '%5c..', '%%32e', '&#46;', 'app-demo',
    ]) {
      if (await holds(appId)) refused.push(appId);
    }
    assert.deepEqual(refused, ['.', '..'], 'only the two that survive encodeURIComponent as dot segments');
  });

  test('a seeded generated corpus of short ids over the characters that matter', async () => {
    const alphabet = ['.', '.', '%', '2', 'e', 'E', '%2e', '%2E', '/', '\\', ' ', '\t', '\n', '?', '#', ';', 'a',
      '\uff0e', '\u3002', '\u2024', '\ufe52', '\u0000', '\u00ad', '\u200b'];
    let a = 0x0a991d;
    const random = () => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      return a / 4294967296;
    };
    const seen = new Set();
    for (let i = 0; i < 3000; i++) {
      const length = 1 + Math.floor(random() * 4);
      const appId = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      if (seen.has(appId)) continue;
      seen.add(appId);
      const refused = await holds(appId);
      assert.equal(refused, appId === '.' || appId === '..', JSON.stringify(appId));
    }
    assert.ok(seen.has('.') && seen.has('..') && seen.size > 1500, `${seen.size} ids`);
  });
});
