// Checks shared by Node and the Chromium page (this file is served into the
// page as-is): each function takes the imported `genauth-logout` module, runs
// cases and returns plain JSON-able results; the *.test.mjs files assert on
// them and gen-table.mjs prints them.

export const APP = 'myapp.genauth.ai';
export const APP_ORIGIN = 'https://myapp.genauth.ai';
export const GENAUTH_PATH = '/login/profile/logout';

/** Runs `fn`; returns { ok, value } or what was thrown, described. */
export function outcome(fn) {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return describeThrow(e);
  }
}

export function describeThrow(e) {
  const isObject = e !== null && (typeof e === 'object' || typeof e === 'function');
  return {
    ok: false,
    code: isObject && typeof e.code === 'string' ? e.code : null,
    name: isObject ? String(e.name) : typeof e,
    genAuthError: isObject && e.constructor && e.constructor.name === 'GenAuthError' && e instanceof Error,
    wasmTrap: typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError,
    message: isObject ? String(e.message).slice(0, 200) : String(e).slice(0, 200),
  };
}

/** "ok:<url>" or the error code (or a description of a non-GenAuthError throw). */
export function summary(result) {
  if (result.ok) return `url:${result.value}`;
  if (result.genAuthError && result.code) return result.code;
  return `THREW ${result.name}${result.wasmTrap ? ' (wasm trap)' : ''}: ${result.message}`;
}

// ---------------------------------------------------------------- policy ---

/** C0 controls, DEL and C1 controls (what the core calls control characters). */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The documented redirect policy (shared/DESIGN.md) applied to what THIS
 * engine's `URL` says about `input`: returns { accept: true, origin, sent }
 * or { accept: false, code, rule }. `page` is location.origin or null.
 */
export function policy(input, page) {
  const refuse = (rule) => ({ accept: false, code: 'invalid_redirect', rule });
  if (input === '') return refuse('R1 empty');
  if (new TextEncoder().encode(input).length > 8192) return refuse('R2 longer than 8 KB');
  if (CONTROL.test(input)) return refuse('R3 control character (U+0000-001F, U+007F-009F) anywhere');
  if (input.trim() !== input) return refuse('R4 leading or trailing white space (String.prototype.trim)');
  if (input.startsWith('/')) {
    if (input.startsWith('//') || input.startsWith('/\\')) return refuse('R5 scheme-relative // or /\\');
    if (page === null) return refuse('R6 relative path outside a browser');
    let resolved;
    try { resolved = new URL(page + input); } catch { return refuse('R7 relative path does not stay on the page origin'); }
    if (resolved.origin !== page || !/^https?:$/.test(resolved.protocol)) {
      return refuse('R7 relative path does not stay on the page origin');
    }
    return { accept: true, origin: page, sent: page + input };
  }
  if (!/^https?:\/\//i.test(input)) return refuse('R12 absolute redirect not starting with http:// or https://');
  if (/^https?:\/\/\//i.test(input) || input.split(/[?#]/)[0].includes('\\')) return refuse('R13 extra slash after the scheme, or a backslash before the query');
  // An @ in the authority as written is user info, even an empty one (WHATWG then reports none).
  if (input.slice(input.indexOf('//') + 2).split(/[/?#]/)[0].includes('@')) return refuse('R11 user info');
  let url;
  try { url = new URL(input); } catch { return refuse('R8 not an absolute URL (URL parser failure)'); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('R9 scheme is not http: or https:');
  if (url.hostname === '') return refuse('R10 no host');
  if (url.username !== '' || url.password !== '') return refuse('R11 user info');
  return { accept: true, origin: url.origin, sent: input };
}

/** Whether an origin can be written in allowedRedirectOrigins (the core only lists plain host names). */
export function listable(origin) {
  return /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*)(:\d{1,5})?$/.test(origin);
}

/**
 * One redirect through the package, compared with the policy on this
 * engine's URL parser. Two calls: with the engine's origin allowed and with
 * nothing allowed (only the page, if any). Together they pin the origin the
 * package saw: accepted when the engine's origin is listed, refused with
 * redirect_not_allowed when it is not (unless it is the page's).
 */
export function compareRedirect(pkg, input, page) {
  const expected = policy(input, page);
  const open = outcome(() => new pkg.LogoutClient({ appDomain: APP, allowedRedirectOrigins: [] }));
  if (!open.ok) throw new Error(`bad test client: ${summary(open)}`);
  const closed = open.value;
  const results = { input, page, expected, problems: [] };
  const got0 = outcome(() => closed.buildLogoutUrl(input));
  results.closed = summary(got0);
  if (!expected.accept) {
    if (got0.ok || got0.code !== 'invalid_redirect') {
      results.problems.push(`policy refuses (${expected.rule}) but package gave ${summary(got0)}`);
    }
    return results;
  }
  const url = `${APP_ORIGIN}${GENAUTH_PATH}?redirect_uri=${encodeURIComponent(expected.sent)}`;
  results.url = url;
  if (expected.origin === page) {
    if (summary(got0) !== `url:${url}`) results.problems.push(`same-origin redirect: expected ${url}, got ${summary(got0)}`);
    return results;
  }
  if (summary(got0) !== 'redirect_not_allowed') {
    results.problems.push(`origin ${expected.origin} not allowed, expected redirect_not_allowed, got ${summary(got0)}`);
  }
  if (!listable(expected.origin)) {
    results.unlistable = true;
    return results;
  }
  const allowed = outcome(() => new pkg.LogoutClient({ appDomain: APP, allowedRedirectOrigins: [expected.origin] }));
  if (!allowed.ok) {
    results.problems.push(`allowedRedirectOrigins [${expected.origin}] refused: ${summary(allowed)}`);
    return results;
  }
  const got1 = outcome(() => allowed.value.buildLogoutUrl(input));
  results.open = summary(got1);
  if (summary(got1) !== `url:${url}`) {
    results.problems.push(`engine origin ${expected.origin} allowed: expected ${url}, got ${summary(got1)}`);
  }
  return results;
}

/** Runs the URL corpus inputs; returns the results with problems and a tally. */
export function runCorpus(pkg, inputs, page) {
  const results = inputs.map((input) => compareRedirect(pkg, input, page));
  const tally = { total: results.length, accepted: 0, refused: 0, unlistable: 0, problems: 0, rules: {} };
  for (const r of results) {
    if (r.expected.accept) tally.accepted += 1;
    else {
      tally.refused += 1;
      tally.rules[r.expected.rule] = (tally.rules[r.expected.rule] || 0) + 1;
    }
    if (r.unlistable) tally.unlistable += 1;
    if (r.problems.length) tally.problems += 1;
  }
  return { tally, failures: results.filter((r) => r.problems.length), results };
}

/**
 * The payload list (tests/data/hostile_redirects.json): each case names its
 * expected result in a page (`expect`) and outside one (`expectNode`);
 * `{page}` in strings stands for the page origin.
 */
export function runPayloads(pkg, data, page) {
  const out = [];
  for (const c of data.cases) {
    const sub = (s) => s.split('{page}').join(page ?? '');
    const config = { appDomain: APP, allowedRedirectOrigins: (c.allowed ?? data.allowedRedirectOrigins).map(sub) };
    const redirect = sub(c.redirect);
    const want = page === null ? c.expectNode : c.expect;
    const client = outcome(() => new pkg.LogoutClient(config));
    const got = client.ok ? outcome(() => client.value.buildLogoutUrl(redirect)) : client;
    const expected = want === 'accept'
      ? `url:${APP_ORIGIN}${GENAUTH_PATH}?redirect_uri=${encodeURIComponent(sub(c.sent ?? c.redirect))}`
      : want;
    const pol = policy(redirect, page);
    let engineOrigin = null;
    try { engineOrigin = new URL(redirect).origin; } catch { /* not absolute */ }
    out.push({ name: c.name, redirect: c.redirect, expected, got: summary(got), engineOrigin, rule: pol.accept ? null : pol.rule });
  }
  return out;
}

// -------------------------------------------------------------- encoding ---

/** Code points chosen to cover every plane and the odd classes. */
export function interestingCodePoints() {
  const cps = [];
  for (let plane = 0; plane <= 16; plane += 1) {
    const base = plane * 0x10000;
    cps.push(base, base + 1, base + 0x7f, base + 0x80, base + 0xfffd, base + 0xfffe, base + 0xffff);
  }
  for (let cp = 0xfdd0; cp <= 0xfdef; cp += 1) cps.push(cp); // noncharacters
  cps.push(0xe000, 0xf8ff, 0xf0000, 0xffffd, 0x100000, 0x10fffd); // private use
  cps.push(0xd7ff, 0xe000, 0xfeff, 0x200b, 0x202e, 0x2028, 0x2029, 0x3000, 0xa0, 0x85, 0x1f600, 0x10ffff);
  return cps.filter((cp) => cp < 0xd800 || cp > 0xdfff);
}

/** A deterministic PRNG (mulberry32) so both engines see the same strings. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random well-formed strings mixing ASCII, BMP, astral, private use and noncharacters. */
export function randomStrings(count, seed) {
  const rand = prng(seed);
  const special = interestingCodePoints();
  const pick = () => {
    const r = rand();
    if (r < 0.3) return 0x20 + Math.floor(rand() * 0x5f); // printable ASCII
    if (r < 0.4) return Math.floor(rand() * 0x100); // Latin-1 incl. controls
    if (r < 0.6) { // BMP without surrogates
      const cp = Math.floor(rand() * 0xf800);
      return cp < 0xd800 ? cp : cp + 0x800;
    }
    if (r < 0.8) return 0x10000 + Math.floor(rand() * 0x100000); // astral, any plane
    return special[Math.floor(rand() * special.length)];
  };
  const out = [];
  for (let i = 0; i < count; i += 1) {
    const len = Math.floor(rand() * 24);
    let s = '';
    for (let j = 0; j < len; j += 1) s += String.fromCodePoint(pick());
    out.push(s);
  }
  return out;
}

/** Every Unicode scalar value, in chunks of `size` code points. */
export function everyScalarValue(size = 1024) {
  const chunks = [];
  let s = '';
  let n = 0;
  for (let cp = 0; cp <= 0x10ffff; cp += 1) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    s += String.fromCodePoint(cp);
    n += 1;
    if (n === size) { chunks.push(s); s = ''; n = 0; }
  }
  if (s) chunks.push(s);
  return chunks;
}

/**
 * Differential encoding: `state` (OIDC, any characters allowed) must be
 * exactly this engine's encodeURIComponent; the same string inside an
 * absolute redirect too, unless a rule refuses the redirect (controls).
 */
export function encodingDifferential(pkg, strings) {
  const client = new pkg.LogoutClient({ appDomain: APP, protocol: 'oidc', allowedRedirectOrigins: ['https://rp.example'] });
  const mismatches = [];
  let redirects = 0;
  for (const s of strings) {
    const expected = `${APP_ORIGIN}/oidc/session/end?state=${encodeURIComponent(s)}`;
    const got = summary(outcome(() => client.buildLogoutUrl(undefined, { state: s })));
    if (got !== `url:${expected}`) mismatches.push({ what: 'state', input: s, expected, got });
    const redirect = `https://rp.example/cb?v=${s}&end=1`;
    const pol = policy(redirect, null);
    const want = pol.accept
      ? `url:${APP_ORIGIN}/oidc/session/end?post_logout_redirect_uri=${encodeURIComponent(redirect)}`
      : pol.code;
    const gotR = summary(outcome(() => client.buildLogoutUrl(redirect)));
    if (pol.accept) redirects += 1;
    if (gotR !== want) mismatches.push({ what: 'redirect', input: redirect, expected: want, got: gotR });
  }
  return { count: strings.length, redirects, mismatches: mismatches.slice(0, 20), mismatchCount: mismatches.length };
}

/** Lone surrogates: never encoded (encodeURIComponent itself throws URIError). */
export const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', 'a\ud800b', '\udc00\ud800', '\ud83d', 'x\ude00'];

export function loneSurrogates(pkg) {
  const client = new pkg.LogoutClient({ appDomain: APP, protocol: 'oidc' });
  return LONE_SURROGATES.map((s) => ({
    input: s,
    engine: (() => { try { encodeURIComponent(s); return 'encoded'; } catch (e) { return e.name; } })(),
    state: summary(outcome(() => client.buildLogoutUrl(undefined, { state: s }))),
    redirect: summary(outcome(() => client.buildLogoutUrl(`https://rp.example/${s}`))),
  }));
}

// ------------------------------------------------------------ form POST ---

/** Line breaks and their look-alikes in a form field, with GET and with POST. */
export const LINE_BREAK_VALUES = ['a\nb', 'a\r\nb', 'a\rb', 'a\u2028b', 'a\u0085b'];

/** buildLogoutUrl refuses with POST what logout would refuse: each value as state and as idTokenHint. */
export function lineBreaks(pkg) {
  const rows = [];
  for (const value of LINE_BREAK_VALUES) {
    for (const field of ['state', 'idTokenHint']) {
      const got = (method) => summary(outcome(() => new pkg.LogoutClient({ appDomain: APP, protocol: 'oidc', method })
        .buildLogoutUrl(undefined, { [field]: value })));
      rows.push({ field, value, get: got('get'), post: got('post') });
    }
  }
  return rows;
}
