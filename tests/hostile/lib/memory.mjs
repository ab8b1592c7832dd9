// 100,000 calls, good and bad mixed, in batches; after each batch the byte
// length of every WebAssembly.Memory the package created (recorded by the
// harness's MEMORY_HOOK before the package's first call). A leak shows as a
// buffer that keeps growing batch after batch.

import { APP, outcome } from './checks.mjs';
import { CASES } from './js-inputs.mjs';

const REDIRECTS = [
  'https://rp.example/after?x=1',
  'https://rp.example/😀?q=é',
  'javascript:alert(1)',
  '//evil.example/',
  'https://evil.example/',
  ' https://rp.example/',
  'https://u:p@rp.example/',
  'https://rp.example/\ud800',
  'x'.repeat(9000),
];

/** Cheap bad inputs from the js-inputs cases (the 1 MB ones would dominate the time). */
const SMALL_BAD = CASES.filter((c) => !/1 MB|100,000|2\^32/.test(c.name));

export function memorySizes() {
  return (globalThis.__wasmMemories || []).map((m) => m.buffer.byteLength);
}

/**
 * Runs `batches` × `perBatch` calls on one long-lived client (bad config
 * objects are constructed and refused); every 1000th call is one of the 1 MB
 * inputs. With `shortLived`, one call in ten creates its own LogoutClient. Returns the memory sizes after each batch and the call tally.
 * Between batches it yields to the event loop so finalizers can run.
 */
export async function churn(pkg, { batches = 10, perBatch = 10_000, shortLived = false } = {}) {
  const oidc = new pkg.LogoutClient({ appDomain: APP, protocol: 'oidc', allowedRedirectOrigins: ['https://rp.example'] });
  const huge = 'a'.repeat(1 << 20);
  const sizes = [];
  const tally = { ok: 0, genAuthError: 0, other: 0, calls: 0 };
  const other = [];
  let i = 0;
  for (let b = 0; b < batches; b += 1) {
    for (let n = 0; n < perBatch; n += 1, i += 1) {
      let r;
      const k = i % 10;
      if (i % 1000 === 999) {
        r = outcome(() => oidc.buildLogoutUrl(undefined, { state: huge }));
      } else if (k < 5) {
        r = outcome(() => oidc.buildLogoutUrl(REDIRECTS[i % REDIRECTS.length], { state: `s${i}`, idTokenHint: 'h.e.y' }));
      } else if (k < 8) {
        const c = SMALL_BAD[i % SMALL_BAD.length];
        if (c.kind === 'config') r = outcome(() => new pkg.LogoutClient(c.make()));
        else if (c.kind === 'redirect') r = outcome(() => oidc.buildLogoutUrl(c.make()));
        else if (c.kind === 'params') r = outcome(() => oidc.buildLogoutUrl(undefined, c.make()));
        else r = outcome(() => oidc.logout(...c.make()));
      } else if (k === 8 && shortLived) {
        // A client per call, as a server rendering a page per request might
        // do; its wasm side is freed only when the JS wrapper is collected.
        r = outcome(() => new pkg.LogoutClient({ appDomain: `app${i % 100}.genauth.ai` }).buildLogoutUrl());
      } else if (k === 8) {
        r = outcome(() => oidc.buildLogoutUrl(`https://rp.example/${i}`, { protocol: 'genauth' }));
      } else {
        r = outcome(() => oidc.buildLogoutUrl('/after', { protocol: 'cas' }));
      }
      tally.calls += 1;
      if (r.ok) tally.ok += 1;
      else if (r.genAuthError) tally.genAuthError += 1;
      else {
        tally.other += 1;
        if (other.length < 5) other.push(r);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    sizes.push(memorySizes());
  }
  return { sizes, tally, other };
}
