// Cloudflare's workerd through Miniflare, with a Worker bundled the way
// wrangler bundles one: esbuild with the `workerd`, `worker` and `browser`
// conditions, and every imported `.wasm` (or `.wasm?module`) file kept out
// of the bundle as a module of its own that workerd compiles ahead of time
// (wrangler's CompiledWasm rule). workerd refuses code generation at run
// time, so a package that compiles bytes in the Worker fails there.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Miniflare } from 'miniflare';

import { EXAMPLE, bundle, installPackage, startTenant } from './harness.mjs';

let project;
let tenant;
let mf;
let built;

/**
 * esbuild's build as wrangler makes it. Returns the Worker's modules for
 * Miniflare: the bundle, then each `.wasm` file it imports.
 */
async function wranglerBundle(entry, outdir) {
  const wasm = [];
  const collectWasm = {
    name: 'wasm-modules',
    setup(build) {
      build.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
        const file = path.resolve(args.resolveDir, args.path.replace(/\?module$/, ''));
        const bytes = fs.readFileSync(file);
        const name = `${createHash('sha1').update(bytes).digest('hex')}-${path.basename(file)}`;
        fs.writeFileSync(path.join(outdir, name), bytes);
        wasm.push({ type: 'CompiledWasm', path: path.join(outdir, name), contents: bytes });
        return { path: `./${name}`, external: true };
      });
    },
  };
  fs.mkdirSync(outdir, { recursive: true });
  const result = await bundle(entry, path.join(outdir, 'worker.js'), {
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    plugins: [collectWasm],
  });
  const script = fs.readFileSync(path.join(outdir, 'worker.js'), 'utf8');
  return {
    inputs: Object.keys(result.metafile.inputs),
    script,
    modules: [{ type: 'ESModule', path: path.join(outdir, 'worker.js'), contents: script }, ...wasm],
    wasm,
  };
}

const WORKER = `import { configure, buildLogoutUrl, LogoutClient, GenAuthError } from "genauth-logout";
import { AdminClient, GenAuthError as AdminError } from "genauth-logout/admin";

const attempt = async (fn) => {
  try { return { value: await fn() }; }
  catch (e) { return { code: e && e.code, message: e && e.message, isGenAuthError: e instanceof GenAuthError || e instanceof AdminError, name: e && e.name }; }
};

export default {
  async fetch(request, env) {
    const out = {};
    out.example = await attempt(() => { configure({ appDomain: ${JSON.stringify(EXAMPLE.appDomain)} }); return buildLogoutUrl(${JSON.stringify(EXAMPLE.redirect)}); });
    out.client = await attempt(() => new LogoutClient({ appDomain: "myapp.genauth.ai" }).buildLogoutUrl("https://app.example.com/after"));
    out.refused = await attempt(() => new LogoutClient({ appDomain: "javascript:alert(1)" }));
    out.kick = await attempt(() => new AdminClient({ appDomain: env.TENANT, userPoolId: env.POOL, token: env.TOKEN, retries: 0 })
      .kickActiveUsers("app-demo", ["user-alice"]));
    return Response.json(out);
  },
};
`;

before(async () => {
  project = await installPackage('workerd');
  tenant = await startTenant();
  const entry = path.join(project.dir, 'worker-src.js');
  fs.writeFileSync(entry, WORKER);
  built = await wranglerBundle(entry, path.join(project.dir, 'worker-dist'));
  mf = new Miniflare({
    modules: built.modules,
    modulesRoot: path.join(project.dir, 'worker-dist'),
    compatibilityDate: '2025-09-01',
    bindings: { TENANT: tenant.url, POOL: tenant.userPoolId, TOKEN: tenant.token },
  });
});

after(async () => {
  await mf?.dispose();
  await tenant?.stop();
  project?.cleanup();
});

describe('workerd (Miniflare), bundled as wrangler bundles', () => {
  test('the bundle loads the modules from real .wasm files, compiled by workerd, none inlined', () => {
    assert.ok(built.wasm.length >= 1, `no .wasm module in the Worker: inputs ${built.inputs.join(', ')}`);
    const inlined = built.inputs.filter((p) => /genauth-logout\/dist\/(main|admin)\/wasm\.js$/.test(p));
    assert.deepEqual(inlined, [], 'no inlined module in the Worker');
    assert.ok(built.inputs.some((p) => p.includes('genauth-logout/dist/edge/')), 'the workerd condition picks the edge build');
  });

  test('buildLogoutUrl and LogoutClient answer; a refused domain is a GenAuthError', async () => {
    const res = await mf.dispatchFetch('http://worker.test/');
    const out = await res.json();
    assert.deepEqual(out.example, { value: EXAMPLE.url });
    assert.deepEqual(out.client, {
      value: 'https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fafter',
    });
    assert.equal(out.refused.code, 'invalid_app_domain', JSON.stringify(out.refused));
    assert.equal(out.refused.isGenAuthError, true);
  });

  test('AdminClient.kickActiveUsers reaches the local tenant', async () => {
    const res = await mf.dispatchFetch('http://worker.test/');
    const out = await res.json();
    assert.deepEqual(out.kick, { value: { code: 200, message: 'Forced offline successful' } }, JSON.stringify(out.kick));
    const reqs = await tenant.requests();
    const last = reqs.at(-1);
    assert.equal(last.path, '/api/applications/app-demo/kick-active-users');
    assert.equal(last.headers.authorization, `Bearer ${tenant.token}`);
  });
});
