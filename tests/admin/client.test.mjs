// AdminClient construction and arguments (invalid_option), the injected
// fetch, token secrecy on every path, browser_forbidden in a browser-like
// global, and the CommonJS entry sharing GenAuthError with `genauth-logout`.
import assert from 'node:assert/strict';
import util from 'node:util';
import { after, before, beforeEach, describe, test } from 'node:test';

import { POOL, TOKEN, loadAdmin, rejection, runChild, startEmulator } from './harness.mjs';

let tenant;
let AdminClient;
let GenAuthError;
let MainGenAuthError;

before(async () => {
  ({ AdminClient, GenAuthError, MainGenAuthError } = await loadAdmin());
  tenant = await startEmulator();
});
after(async () => tenant && tenant.stop());
beforeEach(async () => tenant.reset());

const T = { timeout: 30_000 };

function options(extra = {}) {
  return { appDomain: tenant.url, userPoolId: POOL, token: TOKEN, ...extra };
}

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

/** Every way an error could show the token, as one string. */
function everything(error) {
  return [
    String(error),
    error.message,
    error.stack,
    JSON.stringify(error),
    JSON.stringify(error, Object.getOwnPropertyNames(error)),
    util.inspect(error, { showHidden: true, depth: null }),
  ].join('\n');
}

describe('options', () => {
  test('GenAuthError is one class for both entries', () => {
    assert.equal(GenAuthError, MainGenAuthError);
  });

  const bad = [
    ['no options', undefined],
    ['null', null],
    ['an array', []],
    ['a string', 'myapp.genauth.ai'],
    ['unknown key', { bogus: 1 }],
    ['typo of userPoolId', { userpoolId: POOL }],
    ['missing token', { token: undefined }],
    ['empty token', { token: '' }],
    ['token not a string', { token: 42 }],
    ['token with a line break', { token: `${TOKEN}\r\nx-evil: 1` }],
    ['token with non-ASCII', { token: `${TOKEN}é` }],
    ['token with surrounding space', { token: ` ${TOKEN}` }],
    ['empty userPoolId', { userPoolId: '' }],
    ['timeoutMs 0', { timeoutMs: 0 }],
    ['timeoutMs fractional', { timeoutMs: 10.5 }],
    ['timeoutMs NaN', { timeoutMs: NaN }],
    ['timeoutMs too large', { timeoutMs: 600_001 }],
    ['timeoutMs a string', { timeoutMs: '1000' }],
    ['retries negative', { retries: -1 }],
    ['retries too many', { retries: 11 }],
    ['fetch not a function', { fetch: 'fetch' }],
    ['dangerouslyAllowBrowser not boolean', { dangerouslyAllowBrowser: 'yes' }],
  ];
  for (const [name, extra] of bad) {
    test(`invalid_option: ${name}`, () => {
      const opts = extra === undefined || extra === null || Array.isArray(extra) || typeof extra !== 'object'
        ? extra
        : options(extra);
      const error = thrown(() => new AdminClient(opts));
      assert.ok(error instanceof GenAuthError, String(error));
      assert.equal(error.code, 'invalid_option', error.message);
      assert.ok(!everything(error).includes(TOKEN), 'the token leaked into the error');
    });
  }

  test('messages name the option, never its value', () => {
    const cases = [
      [{ bogus: 1 }, 'unknown option: bogus'],
      [{ userpoolId: TOKEN }, 'unknown option: userpoolId'],
      [{ token: 42 }, 'token must be a string'],
      [{ userPoolId: null }, 'userPoolId must be a string'],
      [{ appDomain: [TOKEN] }, 'appDomain must be a string'],
      [{ timeoutMs: TOKEN }, 'timeoutMs must be an integer from 1 to 600000 (milliseconds)'],
      [{ timeoutMs: 1.5 }, 'timeoutMs must be an integer from 1 to 600000 (milliseconds)'],
      [{ retries: null }, 'retries must be an integer from 0 to 10'],
      [{ fetch: TOKEN }, 'fetch must be a function'],
      [{ dangerouslyAllowBrowser: 1 }, 'dangerouslyAllowBrowser must be a boolean'],
      [{ token: `${TOKEN}\uD800` }, 'token must be a string'],
      [{ token: undefined }, "token (the user pool administrator's token) is required"],
    ];
    for (const [extra, message] of cases) {
      const error = thrown(() => new AdminClient(options(extra)));
      assert.ok(error instanceof GenAuthError, String(error));
      assert.equal(error.code, 'invalid_option');
      assert.equal(error.message, message, JSON.stringify(extra));
    }
    const long = thrown(() => new AdminClient(options({ ['k'.repeat(100)]: 1 })));
    assert.equal(long.message, `unknown option: ${'k'.repeat(64)}`);
  });

  test('options that fight back are invalid_option GenAuthErrors, never raw throws', () => {
    const hostile = [
      ['a throwing getter', Object.defineProperty(options(), 'token', { enumerable: true, get() { throw new Error(TOKEN); } })],
      ['a proxy whose ownKeys trap throws', new Proxy(options(), { ownKeys() { throw new Error(TOKEN); } })],
      ['a proxy whose get trap throws', new Proxy(options(), { get() { throw new Error(TOKEN); } })],
      ['a Map of the options', new Map(Object.entries(options()))],
      ['options only on the prototype', Object.create(options())],
      ['a function', Object.assign(() => {}, options())],
      ['a non-enumerable token', Object.defineProperty(options(), 'token', { enumerable: false, value: TOKEN })],
      ['a boxed string', Object.assign(new String('x'), options())],
    ];
    for (const [name, value] of hostile) {
      const error = thrown(() => new AdminClient(value));
      assert.ok(error instanceof GenAuthError, `${name}: ${error && error.stack}`);
      assert.equal(error.code, 'invalid_option', `${name}: ${error.message}`);
      assert.ok(!everything(error).includes(TOKEN), `${name}: the token leaked`);
    }
    // Symbol keys and a null prototype change nothing.
    const bare = Object.assign(Object.create(null), options(), { [Symbol('x')]: 1 });
    assert.ok(new AdminClient(bare));
  });

  test('hostile arguments to kickActiveUsers reject with invalid_option', T, async () => {
    const c = new AdminClient(options());
    const ids = new Proxy(['u'], { get(t, k) { if (k === 'length') throw new Error('boom'); return t[k]; } });
    const signal = { addEventListener() {}, removeEventListener() {}, get aborted() { throw new Error('boom'); } };
    for (const args of [
      ['app-demo', ids],
      ['app-demo', ['u'], new Proxy({}, { ownKeys() { throw new Error('boom'); } })],
      ['app-demo', ['u'], { signal }],
    ]) {
      const { error } = await rejection(c.kickActiveUsers(...args));
      assert.ok(error instanceof GenAuthError, String(error && error.stack));
      assert.ok(['invalid_option', 'aborted'].includes(error.code), `${error.code}: ${error.message}`);
    }
    assert.equal((await tenant.requests()).length, 0, 'nothing was sent');
  });

  test('invalid_app_domain for a domain with a path or plain http off loopback', () => {
    for (const appDomain of ['https://myapp.genauth.ai/api', 'http://myapp.genauth.ai', 'ftp://x', '']) {
      const error = thrown(() => new AdminClient(options({ appDomain })));
      assert.equal(error.code, 'invalid_app_domain', appDomain);
    }
  });

  test('valid options in every accepted shape', () => {
    for (const extra of [
      {},
      { timeoutMs: 1, retries: 0 },
      { timeoutMs: 600_000, retries: 10 },
      { fetch: globalThis.fetch, dangerouslyAllowBrowser: false },
      { appDomain: 'myapp.genauth.ai' },
      { appDomain: 'https://myapp.genauth.ai/' },
      { timeoutMs: undefined },
    ]) {
      assert.ok(new AdminClient(options(extra)));
    }
  });

  const badArgs = [
    ['appId missing', [undefined, ['u']]],
    ['appId empty', ['', ['u']]],
    ['appId a number', [7, ['u']]],
    ['appId with a lone surrogate', ['app\uD800', ['u']]],
    ['userIds missing', ['app-demo', undefined]],
    ['userIds a string', ['app-demo', 'user-alice']],
    ['userIds empty', ['app-demo', []]],
    ['userIds with an empty id', ['app-demo', ['u', '']]],
    ['userIds with a number', ['app-demo', ['u', 1]]],
    ['userIds too many', ['app-demo', Array.from({ length: 1001 }, (_, i) => `u${i}`)]],
    ['unknown call option', ['app-demo', ['u'], { singal: AbortSignal.abort() }]],
    ['signal not a signal', ['app-demo', ['u'], { signal: 'stop' }]],
    ['options not an object', ['app-demo', ['u'], 5]],
  ];
  for (const [name, args] of badArgs) {
    test(`kickActiveUsers rejects (does not throw) with invalid_option: ${name}`, T, async () => {
      let promise;
      assert.doesNotThrow(() => {
        promise = new AdminClient(options()).kickActiveUsers(...args);
      });
      const { error } = await rejection(promise);
      assert.ok(error instanceof GenAuthError);
      assert.equal(error.code, 'invalid_option', error.message);
      assert.equal((await tenant.requests()).length, 0, 'nothing was sent');
    });
  }

  test('1000 user ids are accepted', T, async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    assert.equal((await new AdminClient(options()).kickActiveUsers('app-demo', ids)).code, 200);
  });
});

describe('fetch', () => {
  test('an injected fetch is used, with the exact request', T, async () => {
    const calls = [];
    const spy = async (url, init) => {
      calls.push({ url, init });
      return globalThis.fetch(url, init);
    };
    const answer = await new AdminClient(options({ fetch: spy })).kickActiveUsers('app-demo', ['user-bob']);
    assert.equal(answer.code, 200);
    assert.equal(calls.length, 1);
    const [{ url, init }] = calls;
    assert.equal(url, `${tenant.url}/api/applications/app-demo/kick-active-users`);
    assert.equal(init.method, 'POST');
    assert.deepEqual(init.headers, {
      'content-type': 'application/json',
      'x-authing-userpool-id': POOL,
      authorization: `Bearer ${TOKEN}`,
    });
    assert.equal(init.body, '{"userIds":["user-bob"],"appId":"app-demo"}');
    assert.ok(init.signal instanceof AbortSignal);
    assert.equal(init.redirect, 'manual');
    assert.equal((await tenant.requests()).length, 1);
  });

  test('a fake fetch that never touches the network', T, async () => {
    const fake = async () => new Response('{"code":200,"message":"ok from fake"}', { status: 200 });
    const c = new AdminClient({ appDomain: 'myapp.genauth.ai', userPoolId: POOL, token: TOKEN, fetch: fake });
    assert.deepEqual(await c.kickActiveUsers('app', ['u']), { code: 200, message: 'ok from fake' });
  });

  test('a fetch that ignores the signal still cannot hold the call past timeoutMs', T, async () => {
    const never = () => new Promise(() => {});
    const c = new AdminClient(options({ fetch: never, timeoutMs: 300 }));
    const { error, ms } = await rejection(c.kickActiveUsers('app-demo', ['u']));
    assert.equal(error.code, 'timeout');
    assert.ok(ms < 1_000, `took ${ms} ms`);
  });

  test('globalThis.fetch is looked up at call time', T, async () => {
    const original = globalThis.fetch;
    let used = 0;
    const c = new AdminClient(options());
    globalThis.fetch = (...args) => {
      used += 1;
      return original(...args);
    };
    try {
      await c.kickActiveUsers('app-demo', ['u']);
    } finally {
      globalThis.fetch = original;
    }
    assert.equal(used, 1);
  });

  test('a redirect is not followed (the token must not travel elsewhere): http_error', T, async () => {
    const redirecting = async () => new Response(null, { status: 307, headers: { location: 'http://127.0.0.1:9/' } });
    const c = new AdminClient(options({ fetch: redirecting }));
    const { error } = await rejection(c.kickActiveUsers('app-demo', ['u']));
    assert.equal(error.code, 'http_error');
    assert.equal(error.status, 307);
  });
});

describe('token secrecy', () => {
  test('not in JSON.stringify(client), util.inspect(client) or String(client)', () => {
    const c = new AdminClient(options());
    for (const shown of [
      JSON.stringify(c),
      util.inspect(c, { showHidden: true, depth: null, getters: true }),
      String(c),
      Object.keys(c).join(),
      Object.getOwnPropertyNames(c).join(),
    ]) {
      assert.ok(!shown.includes(TOKEN), shown);
    }
  });

  test('not in the request URL', T, async () => {
    await new AdminClient(options()).kickActiveUsers('app-demo', ['u']);
    const [req] = await tenant.requests();
    assert.ok(!req.path.includes(TOKEN) && !req.query.includes(TOKEN));
  });

  test('not in any error, on every failure path', T, async () => {
    const errors = [];
    const collect = async (promise) => errors.push((await rejection(promise)).error);
    const c = new AdminClient(options({ retries: 0, timeoutMs: 1_000 }));
    await collect(new AdminClient(options({ userPoolId: 'other' })).kickActiveUsers('app-demo', ['u']));
    await collect(new AdminClient(options({ token: `${TOKEN}x` })).kickActiveUsers('app-demo', ['u']));
    for (const fault of [
      { mode: 'status', status: 503 },
      { mode: 'close' },
      { mode: 'non_json' },
      { mode: 'api_code', api_code: 1, message: `echo Bearer ${TOKEN} back` },
      { mode: 'status', status: 400, message: `bad token ${TOKEN}` },
      { mode: 'delay', delay_ms: 3_000 },
    ]) {
      await tenant.fault(fault);
      await collect(c.kickActiveUsers('app-demo', ['u']));
    }
    await collect(c.kickActiveUsers('app-demo', ['u'], { signal: AbortSignal.abort() }));
    await collect(c.kickActiveUsers('', ['u']));
    // A fetch implementation whose own error message includes the token.
    const leaky = async (url, init) => {
      throw new TypeError(`cannot send ${init.headers.authorization}`);
    };
    await collect(new AdminClient(options({ fetch: leaky, retries: 0 })).kickActiveUsers('app-demo', ['u']));
    assert.deepEqual(
      errors.map((e) => e.code),
      [
        'api_error',
        'http_error',
        'http_error',
        'network_error',
        'invalid_response',
        'api_error',
        'http_error',
        'timeout',
        'aborted',
        'invalid_option',
        'network_error',
      ],
    );
    for (const e of errors) {
      assert.ok(e instanceof GenAuthError);
      assert.ok(!everything(e).includes(TOKEN), everything(e));
    }
    assert.equal(errors[5].message, 'echo [redacted] back');
    assert.equal(errors[6].message, 'bad token [redacted]');
  });

  test('not in console output of the client, its errors or its results (child process)', T, async () => {
    const { code, stdout, stderr } = await runChild(`
      import { AdminClient } from 'genauth-logout/admin';
      const c = new AdminClient({ appDomain: ${JSON.stringify(tenant.url)}, userPoolId: ${JSON.stringify(POOL)},
        token: ${JSON.stringify(TOKEN)}, retries: 0 });
      console.log(c); console.error(c); console.dir(c, { showHidden: true, depth: null });
      console.log(await c.kickActiveUsers('app-demo', ['u']));
      try { await c.kickActiveUsers('no-such-app', ['u']); } catch (e) { console.log(e); console.error(e); }
      try { new AdminClient({ appDomain: 'x.genauth.ai', userPoolId: 'p', token: ${JSON.stringify(TOKEN)}, oops: 1 }); }
      catch (e) { console.log(e); }
      console.log('done');
    `);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /done/);
    assert.match(stdout, /Application not found/);
    assert.ok(!stdout.includes(TOKEN) && !stderr.includes(TOKEN), stdout + stderr);
  });

  test("not in the tenant's log lines beyond the Authorization header it received", T, async () => {
    // The emulator logs one line per request; the client must not put the
    // token anywhere the log shows (path, query).
    await new AdminClient(options()).kickActiveUsers('app-demo', ['u']);
    assert.ok(!tenant.output().includes(TOKEN));
  });
});

describe('where it runs', () => {
  test('browser_forbidden in a browser-like global (window + document), allowed with dangerouslyAllowBrowser', T, async () => {
    const { code, stdout, stderr } = await runChild(`
      import { AdminClient, GenAuthError } from 'genauth-logout/admin';
      globalThis.window = globalThis;
      globalThis.document = {};
      const opts = { appDomain: 'myapp.genauth.ai', userPoolId: 'p', token: ${JSON.stringify(TOKEN)} };
      try { new AdminClient(opts); console.log('constructed'); }
      catch (e) { console.log(e instanceof GenAuthError, e.code, e.message.includes(${JSON.stringify(TOKEN)})); }
      new AdminClient({ ...opts, dangerouslyAllowBrowser: true });
      console.log('allowed');
    `);
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.trim().split('\n'), ['true browser_forbidden false', 'allowed']);
  });

  test('a worker-like global (self, no window/document) is not a browser page', T, async () => {
    const { code, stdout, stderr } = await runChild(`
      import { AdminClient } from 'genauth-logout/admin';
      globalThis.self = globalThis;
      globalThis.window = undefined;
      new AdminClient({ appDomain: 'myapp.genauth.ai', userPoolId: 'p', token: 't' });
      console.log('ok');
    `);
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), 'ok');
  });

  test('a runtime without fetch needs the fetch option', T, async () => {
    const { code, stdout, stderr } = await runChild(`
      import { AdminClient } from 'genauth-logout/admin';
      const saved = globalThis.fetch;
      delete globalThis.fetch;
      const opts = { appDomain: 'myapp.genauth.ai', userPoolId: 'p', token: 't' };
      try { new AdminClient(opts); } catch (e) { console.log(e.code); }
      new AdminClient({ ...opts, fetch: saved });
      console.log('ok');
    `);
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.trim().split('\n'), ['invalid_option', 'ok']);
  });

  test('CommonJS: require() works and shares GenAuthError with the main entry', T, async () => {
    const { code, stdout, stderr } = await runChild(
      `
      const { AdminClient, GenAuthError } = require('genauth-logout/admin');
      const main = require('genauth-logout');
      const c = new AdminClient({ appDomain: ${JSON.stringify(tenant.url)}, userPoolId: ${JSON.stringify(POOL)},
        token: ${JSON.stringify(TOKEN)} });
      c.kickActiveUsers('no-such-app', ['u']).catch((e) => {
        console.log(GenAuthError === main.GenAuthError, e instanceof main.GenAuthError, e.code, e.apiCode);
      });
      `,
      { ext: 'cjs' },
    );
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), 'true true api_error 404');
  });
});
