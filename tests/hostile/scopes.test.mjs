// Where the open-redirect guard applies: decided from what the global scope
// is. A page (Window) and a worker (WorkerGlobalScope: dedicated, shared, service)
// have an origin, `location.origin`, and the guard protects it alike; in a
// worker, with no document to navigate, logout needs `navigate` and refuses
// before telling anyone otherwise. Node has no such scope: outside a browser.
// (Shared and service workers are the same WorkerGlobalScope; the page's
// request interception reaches dedicated workers only, so those are run.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { importPackage, openPage, PAGE_ORIGIN, readData } from './harness.mjs';
import { scopeChecks, WORKER_SOURCE } from './lib/scopes.mjs';

const APP_LOGOUT = 'https://myapp.genauth.ai/login/profile/logout';
const TABLE = readData('logout_cases.json').cases;
// The table's page origin is the hostile page's, so browser cases need no substitution.
const BROWSER_CASES = TABLE.filter((c) => c.browser || !('redirect' in c));
const NODE_CASES = TABLE.filter((c) => !c.browser);

const worker = WORKER_SOURCE;
const js = (body) => () => ({ contentType: 'text/javascript', body });

function assertTable(label, got, cases) {
  const wrong = [];
  got.forEach((g, i) => {
    const c = cases[i];
    const want = 'url' in c ? { url: c.url } : { error: c.error };
    const { genAuthError, ...out } = g;
    if (JSON.stringify(out) !== JSON.stringify(want) || genAuthError === false) {
      wrong.push(`${c.name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(g)}`);
    }
  });
  assert.deepEqual(wrong, [], `${label}: ${wrong.length} table cases differ\n${wrong.join('\n')}`);
}

/** What a scope with an origin but no document must answer. */
function assertWorker(label, r) {
  assert.equal(r.origin, PAGE_ORIGIN, `${label} has the page's origin`);
  assert.equal(r.hasWindow, false);
  assert.equal(r.hasDocument, false);
  assertTable(label, r.table, BROWSER_CASES);
  assert.equal(r.foreign, 'redirect_not_allowed', `${label}: a foreign origin without a list`);
  assert.equal(r.own, `url:${APP_LOGOUT}?redirect_uri=${encodeURIComponent(`${PAGE_ORIGIN}/own`)}`);
  assert.equal(r.relative, `url:${APP_LOGOUT}?redirect_uri=${encodeURIComponent(`${PAGE_ORIGIN}/after`)}`);
  assert.equal(r.listed, `url:${APP_LOGOUT}?redirect_uri=${encodeURIComponent('https://partner.example/cb')}`);
  // No document to navigate: refused before anything happens, whatever the kind.
  for (const k of ['logout', 'logoutNoRedirect', 'logoutReplace', 'logoutPost']) assert.equal(r[k], 'no_window', `${label}: ${k}`);
  assert.equal(r.navigateForeign, 'redirect_not_allowed', `${label}: navigate does not lift the guard`);
  assert.equal(r.navigatedAfterForeign, 0);
  assert.equal(r.navigateRelative, 'url:undefined', `${label}: logout returns nothing`);
  assert.deepEqual(r.navigated, [`${APP_LOGOUT}?redirect_uri=${encodeURIComponent(`${PAGE_ORIGIN}/after`)}`]);
  // Only the logout that went ahead told other tabs.
  assert.deepEqual(r.told, [{ type: 'logout', appDomain: 'https://myapp.genauth.ai' }], `${label}: told`);
}

describe('in Chromium', () => {
  let session;
  before(async () => {
    session = await openPage({ routes: { '/scope-worker.mjs': js(worker) } });
  });
  after(async () => { await session?.close(); });

  test('a dedicated module Worker of the page: the guard applies as in the page', { timeout: 60_000 }, async () => {
    const r = await session.page.evaluate((cases) => new Promise((resolve, reject) => {
      const w = new Worker('/scope-worker.mjs', { type: 'module' });
      w.onmessage = (e) => { resolve(e.data); w.terminate(); };
      w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      w.postMessage(cases);
    }), BROWSER_CASES);
    assertWorker('dedicated worker', r);
  });

  test('a module Worker from a blob: URL (its origin is the page\'s): the same', { timeout: 60_000 }, async () => {
    const r = await session.page.evaluate(({ cases, source }) => new Promise((resolve, reject) => {
      const absolute = source.replaceAll("from '/", `from '${location.origin}/`);
      const url = URL.createObjectURL(new Blob([absolute], { type: 'text/javascript' }));
      const w = new Worker(url, { type: 'module' });
      w.onmessage = (e) => { resolve(e.data); w.terminate(); };
      w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      w.postMessage(cases);
    }), { cases: BROWSER_CASES, source: worker });
    assertWorker('blob worker', r);
  });

  test('the page itself: the same guard, and buildLogoutUrl agrees with the workers', { timeout: 60_000 }, async () => {
    const r = await session.page.evaluate(async (cases) => {
      const { scopeChecks } = await import('/lib/scopes.mjs');
      const { pkg } = window.hostile;
      // Only the URL checks: a logout would navigate the test page away.
      const out = await scopeChecks({ ...pkg, LogoutClient: class extends pkg.LogoutClient { logout() { return 'skipped'; } } }, cases);
      return out;
    }, BROWSER_CASES);
    assert.equal(r.origin, PAGE_ORIGIN);
    assert.equal(r.hasWindow, true);
    assertTable('page', r.table, BROWSER_CASES);
    assert.equal(r.foreign, 'redirect_not_allowed');
    assert.equal(r.relative, `url:${APP_LOGOUT}?redirect_uri=${encodeURIComponent(`${PAGE_ORIGIN}/after`)}`);
    assert.deepEqual(session.errors, []);
  });
});

describe('in Node (no Window, no WorkerGlobalScope: outside a browser)', () => {
  test('no origin: no guard without a list, no relative redirects, logout needs navigate', async () => {
    const pkg = await importPackage();
    const r = await scopeChecks(pkg, NODE_CASES);
    assert.equal(r.origin, null);
    assertTable('node', r.table, NODE_CASES);
    assert.equal(r.foreign, `url:${APP_LOGOUT}?redirect_uri=${encodeURIComponent('https://evil.example/')}`);
    assert.equal(r.relative, 'invalid_redirect');
    assert.equal(r.logout, 'invalid_redirect', 'a path needs a page');
    for (const k of ['logoutNoRedirect', 'logoutReplace', 'logoutPost']) assert.equal(r[k], 'no_window', k);
    assert.equal(r.navigateRelative, 'invalid_redirect');
    assert.deepEqual(r.navigated, [`${APP_LOGOUT}?redirect_uri=${encodeURIComponent('https://evil.example/')}`]);
    assert.equal(r.told.length, 1);
  });
});
