// The packed tarball in a fresh Vite app: install, `vite build`, serve dist/,
// click Logout in Chromium.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { assertBrowserModuleOnly, clickLogoutInBuiltApp, filesUnder, jsBytes, prepareApp, runBundler } from './bundled.mjs';

let app;
before(async () => { app = await prepareApp('vite'); });
after(() => { if (app) fs.rmSync(app.dir, { recursive: true, force: true }); });

test('vite build of an app importing genauth-logout; its Logout button reaches the tenant with the right redirect_uri', { timeout: 180_000 }, async () => {
  const dist = path.join(app.dir, 'dist');
  await runBundler('vite/bin/vite.js', ['build', '--logLevel', 'warn', '--outDir', dist, '--emptyOutDir'], app.dir);
  const files = filesUnder(dist);
  assert.ok(files.includes('index.html'), `index.html in ${files.join(', ')}`);
  assert.ok(files.some((f) => f.endsWith('.js')), 'a JavaScript bundle');
  const bundle = files.filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dist, f), 'utf8')).join('\n');
  assertBrowserModuleOnly(bundle);
  process.stdout.write(`vite: ${files.join(', ')}; ${jsBytes(dist)} bytes of JavaScript\n`);
  await clickLogoutInBuiltApp('vite', dist);
});
