// Jest 30 with jest-environment-jsdom and no setup file, the default test
// setup of many React apps: a test file in a fresh project requires the
// package (CommonJS, as Jest loads it) and calls buildLogoutUrl and logout
// with a `navigate` callback. jsdom's window has no TextEncoder.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';

import { BIN, EXAMPLE, JSDOM_ENV, exec, installPackage } from './harness.mjs';

let project;

before(async () => {
  project = await installPackage('jest');
});

after(() => project?.cleanup());

const TEST_FILE = `const { configure, buildLogoutUrl, logout, LogoutClient, GenAuthError } = require("genauth-logout");

test("the environment is jsdom without TextEncoder", () => {
  expect(typeof window).toBe("object");
  expect(typeof TextEncoder).toBe("undefined");
});

test("buildLogoutUrl answers (jsdom is a page: another origin must be allowed)", () => {
  configure({ appDomain: ${JSON.stringify(EXAMPLE.appDomain)}, allowedRedirectOrigins: ["https://app.example.com"] });
  expect(buildLogoutUrl(${JSON.stringify(EXAMPLE.redirect)})).toBe(${JSON.stringify(EXAMPLE.url)});
  expect(new LogoutClient({ appDomain: "myapp.genauth.ai" }).buildLogoutUrl()).toBe("https://myapp.genauth.ai/login/profile/logout");
});

test("a refused app domain is a GenAuthError", () => {
  let error;
  try { configure({ appDomain: "https://myapp.genauth.ai/path" }); } catch (e) { error = e; }
  expect(error).toBeInstanceOf(GenAuthError);
  expect(error.code).toBe("invalid_app_domain");
});

test("logout calls navigate with the URL and clears the configured keys", () => {
  localStorage.setItem("token", "t");
  localStorage.setItem("keep", "k");
  const seen = [];
  configure({ appDomain: "myapp.genauth.ai", clearStorageKeys: ["token"], navigate: (url) => seen.push(url) });
  logout("/after");
  expect(seen).toEqual(["https://myapp.genauth.ai/login/profile/logout?redirect_uri=" + encodeURIComponent(location.origin + "/after")]);
  expect(localStorage.getItem("token")).toBe(null);
  expect(localStorage.getItem("keep")).toBe("k");
});
`;

test('jest + jest-environment-jsdom, no setup file: every test in the file passes', async () => {
  fs.writeFileSync(path.join(project.dir, 'logout.test.cjs'), TEST_FILE);
  const config = {
    rootDir: project.dir,
    testEnvironment: JSDOM_ENV,
    testMatch: ['**/logout.test.cjs'],
    transform: {},
    cacheDirectory: path.join(project.dir, '.jest-cache'),
  };
  const report = path.join(project.dir, 'jest-report.json');
  const r = await exec(process.execPath, [
    BIN.jest, '--ci', '--runInBand', '--config', JSON.stringify(config), '--json', `--outputFile=${report}`,
  ], { cwd: project.dir, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  assert.ok(fs.existsSync(report), `jest wrote no report (exit ${r.code})\n${r.stdout}\n${r.stderr}`);
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  const failures = json.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status !== 'passed')
    .map((a) => `${a.title}: ${a.failureMessages.join('\n')}`));
  assert.deepEqual(failures, [], `${r.stderr}`);
  assert.equal(json.numPassedTests, 4, r.stderr);
  assert.equal(r.code, 0, r.stderr);
});
