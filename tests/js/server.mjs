// The browser tests' loopback server, run as its own process:
//   node server.mjs <installed package dir>
// First stdout line: `test server listening on http://127.0.0.1:<port>`.
// It plays both the app (test pages importing the installed package) and the
// GenAuth tenant (the logout endpoints, which record what reached them).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

const pkgDir = path.resolve(process.argv[2] || '');
const pkgJson = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const entry = `/node_modules/genauth-logout/${pkgJson.exports['.'].import.replace(/^\.\//, '')}`;
let requests = [];

const page = (title, body = '') => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<script type="importmap">${JSON.stringify({ imports: { 'genauth-logout': entry } })}</script>
</head><body><h1>${title}</h1>${body}
<script type="module">
import * as lib from "genauth-logout";
window.lib = lib;
window.events = [];
window.ready = true;
</script></body></html>`;

const landing = (title, req, body) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:sans-serif"><h1 id="landed">${title}</h1>
<p>${req.method} <code>${req.url.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code></p>
<pre>${body.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre></body></html>`;

const worker = `import * as lib from "${entry}";
self.onmessage = (e) => {
  const out = e.data.map((c) => {
    try { return { url: new lib.LogoutClient(c.config).buildLogoutUrl(c.redirect, c.params) }; }
    catch (err) { return { error: err && err.code, isGenAuthError: err instanceof lib.GenAuthError }; }
  });
  self.postMessage({ hasWindow: typeof window !== "undefined", origin: self.location.origin, out });
};
`;

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') return send(res, 404, 'text/plain', '');
    if (url.pathname === '/__test/requests') return send(res, 200, 'application/json', JSON.stringify(requests));
    if (url.pathname === '/__test/reset') {
      requests = [];
      return send(res, 200, 'application/json', '{}');
    }
    requests.push({ method: req.method, url: req.url, contentType: req.headers['content-type'] || null, body });
    if (url.pathname.startsWith('/node_modules/genauth-logout/')) {
      const rel = decodeURIComponent(url.pathname.slice('/node_modules/genauth-logout/'.length));
      const file = path.resolve(pkgDir, rel);
      if (!file.startsWith(pkgDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        return send(res, 404, 'text/plain', 'not found');
      }
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      return send(res, 200, type, fs.readFileSync(file));
    }
    if (url.pathname === '/worker.mjs') return send(res, 200, 'text/javascript', worker);
    if (['/login/profile/logout', '/oidc/session/end', '/cas-idp/logout'].includes(url.pathname)) {
      return send(res, 200, 'text/html; charset=utf-8', landing(`signed out (${url.pathname})`, req, body));
    }
    if (url.pathname.endsWith('.html') || url.pathname === '/' || url.pathname === '/after') {
      return send(res, 200, 'text/html; charset=utf-8', page(`page ${url.pathname}`));
    }
    return send(res, 404, 'text/plain', 'not found');
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`test server listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
