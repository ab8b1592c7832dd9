// The Express test app: its logout route goes through the short adapter
// docs/server.md shows (Node request -> Web Request, Web Response -> Node
// response).
import express from 'express';
import { logoutResponse, revokeTokens } from 'genauth-logout/server';

import * as app from './shared.mjs';

/** A Web Request for an Express request. The URL is built on the configured origin, not on Host. */
function toRequest(req) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of [value].flat()) if (v !== undefined) headers.append(name, v);
  }
  return new Request(new URL(req.originalUrl, app.APP_ORIGIN), { method: req.method, headers });
}

/** Writes a Web Response to an Express response, each Set-Cookie as its own header line. */
async function send(res, response) {
  res.status(response.status);
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(Buffer.from(await response.arrayBuffer()));
}

const server = express();
server.get('/', (req, res) => {
  res.type('html').send(app.page(app.session(req.headers.cookie)));
});
server.get('/login', (req, res) => res.redirect(303, app.signInUrl()));
server.get('/callback', async (req, res) => {
  res.setHeader('set-cookie', await app.finishSignIn(String(req.query.code)));
  res.redirect(303, '/');
});
server.all('/logout', async (req, res) => {
  await send(res, await app.logout(toRequest(req), logoutResponse, revokeTokens));
});
server.post('/__test/session', express.json(), (req, res) => res.json({ sid: app.plantSession(req.body.name) }));
server.get('/__test/session/:sid', (req, res) => res.json({ live: app.hasSession(req.params.sid) }));
server.get('/__test/revocation', (req, res) => res.json(app.lastRevocation));

server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`listening on ${app.APP_ORIGIN}`);
});
