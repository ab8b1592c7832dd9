// The admin API's answer, read the way JSON.parse reads it: a differential
// test of the packed entry (the Rust core behind it) against Node's own
// JSON.parse, over a fixed corpus of the classes that readers disagree on
// (number spellings, escaped and repeated names, lone surrogates, white
// space, nesting, malformed texts) and a seeded generated one.
//
// The reference below is DESIGN.md's answer table written over JSON.parse;
// the fetch is a plain object whose text() returns the body exactly, so
// nothing (a Response's BOM stripping, say) stands between the two readers.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { POOL, TOKEN, loadAdmin } from './harness.mjs';

let AdminClient;
let GenAuthError;

before(async () => {
  ({ AdminClient, GenAuthError } = await loadAdmin());
});

const FALLBACK = {
  http_error: 'the admin API answered with an HTTP error status',
  api_error: 'the admin API refused the request',
};

/** What the answer table says for (status, body), with JSON.parse as the reader. */
function reference(status, body) {
  let value;
  let parsed = true;
  try {
    value = JSON.parse(body);
  } catch {
    parsed = false;
  }
  const object = parsed && value !== null && typeof value === 'object' && !Array.isArray(value);
  const own = (k) => (object && Object.hasOwn(value, k) ? value[k] : undefined);
  const code = typeof own('code') === 'number' ? own('code') : undefined;
  // An integer the core's i64 holds exactly; -0 is the integer 0.
  const integer = code !== undefined && Number.isInteger(code) && Math.abs(code) < 2 ** 63 ? code + 0 : undefined;
  const text = typeof own('message') === 'string' ? own('message').toWellFormed() : undefined;
  const message = text !== undefined && text.trim() !== '' ? text : undefined;
  if (status < 200 || status > 299) {
    return { code: 'http_error', status, apiCode: integer, message: message ?? FALLBACK.http_error };
  }
  if (!object) {
    return { code: 'invalid_response', status, apiCode: undefined, message: "the admin API's answer is not a JSON object" };
  }
  if (code === 200) return { ok: { code: 200, message: message ?? '' } };
  if (integer !== undefined) {
    return { code: 'api_error', status, apiCode: integer, message: message ?? FALLBACK.api_error };
  }
  return { code: 'invalid_response', status, apiCode: undefined, message: "the admin API's answer has no integer code" };
}

/** What the packed entry answers for (status, body). */
async function actual(status, body) {
  const fetch = async () => ({ status, headers: { get: () => null }, text: async () => body });
  const client = new AdminClient({ appDomain: 'myapp.genauth.ai', userPoolId: POOL, token: TOKEN, fetch, retries: 0 });
  try {
    return { ok: await client.kickActiveUsers('app', ['u']) };
  } catch (e) {
    assert.ok(e instanceof GenAuthError, String(e && e.stack));
    return { code: e.code, status: e.status, apiCode: e.apiCode, message: e.message };
  }
}

async function agree(status, body) {
  const want = reference(status, body);
  const got = await actual(status, body);
  assert.deepEqual(got, want, `status ${status}, body ${JSON.stringify(body)}`);
  return want.ok ? 'ok' : want.message;
}

// Each body is tried as a 2xx answer and as an HTTP error (where apiCode
// and the server's message still come from the body).
const FIXED = [
  // Every spelling of 200 (issue: these were invalid_response).
  '{"code":200}', '{"code":200.0}', '{"code":2e2}', '{"code":2E2}', '{"code":2.00E+2}',
  '{"code":20000e-2}', '{"code":0.2e3}', '{"code":200.000000000000000000001}', '{"code":1.99999999999999999999e2}',
  '{"code":2e+2}', '{"code":200e0}', '{"code":-200}', '{"code":-0}', '{"code":0}', '{"code":403}',
  // Not integers, or past what an integer code can be.
  '{"code":200.5}', '{"code":1e400}', '{"code":-1e400}', '{"code":1e19}', '{"code":9007199254740993}',
  '{"code":9223372036854775807}', '{"code":-9223372036854775808}', '{"code":4.5e-400}', '{"code":1e-7}',
  // Not numbers.
  '{"code":"200"}', '{"code":null}', '{"code":true}', '{"code":[200]}', '{"code":{"code":200}}',
  // Names: escaped, cased, repeated (the last wins), prototype-looking.
  '{"\\u0063ode":200}', '{"c\\u006fde":200}', '{"\\u0063\\u006f\\u0064\\u0065":200}', '{"Code":200}',
  '{"code ":200}', '{"code":403,"code":200}', '{"code":200,"code":403}', '{"code":200,"code":"x"}',
  '{"code":"x","code":200}', '{"code":200,"\\u0063ode":404}', '{"__proto__":{"code":200}}',
  '{"__proto__":200,"code":201}', '{"constructor":1,"code":200}',
  // Messages: escapes, repeats, lone surrogates (JSON.parse keeps them), blanks.
  '{"code":403,"message":"No permission"}', '{"code":403,"message":"a\\nb\\u00e9\\ud83d\\ude00"}',
  '{"code":403,"message":"x","message":"y"}', '{"code":403,"message":"x","message":5}',
  '{"code":403,"message":"\\ud800"}', '{"code":403,"message":"a\\udc00b\\ud800"}',
  '{"code":200,"message":"\\ud83d"}', '{"code":403,"message":"   "}', '{"code":403,"message":""}',
  '{"code":403,"\\u006dessage":"escaped name"}', '{"code":403,"message":["x"]}',
  // Lone surrogates and odd values elsewhere.
  '{"\\ud800":1,"code":200}', '{"x":"\\udfff","code":200}', '{"x":1e999,"code":200}', '{"x":-0.0e-0,"code":200}',
  // White space JSON allows, and what it does not.
  ' \t\n\r{ "code" : 200 } \r\n\t ', '{"code":200}\n', '\u00a0{"code":200}', '\u000b{"code":200}',
  '\u000c{"code":200}', '\ufeff{"code":200}', '{"code":200}\ufeff', '\u2028{"code":200}',
  // Nesting: deep where we skip it, shallow where we read it.
  `{"x":${'['.repeat(3000)}${']'.repeat(3000)},"code":200}`,
  `{"x":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)},"code":200}`, `${'['.repeat(3000)}${']'.repeat(3000)}`,
  `{"x":${'['.repeat(3000)}${']'.repeat(2999)},"code":200}`,
  // Not JSON, or not an object.
  '', ' ', 'null', '200', '"200"', '[200]', '[{"code":200}]', 'true', '{}', '{"code":200,}',
  '{"code":200 "message":"x"}', '{code:200}', "{'code':200}", '{"code":0200}', '{"code":+200}',
  '{"code":.5}', '{"code":5.}', '{"code":1e}', '{"code":-}', '{"code":NaN}', '{"code":Infinity}',
  '{"code":200}x', '{"code":200}{}', '{"code":200', '{"code":200,"m":"\t"}', '{"code":200,"m":"\\x"}',
  '{"code":200,"m":"\\u12"}', '{"code":200,"m":"\\u12G4"}', '{"code":200,"m":"a', '{"code":200,"m":\'a\'}',
  '{"code":200}/**/', '{"code":200,"m":"\u0000"}', '{"code":200,"m":"\u007f"}', '{"code":200,"m":undefined}',
  '<html>Bad gateway</html>', '{"code":200,"data":null}', '{"message":"done","code":200,"data":[1,{"a":[]}]}',
];

describe('the answer body is read as JSON.parse reads it', () => {
  test('a fixed corpus, as 2xx and as HTTP error answers', async () => {
    for (const body of FIXED) {
      await agree(200, body);
      await agree(500, body);
    }
  });

  test('the issue\'s spellings of 200 resolve', async () => {
    for (const body of ['{"code":200.0}', '{"code":2e2}', '{"code":2.00E+2}', '{"code":20000e-2}']) {
      assert.deepEqual(await actual(200, body), { ok: { code: 200, message: '' } }, body);
    }
  });

  test('a seeded generated corpus (3000 bodies)', async () => {
    const random = prng(0x5eed);
    const pick = (list) => list[Math.floor(random() * list.length)];
    // Mostly well-formed pieces, each with a small chance of a malformed one.
    const sometimes = (good, bad, p = 0.02) => (random() < p ? pick(bad) : pick(good));
    const number = () => sometimes(
      ['200', '200.0', '2e2', '2E+2', '20000e-2', '0.2e3', '-0', '403', '4.03e2', '1e400', '-1e400', '1e19',
        '200.5', '9007199254740993', '-9223372036854775808', '1E-400', '2004', '-1'],
      ['0200', '+200', '.5', '2.', '2e', '-', 'NaN']);
    const name = () => sometimes(
      ['"code"', '"code"', '"code"', '"\\u0063ode"', '"cod\\u0065"', '"Code"', '"message"', '"message"',
        '"\\u006dessage"', '"x"', '"\\ud800"', '"__proto__"', '"code\\u0000"'],
      ["'code'", 'code', '"\\q"']);
    const string = () => sometimes(
      ['"ok"', '"\\ud800"', '"\\udc00x"', '"\\ud83d\\ude00"', '"a\\nb"', '"\\u00e9"', '""', '"  "', '"é"'],
      ['"\t"', '"\\q"', '"\\u12"']);
    const space = () => sometimes(['', '', ' ', '\t', '\n', '\r\n'], ['\u00a0', '\u000b', '\ufeff']);
    const value = (depth) => {
      const r = random();
      if (depth > 3 || r < 0.35) return number();
      if (r < 0.6) return string();
      if (r < 0.7) return sometimes(['true', 'false', 'null'], ['nul', 'True']);
      if (r < 0.85) return `[${Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1)).join(',')}]`;
      return object(depth + 1);
    };
    const object = (depth) => {
      const count = depth === 0 ? 1 + Math.floor(random() * 3) : Math.floor(random() * 3);
      const members = Array.from({ length: count }, () =>
        `${space()}${name()}${space()}:${space()}${value(depth)}${space()}`);
      return `{${members.join(sometimes([','], [',,', ' ']))}}`;
    };
    const seen = new Set();
    const outcomes = new Map();
    for (let i = 0; i < 3000; i++) {
      let body = `${space()}${random() < 0.9 ? object(0) : value(0)}${space()}`;
      if (random() < 0.02) body = body.slice(0, Math.floor(random() * body.length));
      if (random() < 0.02) body += pick(['x', '}', ',', '0']);
      if (seen.has(body)) continue;
      seen.add(body);
      const outcome = await agree(random() < 0.8 ? 200 : pick([400, 401, 500, 503]), body);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    assert.ok(seen.size > 1000, `only ${seen.size} distinct bodies`);
    // The corpus reaches every row of the table, not only the malformed one.
    for (const row of ['ok', FALLBACK.api_error, FALLBACK.http_error, "the admin API's answer has no integer code",
      "the admin API's answer is not a JSON object"]) {
      assert.ok((outcomes.get(row) ?? 0) >= 30, `${row}: ${outcomes.get(row) ?? 0} (${JSON.stringify([...outcomes])})`);
    }
  });
});

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
