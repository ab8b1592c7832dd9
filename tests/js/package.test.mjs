// The packed tarball, installed into a fresh project with `npm install <tgz>`
// and imported in child Node processes exactly as users do: ESM `import` and
// CommonJS `require`, for `genauth-logout` and `genauth-logout/admin`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { PKG_DIR, exec, installPackage, loadCases, probe, repoRoot } from './helpers.mjs';

const KINDS = ['esm', 'cjs'];
const cases = loadCases();
const nodeCases = cases.filter((c) => !c.browser);

let project;
let pkgJson;

before(async () => {
  project = await installPackage('node');
  pkgJson = JSON.parse(fs.readFileSync(path.join(project.installed, 'package.json'), 'utf8'));
});

after(() => project?.cleanup());

/** Expected outcome of a table case. */
const expected = (c) => ('url' in c ? { url: c.url } : { error: c.error });

// Runs the table inside the child: both through configure() + the module
// functions and through a LogoutClient, recording every error's shape.
const TABLE_BODY = `
const out = [];
for (const c of input) {
  const one = (viaModule) => {
    try {
      let url;
      if (viaModule) {
        lib.configure(c.config);
        url = lib.buildLogoutUrl(c.redirect, c.params);
      } else {
        url = new lib.LogoutClient(c.config).buildLogoutUrl(c.redirect, c.params);
      }
      return { url };
    } catch (e) {
      return { error: e && e.code, shape: {
        isGenAuthError: e instanceof lib.GenAuthError, isError: e instanceof Error,
        name: e && e.name, typeofCode: typeof (e && e.code),
        hasMessage: typeof (e && e.message) === "string" && e.message.length > 0 } };
    }
  };
  out.push({ name: c.name, module: one(true), client: one(false) });
}
report(out);
`;

describe('contract table through the installed package', () => {
  for (const kind of KINDS) {
    test(`${kind}: every non-browser case (${nodeCases.length}) via configure() and LogoutClient`, async () => {
      const results = await probe(project, kind, TABLE_BODY, { input: nodeCases, timeoutMs: 60_000 });
      assert.equal(results.length, nodeCases.length);
      const failures = [];
      results.forEach((r, i) => {
        const c = nodeCases[i];
        for (const via of ['module', 'client']) {
          const got = r[via];
          const { shape, ...outcome } = got;
          if (JSON.stringify(outcome) !== JSON.stringify(expected(c))) {
            failures.push(`${c.name} [${via}]\n  input    ${JSON.stringify({ config: c.config, redirect: c.redirect, params: c.params })}\n  expected ${JSON.stringify(expected(c))}\n  got      ${JSON.stringify(outcome)}`);
          }
          if (shape) {
            const want = { isGenAuthError: true, isError: true, name: 'GenAuthError', typeofCode: 'string', hasMessage: true };
            if (JSON.stringify(shape) !== JSON.stringify(want)) {
              failures.push(`${c.name} [${via}]: error shape ${JSON.stringify(shape)}`);
            }
          }
        }
      });
      assert.deepEqual(failures, [], `${failures.length} mismatches:\n${failures.join('\n')}`);
    });
  }
});

describe('imports as users write them', () => {
  test('esm: named imports and the issue\'s done-when example, exactly', async () => {
    const r = await probe(project, 'esm', `
      const m = await import("genauth-logout");
      const { configure, buildLogoutUrl, logout, personalCenterUrl, onLogout, LogoutClient, GenAuthError } = m;
      configure({ appDomain: "myapp.genauth.ai" });
      report({
        url: buildLogoutUrl("https://app.example.com/a?b=c&d=é"),
        types: [configure, buildLogoutUrl, logout, personalCenterUrl, onLogout, LogoutClient, GenAuthError].map((f) => typeof f),
        keys: Object.keys(m).filter((k) => k !== "default").sort(),
        sameAsNamespace: m.configure === lib.configure,
      });
    `);
    assert.equal(
      r.url,
      'https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fa%3Fb%3Dc%26d%3D%C3%A9',
    );
    assert.deepEqual(r.types, Array(7).fill('function'));
    assert.deepEqual(r.keys, ['GenAuthError', 'LogoutClient', 'buildLogoutUrl', 'configure', 'logout', 'onLogout', 'personalCenterUrl']);
    assert.equal(r.sameAsNamespace, true);
  });

  test('cjs: require() gives the same API and the done-when example', async () => {
    const r = await probe(project, 'cjs', `
      const { configure, buildLogoutUrl } = require("genauth-logout");
      configure({ appDomain: "myapp.genauth.ai" });
      report({
        url: buildLogoutUrl("https://app.example.com/a?b=c&d=é"),
        keys: Object.keys(lib).filter((k) => k !== "default" && k !== "__esModule").sort(),
      });
    `);
    assert.equal(
      r.url,
      'https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fa%3Fb%3Dc%26d%3D%C3%A9',
    );
    assert.deepEqual(r.keys, ['GenAuthError', 'LogoutClient', 'buildLogoutUrl', 'configure', 'logout', 'onLogout', 'personalCenterUrl']);
  });

  for (const kind of KINDS) {
    test(`${kind}: genauth-logout/admin loads and shares GenAuthError`, async (t) => {
      if (!pkgJson.exports || !pkgJson.exports['./admin']) {
        t.skip('package.json exports has no "./admin" entry');
        return;
      }
      const load = kind === 'esm' ? 'await import("genauth-logout/admin")' : 'require("genauth-logout/admin")';
      const r = await probe(project, kind, `
        const admin = ${load};
        report({
          adminClient: typeof admin.AdminClient,
          sameError: admin.GenAuthError === lib.GenAuthError,
          keys: Object.keys(admin).filter((k) => k !== "default" && k !== "__esModule").sort(),
        });
      `);
      assert.equal(r.adminClient, 'function');
      assert.equal(r.sameError, true, 'genauth-logout and genauth-logout/admin must export one GenAuthError class');
      assert.ok(r.keys.includes('AdminClient') && r.keys.includes('GenAuthError'), JSON.stringify(r.keys));
    });
  }
});

describe('redirect values the JSON table cannot hold', () => {
  for (const kind of KINDS) {
    test(`${kind}: lone surrogates and non-strings are invalid_redirect; encoding equals encodeURIComponent`, async () => {
      const r = await probe(project, kind, `
        lib.configure({ appDomain: "myapp.genauth.ai" });
        const bad = ["https://app.example.com/\\ud800", "https://app.example.com/\\udfff", "https://app.example.com/a\\ud83d",
          null, 0, true, {}, [], ["https://app.example.com/"], new String("https://app.example.com/"), () => "https://app.example.com/"];
        const codes = bad.map((v) => { const a = attempt(() => lib.buildLogoutUrl(v)); return [a.code, a.isGenAuthError]; });
        const mismatches = [];
        const printable = Array.from({ length: 0x5e }, (_, i) => String.fromCharCode(0x21 + i)).filter((c) => c !== "#" && c !== "%");
        const samples = [printable.join(""), "a b+c", "é日本😀", "%25%zz".replace("%zz", "x"), "?&=;,/:@$", "\u00a0x", "~*'()!"];
        for (const tail of samples) {
          const redirect = "https://app.example.com/p?q=" + tail;
          const got = attempt(() => lib.buildLogoutUrl(redirect));
          const want = "https://myapp.genauth.ai/login/profile/logout?redirect_uri=" + encodeURIComponent(redirect);
          if (got.value !== want) mismatches.push({ redirect, got });
        }
        report({ codes, mismatches });
      `);
      assert.deepEqual(r.codes, Array(11).fill(['invalid_redirect', true]), JSON.stringify(r.codes));
      assert.deepEqual(r.mismatches, []);
    });
  }
});

describe('module state and errors', () => {
  for (const kind of KINDS) {
    test(`${kind}: every module function throws not_configured before configure()`, async () => {
      const r = await probe(project, kind, `
        report({
          buildLogoutUrl: attempt(() => lib.buildLogoutUrl("https://app.example.com/")),
          buildNoArgs: attempt(() => lib.buildLogoutUrl()),
          logout: attempt(() => lib.logout()),
          personalCenterUrl: attempt(() => lib.personalCenterUrl()),
          onLogout: attempt(() => lib.onLogout(() => {})),
        });
      `);
      for (const [fn, got] of Object.entries(r)) {
        assert.equal(got.threw, true, `${fn} did not throw: ${JSON.stringify(got)}`);
        assert.equal(got.code, 'not_configured', `${fn}: ${JSON.stringify(got)}`);
        assert.equal(got.isGenAuthError, true, fn);
        assert.equal(got.isError, true, fn);
        assert.equal(got.name, 'GenAuthError', fn);
        assert.equal(got.typeofCode, 'string', fn);
      }
    });

    test(`${kind}: GenAuthError is a real Error subclass users can construct and catch`, async () => {
      const r = await probe(project, kind, `
        const e = new lib.GenAuthError("invalid_redirect", "m");
        let caught;
        try { lib.configure({ appDomain: "http://myapp.genauth.ai" }); } catch (x) { caught = x; }
        report({
          own: [e instanceof Error, e instanceof lib.GenAuthError, e.name, e.code, e.message, typeof e.stack],
          caught: [caught instanceof Error, caught instanceof lib.GenAuthError, caught.name, caught.code,
                   Object.prototype.toString.call(caught), String(caught).startsWith("GenAuthError: ")],
        });
      `);
      assert.deepEqual(r.own, [true, true, 'GenAuthError', 'invalid_redirect', 'm', 'string']);
      assert.deepEqual(r.caught, [true, true, 'GenAuthError', 'invalid_app_domain', '[object Error]', true]);
    });

    test(`${kind}: personalCenterUrl is <origin>/u`, async () => {
      const r = await probe(project, kind, `
        lib.configure({ appDomain: "MyApp.genauth.ai" });
        const a = lib.personalCenterUrl();
        const b = new lib.LogoutClient({ appDomain: "https://login.example.com:8443/" }).personalCenterUrl();
        const c = new lib.LogoutClient({ appDomain: "http://127.0.0.1:5173" }).personalCenterUrl();
        report([a, b, c]);
      `);
      assert.deepEqual(r, ['https://myapp.genauth.ai/u', 'https://login.example.com:8443/u', 'http://127.0.0.1:5173/u']);
    });

    test(`${kind}: LogoutClient instances are independent of configure() and of each other`, async () => {
      const r = await probe(project, kind, `
        lib.configure({ appDomain: "one.genauth.ai" });
        const a = new lib.LogoutClient({ appDomain: "two.genauth.ai", protocol: "cas" });
        const b = new lib.LogoutClient({ appDomain: "three.genauth.ai", protocol: "oidc", clientId: "c3" });
        const before = [lib.buildLogoutUrl(), a.buildLogoutUrl(), b.buildLogoutUrl()];
        lib.configure({ appDomain: "four.genauth.ai", protocol: "oidc" });
        const afterConf = [lib.buildLogoutUrl(), a.buildLogoutUrl(), b.buildLogoutUrl(), a.personalCenterUrl()];
        report({ before, afterConf });
      `);
      assert.deepEqual(r.before, [
        'https://one.genauth.ai/login/profile/logout',
        'https://two.genauth.ai/cas-idp/logout',
        'https://three.genauth.ai/oidc/session/end?client_id=c3',
      ]);
      assert.deepEqual(r.afterConf, [
        'https://four.genauth.ai/oidc/session/end',
        'https://two.genauth.ai/cas-idp/logout',
        'https://three.genauth.ai/oidc/session/end?client_id=c3',
        'https://two.genauth.ai/u',
      ]);
    });
  }
});

describe('logout() outside a browser', () => {
  for (const kind of KINDS) {
    test(`${kind}: no navigate → no_window, and nothing is sent to other tabs`, async () => {
      const r = await probe(project, kind, `
        const seen = [];
        const spy = new BroadcastChannel("genauth-logout");
        spy.onmessage = (e) => seen.push(e.data);
        lib.configure({ appDomain: "myapp.genauth.ai" });
        const viaModule = attempt(() => lib.logout("https://app.example.com/"));
        const viaClient = attempt(() => new lib.LogoutClient({ appDomain: "myapp.genauth.ai" }).logout());
        // A sentinel posted afterwards bounds the wait for a stray notice.
        const sentinel = new BroadcastChannel("genauth-logout");
        sentinel.postMessage({ type: "sentinel" });
        const t0 = Date.now();
        while (!seen.some((m) => m && m.type === "sentinel") && Date.now() - t0 < 5000) await sleep(10);
        await sleep(100);
        spy.close(); sentinel.close();
        report({ viaModule, viaClient, seen });
      `);
      for (const got of [r.viaModule, r.viaClient]) {
        assert.equal(got.code, 'no_window', JSON.stringify(got));
        assert.equal(got.isGenAuthError, true);
        assert.equal(got.name, 'GenAuthError');
      }
      assert.deepEqual(r.seen, [{ type: 'sentinel' }], 'no_window must be thrown before any side effect');
    });

    test(`${kind}: navigate is called once with the URL`, async () => {
      const r = await probe(project, kind, `
        const calls = [];
        lib.configure({ appDomain: "myapp.genauth.ai", navigate: (...args) => { calls.push(args); } });
        const ret = lib.logout("https://app.example.com/a?b=c&d=é");
        const first = calls.slice();
        const c = new lib.LogoutClient({ appDomain: "myapp.genauth.ai", protocol: "oidc", navigate: (...args) => { calls.push(args); } });
        c.logout("https://app.example.com/done", { state: "s", idTokenHint: "h" });
        report({ ret: ret === undefined, first, all: calls });
      `);
      assert.equal(r.ret, true, 'logout() returns undefined');
      assert.deepEqual(r.first, [[
        'https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2Fa%3Fb%3Dc%26d%3D%C3%A9',
      ]]);
      assert.equal(r.all.length, 2);
      assert.deepEqual(r.all[1], [
        'https://myapp.genauth.ai/oidc/session/end?id_token_hint=h&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fdone&state=s',
      ]);
    });

    test(`${kind}: navigate with method "post" is invalid_option, navigate never called`, async () => {
      const r = await probe(project, kind, `
        const calls = [];
        const navigate = (u) => calls.push(u);
        const fromConfig = attempt(() => new lib.LogoutClient({ appDomain: "myapp.genauth.ai", protocol: "oidc", method: "post", navigate }).logout("https://app.example.com/"));
        const perCall = attempt(() => new lib.LogoutClient({ appDomain: "myapp.genauth.ai", protocol: "oidc", navigate }).logout("https://app.example.com/", { method: "post" }));
        report({ fromConfig, perCall, calls });
      `);
      for (const got of [r.fromConfig, r.perCall]) {
        assert.equal(got.code, 'invalid_option', JSON.stringify(got));
        assert.equal(got.isGenAuthError, true);
      }
      assert.deepEqual(r.calls, []);
    });

    test(`${kind}: a rejected redirect never calls navigate nor notifies other tabs`, async () => {
      const r = await probe(project, kind, `
        const calls = [];
        const seen = [];
        const spy = new BroadcastChannel("genauth-logout");
        spy.onmessage = (e) => seen.push(e.data);
        const navigate = (u) => calls.push(u);
        const c = new lib.LogoutClient({ appDomain: "myapp.genauth.ai", navigate, allowedRedirectOrigins: ["https://app.example.com"] });
        const results = [
          attempt(() => c.logout("https://evil.example.com/")),
          attempt(() => c.logout("javascript:alert(1)")),
          attempt(() => c.logout("/relative")),
          attempt(() => c.logout(42)),
          attempt(() => c.logout("https://app.example.com/", { bogus: 1 })),
        ];
        const sentinel = new BroadcastChannel("genauth-logout");
        sentinel.postMessage({ type: "sentinel" });
        const t0 = Date.now();
        while (!seen.some((m) => m && m.type === "sentinel") && Date.now() - t0 < 5000) await sleep(10);
        await sleep(100);
        spy.close(); sentinel.close();
        report({ codes: results.map((x) => x.code), genauth: results.every((x) => x.isGenAuthError), calls, seen });
      `);
      assert.deepEqual(r.codes, ['redirect_not_allowed', 'invalid_redirect', 'invalid_redirect', 'invalid_redirect', 'invalid_option']);
      assert.equal(r.genauth, true);
      assert.deepEqual(r.calls, []);
      assert.deepEqual(r.seen, [{ type: 'sentinel' }]);
    });
  }
});

// Node's BroadcastChannel reaches every other channel of the same name in the
// process, across worker threads. A "tab" is one instance of the package: a
// worker thread that imports it is another tab; LogoutClients inside one
// instance are the same tab (a page's own logout is not "another tab's").
const TAB_WORKER = {
  esm: `import { parentPort } from "node:worker_threads";
import * as lib from "genauth-logout";
parentPort.on("message", (m) => {
  const navigated = [];
  const c = new lib.LogoutClient({ ...m.config, navigate: (u) => navigated.push(u) });
  c.logout(m.redirect);
  parentPort.postMessage(navigated);
});
`,
  cjs: `const { parentPort } = require("node:worker_threads");
const lib = require("genauth-logout");
parentPort.on("message", (m) => {
  const navigated = [];
  const c = new lib.LogoutClient({ ...m.config, navigate: (u) => navigated.push(u) });
  c.logout(m.redirect);
  parentPort.postMessage(navigated);
});
`,
};

const onLogoutBody = (kind) => `
const fs = require_("node:fs");
const path = require_("node:path");
const { Worker } = require_("node:worker_threads");
const file = path.join(process.cwd(), "tab-worker.${kind === 'esm' ? 'mjs' : 'cjs'}");
fs.writeFileSync(file, input.worker);
const otherTab = new Worker(file);
const logoutIn = (config, redirect) => new Promise((resolve, reject) => {
  otherTab.once("message", resolve);
  otherTab.once("error", reject);
  otherTab.postMessage({ config, redirect });
});
const events = { same: [], other: [], custom: [], module: [], self: [] };
lib.configure({ appDomain: "https://myapp.genauth.ai/" });
const tabB = new lib.LogoutClient({ appDomain: "MYAPP.genauth.ai" });
const tabC = new lib.LogoutClient({ appDomain: "other.genauth.ai" });
const tabD = new lib.LogoutClient({ appDomain: "myapp.genauth.ai", channelName: "custom-channel" });
const selfNav = [];
const self = new lib.LogoutClient({ appDomain: "myapp.genauth.ai", navigate: (u) => selfNav.push(u) });
const unsubB = tabB.onLogout((e) => events.same.push(e));
const unsubC = tabC.onLogout((e) => events.other.push(e));
const unsubD = tabD.onLogout((e) => events.custom.push(e));
const unsubM = lib.onLogout((e) => events.module.push(e));
const unsubS = self.onLogout((e) => events.self.push(e));
const typeofUnsub = typeof unsubB;
// A sentinel posted after the action bounds the wait for notices that must not come.
const settle = async (label) => {
  const seen = [];
  const spy = new BroadcastChannel("genauth-logout");
  spy.onmessage = (e) => seen.push(e.data);
  const s = new BroadcastChannel("genauth-logout");
  s.postMessage({ type: "sentinel", label });
  const t0 = Date.now();
  while (!seen.some((m) => m && m.label === label) && Date.now() - t0 < 5000) await sleep(10);
  await sleep(150);
  spy.close(); s.close();
};
const snapshot = () => JSON.parse(JSON.stringify(events));
const navFirst = await logoutIn({ appDomain: "myapp.genauth.ai" }, "https://app.example.com/");
let t0 = Date.now();
while ((events.same.length < 1 || events.module.length < 1) && Date.now() - t0 < 5000) await sleep(10);
await settle("first");
const afterFirst = snapshot();
self.logout("https://app.example.com/");
await settle("self");
const afterSelf = snapshot();
unsubB(); unsubM();
const navSecond = await logoutIn({ appDomain: "myapp.genauth.ai" }, "https://app.example.com/");
await settle("second");
const afterSecond = snapshot();
const navCustom = await logoutIn({ appDomain: "myapp.genauth.ai", channelName: "custom-channel" });
t0 = Date.now();
while (events.custom.length < 1 && Date.now() - t0 < 5000) await sleep(10);
await settle("custom");
const afterCustom = snapshot();
unsubC(); unsubD(); unsubS();
await otherTab.terminate();
report({ typeofUnsub, navFirst, navSecond, navCustom, selfNav, afterFirst, afterSelf, afterSecond, afterCustom });
`;

describe('onLogout across tabs in Node (worker threads)', () => {
  for (const kind of KINDS) {
    test(`${kind}: another tab's logout reaches the same app only, once; unsubscribe and channelName work; own logout is silent`, async () => {
      const prelude = kind === 'esm'
        ? 'const { createRequire } = await import("node:module"); const require_ = createRequire(process.cwd() + "/");\n'
        : 'const require_ = require;\n';
      const r = await probe(project, kind, prelude + onLogoutBody(kind), {
        timeoutMs: 40_000,
        input: { worker: TAB_WORKER[kind] },
      });
      const msg = { type: 'logout', appDomain: 'https://myapp.genauth.ai' };
      assert.equal(r.typeofUnsub, 'function');
      assert.deepEqual(r.navFirst, ['https://myapp.genauth.ai/login/profile/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2F']);
      assert.deepEqual(r.afterFirst.same, [msg], 'a client of the same app in another tab gets {type, appDomain}');
      assert.deepEqual(r.afterFirst.module, [msg], 'the configured onLogout of the same app gets it');
      assert.deepEqual(r.afterFirst.self, [msg], 'every same-app listener of this tab gets it');
      assert.deepEqual(r.afterFirst.other, [], 'another appDomain must not hear it');
      assert.deepEqual(r.afterFirst.custom, [], 'another channelName must not hear it');
      assert.equal(r.selfNav.length, 1);
      assert.deepEqual(r.afterSelf, r.afterFirst, "this tab's own logout is not another tab's: no listener of this tab fires");
      assert.deepEqual(r.afterSecond.same, [msg], 'unsubscribe stops notices');
      assert.deepEqual(r.afterSecond.module, [msg], 'unsubscribe stops notices (module onLogout)');
      assert.deepEqual(r.afterSecond.self, [msg, msg], 'a still-subscribed listener hears the second logout');
      assert.deepEqual(r.afterSecond.other, []);
      assert.deepEqual(r.afterSecond.custom, []);
      assert.deepEqual(r.afterCustom.custom, [msg], 'channelName: the custom channel hears it');
      assert.deepEqual(r.afterCustom.self, [msg, msg], 'channelName: the default channel does not');
    });

    test(`${kind}: onLogout without a function is invalid_option`, async () => {
      const r = await probe(project, kind, `
        const c = new lib.LogoutClient({ appDomain: "myapp.genauth.ai" });
        report([attempt(() => c.onLogout()), attempt(() => c.onLogout("x"))]);
      `);
      for (const got of r) {
        assert.equal(got.code, 'invalid_option');
        assert.equal(got.isGenAuthError, true);
      }
    });
  }
});

describe('package.json and packed files', () => {
  test('exports map, types, sideEffects, files', () => {
    assert.equal(pkgJson.name, 'genauth-logout');
    assert.equal(pkgJson.sideEffects, false);
    assert.equal(typeof pkgJson.types, 'string');
    assert.ok(fs.existsSync(path.join(project.installed, pkgJson.types)), `types file ${pkgJson.types} is installed`);
    assert.ok(Array.isArray(pkgJson.files) && pkgJson.files.length > 0, 'files is a non-empty list');
    assert.equal(pkgJson.dependencies, undefined, 'no runtime dependencies (installs offline)');
    const exp = pkgJson.exports;
    assert.equal(typeof exp, 'object');
    const entries = ['.'];
    if (exp['./admin']) entries.push('./admin');
    if (exp['./js']) entries.push('./js');
    for (const entry of entries) {
      const cond = exp[entry];
      assert.equal(typeof cond, 'object', `exports["${entry}"] has conditions`);
      // require comes first with its own .d.cts types: TypeScript reads a
      // .d.ts in this "type": "module" package as ESM and refuses it from
      // CommonJS (TS1479). Everything else gets the .d.ts.
      // Runtime conditions (docs/runtimes.md) come before it, so a
      // require() in those runtimes gets their build too.
      const runtimeConditions = ['workerd', 'edge-light', 'react-native'];
      const keys = Object.keys(cond).filter((k) => !runtimeConditions.includes(k));
      assert.equal(keys[0], 'require', `exports["${entry}"]: "require" must come before "types"`);
      for (const k of Object.keys(cond).filter((k) => runtimeConditions.includes(k))) {
        assert.ok(Object.keys(cond).indexOf(k) < Object.keys(cond).indexOf('require'), `exports["${entry}"]: "${k}" must come before "require"`);
        assert.ok(fs.existsSync(path.join(project.installed, cond[k].default)), `exports["${entry}"].${k} → ${cond[k].default} is installed`);
      }
      assert.equal(Object.keys(cond.require)[0], 'types', `exports["${entry}"].require: "types" must come first`);
      assert.match(cond.require.types, /\.d\.cts$/);
      assert.match(cond.types, /\.d\.ts$/);
      for (const file of [cond.require.types, cond.require.default, cond.types, cond.import, cond.default]) {
        assert.equal(typeof file, 'string', `exports["${entry}"] targets are strings`);
        assert.ok(fs.existsSync(path.join(project.installed, file)), `exports["${entry}"] → ${file} is installed`);
      }
    }
    assert.equal(exp['.'].types, pkgJson.types.replace(/^(?!\.\/)/, './'));
    // The CommonJS tree must be marked as such for Node (the package is "type": "module").
    if (pkgJson.type === 'module') {
      const cjsDir = path.dirname(path.join(project.installed, exp['.'].require.default));
      let dir = cjsDir;
      let marked = false;
      while (dir.startsWith(project.installed)) {
        const p = path.join(dir, 'package.json');
        if (fs.existsSync(p)) { marked = JSON.parse(fs.readFileSync(p, 'utf8')).type === 'commonjs' || exp['.'].require.default.endsWith('.cjs'); break; }
        dir = path.dirname(dir);
      }
      assert.ok(marked || exp['.'].require.default.endsWith('.cjs'), 'the require target is CommonJS to Node');
    }
  });

  test('npm pack --dry-run of pkg/ lists only the intended files, and the tarball holds the same', async () => {
    const r = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PKG_DIR });
    assert.equal(r.code, 0, r.stderr);
    const [info] = JSON.parse(r.stdout);
    const files = info.files.map((f) => f.path).sort();
    const intended = [
      /^package\.json$/,
      /^README\.md$/,
      /^LICENSE(-MIT|-APACHE)?(\.md|\.txt)?$/,
      /^(index|admin)\.d\.c?ts$/,
      /^dist\/(cjs\/)?(index|error)\.js$/,
      /^dist\/limits\.js$/,
      /^dist\/(cjs\/)?admin\/admin\.js$/,
      /^dist\/(main|admin)\/(glue|wasm)\.js$/,
      // The admin module inlined once for require(), shared by the admin and server bundles.
      /^dist\/cjs\/admin\/wasm\.js$/,
      /^dist\/admin\/(facade\.js|genauth_logout_admin_bg\.wasm)$/,
      /^dist\/cjs\/package\.json$/,
      // The runtime builds (docs/runtimes.md): the JS build, the edge build.
      /^dist\/(cjs\/)?js\/(index|error)\.js$/,
      /^dist\/(js|edge)\/(index|error|load|platform|wire|limits)\.js$/,
      /^dist\/js\/main\/wasm2js\.js$/,
      /^dist\/edge\/main\/genauth_logout\.wasm$/,
      /^dist\/admin\/edge\.js$/,
      /^server\.d\.c?ts$/,
      /^dist\/(cjs\/)?server\/server\.js$/,
      /^dist\/server\/(facade|edge)\.js$/,
    ];
    // The hand-written modules of pkg-template/src ship under dist/ as they are.
    const templateSrc = path.join(repoRoot, 'pkg-template', 'src');
    const handWritten = fs.existsSync(templateSrc)
      ? fs.readdirSync(templateSrc).filter((f) => f.endsWith('.js')).map((f) => `dist/${f}`)
      : [];
    const unexpected = files.filter((f) => !handWritten.includes(f) && !intended.some((re) => re.test(f)));
    assert.deepEqual(unexpected, [], `unexpected files in the package: ${unexpected.join(', ')}`);
    for (const must of ['package.json', 'README.md', 'index.d.ts', 'dist/index.js', 'dist/cjs/index.js', 'dist/error.js', 'dist/wire.js', 'dist/load.js', 'dist/main/wasm.js']) {
      assert.ok(files.includes(must), `${must} is missing from the package (has: ${files.join(', ')})`);
    }
    if (pkgJson.exports['./admin']) {
      for (const must of ['admin.d.ts', 'dist/admin/admin.js', 'dist/cjs/admin/admin.js', 'dist/cjs/admin/wasm.js']) {
        assert.ok(files.includes(must), `${must} is missing from the package`);
      }
    }
    if (pkgJson.exports['./server']) {
      for (const must of ['server.d.ts', 'server.d.cts', 'dist/server/server.js', 'dist/server/edge.js', 'dist/cjs/server/server.js']) {
        assert.ok(files.includes(must), `${must} is missing from the package`);
      }
    }
    // The installed tarball must hold exactly what pkg/ would pack.
    const installed = [];
    const walk = (dir, rel) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const r2 = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(path.join(dir, e.name), r2);
        else installed.push(r2);
      }
    };
    walk(project.installed, '');
    assert.deepEqual(installed.sort(), files, 'the tarball and pkg/ differ: rebuild with cargo xtask pkg');
  });
});

describe('TypeScript through the exports map', () => {
  // tests/types checks the declarations with `paths`; this checks what a
  // user's compiler finds in node_modules, for an ES module and a CommonJS
  // consumer (module node16), so neither sees TS1479 or a missing type.
  test('an .mts and a .cts consumer compile with tsc --strict (module node16)', async () => {
    const dir = path.join(project.dir, 'ts-consumer');
    fs.mkdirSync(dir, { recursive: true });
    const body = (imports) => `${imports}
configure({ appDomain: "myapp.genauth.ai", allowedRedirectOrigins: ["https://app.example.com"] });
const url: string = buildLogoutUrl("https://app.example.com/", { protocol: "oidc", state: "s" });
const e: GenAuthErrorCode | undefined = new GenAuthError("invalid_option", url).code;
const admin = new AdminClient({ appDomain: "myapp.genauth.ai", userPoolId: "p", token: "t" });
void admin.kickActiveUsers("app", ["u"]);
void e;
`;
    fs.writeFileSync(path.join(dir, 'esm.mts'), body(
      'import { configure, buildLogoutUrl, GenAuthError, type GenAuthErrorCode } from "genauth-logout";\n'
      + 'import { AdminClient } from "genauth-logout/admin";',
    ));
    fs.writeFileSync(path.join(dir, 'cjs.cts'), body(
      'import { configure, buildLogoutUrl, GenAuthError, type GenAuthErrorCode } from "genauth-logout";\n'
      + 'import { AdminClient } from "genauth-logout/admin";',
    ));
    // A wrong use must fail, or the check proves nothing.
    fs.writeFileSync(path.join(dir, 'wrong.cts'),
      'import { configure } from "genauth-logout";\n// @ts-expect-error unknown option\nconfigure({ appDomain: "a", redirectUri: "x" });\n');
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', types: [], lib: ['es2022', 'dom'] },
      files: ['esm.mts', 'cjs.cts', 'wrong.cts'],
    }));
    const tsc = path.join(repoRoot, 'tools', 'node_modules', '.bin', 'tsc');
    const r = await exec(tsc, ['-p', path.join(dir, 'tsconfig.json')], { cwd: dir });
    assert.equal(r.code, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`);
  });
});
