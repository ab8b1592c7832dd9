// The installed package in JavaScript engines other than Node's default
// one: `node --jitless` (no WebAssembly at all), Bun and Deno (both the
// default entry and `genauth-logout/js`, and the admin entry against the
// local tenant), and Hermes, React Native's engine, which has no
// WebAssembly, no URL and no TextEncoder, with a bundle made under the
// `react-native` export condition the way Metro resolves it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import babel from '@babel/core';
import presetEnv from '@babel/preset-env';

import {
  BIN, PROBE, PROBE_EXPECTED, bundle, exec, here, installPackage, resultOf, startTenant, withoutMessages,
} from './harness.mjs';

let project;
let tenant;

before(async () => {
  project = await installPackage('engines');
  tenant = await startTenant();
});

after(async () => {
  await tenant?.stop();
  project?.cleanup();
});

/** An ES module in the project running PROBE on `specifier`. */
function probeModule(name, specifier) {
  const file = path.join(project.dir, name);
  fs.writeFileSync(file, `import * as lib from ${JSON.stringify(specifier)};\n${PROBE}\nprobe(lib, console.log);\n`);
  return file;
}

/** An ES module in the project kicking a user through `genauth-logout/admin` against the tenant. */
function kickModule(name) {
  const file = path.join(project.dir, name);
  fs.writeFileSync(file, `import { AdminClient, GenAuthError } from "genauth-logout/admin";
const out = {};
try {
  const admin = new AdminClient({ appDomain: ${JSON.stringify(tenant.url)}, userPoolId: ${JSON.stringify(tenant.userPoolId)}, token: ${JSON.stringify(tenant.token)}, retries: 0 });
  out.answer = await admin.kickActiveUsers("app-demo", ["user-alice"]);
} catch (e) {
  out.error = { code: e && e.code, message: e && e.message, isGenAuthError: e instanceof GenAuthError };
}
console.log("RESULT:" + JSON.stringify(out));
`);
  return file;
}

describe('node --jitless (no WebAssembly)', () => {
  test('genauth-logout/js answers exactly as the wasm build does in plain Node', async () => {
    const file = probeModule('probe-js.mjs', 'genauth-logout/js');
    const jitless = resultOf('node --jitless', await exec(process.execPath, ['--jitless', file], { cwd: project.dir }));
    assert.equal(typeof globalThis.WebAssembly, 'object');
    const noWasm = await exec(process.execPath, ['--jitless', '-p', 'typeof WebAssembly']);
    assert.equal(noWasm.stdout.trim(), 'undefined', 'node --jitless has no WebAssembly here');
    assert.deepEqual(withoutMessages(jitless), PROBE_EXPECTED);
    const wasm = resultOf('node', await exec(process.execPath, [probeModule('probe-wasm.mjs', 'genauth-logout')], { cwd: project.dir }));
    assert.deepEqual(jitless, wasm, 'the JS build and the wasm build give the same answers, messages included');
  });

  test('the default entry imports and configures; the first call throws wasm_unavailable naming the cause and the fix', async () => {
    const file = path.join(project.dir, 'jitless-default.mjs');
    fs.writeFileSync(file, `import * as lib from "genauth-logout";
const out = {};
try { lib.configure({ appDomain: "myapp.genauth.ai" }); out.configured = true; } catch (e) { out.configured = e.code || String(e); }
try { new lib.LogoutClient({ appDomain: "myapp.genauth.ai" }); out.client = true; } catch (e) { out.client = e.code || String(e); }
try { lib.buildLogoutUrl(); } catch (e) { out.error = { code: e.code, message: e.message, isGenAuthError: e instanceof lib.GenAuthError }; }
console.log("RESULT:" + JSON.stringify(out));
`);
    const r = resultOf('node --jitless', await exec(process.execPath, ['--jitless', file], { cwd: project.dir }));
    assert.equal(r.configured, true, 'configure() does not throw where WebAssembly is missing');
    assert.equal(r.client, true, 'new LogoutClient() does not throw where WebAssembly is missing');
    assert.equal(r.error?.code, 'wasm_unavailable');
    assert.equal(r.error.isGenAuthError, true);
    assert.match(r.error.message, /WebAssembly/);
    assert.match(r.error.message, /genauth-logout\/js/, 'the message names the fix');
    assert.doesNotMatch(r.error.message, /wasm-unsafe-eval|CSP/, 'no WebAssembly at all is not a CSP problem');
  });

  test('the admin entry fails with a GenAuthError, not a ReferenceError', async () => {
    const r = resultOf('node --jitless', await exec(process.execPath, ['--jitless', kickModule('kick-jitless.mjs')], { cwd: project.dir }));
    assert.equal(r.error?.isGenAuthError, true, JSON.stringify(r));
    assert.equal(r.error.code, 'wasm_unavailable');
  });
});

for (const engine of ['bun', 'deno']) {
  const command = (file) => engine === 'bun'
    ? [BIN.bun, ['run', file]]
    : [BIN.deno, ['run', '--quiet', '--allow-read', '--allow-env', '--allow-net=127.0.0.1', file]];
  const env = () => ({
    ...process.env,
    DENO_DIR: path.join(project.dir, '.deno'),
    DENO_NO_UPDATE_CHECK: '1',
    BUN_INSTALL_CACHE_DIR: path.join(project.dir, '.bun'),
    NO_COLOR: '1',
  });
  const runIn = async (file) => {
    const [cmd, args] = command(file);
    return resultOf(`${engine} ${path.basename(file)}`, await exec(cmd, args, { cwd: project.dir, env: env() }));
  };

  describe(engine, () => {
    test(`${engine} runs: version`, async () => {
      const r = await exec(BIN[engine], ['--version']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\d+\.\d+\.\d+/);
    });

    test('genauth-logout and genauth-logout/js give the same answers, messages included', async () => {
      const wasm = await runIn(probeModule(`${engine}-wasm.mjs`, 'genauth-logout'));
      const js = await runIn(probeModule(`${engine}-js.mjs`, 'genauth-logout/js'));
      assert.deepEqual(withoutMessages(wasm), PROBE_EXPECTED);
      assert.deepEqual(js, wasm);
    });

    test('genauth-logout/admin kicks a user at the local tenant', async () => {
      const r = await runIn(kickModule(`${engine}-kick.mjs`));
      assert.deepEqual(r, { answer: { code: 200, message: 'Forced offline successful' } });
      const reqs = await tenant.requests();
      assert.equal(reqs.at(-1).path, '/api/applications/app-demo/kick-active-users');
    });
  });
}

describe('Hermes (React Native\'s engine)', () => {
  test('hermes runs here', async () => {
    const r = await exec(BIN.hermes, ['-version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Hermes release version/);
  });

  test('a bundle resolved with the react-native condition answers, and logout calls navigate', async () => {
    // What Metro does for a React Native app, step by step: resolve
    // `exports` with the `react-native` condition, bundle, lower the syntax
    // Hermes lacks with Babel (Metro's preset does the same), and run the
    // result in Hermes. React Native's global URL has no parser, so apps
    // install a WHATWG URL polyfill first (react-native-url-polyfill's
    // implementation, whatwg-url-without-unicode, set as the global here
    // with the Buffer it reads).
    const entry = path.join(project.dir, 'hermes-app.js');
    fs.writeFileSync(entry, `import { Buffer } from "buffer";
import { URL, URLSearchParams } from "whatwg-url-without-unicode";
globalThis.Buffer = Buffer;
globalThis.URL = URL;
globalThis.URLSearchParams = URLSearchParams;
const lib = require("genauth-logout");
${PROBE}
probe(lib, print);
`);
    const bundled = path.join(project.dir, 'hermes-bundle.js');
    const result = await bundle(entry, bundled, {
      format: 'iife',
      platform: 'neutral',
      conditions: ['react-native'],
      mainFields: ['react-native', 'browser', 'main'],
      nodePaths: [path.join(here, 'node_modules')],
      target: 'es2020',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((p) => p.includes('genauth-logout/dist/js/')), `the react-native condition picks the JS build: ${inputs.join(', ')}`);
    assert.ok(!inputs.some((p) => /genauth-logout\/dist\/(main|edge)\//.test(p)), 'and nothing of the wasm builds');
    const source = fs.readFileSync(bundled, 'utf8');
    assert.doesNotMatch(source, /WebAssembly\.(Module|Instance|instantiate|compile|validate)\b/, 'no WebAssembly in the React Native bundle');
    const lowered = babel.transformSync(source, {
      babelrc: false,
      configFile: false,
      compact: false,
      presets: [[presetEnv, { targets: { ie: '11' }, modules: false, exclude: ['transform-regenerator', 'transform-async-to-generator'] }]],
    }).code;
    const out = path.join(project.dir, 'hermes-app.hermes.js');
    fs.writeFileSync(out, lowered);
    const r = await exec(BIN.hermes, ['-w', out], { cwd: project.dir });
    assert.deepEqual(withoutMessages(resultOf('hermes', r)), PROBE_EXPECTED);
  });

  test('without a URL implementation the first call names the missing API (no wrong answer)', async () => {
    const entry = path.join(project.dir, 'hermes-no-url.js');
    fs.writeFileSync(entry, `const lib = require("genauth-logout");
let out;
try { lib.configure({ appDomain: "myapp.genauth.ai" }); out = { value: lib.buildLogoutUrl() }; }
catch (e) { out = { code: e.code, message: e.message, isGenAuthError: e instanceof lib.GenAuthError }; }
print("RESULT:" + JSON.stringify(out));
`);
    const bundled = path.join(project.dir, 'hermes-no-url.bundle.js');
    await bundle(entry, bundled, { format: 'iife', platform: 'neutral', conditions: ['react-native'], target: 'es2020' });
    const lowered = babel.transformSync(fs.readFileSync(bundled, 'utf8'), {
      babelrc: false,
      configFile: false,
      presets: [[presetEnv, { targets: { ie: '11' }, modules: false, exclude: ['transform-regenerator', 'transform-async-to-generator'] }]],
    }).code;
    fs.writeFileSync(bundled, lowered);
    const r = resultOf('hermes', await exec(BIN.hermes, ['-w', bundled], { cwd: project.dir }));
    assert.equal(r.code, 'wasm_unavailable', JSON.stringify(r));
    assert.equal(r.isGenAuthError, true);
    assert.match(r.message, /\bURL\b/);
  });
});
