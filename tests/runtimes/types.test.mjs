// `genauth-logout/js` has the same types as `genauth-logout`: a strict
// TypeScript consumer in a fresh project with the tarball installed
// resolves both through the package's `exports` (ESM, `bundler` and
// `node16` resolution, and CommonJS), and the same value type-checks
// against both.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';

import { exec, installPackage, repoRoot } from './harness.mjs';

const TSC = path.join(repoRoot, 'tools', 'node_modules', '.bin', 'tsc');

let project;

before(async () => {
  project = await installPackage('types');
});

after(() => project?.cleanup());

const CONSUMER = `import * as wasm from "genauth-logout";
import * as js from "genauth-logout/js";
import type { LogoutConfig, GenAuthErrorCode } from "genauth-logout/js";

const config: LogoutConfig = { appDomain: "myapp.genauth.ai", navigate: (url: string) => void url };
js.configure(config);
const url: string = js.buildLogoutUrl("https://app.example.com/after");
const client: wasm.LogoutClient = new js.LogoutClient(config);
const same: typeof wasm.buildLogoutUrl = js.buildLogoutUrl;
const code: GenAuthErrorCode = "wasm_unavailable";
// @ts-expect-error appDomain is required
js.configure({});
export { url, client, same, code };
`;

for (const [label, options, ext] of [
  ['ESM, bundler resolution', { module: 'ESNext', moduleResolution: 'bundler' }, 'ts'],
  ['ESM, node16 resolution', { module: 'node16', moduleResolution: 'node16' }, 'mts'],
  ['CommonJS, node16 resolution', { module: 'node16', moduleResolution: 'node16' }, 'cts'],
]) {
  test(`tsc, ${label}: genauth-logout/js has the default entry's types`, async () => {
    const dir = path.join(project.dir, label.replace(/\W+/g, '-'));
    fs.mkdirSync(dir);
    const file = `consumer.${ext}`;
    const source = ext === 'cts'
      ? CONSUMER.replace('import * as wasm from "genauth-logout";\nimport * as js from "genauth-logout/js";\n',
        'import wasm = require("genauth-logout");\nimport js = require("genauth-logout/js");\n').replace('export { url, client, same, code };', 'export = { url, client, same, code };')
      : CONSUMER;
    fs.writeFileSync(path.join(dir, file), source);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false, ...options },
      files: [file],
    }));
    const r = await exec(TSC, ['-p', path.join(dir, 'tsconfig.json')], { cwd: dir });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  });
}
