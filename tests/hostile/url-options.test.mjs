// URL options (endSessionEndpoint, allowedRedirectOrigins, appDomain) are
// held to the redirect's written form: `https://` or `http://` spelt out,
// no backslash before the query, no `@` in the authority. The forms the
// rule refuses are each shown to mean another URL somewhere (with the page
// as base, in a form's action, or to an RFC 3986 reader); every accepted
// endpoint or origin of the URL corpus means one URL everywhere. Then a
// refused endpoint in a real page: nothing is cleared, told or navigated.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { importPackage, openPage, PAGE_ORIGIN, readData, saveArtifact } from './harness.mjs';
import { REFUSED, runAccepted, runRefused } from './lib/url-options.mjs';

const corpus = readData('hostile_urltestdata.json');
const extra = [
  'https://op.example.com/end', 'HTTPS://OP.example.com/end', 'https://op.example.com/end?x=a\\b',
  'https://op.example.com/a@b/end', 'http://127.0.0.1:9000/oidc/session/end', 'https://[::1]:8443/end',
  'https://partner.example', 'https://partner.example/', 'http://localhost:3000',
];
const inputs = [...new Set([...corpus.filter((e) => typeof e === 'object').map((e) => e.input), ...extra,
  ...Object.values(REFUSED).flat()])];

function assertRefused(label, results) {
  saveArtifact(`url-options-refused-${label}.json`, results);
  assert.equal(results.length, Object.values(REFUSED).flat().length);
  const wrong = results.filter((r) => r.got !== r.expect);
  assert.deepEqual(wrong, [], `${label}: ${wrong.length} written forms not refused`);
  // Each refused URL form really is read two ways (or holds user info).
  const harmless = results.filter((r) => r.problems && r.problems.length === 0);
  assert.deepEqual(harmless, [], `${label}: refused forms that mean one URL everywhere`);
}

function assertAccepted(label, result) {
  saveArtifact(`url-options-accepted-${label}.json`, result);
  assert.ok(result.tally.endSessionEndpoint >= 15, `too few endpoints accepted: ${JSON.stringify(result.tally)}`);
  assert.ok(result.tally.allowedRedirectOrigins > 5, `too few origins accepted: ${JSON.stringify(result.tally)}`);
  assert.deepEqual(result.failures, [], `${label}: accepted URL options that mean different URLs`);
}

describe('in Node', () => {
  let pkg;
  before(async () => { pkg = await importPackage(); });
  test('every written form the rule names is refused, and is read two ways', () => assertRefused('node', runRefused(pkg)));
  test('every accepted endpoint and origin of the URL corpus means one URL', () => assertAccepted('node', runAccepted(pkg, inputs)));
});

describe('in Chromium', () => {
  let session;
  const landing = () => ({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>landed</title>' });
  before(async () => {
    session = await openPage({ routes: { '/dir/page.html': landing, '/dir/127.0.0.1:1/x': landing, '/oidc/session/end': landing } });
  });
  after(async () => { await session?.close(); });

  test('every written form the rule names is refused, and is read two ways (form.action included)', async () => {
    assertRefused('chromium', await session.page.evaluate(async () => {
      const lib = await import('/lib/url-options.mjs');
      return lib.runRefused(window.hostile.pkg);
    }));
  });

  test('every accepted endpoint and origin of the URL corpus means one URL (form.action included)', { timeout: 120_000 }, async () => {
    assertAccepted('chromium', await session.page.evaluate(async (list) => {
      const lib = await import('/lib/url-options.mjs');
      return lib.runAccepted(window.hostile.pkg, list);
    }, inputs));
  });

  test('logout("/after") with endSessionEndpoint "http:127.0.0.1:1/x" from a page in a directory: refused, nothing cleared, told or navigated', async () => {
    const { page } = session;
    await page.goto(`${PAGE_ORIGIN}/dir/page.html`);
    const r = await page.evaluate(async () => {
      const pkg = await import('/pkg/dist/index.js');
      localStorage.setItem('token', 't');
      const told = [];
      const ear = new BroadcastChannel('genauth-logout');
      ear.onmessage = (e) => told.push(e.data);
      const out = [];
      for (const method of ['get', 'post']) {
        try {
          pkg.configure({ appDomain: 'app.example.com', protocol: 'oidc', method, endSessionEndpoint: 'http:127.0.0.1:1/x', clearStorageKeys: ['token'] });
          pkg.logout('/after');
          out.push('logged out');
        } catch (e) {
          out.push(e.code);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      ear.close();
      return { out, token: localStorage.getItem('token'), told, at: location.href };
    });
    assert.deepEqual(r, { out: ['invalid_option', 'invalid_option'], token: 't', told: [], at: `${PAGE_ORIGIN}/dir/page.html` });
    assert.equal(session.requests.filter((q) => q.url.includes('127.0.0.1')).length, 0, 'no request to the page-relative path');
  });
});
