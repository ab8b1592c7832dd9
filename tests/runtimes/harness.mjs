// Shared pieces of the runtime tests: the packed tarball installed into a
// fresh temp project the way a user installs it, the runtimes pinned in this
// area's lockfile (Bun, Deno, workerd through Miniflare, Jest, Hermes),
// bundles made with esbuild the way each runtime's own tooling makes them, a
// loopback page server with a strict Content-Security-Policy, and the local
// GenAuth tenant (genauth-emulator) for the admin entry.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

import { TARBALL, installTarball } from '../support/package.mjs';
import { startProcess } from '../support/process.mjs';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export { TARBALL };
export const EMULATOR_BIN =
  process.env.GENAUTH_EMULATOR_BIN || path.join(repoRoot, 'target', 'debug', 'genauth-emulator');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
export const CASES_FILE = path.join(repoRoot, 'tests', 'data', 'logout_cases.json');

/** Where this area's pinned runtimes live. */
const modules = path.join(here, 'node_modules');
export const BIN = {
  bun: path.join(modules, 'bun', 'bin', 'bun.exe'),
  deno: path.join(modules, '.bin', 'deno'),
  hermes: path.join(modules, 'hermes-engine-cli', 'linux64-bin', 'hermes'),
  jest: path.join(modules, 'jest', 'bin', 'jest.js'),
};
for (const [name, file] of Object.entries(BIN)) {
  if (!fs.existsSync(file)) BIN[name] = path.join(modules, '.bin', name);
}
export const JSDOM_ENV = path.join(modules, 'jest-environment-jsdom');

/** The example and its exact answer (DESIGN.md). */
export const EXAMPLE = {
  appDomain: 'myapp.genauth.ai',
  redirect: 'https://app.example.com/a?b=c&d=é',
  url: 'https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fa%3Fb%3Dc%26d%3D%C3%A9',
};

/** The shared contract table's cases. */
export function loadCases() {
  const table = JSON.parse(fs.readFileSync(CASES_FILE, 'utf8'));
  if (!Array.isArray(table.cases) || table.cases.length < 100) {
    throw new Error(`${CASES_FILE}: expected more than 100 cases`);
  }
  return table.cases;
}

/** A fresh temp project with the tarball installed; `cleanup()` removes it. */
export async function installPackage(label) {
  const { dir, pkgDir } = await installTarball(`runtimes-${label}`, {
    name: `runtimes-${label}`,
    private: true,
    type: 'module',
  });
  return { dir, pkgDir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `execFile` as a promise that always resolves with code, stdout and stderr. */
export function exec(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 60_000, maxBuffer: 64 << 20, ...opts }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, signal: error?.signal, stdout, stderr });
    });
  });
}

/**
 * The JSON value a child printed on its `RESULT:` line; throws with the
 * child's output when it printed none.
 */
export function resultOf(what, r) {
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT:'));
  if (!line) {
    throw new Error(`${what} printed no result (exit ${r.code}${r.signal ? ', ' + r.signal : ''})\n` +
      `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  return JSON.parse(line.slice('RESULT:'.length));
}

/**
 * The probe every engine runs: the example, a refused app domain, a
 * LogoutClient, and `logout` with a `navigate` callback, each answer or
 * error recorded. `lib` is the imported entry, `print` the engine's way to
 * write one line.
 */
export const PROBE = `
function probe(lib, print) {
  const out = {};
  const attempt = (name, fn) => {
    try { out[name] = { value: fn() }; }
    catch (e) { out[name] = { code: e && e.code, message: e && e.message, isGenAuthError: e instanceof lib.GenAuthError }; }
  };
  attempt('example', () => { lib.configure({ appDomain: ${JSON.stringify(EXAMPLE.appDomain)} }); return lib.buildLogoutUrl(${JSON.stringify(EXAMPLE.redirect)}); });
  attempt('refused', () => { lib.configure({ appDomain: 'https://myapp.genauth.ai/path' }); return lib.buildLogoutUrl(); });
  attempt('client', () => new lib.LogoutClient({ appDomain: 'myapp.genauth.ai' }).personalCenterUrl());
  attempt('navigate', () => {
    const seen = [];
    lib.configure({ appDomain: 'myapp.genauth.ai', navigate: (url) => seen.push(url) });
    lib.logout('https://app.example.com/after');
    return seen;
  });
  print('RESULT:' + JSON.stringify(out));
}
`;

/** What PROBE must report wherever the package runs. */
export const PROBE_EXPECTED = {
  example: { value: EXAMPLE.url },
  refused: { code: 'invalid_app_domain' },
  client: { value: 'https://myapp.genauth.ai/u' },
  navigate: {
    value: ['https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fafter'],
  },
};

/** PROBE's answers with error messages left out (the codes are the contract). */
export function withoutMessages(result) {
  return Object.fromEntries(
    Object.entries(result).map(([k, v]) => [k, 'value' in v ? { value: v.value } : { code: v.code }]),
  );
}

/** esbuild's bundle of `entry` (a file in a project), with `options` on top. */
export async function bundle(entry, outfile, options = {}) {
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    write: true,
    logLevel: 'silent',
    metafile: true,
    ...options,
  });
  return result;
}

/**
 * A loopback HTTP server for pages: `files` maps a path to [content type,
 * body, headers?]; every answer carries `headers` (the page's CSP). GET of any other
 * path is recorded and answered with a small landing page, so a navigation
 * can be checked by where it landed. Resolves to { url, requests, stop }.
 */
export function servePages(files, headers = {}) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url, 'http://127.0.0.1').pathname;
    const file = files[pathname];
    if (file) {
      res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store', ...headers, ...file[2] });
      res.end(file[1]);
      return;
    }
    requests.push({ method: req.method, url: req.url });
    if (pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end('<!doctype html><title>landed</title><h1 id="landed">landed</h1>');
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        stop: () => new Promise((r) => {
          server.closeAllConnections?.();
          server.close(() => r());
        }),
      });
    });
  });
}

/** The local tenant with one app and an admin token; resolves to { url, token, stop }. */
export async function startTenant() {
  if (!fs.existsSync(EMULATOR_BIN)) {
    throw new Error(`no emulator at ${EMULATOR_BIN}: run cargo build -p genauth-emulator`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genauth-runtimes-tenant-'));
  const token = `adm-runtimes-${process.pid}-${Date.now()}`;
  const config = path.join(dir, 'tenant.json');
  fs.writeFileSync(config, JSON.stringify({
    userPoolId: 'pool-runtimes',
    adminToken: token,
    apps: [{ id: 'app-demo', name: 'Demo', logoutRedirectUris: [], appOrigins: [] }],
    users: [{ id: 'user-alice', name: 'Alice', password: 'alice' }],
  }));
  const proc = await startProcess(
    'genauth-emulator',
    EMULATOR_BIN,
    ['--host', '127.0.0.1', '--port', '0', '--config', config],
    /^genauth-emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/,
  );
  return {
    url: proc.url,
    token,
    userPoolId: 'pool-runtimes',
    /** The kick-active-users requests the tenant received, oldest first. */
    requests: async () => {
      const res = await fetch(`${proc.url}/__emulator/requests?path_prefix=%2Fapi%2Fapplications%2F`);
      return res.json();
    },
    stop: async () => {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
