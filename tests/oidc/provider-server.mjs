// A real OpenID Provider for the interop tests: the `oidc-provider` package
// (OpenID Certified), configured with one public PKCE test client, a minimal
// sign-in form and the RP-Initiated Logout 1.0 end-session endpoint
// (`/session/end`).
//
// Usage: node provider-server.mjs --rp-origin http://127.0.0.1:<port>
//          --tls-cert cert.pem --tls-key key.pem [--get-only] [--cookie-prefix p]
//
// It serves HTTPS (like any production provider) on 127.0.0.1 with a port
// picked by the OS and prints, as its first stdout line, exactly
// `oidc-provider listening on https://127.0.0.1:<port>`.
//
// HTTP POST at the end-session endpoint: oidc-provider 9 registers only GET
// unless `enableHttpPostMethods` is on, and that option requires the session
// cookie to be `SameSite=None` (hence `Secure`, hence HTTPS), because a
// cross-site form POST does not carry `SameSite=Lax` cookies. This server
// turns it on; `--get-only` keeps the package's default (GET only).
// After that it prints one JSON line per request (`{"log":"request",...}`) and
// one per end-session request (`{"log":"end_session",...}`) so that the tests
// can check what the provider received. The value of an id_token_hint is
// never printed, only its length.
//
// Every instance generates its own RSA signing key, so a token issued by
// another instance is signed by a key this one does not know.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as crypto from 'node:crypto';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    'rp-origin': { type: 'string' },
    // Cookie name prefix: lets two instances share a browser without clashes.
    'cookie-prefix': { type: 'string', default: 'op' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'get-only': { type: 'boolean', default: false },
  },
});

const rpOrigin = args['rp-origin'];
if (!rpOrigin || new URL(rpOrigin).origin !== rpOrigin) {
  console.error('provider-server: --rp-origin http://127.0.0.1:<port> is required');
  process.exit(2);
}
const prefix = args['cookie-prefix'];
if (!args['tls-cert'] || !args['tls-key']) {
  console.error('provider-server: --tls-cert and --tls-key are required');
  process.exit(2);
}
const acceptPost = !args['get-only'];

// Test accounts. `long` and `huge` carry a large `bio` claim so that their
// ID tokens are long: the profile scope's claims go into the ID token because
// conformIdTokenClaims is off below.
const PASSWORD = 'correct horse';
function filler(n) {
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ';
  return words.repeat(Math.ceil(n / words.length)).slice(0, n);
}
const ACCOUNTS = {
  alice: { name: 'Alice Example' },
  long: { name: 'Long Token', bio: filler(7600) },
  huge: { name: 'Huge Token', bio: filler(14000) },
};

const RP_REDIRECT = `${rpOrigin}/callback`;
const RP_POST_LOGOUT = `${rpOrigin}/logged-out`;
const clientDefaults = {
  token_endpoint_auth_method: 'none',
  response_types: ['code'],
  grant_types: ['authorization_code'],
  redirect_uris: [RP_REDIRECT],
  post_logout_redirect_uris: [RP_POST_LOGOUT],
};
// Confidential clients with refresh tokens, for token revocation (RFC 7009).
// The secret is a fixture that revoke.test.mjs repeats.
const CONFIDENTIAL_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const confidentialDefaults = {
  client_secret: CONFIDENTIAL_SECRET,
  response_types: ['code'],
  grant_types: ['authorization_code', 'refresh_token'],
  redirect_uris: [RP_REDIRECT],
};

function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

function page(title, body, lang = 'en') {
  // No external resources: the browser must only talk to loopback servers.
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:36em;margin:2em auto}pre{white-space:pre-wrap;word-break:break-all}
button{font-size:1em;padding:.4em 1em;margin:.3em 0;display:block}</style></head>
<body>${body}</body></html>`;
}

const { privateKey } = await crypto.webcrypto.subtle.generateKey(
  {
    name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256',
  },
  true,
  ['sign', 'verify'],
);
const jwk = await crypto.webcrypto.subtle.exportKey('jwk', privateKey);
delete jwk.key_ops;
delete jwk.ext;
jwk.alg = 'RS256';
jwk.use = 'sig';
jwk.kid = crypto.randomUUID();

const server = https.createServer({
  cert: fs.readFileSync(args['tls-cert']),
  key: fs.readFileSync(args['tls-key']),
});
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `https://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    { client_id: 'rp-test', ...clientDefaults },
    // A second registered client: used to send a client_id that does not
    // match the id_token_hint's audience.
    { client_id: 'rp-other', ...clientDefaults },
    // Same as rp-test, but its ID tokens expire after one second.
    { client_id: 'rp-expiring', ...clientDefaults },
    { client_id: 'rp-secret-basic', token_endpoint_auth_method: 'client_secret_basic', ...confidentialDefaults },
    { client_id: 'rp-secret-post', token_endpoint_auth_method: 'client_secret_post', ...confidentialDefaults },
  ],
  jwks: { keys: [jwk] },
  cookies: {
    keys: [crypto.randomBytes(32).toString('base64url')],
    names: { session: `${prefix}_session`, interaction: `${prefix}_interaction`, resume: `${prefix}_resume` },
    ...(acceptPost ? { long: { httpOnly: true, sameSite: 'none' } } : {}),
  },
  enableHttpPostMethods: acceptPost,
  claims: { openid: ['sub'], profile: ['name', 'bio'] },
  // offline_access: oidc-provider issues a refresh token only for it (and
  // only when the authorization request has prompt=consent).
  scopes: ['openid', 'profile', 'offline_access'],
  // Refreshing keeps the same refresh token, so the test can show that it
  // refreshes before revocation and not after.
  rotateRefreshToken: false,
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  ttl: {
    IdToken: (ctx, token, client) => (client.clientId === 'rp-expiring' ? 1 : 3600),
  },
  clientBasedCORS: (ctx, origin) => origin === rpOrigin,
  features: {
    devInteractions: { enabled: false },
    // RFC 7009 at oidc-provider's default path, /token/revocation.
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // The confirmation page: a real user clicks "Yes, sign me out". It also
      // shows the logout_hint and ui_locales the provider received.
      async logoutSource(ctx, form) {
        const { params } = ctx.oidc;
        const lang = params.ui_locales ? params.ui_locales.split(' ')[0] : 'en';
        ctx.body = page('Logout Request', `
<h1>Do you want to sign out from ${escapeHtml(ctx.host)}?</h1>
<p>Client: <span id="client">${escapeHtml(ctx.oidc.client?.clientId ?? '')}</span></p>
<p>logout_hint: <span id="logout-hint">${escapeHtml(params.logout_hint ?? '')}</span></p>
<p>ui_locales: <span id="ui-locales">${escapeHtml(params.ui_locales ?? '')}</span></p>
${form}
<button id="logout-yes" type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button id="logout-no" type="submit" form="op.logoutForm">No, stay signed in</button>`, lang);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Sign-out Success', '<h1 id="signed-out">Sign-out Success</h1><p>Your sign-out was successful.</p>');
      },
    },
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('oops! something went wrong', `
<h1>oops! something went wrong</h1>
${Object.entries(out).map(([k, v]) => `<pre id="${escapeHtml(k)}"><strong>${escapeHtml(k)}</strong>: ${escapeHtml(v)}</pre>`).join('\n')}`);
  },
  async findAccount(ctx, sub) {
    const account = ACCOUNTS[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, ...account };
      },
    };
  },
});

function log(entry) {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

provider.use(async (ctx, next) => {
  await next();
  log({
    log: 'request', method: ctx.method, path: ctx.path, urlLength: ctx.originalUrl.length, status: ctx.status,
  });
  if (ctx.oidc?.route === 'end_session') {
    const params = { ...ctx.oidc.params };
    if (params.id_token_hint !== undefined) {
      params.id_token_hint = { length: String(params.id_token_hint).length };
    }
    log({
      log: 'end_session', method: ctx.method, params, status: ctx.status,
    });
  }
});
provider.on('end_session.error', (ctx, err) => {
  log({
    log: 'end_session.error', error: err.error, description: err.error_description, cause: err.cause?.message,
  });
});
provider.on('end_session.success', () => { log({ log: 'end_session.success' }); });

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function loginPage(uid, details, message = '') {
  const { params } = details;
  return page('Sign in', `
<h1>Sign in</h1>
<p>to continue to <span id="client">${escapeHtml(params.client_id)}</span></p>
${message ? `<p id="login-error">${escapeHtml(message)}</p>` : ''}
<form id="login-form" method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label>Username <input id="login" name="login" value="${escapeHtml(params.login_hint ?? '')}" required></label>
<label>Password <input id="password" name="password" type="password" required></label>
<button id="sign-in" type="submit">Sign in</button>
</form>
<p>Test accounts: alice, long, huge (password: "${escapeHtml(PASSWORD)}").</p>`);
}

async function finishWithGrant(req, res, details, accountId) {
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, {
    mergeWithLastSubmission: false,
  });
}

// The interaction (sign-in) pages, served next to the provider.
async function interaction(req, res, url) {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  const [, uid, login] = match;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    res.writeHead(400).end();
    return;
  }
  res.setHeader('cache-control', 'no-store');
  if (!login && req.method === 'GET') {
    if (details.prompt.name === 'consent' && details.session?.accountId) {
      // First-party test client: consent is implied.
      await finishWithGrant(req, res, details, details.session.accountId);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(uid, details));
    return;
  }
  if (login && req.method === 'POST') {
    const form = await readForm(req);
    const accountId = form.get('login');
    if (!Object.hasOwn(ACCOUNTS, accountId) || form.get('password') !== PASSWORD) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(uid, details, 'Wrong username or password.'));
      return;
    }
    await finishWithGrant(req, res, details, accountId);
    return;
  }
  res.writeHead(405).end();
}

const providerCallback = provider.callback();
server.on('request', (req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname.startsWith('/interaction/')) {
    interaction(req, res, url).catch((err) => {
      log({ log: 'interaction.error', message: err.message });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${err.message}`);
    });
    return;
  }
  providerCallback(req, res);
});
// Requests that the HTTP parser itself rejects (e.g. a request line over
// the maximum header size) never reach the provider: record them.
server.on('clientError', (err, socket) => {
  log({ log: 'clientError', code: err.code, bytesParsed: err.bytesParsed });
  if (socket.writable) {
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  } else {
    socket.destroy();
  }
});

process.stdout.write(`oidc-provider listening on ${issuer}\n`);
log({
  log: 'config', maxHeaderSize: http.maxHeaderSize, node: process.version, acceptPost,
});

function shutdown() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
