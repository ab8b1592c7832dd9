// Shared by vite.test.mjs and webpack.test.mjs: a fresh app with the packed
// tarball installed, built by a bundler, served from its output directory and
// clicked in Chromium against the emulator.
import { execFile } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { inlinedModules } from '../../bench/inline-wasm.mjs';

import {
  expectedLogoutUrl, freePort, here, installPackage, launchBrowser, newContext, shot, startEmulator,
  startServer, teardown, tenantMe,
} from './harness.mjs';

const run = promisify(execFile);

/** A temp project with the tarball installed and the app's sources (index.html, main.js). */
export async function prepareApp(prefix) {
  const app = await installPackage(prefix, { type: 'module' });
  for (const file of ['index.html', 'main.js']) {
    fs.copyFileSync(path.join(here, 'bundler-app', file), path.join(app.dir, file));
  }
  return app;
}

/** Run a bundler's CLI (a Node script from tests/e2e/node_modules) in `cwd`, bounded in time. */
export async function runBundler(script, args, cwd) {
  try {
    return await run(process.execPath, [path.join(here, 'node_modules', script), ...args], {
      cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' },
    });
  } catch (err) {
    throw new Error(`${script} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/** Total bytes of the .js files under `dir` (the bundle a browser downloads). */
/**
 * Asserts that the bundle's JavaScript (`bundle`, read as UTF-8) carries the
 * browser module inlined exactly once and no admin code: the admin entry's
 * names are looked for in the JavaScript and inside the module, which is
 * stored masked (bench/inline-wasm.mjs) so a plain text search cannot see
 * its strings.
 */
export function assertBrowserModuleOnly(bundle) {
  const modules = inlinedModules(bundle);
  assert.equal(modules.length, 1, `the browser module, inlined once (found ${modules.map((m) => m.form).join(', ') || 'none'})`);
  assert.ok(WebAssembly.validate(modules[0].bytes), 'the decoded module is valid WebAssembly');
  assert.ok(modules[0].bytes.toString('latin1').includes('/login/profile/logout'), 'the decoded module builds logout URLs');
  for (const text of [bundle, modules[0].bytes.toString('latin1')]) {
    assert.doesNotMatch(text, /AdminClient|kick-active-users/, 'the admin entry stays out of the browser bundle');
  }
}

export function jsBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.js')) total += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

/** Every file under `dir`, relative. */
export function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/**
 * Serve `distDir` on a loopback port registered with a fresh emulator, sign
 * in at the tenant, click the app's Logout button, and check the browser
 * lands on the tenant's logout URL with the right redirect_uri and comes back
 * signed out.
 */
export async function clickLogoutInBuiltApp(name, distDir) {
  const env = { cleanups: [] };
  try {
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      env.app = `http://127.0.0.1:${port}`;
      env.emulator = await startEmulator(env.app, [`${env.app}/`]);
      env.tenant = env.emulator.url;
      try {
        env.server = await startServer(`static-server (${name})`, process.execPath, [
          path.join(here, 'static-server.mjs'), '--root', distDir, '--port', String(port),
        ], /^static-server listening on (http:\/\/127\.0\.0\.1:\d+)$/);
        env.cleanups.push(env.emulator.stop, env.server.stop);
        break;
      } catch (err) {
        await env.emulator.stop();
        if (attempt >= 3 || !/EADDRINUSE|exited/.test(err.message)) throw err;
      }
    }
    env.browser = await launchBrowser();
    env.cleanups.push(() => env.browser.close());
    const { context, rec } = await newContext(env.browser);
    const page = await context.newPage();

    // Sign in at the tenant, which sends the browser to the built app.
    const start = `${env.app}/?tenant=${encodeURIComponent(env.tenant)}`;
    await page.goto(`${env.tenant}/login?redirect_uri=${encodeURIComponent(start)}`);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'alice');
    await page.click('#sign-in');
    await page.waitForURL(start);
    await page.waitForSelector('#status[data-state="ready"]');
    assert.equal((await tenantMe(context, env)).signedIn, true, 'control: signed in at the tenant');
    await shot(page, `${name}-01-built-app`);

    const from = page.navigations.length;
    await page.click('#logout');
    await page.waitForURL(`${env.app}/`, { waitUntil: 'load' });
    await page.waitForSelector('#status[data-state="no-tenant"]');
    await shot(page, `${name}-02-landed`);

    const trips = page.navigations.slice(from).map((r) => r.url());
    assert.deepEqual(trips, [expectedLogoutUrl(env, `${env.app}/`), `${env.app}/`]);
    assert.deepEqual(await tenantMe(context, env), { signedIn: false, user: null });
    assert.deepEqual(rec.blocked, []);
    assert.deepEqual(rec.errors, []);
    await context.close();
  } finally {
    await teardown(env);
  }
}
