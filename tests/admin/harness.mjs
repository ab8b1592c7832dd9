// What every admin test needs: the packed tarball installed into a temp
// project as a user would install it, and the local GenAuth tenant
// (genauth-emulator) running as a real process on a loopback port the OS
// picked, with its test hooks (/__emulator/faults, /requests, /reset).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { emulatorHook, startProcess } from '../support/process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

export const TARBALL =
  process.env.GENAUTH_PKG_TARBALL || path.join(repoRoot, 'target', 'pkg', 'genauth-logout.tgz');
export const EMULATOR_BIN =
  process.env.GENAUTH_EMULATOR_BIN || path.join(repoRoot, 'target', 'debug', 'genauth-emulator');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS = path.join(
  process.env.GENAUTH_ARTIFACTS || path.join(repoRoot, 'target', 'artifacts'),
  'admin',
);

/** A token unlike any other string in the run, so a leak is unambiguous. */
export const TOKEN = `adm-${randomBytes(16).toString('hex')}`;
export const POOL = 'pool-test';
/** An app id that needs every kind of encoding in a path segment. */
export const ODD_APP = 'a/b?c%d #é😀';

export const TENANT = {
  userPoolId: POOL,
  adminToken: TOKEN,
  apps: [
    { id: 'app-demo', name: 'Demo', logoutRedirectUris: ['http://127.0.0.1:5173/'], appOrigins: [] },
    { id: ODD_APP, name: 'Odd' },
  ],
  users: [
    { id: 'user-alice', name: 'Alice', password: 'alice' },
    { id: 'user-bob', name: 'Bob', password: 'bob' },
  ],
};

let installed;

/**
 * Installs the tarball into a fresh temp project (once per test file) and
 * returns its directory. `entry.mjs` there re-exports both package entries
 * through the package's own exports map.
 */
export function installPackage() {
  if (installed) return installed;
  if (!fs.existsSync(TARBALL)) throw new Error(`no package at ${TARBALL}: run cargo xtask pkg`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genauth-admin-'));
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'admin-consumer', private: true, type: 'module' }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', TARBALL], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
  fs.writeFileSync(
    path.join(dir, 'entry.mjs'),
    "export { AdminClient, GenAuthError } from 'genauth-logout/admin';\n" +
      "export { GenAuthError as MainGenAuthError } from 'genauth-logout';\n",
  );
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  installed = dir;
  return dir;
}

/** `{ AdminClient, GenAuthError, MainGenAuthError }` from the installed package. */
export async function loadAdmin() {
  const dir = installPackage();
  return import(pathToFileURL(path.join(dir, 'entry.mjs')).href);
}

/**
 * Runs `source` as an ES module in a child Node process inside the installed
 * project, with Node's `flags` (such as `--jitless`); resolves to
 * { code, stdout, stderr }. Bounded by `timeoutMs`.
 */
export function runChild(source, { timeoutMs = 20_000, ext = 'mjs', flags = [] } = {}) {
  const dir = installPackage();
  const file = path.join(dir, `child-${randomBytes(4).toString('hex')}.${ext}`);
  fs.writeFileSync(file, source);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fs.rmSync(file, { force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts genauth-emulator with `config` on 127.0.0.1:0. Resolves to a handle
 * with its `url`, the hooks, `output()` (every line it printed) and `stop()`.
 */
export async function startEmulator(config = TENANT) {
  if (!fs.existsSync(EMULATOR_BIN)) {
    throw new Error(`no emulator at ${EMULATOR_BIN}: run cargo build -p genauth-emulator`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genauth-admin-tenant-'));
  const configPath = path.join(dir, 'tenant.json');
  fs.writeFileSync(configPath, JSON.stringify(config));
  const proc = await startProcess(
    'genauth-emulator',
    EMULATOR_BIN,
    ['--host', '127.0.0.1', '--port', '0', '--config', configPath],
    /^genauth-emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/,
  );
  return emulatorHandle(proc, dir);
}

function emulatorHandle({ url, first, lines, stderr, stop }, dir) {
  const hook = emulatorHook(url);
  return {
    url,
    origin: url,
    /** Queues misbehaviour for the next matching requests. */
    fault: (f) => hook('POST', '/__emulator/faults', f),
    /** The recorded requests to the admin API, oldest first. */
    requests: () => hook('GET', '/__emulator/requests?path_prefix=%2Fapi%2Fapplications%2F'),
    reset: () => hook('POST', '/__emulator/reset', {}),
    output: () => [first, ...lines].join('\n'),
    stderr: () => stderr.join(''),
    stop: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs `username` in through the hosted form; returns the session cookie pair. */
export async function signIn(tenant, username, password) {
  const res = await fetch(`${tenant.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(5_000),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('genauth_session='));
  await res.text();
  if (!cookie) throw new Error(`sign-in as ${username} set no session cookie (${res.status})`);
  return cookie.split(';')[0];
}

/** GET /api/me with a session cookie. */
export async function me(tenant, cookie) {
  const res = await fetch(`${tenant.url}/api/me`, {
    headers: { cookie },
    signal: AbortSignal.timeout(5_000),
  });
  return res.json();
}

/** Awaits `promise`, expecting a rejection; returns the error and how long it took. */
export async function rejection(promise) {
  const started = performance.now();
  try {
    const value = await promise;
    throw Object.assign(new Error(`expected a rejection, got ${JSON.stringify(value)}`), {
      unexpected: true,
    });
  } catch (e) {
    if (e && e.unexpected) throw e;
    return { error: e, ms: performance.now() - started };
  }
}
