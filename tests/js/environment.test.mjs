// Where the browser module cannot run (no WebAssembly, a runtime or a CSP
// that refuses to compile it, no global URL), configuring does not throw:
// the first call that needs the core throws GenAuthError wasm_unavailable,
// naming the cause and the fix, before anything is cleared or navigated.
// Where it runs, a bad configuration still throws at configure(). And no
// global TextEncoder/TextDecoder is needed (Jest's jsdom has none).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { installPackage, probe } from './helpers.mjs';

let project;

before(async () => {
  project = await installPackage('environment');
});

after(() => project?.cleanup());

// Runs the probe after `setup` (a statement run before the first call).
const run = (setup, nodeArgs) =>
  probe(
    project,
    'esm',
    `${setup}
const navigated = [];
const configured = attempt(() => lib.configure({ appDomain: "myapp.genauth.ai", clearStorageKeys: ["t"], navigate: (u) => navigated.push(u) }));
const client = attempt(() => new lib.LogoutClient({ appDomain: "myapp.genauth.ai" }));
const bad = attempt(() => lib.configure({ appDomain: "http://myapp.genauth.ai" }));
lib.configure({ appDomain: "myapp.genauth.ai", navigate: (u) => navigated.push(u) });
const url = attempt(() => lib.buildLogoutUrl("https://app.example.com/a"));
const out = attempt(() => lib.logout());
const center = attempt(() => new lib.LogoutClient({ appDomain: "myapp.genauth.ai" }).personalCenterUrl());
report({ configured, client: client.threw ? client : "ok", bad, url, out, center, navigated });`,
    { nodeArgs },
  );

function assertUnavailable(r, ...mentions) {
  assert.equal(r.configured.threw, undefined, `configure threw: ${JSON.stringify(r.configured)}`);
  assert.equal(r.client, 'ok');
  assert.equal(r.bad.threw, undefined, 'the check of a bad config is left to the first call');
  for (const e of [r.url, r.out, r.center]) {
    assert.equal(e.threw, true);
    assert.equal(e.code, 'wasm_unavailable');
    assert.equal(e.isGenAuthError, true);
    for (const m of mentions) assert.ok(e.message.includes(m), `${JSON.stringify(e.message)} names ${m}`);
  }
  assert.deepEqual(r.navigated, [], 'nothing is navigated');
}

describe('environment failures are deferred to the first call', () => {
  test('node --jitless: no WebAssembly', async () => {
    const r = await run('', ['--jitless']);
    assertUnavailable(r, 'WebAssembly', 'genauth-logout/js');
    assert.ok(!/CSP|Content-Security/.test(r.url.message), 'not blamed on CSP');
  });

  test('a runtime that refuses to compile WebAssembly (as workerd does)', async () => {
    const r = await run(`WebAssembly.Module = function () { throw new WebAssembly.CompileError("WebAssembly.Module(): Wasm code generation disallowed by embedder"); };`);
    assertUnavailable(r, 'refused to compile', 'disallowed by embedder', 'genauth-logout/js');
  });

  test('a Content-Security-Policy without wasm-unsafe-eval (as Chromium words it)', async () => {
    const r = await run(`WebAssembly.Module = function () { throw new WebAssembly.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \\"script-src 'self'\\""); };`);
    assertUnavailable(r, "'wasm-unsafe-eval'", 'script-src', 'genauth-logout/js');
  });

  test('no global URL', async () => {
    const r = await run('delete globalThis.URL;');
    assertUnavailable(r, 'URL');
  });
});

describe('where the module runs', () => {
  test('a bad configuration throws at configure(), and no TextEncoder/TextDecoder is needed', async () => {
    const r = await run('delete globalThis.TextEncoder; delete globalThis.TextDecoder;');
    assert.equal(r.configured.threw, undefined);
    assert.equal(r.client, 'ok');
    assert.equal(r.bad.code, 'invalid_app_domain');
    assert.equal(r.url.value, 'https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fa');
    assert.equal(r.out.value, undefined);
    assert.equal(r.out.threw, undefined);
    assert.equal(r.center.value, 'https://myapp.genauth.ai/u');
    assert.deepEqual(r.navigated, ['https://myapp.genauth.ai/login/profile/logout']);
  });

  test('strings cross as they are: non-ASCII text, astral characters, lone surrogates refused', async () => {
    const r = await probe(
      project,
      'esm',
      `lib.configure({ appDomain: "myapp.genauth.ai", protocol: "oidc" });
report({
  ok: attempt(() => lib.buildLogoutUrl("https://app.example.com/é😀?q=€", { state: "\\u00e9\\u{1F600}\\u0000x" })),
  loneRedirect: attempt(() => lib.buildLogoutUrl("https://app.example.com/\\uD800")),
  loneState: attempt(() => lib.buildLogoutUrl(undefined, { state: "a\\uDC00" })),
  loneKey: attempt(() => lib.buildLogoutUrl(undefined, { ["st\\uD800"]: "x" })),
  loneList: attempt(() => new lib.LogoutClient({ appDomain: "myapp.genauth.ai", allowedRedirectOrigins: ["https://a.example", "https://b\\uDBFF.example"] })),
  longKey: attempt(() => lib.buildLogoutUrl(undefined, { ["k".repeat(100)]: "x" })),
});`,
    );
    assert.equal(
      r.ok.value,
      'https://myapp.genauth.ai/oidc/session/end?post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F%C3%A9%F0%9F%98%80%3Fq%3D%E2%82%AC&state=%C3%A9%F0%9F%98%80%00x',
    );
    assert.equal(r.loneRedirect.code, 'invalid_redirect');
    assert.equal(r.loneState.code, 'invalid_option');
    assert.equal(r.loneState.message, 'state must be a string');
    assert.equal(r.loneKey.code, 'invalid_option');
    assert.equal(r.loneList.code, 'invalid_option');
    assert.equal(r.loneList.message, 'allowedRedirectOrigins must be an array of strings');
    assert.equal(r.longKey.code, 'invalid_option');
    assert.equal(r.longKey.message, 'k'.repeat(64) + '… is not an option');
  });
});
