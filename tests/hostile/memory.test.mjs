// 100,000 calls, good and bad mixed (lib/memory.mjs), then the package's
// WebAssembly memory must have stopped growing: its byte length after the
// last batches equals the one after the third of ten batches.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { importPackage, openPage, saveArtifact } from './harness.mjs';
import { churn, memorySizes } from './lib/memory.mjs';

const BATCHES = 10;
const PER_BATCH = 10_000;

function assertFlat(label, { sizes, tally, other }) {
  saveArtifact(`memory-${label}.json`, { sizes, tally, other });
  assert.equal(tally.calls, BATCHES * PER_BATCH);
  assert.deepEqual(other, [], 'a call threw something other than a GenAuthError');
  assert.ok(tally.ok > 20_000 && tally.genAuthError > 20_000, JSON.stringify(tally));
  assert.ok(sizes[0].length >= 1, 'no WebAssembly.Memory was recorded');
  const settled = sizes[2];
  for (let b = 3; b < sizes.length; b += 1) {
    assert.deepEqual(sizes[b], settled, `memory still growing after batch ${b + 1}: ${JSON.stringify(sizes)}`);
  }
}

describe('in Node', () => {
  test(`${BATCHES * PER_BATCH} calls on long-lived clients: the wasm memory stops growing`, { timeout: 180_000 }, async () => {
    const pkg = await importPackage({ hookMemory: true });
    assert.deepEqual(memorySizes(), [], 'the package instantiated before its first call');
    assertFlat('node', await churn(pkg, { batches: BATCHES, perBatch: PER_BATCH }));
  });

  test(`${BATCHES * PER_BATCH} calls, one in ten on a new LogoutClient: the wasm memory stops growing`, { timeout: 180_000 }, async () => {
    const pkg = await importPackage({ hookMemory: true });
    assertFlat('node-short-lived', await churn(pkg, { batches: BATCHES, perBatch: PER_BATCH, shortLived: true }));
  });
});

describe('in Chromium', () => {
  let session;
  before(async () => { session = await openPage(); });
  after(async () => { await session?.close(); });

  for (const shortLived of [false, true]) {
    const what = shortLived ? 'one in ten on a new LogoutClient' : 'on long-lived clients';
    test(`${BATCHES * PER_BATCH} calls ${what}: the wasm memory stops growing`, { timeout: 180_000 }, async () => {
      const result = await session.page.evaluate(
        (opts) => window.hostile.memory.churn(window.hostile.pkg, opts),
        { batches: BATCHES, perBatch: PER_BATCH, shortLived },
      );
      assertFlat(shortLived ? 'chromium-short-lived' : 'chromium', result);
    });
  }
});
