// The packed tarball in a fresh webpack 5 app: install, `webpack` (the CLI),
// serve the output, click Logout in Chromium.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { assertBrowserModuleOnly, clickLogoutInBuiltApp, filesUnder, jsBytes, prepareApp, runBundler } from './bundled.mjs';

let app;
before(async () => { app = await prepareApp('webpack'); });
after(() => { if (app) fs.rmSync(app.dir, { recursive: true, force: true }); });

test('webpack 5 build of an app importing genauth-logout; its Logout button reaches the tenant with the right redirect_uri', { timeout: 180_000 }, async () => {
  const dist = path.join(app.dir, 'dist');
  // The configuration a user would write: nothing about WebAssembly.
  fs.writeFileSync(path.join(app.dir, 'webpack.config.mjs'), `export default {
  mode: 'production',
  entry: './main.js',
  output: { path: ${JSON.stringify(dist)}, filename: 'main.js', clean: true },
};
`);
  await runBundler('webpack-cli/bin/cli.js', ['--config', 'webpack.config.mjs', '--no-color'], app.dir);
  // The page loads the bundle webpack wrote.
  const html = fs.readFileSync(path.join(app.dir, 'index.html'), 'utf8');
  fs.writeFileSync(path.join(dist, 'index.html'), html.replace('<script type="module" src="/main.js"></script>', '<script src="/main.js" defer></script>'));
  const files = filesUnder(dist);
  const bundle = files.filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dist, f), 'utf8')).join('\n');
  assertBrowserModuleOnly(bundle);
  process.stdout.write(`webpack: ${files.join(', ')}; ${jsBytes(dist)} bytes of JavaScript\n`);
  await clickLogoutInBuiltApp('webpack', dist);
});
