// A static file server for a bundler's output directory, as a real process.
// Usage: node static-server.mjs --root <dir> [--port 0]
// First stdout line: exactly `static-server listening on http://127.0.0.1:<port>`.
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { root: { type: 'string' }, port: { type: 'string', default: '0' } } });
if (!values.root) {
  process.stderr.write('static-server: --root is required\n');
  process.exit(2);
}
const root = path.resolve(values.root);
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

const server = http.createServer(async (req, res) => {
  let status = 200;
  try {
    const { pathname } = new URL(req.url, 'http://x.invalid');
    const rel = path.posix.normalize(decodeURIComponent(pathname)).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) throw Object.assign(new Error('outside root'), { code: 'ENOENT' });
    const body = await fs.readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(body);
  } catch {
    status = 404;
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  }
  process.stdout.write(`${req.method} ${req.url} ${status}\n`);
});
server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`static-server listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => { server.close(() => process.exit(0)); server.closeAllConnections(); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
