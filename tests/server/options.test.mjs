// logoutResponse's contract in-process, as the installed package exports
// it: every protocol and option of the browser entry, cookie deletions as
// they were set, the form-POST page under a fresh nonce, and bad input as a
// GenAuthError before any Response exists (so before any header).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadServer } from './harness.mjs';

let server;
before(async () => { server = await loadServer(); });

const APP = 'https://app.example.com';
const base = { appDomain: 'myapp.genauth.ai', appOrigin: APP };
const post = (headers = { origin: APP }) => new Request('https://ignored.example/logout', { method: 'POST', headers });

function expectError(options, code, request = post()) {
  let threw;
  try {
    server.logoutResponse(request, options);
  } catch (e) {
    threw = e;
  }
  assert.ok(threw instanceof server.GenAuthError, `${JSON.stringify(options)}: ${threw}`);
  assert.ok(threw instanceof server.MainGenAuthError);
  assert.equal(threw.code, code, `${JSON.stringify(options)}: ${threw.message}`);
  return threw;
}

test('every protocol: the same URL the browser entry builds, a relative redirect on appOrigin', () => {
  const cases = [
    [{}, 'https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye%3Fa%3D1%26b%3D%C3%A9'],
    [{ protocol: 'cas' }, 'https://myapp.genauth.ai/cas-idp/logout?url=https%3A%2F%2Fapp.example.com%2Fbye%3Fa%3D1%26b%3D%C3%A9'],
    [{ protocol: 'oidc', idTokenHint: 'h', state: 's t', clientId: 'c', logoutHint: 'l', uiLocales: 'fr en' },
      'https://myapp.genauth.ai/oidc/session/end?id_token_hint=h&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye%3Fa%3D1%26b%3D%C3%A9&state=s%20t&client_id=c&logout_hint=l&ui_locales=fr%20en'],
    [{ protocol: 'oidc', endSessionEndpoint: 'https://idp.example.com/end?x=1' },
      'https://idp.example.com/end?x=1&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye%3Fa%3D1%26b%3D%C3%A9'],
  ];
  for (const [extra, location] of cases) {
    const res = server.logoutResponse(post(), { ...base, redirect: '/bye?a=1&b=é', ...extra });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), location);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(res.headers.getSetCookie(), []);
  }
  const none = server.logoutResponse(post(), base);
  assert.equal(none.headers.get('location'), 'https://myapp.genauth.ai/login/profile/logout');
});

test('redirects: the guard treats appOrigin as the page, allowedRedirectOrigins add more', () => {
  const ok = server.logoutResponse(post(), { ...base, redirect: 'https://www.example.com/x', allowedRedirectOrigins: ['https://www.example.com'] });
  assert.equal(ok.headers.get('location'), 'https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fwww.example.com%2Fx');
  expectError({ ...base, redirect: 'https://evil.example/' }, 'redirect_not_allowed');
  expectError({ ...base, redirect: '//evil.example/' }, 'invalid_redirect');
  expectError({ ...base, redirect: 'javascript:alert(1)' }, 'invalid_redirect');
  expectError({ ...base, redirect: '/a\r\nSet-Cookie: x=1' }, 'invalid_redirect');
  // Refused on a refused request too: a bad option never hides behind a 403.
  expectError({ ...base, redirect: 'https://evil.example/' }, 'redirect_not_allowed', post({ origin: 'https://evil.example' }));
});

test('clearCookies: each deleted with the attributes it was set with; prefixes add what they require', () => {
  const res = server.logoutResponse(post(), {
    ...base,
    clearCookies: [
      'session',
      { name: 'sid', path: '/app', domain: 'example.com', secure: true, httpOnly: true, sameSite: 'Strict' },
      { name: '__Host-csrf' },
      { name: '__Secure-x', sameSite: 'none', partitioned: true },
    ],
  });
  assert.deepEqual(res.headers.getSetCookie(), [
    'session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/',
    'sid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/app; Domain=example.com; Secure; HttpOnly; SameSite=Strict',
    '__Host-csrf=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure',
    '__Secure-x=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; SameSite=None; Partitioned',
  ]);
  for (const bad of [
    ['a;b'], ['a b'], [''], ['a=b'], ['sé'], [{ name: 'x', path: 'app' }], [{ name: 'x', path: '/a\r\nb' }],
    [{ name: 'x', domain: 'a;b' }], [{ name: '__Host-x', domain: 'example.com' }], [{ name: '__Host-x', path: '/a' }],
    [{ name: '__Secure-x', secure: false }], [{ name: 'x', sameSite: 'none', secure: false }], [{ name: 'x', sameSite: 'sometimes' }],
    [{ name: 'x', samesite: 'lax' }], [{ path: '/' }], [{ name: 'x', secure: 'yes' }], 'session', [42], [null],
    Array.from({ length: 257 }, (_, i) => `c${i}`),
  ]) {
    expectError({ ...base, clearCookies: bad }, 'invalid_option');
  }
});

test('method "post": the auto-submitting form page under a fresh nonce, its CSP, cookies deleted', () => {
  const options = { ...base, protocol: 'oidc', method: 'post', idTokenHint: 'eyJ"><script>x</script>', redirect: '/bye', clearCookies: ['session'] };
  const a = server.logoutResponse(post(), options);
  const b = server.logoutResponse(post(), options);
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(a.headers.get('cache-control'), 'no-store');
  assert.equal(a.headers.get('location'), null);
  assert.deepEqual(a.headers.getSetCookie(), ['session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/']);
  const nonce = (res) => /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(res.headers.get('content-security-policy'))[1];
  assert.notEqual(nonce(a), nonce(b), 'a fresh nonce per response');
  assert.ok(nonce(a).length >= 22);
  return a.text().then((html) => {
    assert.ok(html.includes(`<script nonce="${nonce(a)}">`));
    assert.ok(html.includes('<form method="post" action="https://myapp.genauth.ai/oidc/session/end">'));
    assert.ok(html.includes('value="eyJ&quot;&gt;&lt;script&gt;x&lt;/script&gt;"'));
    assert.equal(html.match(/<script/g).length, 1);
  });
});

test('bad input: GenAuthError before any Response, whatever the request', () => {
  expectError({ appOrigin: APP }, 'invalid_option');
  expectError({ appDomain: 'myapp.genauth.ai' }, 'invalid_option');
  expectError({ ...base, appDomain: 'https://myapp.genauth.ai/path' }, 'invalid_app_domain');
  expectError({ ...base, appOrigin: 'https://app.example.com/path' }, 'invalid_option');
  expectError({ ...base, appOrigin: 'app.example.com' }, 'invalid_option');
  expectError({ ...base, protocol: 'saml' }, 'invalid_option');
  expectError({ ...base, method: 'post' }, 'invalid_option');
  expectError({ ...base, protocol: 'oidc', method: 'post', state: 'a\r\nb' }, 'invalid_option');
  expectError({ ...base, protocol: 'oidc', endSessionEndpoint: 'http://idp.example.com/end' }, 'invalid_option');
  expectError({ ...base, getLogout: 'always' }, 'invalid_option');
  expectError({ ...base, clearStorageKeys: ['x'] }, 'invalid_option');
  expectError({ ...base, redirectUri: '/x' }, 'invalid_option');
  expectError({ ...base, redirect: 42 }, 'invalid_option');
  expectError(null, 'invalid_option');
  expectError(base, 'invalid_option', { method: 'POST', headers: {} });
  expectError(base, 'invalid_option', 'https://app.example.com/logout');
});

test('getLogout: which GET navigations may log out', () => {
  const nav = (site) => new Request('https://x/logout', { headers: { 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } });
  const status = (site, getLogout) => server.logoutResponse(nav(site), { ...base, getLogout }).status;
  assert.deepEqual(['same-origin', 'same-site', 'none', 'cross-site'].map((s) => status(s)), [303, 303, 303, 403]);
  assert.deepEqual(['same-origin', 'same-site', 'none'].map((s) => status(s, 'same-origin')), [303, 403, 303]);
  assert.deepEqual(['same-origin', 'none'].map((s) => status(s, 'never')), [405, 405]);
  assert.equal(server.logoutResponse(post(), { ...base, getLogout: 'never' }).status, 303);
});

test('the 403 names the reason in fixed words and echoes nothing from the request', async () => {
  const res = server.logoutResponse(post({ origin: 'https://evil.example/<script>' }), base);
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
  const text = await res.text();
  assert.equal(text, 'the request comes from another origin than appOrigin\n');
});
