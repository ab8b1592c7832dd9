// Differential redirect validation: the package's accept/refuse decision and
// the origin it sees, against the engine's own `new URL(input)` with the
// documented policy applied (lib/checks.mjs `policy`, rules R1-R11), on the
// web-platform-tests URL corpus and on the open-redirect payload list.
// In Chromium the package parses with the browser's URL; in Node with Node's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { importPackage, openPage, PAGE_ORIGIN, readData, saveArtifact } from './harness.mjs';
import { runCorpus, runPayloads } from './lib/checks.mjs';

const corpus = readData('hostile_urltestdata.json');
// Every input of the corpus could arrive as a `?next=` value: all are tried.
const inputs = [...new Set(corpus.filter((e) => typeof e === 'object').map((e) => e.input))];
const payloads = readData('hostile_redirects.json');

function assertCorpus(label, result) {
  saveArtifact(`urltestdata-${label}.json`, result);
  assert.ok(result.tally.total > 700, 'the corpus lost entries');
  assert.ok(result.tally.accepted > 50, 'too few accepted inputs: the comparison would prove little');
  assert.deepEqual(
    result.failures.map((f) => ({ input: f.input, problems: f.problems })),
    [],
    `${result.failures.length} corpus inputs where the package and ${label}'s URL + policy disagree`,
  );
}

function assertPayloads(label, results) {
  saveArtifact(`payloads-${label}.json`, results);
  assert.equal(results.length, payloads.cases.length);
  const wrong = results.filter((r) => r.got !== r.expected);
  assert.deepEqual(wrong, [], `${wrong.length} payloads gave an unexpected result in ${label}`);
}

describe('in Chromium (page origin https://app.example.com, browser URL parser)', () => {
  let session;
  before(async () => { session = await openPage(); });
  after(async () => { await session?.close(); });

  test('urltestdata.json: same decision and same origin as Chromium new URL()', { timeout: 120_000 }, async () => {
    const result = await session.page.evaluate(
      ({ inputs, page }) => window.hostile.checks.runCorpus(window.hostile.pkg, inputs, page),
      { inputs, page: PAGE_ORIGIN },
    );
    assertCorpus('chromium', result);
    assert.deepEqual(session.errors, []);
  });

  test('open-redirect payloads give the listed results', { timeout: 60_000 }, async () => {
    const results = await session.page.evaluate(
      ({ data, page }) => window.hostile.checks.runPayloads(window.hostile.pkg, data, page),
      { data: payloads, page: PAGE_ORIGIN },
    );
    assertPayloads('chromium', results);
  });
});

describe('in Node (no page origin, Node URL parser)', () => {
  let pkg;
  before(async () => { pkg = await importPackage(); });

  test('urltestdata.json: same decision and same origin as Node new URL()', () => {
    assertCorpus('node', runCorpus(pkg, inputs, null));
  });

  test('open-redirect payloads give the listed results', () => {
    assertPayloads('node', runPayloads(pkg, payloads, null));
  });
});
