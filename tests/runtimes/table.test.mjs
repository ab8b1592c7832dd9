// The contract table (tests/data/logout_cases.json) through the JavaScript
// build, in Node and in Chromium: every answer, URL or error code and
// message, equal byte for byte to the wasm build's in the same engine, and
// both equal to the table.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS, bundle, exec, installPackage, loadCases, resultOf, servePages } from './harness.mjs';

const TABLE_ORIGIN = 'https://app.example.com';
const cases = loadCases();

let project;

before(async () => {
  project = await installPackage('table');
});

after(() => project?.cleanup());

// Runs `list` through `lib` by configure() + buildLogoutUrl and by a
// LogoutClient; each answer is { url } or { error, message }.
const RUN = `function runTable(lib, list) {
  return list.map((c) => [true, false].map((viaModule) => {
    try {
      if (viaModule) {
        lib.configure(c.config);
        return { url: lib.buildLogoutUrl(c.redirect, c.params) };
      }
      return { url: new lib.LogoutClient(c.config).buildLogoutUrl(c.redirect, c.params) };
    } catch (e) {
      return { error: e && e.code, message: e && e.message, ok: e instanceof lib.GenAuthError };
    }
  }));
}`;

/** Every difference between the builds' answers and from the table. */
function compare(list, wasm, js) {
  const failures = [];
  list.forEach((c, i) => {
    const want = 'url' in c ? { url: c.url } : { error: c.error };
    for (const via of [0, 1]) {
      const w = wasm[i][via];
      const j = js[i][via];
      if (JSON.stringify(w) !== JSON.stringify(j)) {
        failures.push(`${c.name} [${via ? 'client' : 'module'}]: the builds differ\n  wasm ${JSON.stringify(w)}\n  js   ${JSON.stringify(j)}`);
      }
      const got = 'url' in j ? { url: j.url } : { error: j.error };
      if (JSON.stringify(got) !== JSON.stringify(want) || j.ok === false) {
        failures.push(`${c.name} [${via ? 'client' : 'module'}]\n  expected ${JSON.stringify(want)}\n  got      ${JSON.stringify(j)}`);
      }
    }
  });
  return failures;
}

describe('the contract table through genauth-logout/js', () => {
  test('Node: every non-browser case, equal to the wasm build byte for byte', async () => {
    const list = cases.filter((c) => !c.browser);
    const input = path.join(project.dir, 'table-input.json');
    fs.writeFileSync(input, JSON.stringify(list));
    const file = path.join(project.dir, 'table.mjs');
    fs.writeFileSync(file, `import * as wasm from "genauth-logout";
import * as js from "genauth-logout/js";
import { readFileSync } from "node:fs";
${RUN}
const list = JSON.parse(readFileSync(${JSON.stringify(input)}, "utf8"));
console.log("RESULT:" + JSON.stringify({ wasm: runTable(wasm, list), js: runTable(js, list) }));
`);
    const r = resultOf('node', await exec(process.execPath, [file], { cwd: project.dir }));
    assert.equal(r.js.length, list.length);
    const failures = compare(list, r.wasm, r.js);
    assert.deepEqual(failures, [], `${failures.length} mismatches:\n${failures.join('\n')}`);
  });

  test('Chromium: browser cases in a page and in a module Worker (real origin), equal to the wasm build; the JS build also under script-src \'self\'', async () => {
    const entry = path.join(project.dir, 'table-page.js');
    fs.writeFileSync(entry, `import * as wasm from "genauth-logout";
import * as js from "genauth-logout/js";
${RUN}
window.runBoth = (list) => ({ wasm: runTable(wasm, list), js: runTable(js, list) });
window.runJs = (list) => runTable(js, list);
window.ready = true;
`);
    const out = path.join(project.dir, 'table-page.bundle.js');
    await bundle(entry, out, { format: 'esm', platform: 'browser', target: 'es2022' });
    // A module Worker has no window but an origin: the guard applies there
    // as in a page, so it runs the page's cases.
    const workerEntry = path.join(project.dir, 'table-worker.js');
    fs.writeFileSync(workerEntry, `import * as wasm from "genauth-logout";
import * as js from "genauth-logout/js";
${RUN}
self.onmessage = (e) => self.postMessage({ hasWindow: typeof window != "undefined", wasm: runTable(wasm, e.data), js: runTable(js, e.data) });
`);
    const workerOut = path.join(project.dir, 'table-worker.bundle.js');
    await bundle(workerEntry, workerOut, { format: 'esm', platform: 'browser', target: 'es2022' });
    const html = '<!doctype html><meta charset="utf-8"><title>table</title><script type="module" src="/table.js"></script>';
    const csp = { 'content-security-policy': "script-src 'self'" };
    const server = await servePages({
      '/table.html': ['text/html; charset=utf-8', html],
      '/strict.html': ['text/html; charset=utf-8', html, csp],
      '/table.js': ['text/javascript', fs.readFileSync(out)],
      '/worker.js': ['text/javascript', fs.readFileSync(workerOut)],
    });
    const O = server.url;
    const substitute = (v) => typeof v === 'string'
      ? v.replaceAll(TABLE_ORIGIN, O).replaceAll(encodeURIComponent(TABLE_ORIGIN), encodeURIComponent(O))
      : Array.isArray(v) ? v.map(substitute)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]))
      : v;
    const list = cases.filter((c) => c.browser || !('redirect' in c)).map(substitute);
    assert.ok(list.filter((c) => c.browser).length >= 5, 'the table has browser cases');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    try {
      const page = await browser.newPage();
      await page.goto(`${O}/table.html`);
      await page.waitForFunction(() => window.ready === true);
      const both = await page.evaluate((l) => window.runBoth(l), list);
      const failures = compare(list, both.wasm, both.js);
      assert.deepEqual(failures, [], `${failures.length} mismatches:\n${failures.join('\n')}`);
      const inWorker = await page.evaluate((l) => new Promise((resolve, reject) => {
        const w = new Worker('/worker.js', { type: 'module' });
        w.onmessage = (e) => { resolve(e.data); w.terminate(); };
        w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
        w.postMessage(l);
      }), list);
      assert.equal(inWorker.hasWindow, false);
      const workerFailures = compare(list, inWorker.wasm, inWorker.js);
      assert.deepEqual(workerFailures, [], `${workerFailures.length} mismatches in a Worker:\n${workerFailures.join('\n')}`);
      const strict = await browser.newPage();
      await strict.goto(`${O}/strict.html`);
      await strict.waitForFunction(() => window.ready === true);
      const underCsp = await strict.evaluate((l) => window.runJs(l), list);
      assert.deepEqual(underCsp, both.js, 'under the CSP the JS build answers as it does without one');
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
