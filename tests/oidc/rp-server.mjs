// The relying party (RP) for the interop tests: a plain node:http server that
// serves a test page doing the OpenID Connect authorization code flow with
// PKCE in the browser (rp/app.js) and, when --pkg-dir is given, the files of
// the installed `genauth-logout` package under /pkg/ with an import map so the
// page can `import('genauth-logout')` like an app without a bundler would.
//
// Usage: node rp-server.mjs [--pkg-dir <dir of node_modules/genauth-logout>]
//
// First stdout line: exactly `rp-server listening on http://127.0.0.1:<port>`.
import * as http from 'node:http';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { 'pkg-dir': { type: 'string' } } });
const here = path.dirname(fileURLToPath(import.meta.url));
const rpDir = path.join(here, 'rp');
const pkgDir = args['pkg-dir'] ? path.resolve(args['pkg-dir']) : undefined;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

// Resolve the package's browser ESM entry from its package.json, the way a
// browser-targeting bundler would: exports["."] with the conditions
// browser > import > module > default, else "browser"/"module"/"main".
function browserEntry(pkgJson) {
  const conditions = ['browser', 'import', 'module', 'default'];
  function pick(target) {
    if (typeof target === 'string') return target;
    if (Array.isArray(target)) {
      for (const t of target) {
        const r = pick(t);
        if (r) return r;
      }
      return undefined;
    }
    if (target && typeof target === 'object') {
      for (const c of conditions) {
        if (c in target) {
          const r = pick(target[c]);
          if (r) return r;
        }
      }
    }
    return undefined;
  }
  const { exports } = pkgJson;
  if (exports !== undefined) {
    const dot = typeof exports === 'string' || Array.isArray(exports)
      || !Object.keys(exports).some((k) => k.startsWith('.')) ? exports : exports['.'];
    const r = pick(dot);
    if (r) return r;
  }
  if (typeof pkgJson.browser === 'string') return pkgJson.browser;
  return pkgJson.module || pkgJson.main || 'index.js';
}

let importMap = { imports: {} };
if (pkgDir) {
  const pkgJson = JSON.parse(await fs.readFile(path.join(pkgDir, 'package.json'), 'utf8'));
  const entry = browserEntry(pkgJson).replace(/^\.\//, '');
  importMap = { imports: { [pkgJson.name]: `/pkg/${entry}` } };
}

function html(title, body, head = '') {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script type="importmap">${JSON.stringify(importMap)}</script>${head}
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}code{word-break:break-all}</style></head>
<body>${body}</body></html>`;
}

const APP = html('RP test app', `
<h1>RP test app</h1>
<p id="status" data-state="signed-out">Signed out.</p>
<button id="start-sign-in" type="button">Sign in</button>
<button id="logout" type="button" hidden>Log out</button>
<pre id="log"></pre>`, '\n<script type="module" src="/rp/app.js"></script>');

const LANDING = (title) => html(title, `
<h1 id="landing">${title}</h1>
<p>Returned to <code id="href"></code></p>
<script>document.getElementById('href').textContent = location.href;</script>`);

async function sendFile(res, file) {
  try {
    const data = await fs.readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(data);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

function inside(root, rel) {
  const file = path.resolve(root, `.${rel}`);
  return file.startsWith(`${root}${path.sep}`) ? file : undefined;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const p = url.pathname;
  process.stdout.write(`${JSON.stringify({ log: 'request', method: req.method, path: p, urlLength: req.url.length })}\n`);
  if (p === '/app' || p === '/callback') {
    res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' }).end(APP);
  } else if (p === '/logged-out') {
    res.writeHead(200, { 'content-type': TYPES['.html'] }).end(LANDING('Logged out (registered post_logout_redirect_uri)'));
  } else if (p === '/not-registered') {
    res.writeHead(200, { 'content-type': TYPES['.html'] }).end(LANDING('NOT REGISTERED landing page'));
  } else if (p.startsWith('/rp/')) {
    const file = inside(rpDir, p.slice(3));
    if (file) sendFile(res, file);
    else res.writeHead(404).end();
  } else if (pkgDir && p.startsWith('/pkg/')) {
    const file = inside(pkgDir, p.slice(4));
    if (file) sendFile(res, file);
    else res.writeHead(404).end();
  } else if (p === '/favicon.ico') {
    res.writeHead(204).end();
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`rp-server listening on http://127.0.0.1:${server.address().port}\n`);
  process.stdout.write(`${JSON.stringify({ log: 'config', importMap })}\n`);
});

function shutdown() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
