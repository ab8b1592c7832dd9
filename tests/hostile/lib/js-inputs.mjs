// Values a web page can pass that Rust never sees in normal use. Each case
// builds fresh arguments (so getters and proxies are new every run), says
// which call receives them and what the contract (shared/DESIGN.md,
// CONVENTIONS.md) expects: a GenAuthError code, or the URL.
//
// Served into the Chromium page as-is and imported by the Node tests and
// gen-table.mjs, so all three use the same cases.

import { APP, APP_ORIGIN, GENAUTH_PATH, outcome, summary } from './checks.mjs';

const MB = 1 << 20;
const huge = (c = 'a') => c.repeat(MB);
const boom = () => { throw new Error('getter says no'); };
const OIDC_END = `${APP_ORIGIN}/oidc/session/end`;
const PLAIN = `${APP_ORIGIN}${GENAUTH_PATH}`;
const REDIRECT = 'https://rp.example/after';
const GOOD = `${PLAIN}?redirect_uri=${encodeURIComponent(REDIRECT)}`;

// kind: "config" → new LogoutClient(arg); "redirect" → client.buildLogoutUrl(arg);
// "params" → client.buildLogoutUrl(undefined, arg) on an OIDC client;
// "logout" → client.logout(...arg) on a client without navigate (Node: no window).
export const CASES = [
  // --- config: not an object
  { kind: 'config', name: 'config undefined', input: 'undefined', make: () => undefined, expect: 'invalid_option' },
  { kind: 'config', name: 'config null', input: 'null', make: () => null, expect: 'invalid_option' },
  { kind: 'config', name: 'config number', input: '42', make: () => 42, expect: 'invalid_option' },
  { kind: 'config', name: 'config string', input: `"${APP}"`, make: () => APP, expect: 'invalid_option' },
  { kind: 'config', name: 'config symbol', input: 'Symbol()', make: () => Symbol('x'), expect: 'invalid_option' },
  { kind: 'config', name: 'config BigInt', input: '1n', make: () => 1n, expect: 'invalid_option' },
  { kind: 'config', name: 'config array', input: '[{appDomain}]', make: () => [{ appDomain: APP }], expect: 'invalid_option' },
  { kind: 'config', name: 'config function', input: '() => {}', make: () => () => {}, expect: 'invalid_option' },
  // --- config: appDomain of the wrong type or size
  { kind: 'config', name: 'appDomain number', input: '{ appDomain: 42 }', make: () => ({ appDomain: 42 }), expect: 'invalid_option' },
  { kind: 'config', name: 'appDomain null', input: '{ appDomain: null }', make: () => ({ appDomain: null }), expect: 'invalid_option' },
  { kind: 'config', name: 'appDomain object', input: '{ appDomain: {} }', make: () => ({ appDomain: {} }), expect: 'invalid_option' },
  { kind: 'config', name: 'appDomain symbol', input: '{ appDomain: Symbol() }', make: () => ({ appDomain: Symbol('a') }), expect: 'invalid_option' },
  { kind: 'config', name: 'appDomain BigInt', input: '{ appDomain: 1n }', make: () => ({ appDomain: 1n }), expect: 'invalid_option' },
  { kind: 'config', name: 'appDomain String object', input: '{ appDomain: new String(...) }', make: () => ({ appDomain: new String(APP) }), expect: 'invalid_option' },
  { kind: 'config', name: 'appDomain with toString', input: '{ appDomain: { toString() } }', make: () => ({ appDomain: { toString: () => APP } }), expect: 'invalid_option' },
  { kind: 'config', name: 'appDomain lone surrogate', input: '{ appDomain: "my\\uD800app.genauth.ai" }', make: () => ({ appDomain: 'my\ud800app.genauth.ai' }), expect: 'invalid_option' },
  { kind: 'config', name: 'appDomain 9 KB', input: '{ appDomain: "a" × 9000 }', make: () => ({ appDomain: 'a'.repeat(9000) }), expect: 'invalid_app_domain' },
  { kind: 'config', name: 'appDomain 1 MB', input: '{ appDomain: "a" × 1 MB }', make: () => ({ appDomain: huge() }), expect: 'invalid_app_domain' },
  // --- config: hostile objects
  { kind: 'config', name: 'config getter throws', input: '{ get appDomain() { throw } }', make: () => ({ get appDomain() { return boom(); } }), expect: 'invalid_option' },
  { kind: 'config', name: 'config Proxy ownKeys throws', input: 'new Proxy({appDomain}, { ownKeys() { throw } })', make: () => new Proxy({ appDomain: APP }, { ownKeys: boom }), expect: 'invalid_option' },
  { kind: 'config', name: 'config Proxy get throws', input: 'new Proxy({appDomain}, { get() { throw } })', make: () => new Proxy({ appDomain: APP }, { get: boom }), expect: 'invalid_option' },
  { kind: 'config', name: 'config Proxy getOwnPropertyDescriptor throws', input: 'new Proxy({appDomain}, { getOwnPropertyDescriptor() { throw } })', make: () => new Proxy({ appDomain: APP }, { getOwnPropertyDescriptor: boom }), expect: 'invalid_option' },
  { kind: 'config', name: 'config extra key', input: '{ appDomain, redirectUri: "x" }', make: () => ({ appDomain: APP, redirectUri: 'x' }), expect: 'invalid_option' },
  { kind: 'config', name: 'config own "__proto__" key', input: '{ appDomain, ["__proto__"]: {} }', make: () => ({ appDomain: APP, ['__proto__']: {} }), expect: 'invalid_option' },
  // Symbol-keyed properties are not options, as for Object.keys (a symbol
  // cannot be a misspelt option name, the reason unknown keys are refused).
  { kind: 'config', name: 'config symbol key ignored', input: '{ appDomain, [Symbol()]: 1 }', make: () => ({ appDomain: APP, [Symbol('k')]: 1 }), expect: 'ok' },
  { kind: 'config', name: 'config inherited appDomain', input: 'Object.create({ appDomain })', make: () => Object.create({ appDomain: APP }), expect: 'invalid_option' },
  { kind: 'config', name: 'allowedRedirectOrigins element getter throws', input: '{ allowedRedirectOrigins: [get 0() { throw }] }', make: () => { const a = []; Object.defineProperty(a, 0, { get: boom, enumerable: true }); return { appDomain: APP, allowedRedirectOrigins: a }; }, expect: 'invalid_option' },
  { kind: 'config', name: 'allowedRedirectOrigins 100,000 entries', input: '{ allowedRedirectOrigins: Array(100000) }', make: () => ({ appDomain: APP, allowedRedirectOrigins: new Array(100000).fill('https://a.example') }), expect: 'invalid_option' },
  { kind: 'config', name: 'allowedRedirectOrigins sparse length 2^32-1', input: '{ allowedRedirectOrigins: a with length 4294967295 }', make: () => { const a = []; a.length = 4294967295; return { appDomain: APP, allowedRedirectOrigins: a }; }, expect: 'invalid_option' },
  { kind: 'config', name: 'allowedRedirectOrigins lone surrogate', input: '{ allowedRedirectOrigins: ["https://a\\uDC00.example"] }', make: () => ({ appDomain: APP, allowedRedirectOrigins: ['https://a\udc00.example'] }), expect: 'invalid_option' },
  { kind: 'config', name: 'allowedRedirectOrigins Proxy array get throws', input: '{ allowedRedirectOrigins: new Proxy([...], { get() { throw } }) }', make: () => ({ appDomain: APP, allowedRedirectOrigins: new Proxy(['https://a.example'], { get: boom }) }), expect: 'invalid_option' },
  { kind: 'config', name: 'clearStorageKeys 256 × 4 KB keys', input: '{ clearStorageKeys: ["a" × 4096] × 256 }', make: () => ({ appDomain: APP, clearStorageKeys: Array.from({ length: 256 }, (_, i) => 'a'.repeat(4096) + i) }), expect: 'invalid_option' },
  { kind: 'config', name: '100,000 unknown options', input: '{ appDomain, k0 … k99999 }', make: () => Object.assign({ appDomain: APP }, Object.fromEntries(Array.from({ length: 100000 }, (_, i) => [`k${i}`, i]))), expect: 'invalid_option' },
  { kind: 'config', name: 'clearStorageKeys 1 MB key', input: '{ clearStorageKeys: ["a" × 1 MB] }', make: () => ({ appDomain: APP, clearStorageKeys: [huge()] }), expect: 'invalid_option' },
  { kind: 'config', name: 'navigate not a function', input: '{ navigate: "location.href" }', make: () => ({ appDomain: APP, navigate: 'location.href' }), expect: 'invalid_option' },
  { kind: 'config', name: 'endSessionEndpoint 1 MB', input: '{ protocol: "oidc", endSessionEndpoint: "https://x/" + 1 MB }', make: () => ({ appDomain: APP, protocol: 'oidc', endSessionEndpoint: `https://idp.example/${huge()}` }), expect: 'invalid_option' },
  { kind: 'config', name: 'config null prototype works', input: 'Object.assign(Object.create(null), { appDomain })', make: () => Object.assign(Object.create(null), { appDomain: APP }), expect: 'ok' },
  { kind: 'config', name: 'config non-enumerable extra key ignored', input: 'defineProperty({appDomain}, "x", { enumerable: false })', make: () => Object.defineProperty({ appDomain: APP }, 'x', { value: 1, enumerable: false }), expect: 'ok' },
  { kind: 'config', name: 'config frozen works', input: 'Object.freeze({ appDomain })', make: () => Object.freeze({ appDomain: APP }), expect: 'ok' },
  // --- redirect argument
  { kind: 'redirect', name: 'redirect null', input: 'null', make: () => null, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect number', input: '42', make: () => 42, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect NaN', input: 'NaN', make: () => NaN, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect boolean', input: 'true', make: () => true, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect symbol', input: 'Symbol()', make: () => Symbol('r'), expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect BigInt', input: '10n', make: () => 10n, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect object with toString', input: '{ toString() { return url } }', make: () => ({ toString: () => REDIRECT }), expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect String object', input: 'new String(url)', make: () => new String(REDIRECT), expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect URL object', input: 'new URL(url)', make: () => new URL(REDIRECT), expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect array', input: '[url]', make: () => [REDIRECT], expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect function', input: '() => url', make: () => () => REDIRECT, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect Proxy', input: 'new Proxy({}, { get() { throw } })', make: () => new Proxy({}, { get: boom, ownKeys: boom }), expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect revoked Proxy (Array.isArray throws)', input: 'Proxy.revocable([], {}) then revoke()', make: () => { const r = Proxy.revocable([], {}); r.revoke(); return r.proxy; }, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect array Proxy whose items throw', input: 'new Proxy(["https://a.example/"], { get() { throw } })', make: () => new Proxy(['https://a.example/'], { get: boom }), expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect lone high surrogate', input: '"https://rp.example/\\uD800"', make: () => 'https://rp.example/\ud800', expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect lone low surrogate', input: '"https://rp.example/\\uDC00"', make: () => 'https://rp.example/\udc00', expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect reversed pair', input: '"https://rp.example/\\uDE00\\uD83D"', make: () => 'https://rp.example/\ude00\ud83d', expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect surrogate in host', input: '"https://rp\\uD800.example/"', make: () => 'https://rp\ud800.example/', expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect 1 MB', input: '"https://rp.example/" + "a" × 1 MB', make: () => `https://rp.example/${huge()}`, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect 1 MB of astral', input: '"https://rp.example/" + "😀" × 256 K', make: () => `https://rp.example/${'😀'.repeat(MB / 4)}`, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect 9 KB', input: '"https://rp.example/" + "a" × 9000', make: () => `https://rp.example/${'a'.repeat(9000)}`, expect: 'invalid_redirect' },
  { kind: 'redirect', name: 'redirect undefined (none)', input: 'undefined', make: () => undefined, expect: `url:${PLAIN}` },
  { kind: 'redirect', name: 'redirect astral and noncharacters', input: '"https://rp.example/😀\\uFDD0\\u{10FFFF}"', make: () => 'https://rp.example/😀\ufdd0\u{10ffff}', expect: `url:${PLAIN}?redirect_uri=${encodeURIComponent('https://rp.example/😀\ufdd0\u{10ffff}')}` },
  // --- params argument (OIDC client)
  { kind: 'params', name: 'params null', input: 'null', make: () => null, expect: 'invalid_option' },
  { kind: 'params', name: 'params number', input: '1', make: () => 1, expect: 'invalid_option' },
  { kind: 'params', name: 'params string', input: '"state=x"', make: () => 'state=x', expect: 'invalid_option' },
  { kind: 'params', name: 'params symbol', input: 'Symbol()', make: () => Symbol('p'), expect: 'invalid_option' },
  { kind: 'params', name: 'params array', input: '[]', make: () => [], expect: 'invalid_option' },
  { kind: 'params', name: 'params getter throws', input: '{ get state() { throw } }', make: () => ({ get state() { return boom(); } }), expect: 'invalid_option' },
  { kind: 'params', name: 'params revoked Proxy', input: 'Proxy.revocable({}, {}) then revoke()', make: () => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; }, expect: 'invalid_option' },
  { kind: 'params', name: 'params Proxy ownKeys throws', input: 'new Proxy({state}, { ownKeys() { throw } })', make: () => new Proxy({ state: 's' }, { ownKeys: boom }), expect: 'invalid_option' },
  { kind: 'params', name: 'params Proxy get throws', input: 'new Proxy({state}, { get() { throw } })', make: () => new Proxy({ state: 's' }, { get: boom }), expect: 'invalid_option' },
  { kind: 'params', name: 'params Proxy getOwnPropertyDescriptor throws', input: 'new Proxy({ state: "s" }, { getOwnPropertyDescriptor() { throw } })', make: () => new Proxy({ state: 's' }, { getOwnPropertyDescriptor: boom }), expect: 'invalid_option' },
  { kind: 'params', name: 'params extra key', input: '{ state: "s", redirect_uri: "x" }', make: () => ({ state: 's', redirect_uri: 'x' }), expect: 'invalid_option' },
  { kind: 'params', name: 'params symbol key ignored', input: '{ [Symbol()]: 1 }', make: () => ({ [Symbol('k')]: 1 }), expect: `url:${OIDC_END}` },
  { kind: 'params', name: 'state number', input: '{ state: 1 }', make: () => ({ state: 1 }), expect: 'invalid_option' },
  { kind: 'params', name: 'state lone surrogate', input: '{ state: "\\uD800" }', make: () => ({ state: '\ud800' }), expect: 'invalid_option' },
  { kind: 'params', name: 'state 1 MB', input: '{ state: "a" × 1 MB }', make: () => ({ state: huge() }), expect: 'invalid_option' },
  { kind: 'params', name: 'idTokenHint 1 MB', input: '{ idTokenHint: "a" × 1 MB }', make: () => ({ idTokenHint: huge() }), expect: 'invalid_option' },
  { kind: 'params', name: 'idTokenHint 60 KB is fine', input: '{ idTokenHint: "a" × 60000 }', make: () => ({ idTokenHint: 'a'.repeat(60000) }), expect: `url:${OIDC_END}?id_token_hint=${'a'.repeat(60000)}` },
  { kind: 'params', name: 'protocol unknown', input: '{ protocol: "saml" }', make: () => ({ protocol: 'saml' }), expect: 'invalid_option' },
  { kind: 'params', name: 'replace not boolean', input: '{ replace: "yes" }', make: () => ({ replace: 'yes' }), expect: 'invalid_option' },
  { kind: 'params', name: 'state with every reserved character', input: '{ state: "&=?#%+ /" }', make: () => ({ state: '&=?#%+ /' }), expect: `url:${OIDC_END}?state=%26%3D%3F%23%25%2B%20%2F` },
  // --- logout(): refuses before any side effect
  { kind: 'logout', name: 'logout with symbol redirect', input: 'logout(Symbol())', make: () => [Symbol('l')], expect: 'invalid_redirect' },
  { kind: 'logout', name: 'logout with throwing params', input: 'logout(url, { get state() { throw } })', make: () => [REDIRECT, { get state() { return boom(); } }], expect: 'invalid_option' },
  { kind: 'logout', name: 'logout with 1 MB redirect', input: 'logout("https://rp.example/" + 1 MB)', make: () => [`https://rp.example/${huge()}`], expect: 'invalid_redirect' },
];

/** The client a case runs against. */
export function clientFor(pkg, kind) {
  if (kind === 'params') return new pkg.LogoutClient({ appDomain: APP, protocol: 'oidc' });
  if (kind === 'logout') return new pkg.LogoutClient({ appDomain: APP, protocol: 'oidc', allowedRedirectOrigins: ['https://rp.example'] });
  return new pkg.LogoutClient({ appDomain: APP, allowedRedirectOrigins: ['https://rp.example'] });
}

/** The call a good client must still answer after every bad one. */
export function goodCall(pkg) {
  return summary(outcome(() => new pkg.LogoutClient({ appDomain: APP, allowedRedirectOrigins: ['https://rp.example'] }).buildLogoutUrl(REDIRECT)));
}
export const GOOD_URL = `url:${GOOD}`;

/**
 * Runs every case; `inBrowser` changes one expectation: logout() of a valid
 * request navigates in a page, so only refusals are run there.
 */
export function runJsInputs(pkg) {
  const results = [];
  for (const c of CASES) {
    let got;
    const start = Date.now();
    if (c.kind === 'config') {
      const r = outcome(() => new pkg.LogoutClient(c.make()));
      got = r.ok ? 'ok' : summary(r);
    } else if (c.kind === 'redirect') {
      got = summary(outcome(() => clientFor(pkg, c.kind).buildLogoutUrl(c.make())));
    } else if (c.kind === 'params') {
      got = summary(outcome(() => clientFor(pkg, c.kind).buildLogoutUrl(undefined, c.make())));
    } else {
      const r = outcome(() => clientFor(pkg, c.kind).logout(...c.make()));
      got = r.ok ? 'ok' : summary(r);
    }
    const ms = Date.now() - start;
    results.push({ kind: c.kind, name: c.name, input: c.input, expect: c.expect, got, ms, after: goodCall(pkg) });
  }
  return results;
}
