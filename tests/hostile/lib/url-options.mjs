// Every URL option must mean one URL: the same with or without a base (the
// core reads it alone, the browser resolves it against the page for
// `location.assign` and a form's `action`) and the same to an RFC 3986
// reader (where the authority ends, whether there is user info). Served
// as-is into the Chromium page; run in Node too.
import { describeThrow } from './checks.mjs';

export const APP = 'myapp.genauth.ai';
export const BASE = 'https://app.example.com/dir/page.html';

/** The written forms the rule is about, for each URL option, all refused. */
export const REFUSED = {
  endSessionEndpoint: [
    'http:127.0.0.1:1/x', 'https:op.example.com/end', 'https:/op.example.com/end',
    'https://op.example.com\\@evil.com/end', 'https:\\\\op.example.com/end', 'https:/\\op.example.com/end',
    'https:///op.example.com/end', 'HTTPS:op.example.com/end', 'http:/127.0.0.1:9000/end',
    'https://op.example.com\\end', 'https://op.example.com/a\\b', 'https://@op.example.com/end',
    'https://:@op.example.com/end', 'HTTPS://:@op.example.com/end', 'https://u:p@op.example.com/end',
    '//op.example.com/end', '/oidc/session/end', 'op.example.com/end',
  ],
  allowedRedirectOrigins: [
    'https:partner.example', 'https:/partner.example', 'http:127.0.0.1:1', 'https://partner.example\\@evil.com',
    'https:\\\\partner.example', 'https:///partner.example', 'https://@partner.example', 'https://:@partner.example/',
    '//partner.example', 'partner.example',
  ],
  appDomain: [
    'https:myapp.genauth.ai', 'https:/myapp.genauth.ai', 'http:127.0.0.1:1', 'https://myapp.genauth.ai\\@evil.com',
    'https:\\\\myapp.genauth.ai', 'https:///myapp.genauth.ai', 'https://@myapp.genauth.ai', 'https://:@myapp.genauth.ai',
    ':@myapp.genauth.ai', '@myapp.genauth.ai', 'HTTP:localhost:3000',
  ],
};

const CODE = { endSessionEndpoint: 'invalid_option', allowedRedirectOrigins: 'invalid_option', appDomain: 'invalid_app_domain' };

/** The config that sets `option` to `value`. */
export function configWith(option, value) {
  if (option === 'appDomain') return { appDomain: value };
  if (option === 'allowedRedirectOrigins') return { appDomain: APP, allowedRedirectOrigins: [value] };
  return { appDomain: APP, protocol: 'oidc', endSessionEndpoint: value };
}

/** How an RFC 3986 reader splits `input` (Appendix B's regular expression). */
export function rfc3986(input) {
  const m = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(input);
  if (!m || m[1] === undefined) return null;
  const authority = m[2] ?? null;
  const at = authority === null ? -1 : authority.lastIndexOf('@');
  return { scheme: m[1].toLowerCase(), authority, userinfo: at < 0 ? null : authority.slice(0, at), path: m[3] };
}

/** Why `input` does not mean one URL everywhere; [] when it does. */
export function meaningProblems(input) {
  const problems = [];
  let alone;
  try { alone = new URL(input); } catch { return ['not an absolute URL on its own']; }
  const based = new URL(input, BASE);
  if (based.href !== alone.href) problems.push(`against the page it is ${based.href}, alone ${alone.href}`);
  if (typeof document != 'undefined') {
    const action = Object.assign(document.createElement('form'), { action: input }).action;
    if (action !== alone.href) problems.push(`form.action is ${action}`);
  }
  if (input.split(/[?#]/)[0].includes('\\')) {
    problems.push('a backslash before the query: / to WHATWG, a character RFC 3986 does not allow');
  }
  const r = rfc3986(input);
  if (!r || r.authority === null) problems.push('no authority to an RFC 3986 reader');
  else {
    if (r.userinfo !== null) problems.push(`user info ${JSON.stringify(r.userinfo)} to an RFC 3986 reader`);
    let host = null;
    try { host = new URL(`${r.scheme}://${r.authority.slice(r.authority.lastIndexOf('@') + 1)}/`).host; } catch { /* none */ }
    if (host !== alone.host) problems.push(`an RFC 3986 reader's authority ${JSON.stringify(r.authority)} is not host ${alone.host}`);
  }
  return problems;
}

/** Each refused form: the package's answer, and why it would not mean one URL. */
export function runRefused(pkg) {
  const out = [];
  for (const [option, values] of Object.entries(REFUSED)) {
    for (const value of values) {
      let got;
      try {
        new pkg.LogoutClient(configWith(option, value));
        got = 'accepted';
      } catch (e) {
        const d = describeThrow(e);
        got = d.genAuthError ? d.code : `THREW ${d.name}: ${d.message}`;
      }
      out.push({ option, value, expect: CODE[option], got, problems: option === 'appDomain' ? null : meaningProblems(value) });
    }
  }
  return out;
}

/**
 * Every input as `endSessionEndpoint` and as an `allowedRedirectOrigins`
 * entry: when the package accepts it, it must mean one URL everywhere.
 */
export function runAccepted(pkg, inputs) {
  const failures = [];
  const tally = { endSessionEndpoint: 0, allowedRedirectOrigins: 0 };
  for (const input of inputs) {
    for (const option of ['endSessionEndpoint', 'allowedRedirectOrigins']) {
      try {
        new pkg.LogoutClient(configWith(option, input));
      } catch {
        continue;
      }
      tally[option] += 1;
      const problems = meaningProblems(input);
      if (problems.length) failures.push({ option, input, problems });
    }
  }
  return { tally, failures };
}
