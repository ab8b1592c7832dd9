#!/usr/bin/env node
// The demo app's server: plain node:http, no dependencies. It serves the
// static files of www/, the installed `genauth-logout` package under
// /node_modules/genauth-logout/, and two things written at serve time:
//   - the import map in index.html, pointing "genauth-logout" at the
//     package's browser ESM entry (read from its package.json "exports"),
//   - /config.js, telling the page which GenAuth tenant to talk to.
// It is also the app's back end for the Administrator panel: POST /admin/kick
// forces a user offline with AdminClient from `genauth-logout/admin`, so the
// administrator token stays on this server (never sent to the browser, never
// logged).
//
// Usage:
//   node www/serve.mjs --pkg-dir <dir> [--tenant <url>] [--host 127.0.0.1] [--port 5173]
//
//   --pkg-dir  the installed package (the directory holding its package.json),
//              e.g. <app>/node_modules/genauth-logout; or env GENAUTH_DEMO_PKG_DIR.
//   --tenant   origin of the local tenant (genauth-emulator), e.g. http://127.0.0.1:8080.
//   GENAUTH_APP_DOMAIN (env), when set, wins over --tenant: the page then talks
//              to that real GenAuth application domain (https:// is assumed
//              when no scheme is given).
//   GENAUTH_USERPOOL_ID, GENAUTH_ADMIN_TOKEN, GENAUTH_APP_ID (env): the user pool,
//              administrator token and application for POST /admin/kick; against
//              the local tenant they default to the emulator's "pool-demo",
//              "admin-secret-token" and "app-demo". Against a real tenant with no
//              token the Administrator panel is disabled.
//   GENAUTH_ADMIN_USER_IDS (env): comma-separated user IDs the panel offers
//              (default: the local tenant's user-alice and user-bob; required
//              for a real tenant).
//
// The first stdout line is exactly `genauth-demo listening on http://<host>:<port>`,
// then one line per request. SIGINT/SIGTERM stop it.
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const PACKAGE = 'genauth-logout';
const PKG_PREFIX = `/node_modules/${PACKAGE}/`;
const wwwDir = path.dirname(fileURLToPath(import.meta.url));

const MIME = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.cjs', 'text/javascript; charset=utf-8'],
  ['.json', 'application/json; charset=utf-8'],
  ['.map', 'application/json; charset=utf-8'],
  ['.wasm', 'application/wasm'],
  ['.svg', 'image/svg+xml'],
  ['.ts', 'text/plain; charset=utf-8'],
  ['.md', 'text/plain; charset=utf-8'],
]);

// The local tenant's defaults (genauth-emulator with no --config).
const LOCAL_ADMIN = { userPoolId: 'pool-demo', token: 'admin-secret-token', appId: 'app-demo' };
const LOCAL_USERS = [{ id: 'user-alice', name: 'Alice' }, { id: 'user-bob', name: 'Bob' }];
const MAX_ADMIN_BODY = 4096;

// Files of www/ the browser may fetch; the server's own source and the
// README are not part of the app.
const PUBLIC = new Set(['/index.html', '/signed-out.html', '/app.js', '/app.css', '/favicon.svg']);

function fail(message) {
  process.stderr.write(`genauth-demo: ${message}\n`);
  process.exit(2);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'pkg-dir': { type: 'string' },
        tenant: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '5173' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    fail(err.message);
  }
  if (values.help) {
    process.stdout.write('usage: node www/serve.mjs --pkg-dir <dir> [--tenant <url>] [--host 127.0.0.1] [--port 5173]\n');
    process.exit(0);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port} is not a port number`);
  const pkgDir = values['pkg-dir'] || process.env.GENAUTH_DEMO_PKG_DIR;
  if (!pkgDir) fail('--pkg-dir (or GENAUTH_DEMO_PKG_DIR) is required: the installed genauth-logout package');
  const tenant = tenantOrigin(values.tenant);
  return { host: values.host, port, pkgDir: path.resolve(pkgDir), tenant };
}

/** The tenant the page talks to: GENAUTH_APP_DOMAIN (a real tenant) or --tenant (the local one). */
function tenantOrigin(localTenant) {
  const real = process.env.GENAUTH_APP_DOMAIN?.trim();
  const raw = real || localTenant;
  if (!raw) fail('give --tenant <url of genauth-emulator> or set GENAUTH_APP_DOMAIN');
  let url;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    fail(`not a URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`not an http(s) URL: ${raw}`);
  return { origin: url.origin, local: !real };
}

/**
 * The package's browser ESM entry, chosen from package.json the way a
 * browser bundler does: "exports" (conditions browser, import, module,
 * default, in that order of preference), else "browser", "module", "main".
 */
export function browserEntry(manifest) {
  const preferred = ['browser', 'import', 'module', 'default'];
  const choose = (target) => {
    if (typeof target === 'string') return target;
    if (Array.isArray(target)) return target.map(choose).find(Boolean);
    if (target && typeof target === 'object') {
      for (const condition of preferred) {
        const found = condition in target ? choose(target[condition]) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  };
  const { exports } = manifest;
  if (exports !== undefined && exports !== null) {
    const isSubpathMap = typeof exports === 'object' && !Array.isArray(exports)
      && Object.keys(exports).some((key) => key.startsWith('.'));
    const found = choose(isSubpathMap ? exports['.'] : exports);
    if (found) return found;
  }
  if (typeof manifest.browser === 'string') return manifest.browser;
  return manifest.module || manifest.main || 'index.js';
}

/** The package's Node ESM entry of a subpath export (e.g. "./admin"). */
export function nodeEntry(manifest, subpath) {
  const choose = (target) => {
    if (typeof target === 'string') return target;
    if (Array.isArray(target)) return target.map(choose).find(Boolean);
    if (target && typeof target === 'object') {
      for (const condition of ['node', 'import', 'default']) {
        const found = condition in target ? choose(target[condition]) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  };
  const exports = manifest.exports;
  return exports && typeof exports === 'object' ? choose(exports[subpath]) : undefined;
}

/**
 * The Administrator panel's back end: an AdminClient from the installed
 * package's `genauth-logout/admin`, or the reason there is none. The token is
 * only ever held here and inside the client.
 */
async function adminSetup(pkgDir, manifest, tenant) {
  const env = process.env;
  const pick = (name, fallback) => {
    const value = env[name]?.trim();
    return value || (tenant.local ? fallback : undefined);
  };
  const users = env.GENAUTH_ADMIN_USER_IDS?.trim()
    ? env.GENAUTH_ADMIN_USER_IDS.split(',').map((id) => id.trim()).filter(Boolean).map((id) => ({ id, name: id }))
    : (tenant.local ? LOCAL_USERS : []);
  const appId = pick('GENAUTH_APP_ID', LOCAL_ADMIN.appId);
  const userPoolId = pick('GENAUTH_USERPOOL_ID', LOCAL_ADMIN.userPoolId);
  const token = pick('GENAUTH_ADMIN_TOKEN', LOCAL_ADMIN.token);
  const base = { appId: appId ?? null, users };
  const disabled = (reason) => ({ ...base, enabled: false, reason });
  if (!token) return disabled('No administrator token: set GENAUTH_ADMIN_TOKEN (with GENAUTH_USERPOOL_ID and GENAUTH_APP_ID) on the demo server to force users offline on this tenant.');
  if (!userPoolId || !appId) return disabled('Set GENAUTH_USERPOOL_ID and GENAUTH_APP_ID on the demo server to force users offline on this tenant.');
  if (users.length === 0) return disabled('Set GENAUTH_ADMIN_USER_IDS (comma-separated user IDs) on the demo server to choose whom to force offline.');
  const entry = nodeEntry(manifest, './admin');
  if (!entry) return disabled('The installed package has no "./admin" export.');
  let AdminClient;
  try {
    ({ AdminClient } = await import(pathToFileURL(path.join(pkgDir, entry)).href));
  } catch (err) {
    return disabled(`Could not load genauth-logout/admin: ${err.message}`);
  }
  let client;
  try {
    client = new AdminClient({ appDomain: tenant.origin, userPoolId, token });
  } catch (err) {
    return disabled(`AdminClient refused its options: ${err.code ?? ''} ${err.message}`);
  }
  return { ...base, enabled: true, reason: null, client, secret: token };
}

async function readManifest(pkgDir) {
  let manifest;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(pkgDir, 'package.json'), 'utf8'));
  } catch (err) {
    fail(`cannot read ${path.join(pkgDir, 'package.json')}: ${err.message}`);
  }
  if (manifest.name !== PACKAGE) fail(`${pkgDir} holds ${manifest.name}, not ${PACKAGE}`);
  return manifest;
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

function send(res, status, type, body, extra = {}) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(body);
}

/** A file below `root` for the URL path `rel`, or undefined when it would escape `root`. */
function inside(root, rel) {
  const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  return file === root || file.startsWith(root + path.sep) ? file : undefined;
}

async function main() {
  const options = parseOptions();
  const manifest = await readManifest(options.pkgDir);
  const entry = browserEntry(manifest).replace(/^\.\//, '');
  const importMap = JSON.stringify({ imports: { [PACKAGE]: `${PKG_PREFIX}${entry}` } }, null, 2);
  const admin = await adminSetup(options.pkgDir, manifest, options.tenant);
  // What the page may know about the admin side: never the token.
  const adminPublic = { enabled: admin.enabled, reason: admin.reason, appId: admin.appId, users: admin.users };
  const configJs = `// Written by www/serve.mjs at serve time.
export const tenant = ${JSON.stringify(options.tenant.origin)};
export const localTenant = ${JSON.stringify(options.tenant.local)};
export const packageVersion = ${JSON.stringify(String(manifest.version ?? ''))};
export const admin = ${JSON.stringify(adminPublic)};
`;
  // Successful force-offlines per user ID, so a page can tell "an
  // administrator ended your session" from "you signed out elsewhere".
  const kicks = new Map();

  const server = http.createServer(async (req, res) => {
    const started = Date.now();
    res.on('finish', () => {
      log(`${new Date().toISOString()} ${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`);
    });
    try {
      await handle(req, res);
    } catch (err) {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${err.message}\n`);
      else res.destroy();
    }
  });

  /** Anything this server says about the admin call, with the token blotted out (belt and braces). */
  const redact = (text) => (admin.secret ? String(text).split(admin.secret).join('[redacted]') : String(text));
  const sendJson = (res, status, value) => send(res, status, 'application/json; charset=utf-8', redact(JSON.stringify(value)));

  async function readBody(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_ADMIN_BODY) return undefined;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * POST /admin/kick {"userId": "..."}: force that user offline in the
   * configured app. A real app would check that the caller is an
   * administrator; this demo only accepts same-origin JSON requests (a page
   * on another site can neither send this content type without a CORS
   * preflight, which is refused, nor forge the Origin header).
   */
  async function adminKick(req, res) {
    const origin = req.headers.origin;
    if (!origin || origin !== `http://${req.headers.host}`) {
      sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'Only this app\'s own pages may call /admin/kick.' } });
      return;
    }
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      sendJson(res, 415, { ok: false, error: { code: 'bad_request', message: 'Send JSON: {"userId": "..."}.' } });
      return;
    }
    if (!admin.enabled) {
      sendJson(res, 503, { ok: false, error: { code: 'admin_disabled', message: admin.reason } });
      return;
    }
    const text = await readBody(req);
    let userId;
    try {
      ({ userId } = JSON.parse(text ?? ''));
    } catch {
      userId = undefined;
    }
    if (typeof userId !== 'string' || !admin.users.some((u) => u.id === userId)) {
      sendJson(res, 400, { ok: false, error: { code: 'bad_request', message: `userId must be one of: ${admin.users.map((u) => u.id).join(', ')}.` } });
      return;
    }
    try {
      const result = await admin.client.kickActiveUsers(admin.appId, [userId]);
      kicks.set(userId, (kicks.get(userId) ?? 0) + 1);
      log(`admin: forced ${userId} offline in ${admin.appId}: ${result.code} ${result.message}`);
      sendJson(res, 200, { ok: true, userId, code: result.code, message: result.message });
    } catch (err) {
      const error = { name: err?.name ?? 'Error', code: err?.code ?? 'internal', message: err?.message ?? String(err) };
      if (err?.status !== undefined) error.status = err.status;
      if (err?.apiCode !== undefined) error.apiCode = err.apiCode;
      log(`admin: forcing ${userId} offline failed: ${redact(error.code)}`);
      sendJson(res, 502, { ok: false, userId, error });
    }
  }

  async function handle(req, res) {
    const pathOnly = req.url.split('?')[0];
    if (pathOnly === '/admin/kick') {
      if (req.method === 'POST') await adminKick(req, res);
      else send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'POST' });
      return;
    }
    if (pathOnly === '/admin/kicks' && req.method === 'GET') {
      const userId = new URL(req.url, 'http://demo.invalid').searchParams.get('userId') ?? '';
      sendJson(res, 200, { userId, kicks: kicks.get(userId) ?? 0 });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://demo.invalid').pathname);
    } catch {
      send(res, 400, 'text/plain; charset=utf-8', 'bad request\n');
      return;
    }
    if (pathname === '/config.js') {
      send(res, 200, MIME.get('.js'), configJs);
      return;
    }
    let file;
    if (pathname.startsWith(PKG_PREFIX)) {
      file = inside(options.pkgDir, pathname.slice(PKG_PREFIX.length));
    } else {
      const name = pathname === '/' ? '/index.html' : pathname;
      if (PUBLIC.has(name)) file = path.join(wwwDir, name);
    }
    let body;
    if (file) {
      try {
        body = await fs.readFile(file);
      } catch {
        body = undefined;
      }
    }
    if (body === undefined) {
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      return;
    }
    const type = MIME.get(path.extname(file)) || 'application/octet-stream';
    if (type.startsWith('text/html')) {
      // Every page gets the import map (one place decides the entry).
      body = body.toString('utf8').replace(
        /<script type="importmap">[\s\S]*?<\/script>/,
        `<script type="importmap">\n${importMap}\n</script>`,
      );
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    send(res, 200, type, body);
  }

  server.on('error', (err) => fail(`cannot listen on ${options.host}:${options.port}: ${err.message}`));
  server.listen(options.port, options.host, () => {
    const { port } = server.address();
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    log(`genauth-demo listening on http://${host}:${port}`);
  });

  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
