#!/usr/bin/env node
// The demo app's server: plain node:http, no dependencies. It serves the
// static files of www/, the installed `genauth-logout` package under
// /node_modules/genauth-logout/, and two things written at serve time:
//   - the import map in index.html, pointing "genauth-logout" at the
//     package's browser ESM entry (read from its package.json "exports"),
//   - /config.js, telling the page which GenAuth tenant to talk to.
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
//
// The first stdout line is exactly `genauth-demo listening on http://<host>:<port>`,
// then one line per request. SIGINT/SIGTERM stop it.
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
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
  const configJs = `// Written by www/serve.mjs at serve time.
export const tenant = ${JSON.stringify(options.tenant.origin)};
export const localTenant = ${JSON.stringify(options.tenant.local)};
export const packageVersion = ${JSON.stringify(String(manifest.version ?? ''))};
`;

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

  async function handle(req, res) {
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
