// Differential encoding: the package's parameter encoding against the
// engine's own encodeURIComponent (V8 in Node and in Chromium), on every
// Unicode scalar value and on random strings over every plane; lone
// surrogates are refused (encodeURIComponent throws URIError on them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { importPackage, openPage } from './harness.mjs';
import { encodingDifferential, everyScalarValue, loneSurrogates, randomStrings } from './lib/checks.mjs';

const RANDOM = 5000;
const SEED = 0x6e6175;

function assertDifferential(r, count) {
  assert.equal(r.count, count);
  assert.ok(r.redirects > count / 2, `only ${r.redirects} redirects were accepted: the redirect half proves little`);
  assert.deepEqual(r.mismatches, [], `${r.mismatchCount} strings encoded differently`);
}

function assertSurrogates(rows) {
  for (const row of rows) {
    assert.equal(row.engine, 'URIError', JSON.stringify(row));
    assert.equal(row.state, 'invalid_option', JSON.stringify(row));
    assert.equal(row.redirect, 'invalid_redirect', JSON.stringify(row));
  }
}

describe('in Node (V8)', () => {
  let pkg;
  before(async () => { pkg = await importPackage(); });

  test('every Unicode scalar value, 1024 per call, as state and inside a redirect', () => {
    const chunks = everyScalarValue(1024);
    assert.equal(chunks.length, Math.ceil((0x110000 - 0x800) / 1024));
    const r = encodingDifferential(pkg, chunks);
    assert.equal(r.count, chunks.length);
    assert.deepEqual(r.mismatches, [], `${r.mismatchCount} chunks encoded differently`);
  });

  test(`${RANDOM} random strings over every plane`, () => {
    assertDifferential(encodingDifferential(pkg, randomStrings(RANDOM, SEED)), RANDOM);
  });

  test('lone surrogates are refused, never encoded', () => {
    assertSurrogates(loneSurrogates(pkg));
  });
});

describe('in Chromium', () => {
  let session;
  before(async () => { session = await openPage(); });
  after(async () => { await session?.close(); });

  test('every Unicode scalar value and random strings over every plane', { timeout: 120_000 }, async () => {
    const { all, random, chunks } = await session.page.evaluate(({ n, seed }) => {
      const c = window.hostile.checks;
      const everything = c.everyScalarValue(1024);
      return {
        chunks: everything.length,
        all: c.encodingDifferential(window.hostile.pkg, everything),
        random: c.encodingDifferential(window.hostile.pkg, c.randomStrings(n, seed)),
      };
    }, { n: RANDOM, seed: SEED });
    assert.equal(all.count, chunks);
    assert.deepEqual(all.mismatches, [], `${all.mismatchCount} chunks encoded differently`);
    assertDifferential(random, RANDOM);
  });

  test('lone surrogates are refused, never encoded', async () => {
    assertSurrogates(await session.page.evaluate(() => window.hostile.checks.loneSurrogates(window.hostile.pkg)));
  });
});
