// A form POST logout changes no value silently. Form submission turns every
// line break into CRLF, so a field holding CR or LF is refused before
// anything is cleared, told or sent (GET sends it intact); every other value
// reaches the provider exactly, in UTF-8 even from a page whose charset is
// not. The provider is the page origin's /oidc/session/end, answered by the
// harness, which records what each request carried.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { openPage, PAGE_ORIGIN } from './harness.mjs';

const ENDPOINT = `${PAGE_ORIGIN}/oidc/session/end`;
const page = (charset) => () => ({
  contentType: `text/html; charset=${charset}`,
  body: '<!doctype html><title>app</title><p>app',
});
const landing = () => ({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>landed</title>' });

// Values a form would change (each refused with POST), as [params, config] overrides.
const LINE_BREAKS = [
  [{ state: 'a\nb' }, {}],
  [{ state: 'a\r\nb' }, {}],
  [{ state: 'a\rb' }, {}],
  [{ state: '\n' }, {}],
  [{ idTokenHint: 'header.pay\nload.sig' }, {}],
  [{ logoutHint: 'user\r\n@example.com' }, {}],
  [{ uiLocales: 'en\nfr' }, {}],
  [{ clientId: 'client\r' }, {}],
  [{}, { clientId: 'configured\nclient' }],
];
// Values a form delivers exactly (UTF-8, no line breaks).
const EXACT = 'é 😀 a+b&c=d%20 \u2028 \u0085 \t "<>" ü';

async function run(session, path, fn, arg) {
  await session.page.goto(`${PAGE_ORIGIN}${path}`);
  return session.page.evaluate(fn, arg);
}

describe('in Chromium', () => {
  let session;
  before(async () => {
    session = await openPage({
      routes: { '/utf8.html': page('utf-8'), '/legacy.html': page('windows-1252'), '/oidc/session/end': landing },
    });
  });
  after(async () => { await session?.close(); });

  for (const path of ['/utf8.html', '/legacy.html']) {
    test(`${path}: a line break in any form field is invalid_option before anything happens`, { timeout: 60_000 }, async () => {
      const before = session.requests.length;
      const r = await run(session, path, async (cases) => {
        const pkg = await import('/pkg/dist/index.js');
        const told = [];
        const ear = new BroadcastChannel('genauth-logout');
        ear.onmessage = (e) => told.push(e.data);
        localStorage.setItem('token', 't');
        const out = [];
        for (const [params, config] of cases) {
          const base = { appDomain: location.origin, protocol: 'oidc', method: 'post', clearStorageKeys: ['token'] };
          try {
            new pkg.LogoutClient({ ...base, ...config }).logout('/after', params);
            out.push('submitted');
          } catch (e) {
            out.push(e.code);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        ear.close();
        return { out, token: localStorage.getItem('token'), told, forms: document.forms.length };
      }, LINE_BREAKS);
      assert.deepEqual(r, { out: LINE_BREAKS.map(() => 'invalid_option'), token: 't', told: [], forms: 0 });
      assert.equal(session.requests.slice(before).filter((q) => q.method === 'POST').length, 0, 'nothing was posted');
    });

    test(`${path}: every other value reaches the provider exactly, in UTF-8`, { timeout: 60_000 }, async () => {
      const before = session.requests.length;
      await run(session, path, (state) => {
        window.__pkg = import('/pkg/dist/index.js').then((pkg) => {
          pkg.configure({ appDomain: location.origin, protocol: 'oidc', method: 'post', clientId: 'client é' });
          pkg.logout('/after?x=é', { state, idTokenHint: 'h.p.s', uiLocales: 'fr-CA en' });
        });
      }, EXACT);
      await session.page.waitForURL(ENDPOINT);
      const posts = session.requests.slice(before).filter((q) => q.method === 'POST');
      assert.equal(posts.length, 1);
      assert.equal(posts[0].url, ENDPOINT);
      assert.deepEqual([...new URLSearchParams(posts[0].body)], [
        ['id_token_hint', 'h.p.s'],
        ['post_logout_redirect_uri', `${PAGE_ORIGIN}/after?x=é`],
        ['state', EXACT],
        ['client_id', 'client é'],
        ['ui_locales', 'fr-CA en'],
      ]);
    });
  }

  test('GET sends line breaks intact', { timeout: 60_000 }, async () => {
    const before = session.requests.length;
    await run(session, '/utf8.html', () => {
      import('/pkg/dist/index.js').then((pkg) => {
        pkg.configure({ appDomain: location.origin, protocol: 'oidc' });
        pkg.logout(undefined, { state: 'a\nb\r\nc\rd' });
      });
    });
    await session.page.waitForURL((u) => u.pathname === '/oidc/session/end');
    const gets = session.requests.slice(before).filter((q) => q.url.startsWith(ENDPOINT));
    assert.equal(gets.length, 1);
    assert.equal(new URL(gets[0].url).searchParams.get('state'), 'a\nb\r\nc\rd');
  });
});
