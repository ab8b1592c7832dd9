// What the server-entry tests share: the packed tarball installed into a
// temp project beside this area's pinned frameworks (each linked from
// ./node_modules), the test apps copied in, the local GenAuth tenant with
// the confidential client `app-server` registered for the app's origin,
// the apps started as real processes on loopback ports, and Chromium.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { installTarball } from '../support/package.mjs';
import { emulatorHook, startProcess } from '../support/process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

export const EMULATOR_BIN =
  process.env.GENAUTH_EMULATOR_BIN || path.join(repoRoot, 'target', 'debug', 'genauth-emulator');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CLIENT_ID = 'app-server';
export const CLIENT_SECRET = 'app-server-secret';

let project;

/**
 * The temp project (once per test file): genauth-logout installed from the
 * tarball, every package of this area linked into its node_modules, and
 * apps/ and next-app/ copied to its root. Returns its directory.
 */
export async function installProject() {
  if (project) return project;
  const { dir } = await installTarball('server', { name: 'server-apps', private: true, type: 'module' });
  // Hard links, not symlinks: Next's bundler compiles no file outside the
  // project root, and a symlink into this area's node_modules would be one.
  const own = path.join(here, 'node_modules');
  const entries = fs.readdirSync(own).filter((n) => n !== 'genauth-logout' && n !== '.package-lock.json');
  execFileSync('cp', ['-al', ...entries.map((n) => path.join(own, n)), path.join(dir, 'node_modules')]);
  fs.cpSync(path.join(here, 'apps'), dir, { recursive: true });
  fs.cpSync(path.join(here, 'next-app'), path.join(dir, 'next-app'), { recursive: true });
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  project = dir;
  return dir;
}

/** `genauth-logout/server` (and the main entry) as the installed project resolves them. */
export async function loadServer() {
  const dir = await installProject();
  const entry = path.join(dir, 'entry.mjs');
  if (!fs.existsSync(entry)) {
    fs.writeFileSync(
      entry,
      "export * from 'genauth-logout/server';\n" +
        "export { GenAuthError as MainGenAuthError } from 'genauth-logout';\n",
    );
  }
  return import(pathToFileURL(entry).href);
}

/** A TCP port nobody listens on right now (the OS's pick, released again). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts genauth-emulator with `app-server` registered for `appOrigin`
 * (its sign-in redirect and its logout redirect `<appOrigin>/`). Resolves
 * to `{ url, fault, reset, tokens, sessions, stop }`.
 */
export async function startTenant(appOrigins) {
  if (!fs.existsSync(EMULATOR_BIN)) {
    throw new Error(`no emulator at ${EMULATOR_BIN}: run cargo build -p genauth-emulator`);
  }
  const origins = [appOrigins].flat();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genauth-server-tenant-'));
  const config = path.join(dir, 'tenant.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      userPoolId: 'pool-server',
      adminToken: `adm-${randomBytes(8).toString('hex')}`,
      apps: [
        {
          id: CLIENT_ID,
          name: 'Server app',
          clientSecret: CLIENT_SECRET,
          appOrigins: origins,
          logoutRedirectUris: origins.map((o) => `${o}/`),
        },
      ],
      users: [{ id: 'user-alice', name: 'alice', password: 'alice' }],
    }),
  );
  const proc = await startProcess(
    'genauth-emulator',
    EMULATOR_BIN,
    ['--host', '127.0.0.1', '--port', '0', '--config', config],
    /^genauth-emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/,
  );
  const hook = emulatorHook(proc.url);
  return {
    url: proc.url,
    fault: (f) => hook('POST', '/__emulator/faults', f),
    reset: () => hook('POST', '/__emulator/reset', {}),
    tokens: () => hook('GET', '/__emulator/tokens'),
    sessions: () => hook('GET', '/__emulator/sessions'),
    requests: (prefix) => hook('GET', `/__emulator/requests?path_prefix=${encodeURIComponent(prefix)}`),
    output: () => [proc.first, ...proc.lines].join('\n'),
    stop: async () => {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the test app `kind` (`express` or `hono`) on `port` against
 * `tenant`; resolves to `{ url, stop, output }`.
 */
export async function startApp(kind, port, tenant) {
  const dir = await installProject();
  const proc = await startProcess(
    kind,
    process.execPath,
    [path.join(dir, `${kind}.mjs`)],
    /^listening on (http:\/\/127\.0\.0\.1:\d+)$/,
    { cwd: dir, env: { ...process.env, PORT: String(port), TENANT: tenant.url } },
  );
  return { url: proc.url, stop: proc.stop, output: () => [...proc.lines, ...proc.stderr].join('\n') };
}

/** A token's refresh at the tenant: the HTTP status (200 live, 400 revoked). */
export async function refreshStatus(tenant, refreshToken) {
  const res = await fetch(`${tenant.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    signal: AbortSignal.timeout(5_000),
  });
  await res.text();
  return res.status;
}

/** A password-grant token pair for alice, as `app-server`. */
export async function issueTokens(tenant) {
  const res = await fetch(`${tenant.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'password', username: 'alice', password: 'alice' }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`password grant: ${res.status} ${JSON.stringify(body)}`);
  return { refreshToken: body.refresh_token, accessToken: body.access_token };
}

/** `GET /oidc/me` with an access token: the HTTP status (200 live, 401 revoked). */
export async function meStatus(tenant, accessToken) {
  const res = await fetch(`${tenant.url}/oidc/me`, {
    headers: { authorization: `Bearer ${accessToken}` },
    signal: AbortSignal.timeout(5_000),
  });
  await res.text();
  return res.status;
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
