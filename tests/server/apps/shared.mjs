// What the Express and Hono test apps share: a tiny signed-in state kept on
// the server (a `session` cookie naming it), sign-in through the tenant's
// authorization endpoint as the confidential client `app-server`, and the
// options of the logout endpoint. The apps differ only in how their
// framework hands over the request.
import { randomBytes } from 'node:crypto';

/** The tenant's origin, used as `appDomain` (http:// is allowed on loopback). */
export const TENANT = process.env.TENANT;
/** The app's own origin: configured from the port it was told to use, never read from a request. */
export const APP_ORIGIN = `http://127.0.0.1:${process.env.PORT}`;
export const CLIENT_ID = 'app-server';
export const CLIENT_SECRET = 'app-server-secret';

/** Signed-in users by session id: { name, refreshToken, accessToken }. */
const sessions = new Map();
/** What the last logout's revokeTokens resolved with (read by the tests). */
export let lastRevocation = null;

/** The session cookie is set with these attributes, so it is deleted with them. */
export const SESSION_COOKIE = { name: 'session', path: '/', httpOnly: true, sameSite: 'lax' };

export const logoutOptions = {
  appDomain: TENANT,
  appOrigin: APP_ORIGIN,
  redirect: '/',
  clearCookies: [SESSION_COOKIE],
};

export function sessionId(cookieHeader) {
  const pair = (cookieHeader ?? '').split(/;\s*/).find((c) => c.startsWith('session='));
  return pair?.slice('session='.length) || null;
}

export function session(cookieHeader) {
  return sessions.get(sessionId(cookieHeader)) ?? null;
}

const escape = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function page(user) {
  const body = user
    ? `<p id="state">Signed in as <span id="user">${escape(user.name)}</span></p>
<form id="logout-form" method="post" action="/logout"><button id="logout" type="submit">Log out</button></form>`
    : `<p id="state">Signed out</p><a id="sign-in" href="/login">Sign in</a>`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>App</title></head><body>${body}</body></html>`;
}

export function signInUrl() {
  const url = new URL('/oidc/auth', TENANT);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: `${APP_ORIGIN}/callback`,
    state: randomBytes(8).toString('hex'),
  }).toString();
  return url.href;
}

const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

/** Exchanges the code for tokens, reads the user, opens a session; returns the `Set-Cookie` value. */
export async function finishSignIn(code) {
  const res = await fetch(new URL('/oidc/token', TENANT), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${APP_ORIGIN}/callback` }),
  });
  const tokens = await res.json();
  if (!res.ok) throw new Error(`token endpoint: ${res.status} ${JSON.stringify(tokens)}`);
  const me = await (await fetch(new URL('/oidc/me', TENANT), {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  })).json();
  const sid = randomBytes(16).toString('hex');
  sessions.set(sid, { name: me.name, refreshToken: tokens.refresh_token, accessToken: tokens.access_token });
  return `session=${sid}; Path=/; HttpOnly; SameSite=Lax`;
}

/**
 * The logout route's whole job: `logoutResponse` decides; only when it lets
 * the logout proceed (303) are the tokens revoked and the session dropped —
 * a refused request (403/405) touches nothing.
 */
export async function logout(request, logoutResponse, revokeTokens) {
  const response = logoutResponse(request, logoutOptions);
  if (response.status === 303) {
    const sid = sessionId(request.headers.get('cookie'));
    const user = sessions.get(sid);
    sessions.delete(sid);
    if (user?.refreshToken || user?.accessToken) {
      lastRevocation = await revokeTokens({
        appDomain: TENANT,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        refreshToken: user.refreshToken,
        accessToken: user.accessToken,
        timeoutMs: 5000,
      });
      lastRevocation.tokens = { refreshToken: user.refreshToken, accessToken: user.accessToken };
    }
  }
  return response;
}

/** Lets a test plant a session without the sign-in flow; returns the cookie value. */
export function plantSession(name) {
  const sid = randomBytes(16).toString('hex');
  sessions.set(sid, { name, refreshToken: null, accessToken: null });
  return sid;
}

export const hasSession = (sid) => sessions.has(sid);
