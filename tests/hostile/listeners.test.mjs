// One throwing onLogout listener must not silence the others, in a page and
// in Node, and its exception must not vanish: it is reported the way the
// platform reports an exception in an event listener (an `error` event on
// the page's window; `uncaughtException` in Node).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { installPackage, openPage, REPO } from './harness.mjs';

const EVERY_LISTENER = [
  'fifth',
  'fourth unsubscribes itself',
  'module https://myapp.genauth.ai',
  'other channel',
  'second https://myapp.genauth.ai',
].sort();
const EVERY_ERROR = ['a thrown string', 'first listener', 'module-level listener', 'other channel listener'].sort();

function assertRounds(label, rounds) {
  const [first, second, unsubscribed] = rounds;
  assert.deepEqual(first.seen, EVERY_LISTENER, `${label}: every listener is told, whatever the others throw`);
  assert.deepEqual(first.reported, EVERY_ERROR, `${label}: every exception is reported`);
  // The listener that unsubscribed itself is gone; the throwing ones still listen.
  assert.deepEqual(second.seen, EVERY_LISTENER.filter((s) => s !== 'fourth unsubscribes itself'), `${label}: second logout`);
  assert.deepEqual(second.reported, EVERY_ERROR, `${label}: second logout`);
  assert.deepEqual(unsubscribed, { seen: [], reported: [] }, `${label}: after unsubscribing`);
}

describe('in Chromium', () => {
  let session;
  before(async () => { session = await openPage(); });
  after(async () => { await session?.close(); });

  test('a throwing listener: the others are told, the exception reaches window error events', { timeout: 30_000 }, async () => {
    const rounds = await session.page.evaluate(async () => {
      const { listenerChecks } = await import('/lib/listeners.mjs');
      const reported = [];
      const onError = (e) => {
        reported.push(e.error instanceof Error ? e.error.message : String(e.error));
        e.preventDefault();
      };
      window.addEventListener('error', onError);
      try {
        return await listenerChecks(window.hostile.pkg, reported);
      } finally {
        window.removeEventListener('error', onError);
      }
    });
    assertRounds('page', rounds);
  });
});

describe('in Node', () => {
  test('a throwing listener: the others are told, the exception is an uncaughtException', async () => {
    const { dir } = await installPackage();
    const entry = pathToFileURL(path.join(dir, 'entry.mjs')).href;
    const lib = pathToFileURL(path.join(REPO, 'tests', 'hostile', 'lib', 'listeners.mjs')).href;
    const script = `
      import * as pkg from ${JSON.stringify(entry)};
      import { listenerChecks } from ${JSON.stringify(lib)};
      const reported = [];
      process.on('uncaughtException', (e) => reported.push(e instanceof Error ? e.message : String(e)));
      console.log(JSON.stringify(await listenerChecks(pkg, reported)));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(child.status, 0, child.stderr);
    assertRounds('node', JSON.parse(child.stdout.trim().split('\n').pop()));
  });
});
