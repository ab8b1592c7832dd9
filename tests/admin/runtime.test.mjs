// Every failure of the admin entry is a GenAuthError, in every runtime:
// where WebAssembly is missing (node --jitless, a real child process) or
// where the runtime refuses to compile it (as Cloudflare workerd and a
// strict Content-Security-Policy do; here the engine's refusal is stood in
// for by a WebAssembly.Module that throws the engines' own errors), the
// import succeeds and `new AdminClient` throws GenAuthError
// `wasm_unavailable` naming the cause. The precompiled-module path such
// runtimes use (dist/admin/genauth_logout_admin_bg.wasm, handed over as a
// WebAssembly.Module) is exercised too.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';

import { installPackage, runChild } from './harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG_DIR = process.env.GENAUTH_PKG_DIR || path.join(repoRoot, 'pkg');

before(() => installPackage());

const OPTIONS = "{ appDomain: 'myapp.genauth.ai', userPoolId: 'pool', token: 'tok' }";

/** A child script body that reports what `new AdminClient` threw, as JSON. */
const probe = (prelude = '') => `
${prelude}
const out = { webAssembly: typeof WebAssembly, imported: true };
try {
  new AdminClient(${OPTIONS});
  out.threw = false;
} catch (e) {
  out.threw = true;
  out.isGenAuthError = e instanceof GenAuthError;
  out.sameClass = e instanceof MainGenAuthError;
  out.name = e.name;
  out.code = e.code;
  out.message = e.message;
}
// A second try reports the same, not a half-initialised module.
try { new AdminClient(${OPTIONS}); out.second = 'none'; } catch (e) { out.second = e.code; }
console.log(JSON.stringify(out));
`;

/**
 * Script text that makes compiling bytes throw `message` as a CompileError,
 * while an already compiled module stays a WebAssembly.Module (as in an
 * engine whose embedder disallows code generation).
 */
const refuseBytes = (message) => `{
  const Real = WebAssembly.Module;
  const Refusing = function Module() { throw new WebAssembly.CompileError(${JSON.stringify(message)}); };
  Refusing.prototype = Real.prototype;
  WebAssembly.Module = Refusing;
}`;

function report({ code, stdout, stderr }) {
  assert.equal(code, 0, `child exited ${code}\n${stdout}\n${stderr}`);
  const line = stdout.trim().split('\n').pop();
  return JSON.parse(line);
}

describe('no WebAssembly: node --jitless', () => {
  for (const kind of ['import', 'require']) {
    test(`${kind}: loads, then new AdminClient throws GenAuthError wasm_unavailable`, async () => {
      const load = kind === 'import'
        ? "import { AdminClient, GenAuthError } from 'genauth-logout/admin';\nimport { GenAuthError as MainGenAuthError } from 'genauth-logout';"
        : "const { AdminClient, GenAuthError } = require('genauth-logout/admin');\nconst MainGenAuthError = GenAuthError;";
      const out = report(await runChild(probe(load), { flags: ['--jitless'], ext: kind === 'import' ? 'mjs' : 'cjs' }));
      assert.equal(out.webAssembly, 'undefined', 'the child really has no WebAssembly');
      assert.equal(out.threw, true);
      assert.equal(out.isGenAuthError, true, JSON.stringify(out));
      assert.equal(out.sameClass, true);
      assert.equal(out.name, 'GenAuthError');
      assert.equal(out.code, 'wasm_unavailable');
      assert.match(out.message, /no WebAssembly/);
      assert.match(out.message, /--jitless/);
      assert.doesNotMatch(out.message, /Content-Security-Policy|code generation/);
      assert.equal(out.second, 'wasm_unavailable');
    });
  }
});

describe('WebAssembly present but compiling refused', () => {
  const refusing = (message) => `
import { AdminClient, GenAuthError } from 'genauth-logout/admin';
import { GenAuthError as MainGenAuthError } from 'genauth-logout';
${refuseBytes(message)}
`;

  test('code generation disallowed by the runtime (workerd\'s error): wasm_unavailable naming it', async () => {
    const out = report(await runChild(probe(refusing('WebAssembly.Module(): Wasm code generation disallowed by embedder'))));
    assert.equal(out.isGenAuthError, true, JSON.stringify(out));
    assert.equal(out.code, 'wasm_unavailable');
    assert.match(out.message, /refuses to compile WebAssembly/);
    assert.match(out.message, /genauth_logout_admin_bg\.wasm/);
    assert.match(out.message, /disallowed by embedder/);
    assert.equal(out.second, 'wasm_unavailable');
  });

  test('a Content-Security-Policy without wasm-unsafe-eval (Chromium\'s error): wasm_unavailable naming it', async () => {
    const out = report(await runChild(probe(refusing(
      "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an " +
        "allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"",
    ))));
    assert.equal(out.code, 'wasm_unavailable', JSON.stringify(out));
    assert.match(out.message, /Content-Security-Policy/);
    assert.match(out.message, /'wasm-unsafe-eval'/);
  });

  test('any other failure to load is wasm_unavailable with the engine\'s words, never a raw error', async () => {
    const out = report(await runChild(probe(`
import { AdminClient, GenAuthError } from 'genauth-logout/admin';
import { GenAuthError as MainGenAuthError } from 'genauth-logout';
WebAssembly.Instance = function Instance() { throw new RangeError('out of memory: cannot allocate Wasm memory'); };
`)));
    assert.equal(out.isGenAuthError, true, JSON.stringify(out));
    assert.equal(out.code, 'wasm_unavailable');
    assert.match(out.message, /could not be loaded: out of memory/);
  });
});

describe('the shipped .wasm file, precompiled (the path of runtimes that import .wasm)', () => {
  test('defineAdminClient over a WebAssembly.Module from dist/admin/genauth_logout_admin_bg.wasm kicks users', async () => {
    const out = report(await runChild(`
import * as fs from 'node:fs';
import { defineAdminClient, GenAuthError } from './node_modules/genauth-logout/dist/admin/facade.js';
const file = new URL('./node_modules/genauth-logout/dist/admin/genauth_logout_admin_bg.wasm', import.meta.url);
const module = new WebAssembly.Module(fs.readFileSync(file));
// From here on compiling bytes is refused, as in workerd: only the module works.
${refuseBytes('Wasm code generation disallowed by embedder')}
const AdminClient = defineAdminClient(() => module);
const fetch = async (url, init) => ({
  status: 200, headers: { get: () => null },
  text: async () => JSON.stringify({ code: 200, message: url + ' ' + init.body }),
});
const client = new AdminClient({ ...${OPTIONS}, fetch });
const answer = await client.kickActiveUsers('app-1', ['u1']);
let bad;
try { await client.kickActiveUsers('..', ['u1']); } catch (e) { bad = { isGenAuthError: e instanceof GenAuthError, code: e.code }; }
console.log(JSON.stringify({ answer, bad }));
`));
    assert.deepEqual(out.answer, {
      code: 200,
      message: 'https://myapp.genauth.ai/api/applications/app-1/kick-active-users {"userIds":["u1"],"appId":"app-1"}',
    });
    assert.deepEqual(out.bad, { isGenAuthError: true, code: 'invalid_option' });
  });
});

describe('what the package ships for the admin module', () => {
  test('glue.js is wasm-bindgen\'s output as generated; the .wasm file and the inlined bytes are one module', async (t) => {
    const dist = path.join(PKG_DIR, 'dist', 'admin');
    const generated = path.join(repoRoot, 'target', 'bindgen', 'admin', 'genauth_logout_admin.js');
    if (!fs.existsSync(generated)) {
      t.skip('no wasm-bindgen output in target/bindgen (package built elsewhere)');
      return;
    }
    assert.ok(fs.readFileSync(path.join(dist, 'glue.js')).equals(fs.readFileSync(generated)), 'glue.js was edited');
    const file = fs.readFileSync(path.join(dist, 'genauth_logout_admin_bg.wasm'));
    const { wasmBytes } = await import(pathToFileURL(path.join(dist, 'wasm.js')).href);
    assert.ok(Buffer.from(wasmBytes).equals(file), 'wasm.js and the .wasm file differ');
    assert.ok(WebAssembly.validate(file));
  });
});
