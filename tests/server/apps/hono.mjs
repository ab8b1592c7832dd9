// The Hono test app on Node (@hono/node-server): Hono hands its handlers
// the Web Request itself (`c.req.raw`), so logoutResponse's Response is
// returned as it is.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { logoutResponse, revokeTokens } from 'genauth-logout/server';

import * as app from './shared.mjs';

const server = new Hono();
server.get('/', (c) => c.html(app.page(app.session(c.req.header('cookie')))));
server.get('/login', (c) => c.redirect(app.signInUrl(), 303));
server.get('/callback', async (c) => {
  c.header('set-cookie', await app.finishSignIn(c.req.query('code')));
  return c.redirect('/', 303);
});
server.all('/logout', (c) => app.logout(c.req.raw, logoutResponse, revokeTokens));
server.post('/__test/session', async (c) => c.json({ sid: app.plantSession((await c.req.json()).name) }));
server.get('/__test/session/:sid', (c) => c.json({ live: app.hasSession(c.req.param('sid')) }));
server.get('/__test/revocation', (c) => c.json(app.lastRevocation));

serve({ fetch: server.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => {
  console.log(`listening on ${app.APP_ORIGIN}`);
});
