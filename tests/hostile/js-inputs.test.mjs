// Values from JavaScript that Rust never sees in normal use (lib/js-inputs.mjs):
// each must give a GenAuthError with the listed code — never a wasm trap,
// another exception or a hang — and the next good call must still work.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { importPackage, openPage, saveArtifact } from './harness.mjs';
import { CASES, GOOD_URL, runJsInputs } from './lib/js-inputs.mjs';

function assertResults(label, results) {
  saveArtifact(`js-inputs-${label}.json`, results);
  assert.equal(results.length, CASES.length);
  const wrong = results
    .filter((r) => r.got !== r.expect || r.after !== GOOD_URL || r.ms > 2000)
    .map((r) => ({ name: r.name, input: r.input, expect: r.expect, got: r.got.slice(0, 160), after: r.after === GOOD_URL ? 'ok' : r.after, ms: r.ms }));
  assert.deepEqual(wrong, [], `${wrong.length} hostile inputs misbehaved in ${label}`);
}

describe('in Node', () => {
  test('every hostile value gives its GenAuthError; the next call still works', async () => {
    assertResults('node', runJsInputs(await importPackage()));
  });
});

describe('in Chromium', () => {
  let session;
  before(async () => { session = await openPage(); });
  after(async () => { await session?.close(); });

  test('every hostile value gives its GenAuthError; the next call still works', { timeout: 60_000 }, async () => {
    const results = await session.page.evaluate(() => window.hostile.inputs.runJsInputs(window.hostile.pkg));
    assertResults('chromium', results);
    assert.deepEqual(session.errors, []);
  });
});
