// What the package does in a given global scope (a page, a dedicated or
// shared worker, Node): the open-redirect guard and logout's refusals.
// Served as-is into the Chromium page and its workers; the tests compare
// the answers with what each scope must give.
import { describeThrow, summary } from './checks.mjs';

const APP = 'myapp.genauth.ai';

/** A module worker that answers `scopeChecks` for the cases it is sent. */
export const WORKER_SOURCE = `import * as pkg from '/pkg/dist/index.js';
import { scopeChecks } from '/lib/scopes.mjs';
self.onmessage = async (e) => self.postMessage(await scopeChecks(pkg, e.data));
`;

const run = (fn) => {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return describeThrow(e);
  }
};

/**
 * Runs `cases` (contract-table cases) through buildLogoutUrl, then a few
 * logouts, listening on the default channel for what other tabs would be
 * told. Resolves to plain JSON.
 */
export async function scopeChecks(pkg, cases) {
  let origin = null;
  try { origin = globalThis.location?.origin ?? null; } catch { /* Deno without --location */ }
  const table = cases.map((c) => {
    const got = run(() => new pkg.LogoutClient(c.config).buildLogoutUrl(c.redirect, c.params));
    return got.ok ? { url: got.value } : { error: got.code, genAuthError: got.genAuthError };
  });
  const told = [];
  const ear = typeof BroadcastChannel == 'function' ? new BroadcastChannel('genauth-logout') : null;
  if (ear) ear.onmessage = (e) => told.push(e.data);
  const navigated = [];
  const navigate = (url) => { navigated.push(url); };
  const plain = new pkg.LogoutClient({ appDomain: APP });
  const withNavigate = new pkg.LogoutClient({ appDomain: APP, navigate });
  const post = new pkg.LogoutClient({ appDomain: APP, protocol: 'oidc', method: 'post' });
  const out = {
    origin,
    hasWindow: typeof window != 'undefined',
    hasDocument: typeof document != 'undefined',
    table,
    foreign: summary(run(() => plain.buildLogoutUrl('https://evil.example/'))),
    own: origin ? summary(run(() => plain.buildLogoutUrl(`${origin}/own`))) : null,
    relative: summary(run(() => plain.buildLogoutUrl('/after'))),
    listed: summary(run(() => new pkg.LogoutClient({ appDomain: APP, allowedRedirectOrigins: ['https://partner.example'] })
      .buildLogoutUrl('https://partner.example/cb'))),
    logout: summary(run(() => plain.logout('/after'))),
    logoutNoRedirect: summary(run(() => plain.logout())),
    logoutReplace: summary(run(() => plain.logout(undefined, { replace: true }))),
    logoutPost: summary(run(() => post.logout())),
    navigateForeign: summary(run(() => withNavigate.logout('https://evil.example/'))),
    navigatedAfterForeign: navigated.length,
    navigateRelative: summary(run(() => withNavigate.logout('/after'))),
    navigated,
  };
  await new Promise((resolve) => setTimeout(resolve, 300));
  ear?.close();
  out.told = told;
  return out;
}
