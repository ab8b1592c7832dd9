// The test relying party: authorization code flow with PKCE (S256), done by
// hand with fetch and crypto.subtle, as a single-page app would.
//
// /app?issuer=<provider origin>&client_id=<id>[&scope=...] shows a "Sign in"
// button. The PKCE verifier, state and nonce survive the round trip in
// sessionStorage (key "rp.pending", removed on return); the ID token is only
// ever held in this module's memory and handed out by window.rp.idToken().

const PENDING = 'rp.pending';
const statusEl = document.getElementById('status');
const logEl = document.getElementById('log');

let idToken = null;
let idClaims = null;
let signedInWith = null;

function say(state, text) {
  statusEl.dataset.state = state;
  statusEl.textContent = text;
}

function b64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString() {
  return b64url(crypto.getRandomValues(new Uint8Array(32)));
}

function decodePayload(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(part);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

async function discover(issuer) {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`discovery failed: HTTP ${res.status}`);
  return res.json();
}

async function startSignIn() {
  const q = new URLSearchParams(location.search);
  const issuer = q.get('issuer');
  const clientId = q.get('client_id') || 'rp-test';
  const scope = q.get('scope') || 'openid profile';
  if (!issuer) throw new Error('the page needs ?issuer=');
  const meta = await discover(issuer);
  const verifier = randomString();
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const pending = {
    issuer,
    clientId,
    verifier,
    state: randomString(),
    nonce: randomString(),
    tokenEndpoint: meta.token_endpoint,
    redirectUri: `${location.origin}/callback`,
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const auth = new URL(meta.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: pending.redirectUri,
    scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(auth.href);
}

async function finishSignIn() {
  const q = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', '/app');
  if (!pending) throw new Error('no sign-in in progress');
  if (q.get('error')) throw new Error(`provider error: ${q.get('error')}: ${q.get('error_description')}`);
  if (q.get('state') !== pending.state) throw new Error('state mismatch');
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: q.get('code'),
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`token endpoint: HTTP ${res.status} ${body.error}: ${body.error_description}`);
  const claims = decodePayload(body.id_token);
  if (claims.nonce !== pending.nonce) throw new Error('nonce mismatch');
  if (claims.iss !== pending.issuer || claims.aud !== pending.clientId) throw new Error('iss/aud mismatch');
  idToken = body.id_token;
  idClaims = claims;
  signedInWith = { issuer: pending.issuer, clientId: pending.clientId };
  say('signed-in', `Signed in as ${claims.sub} at ${claims.iss} (client ${claims.aud}); ID token: ${idToken.length} characters, held in memory only.`);
  document.getElementById('start-sign-in').hidden = true;
  document.getElementById('logout').hidden = false;
}

document.getElementById('start-sign-in').addEventListener('click', () => {
  startSignIn().catch((err) => say('error', String(err)));
});

// Logout, as the app's "Log out" button does it. The test chooses the
// library configuration and parameters with window.rp.planLogout(plan); the
// ID token comes from memory unless the plan names another one (or
// withoutIdToken is set).
//   plan = { config, redirect, params, withoutIdToken? }
let logoutPlan = null;

async function runLogout() {
  if (!logoutPlan) throw new Error('no logout planned');
  const plan = logoutPlan;
  const params = { ...plan.params };
  if (!('idTokenHint' in params) && !plan.withoutIdToken) params.idTokenHint = idToken;
  const lib = await import('genauth-logout');
  lib.configure(plan.config);
  lib.logout(plan.redirect, params);
}

document.getElementById('logout').addEventListener('click', () => {
  runLogout().catch((err) => {
    say('logout-error', `${err.name} ${err.code ?? ''}: ${err.message}`);
  });
});

window.rp = {
  planLogout: (plan) => { logoutPlan = plan; },
  idToken: () => idToken,
  claims: () => idClaims,
  signedInWith: () => signedInWith,
};

if (location.pathname === '/callback') {
  say('exchanging', 'Exchanging the authorization code…');
  finishSignIn().catch((err) => {
    say('error', String(err));
    logEl.textContent = String(err.stack || err);
  });
}
