// admin.d.ts as a TypeScript user meets it: a consumer file compiled with
// tsc --strict against the installed package. Wrong uses must be errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { installPackage } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsc = path.join(here, 'node_modules', 'typescript', 'bin', 'tsc');

const CONSUMER = `
import { AdminClient, GenAuthError, type AdminClientOptions, type KickActiveUsersResult } from "genauth-logout/admin";
import { GenAuthError as MainGenAuthError } from "genauth-logout";

const options: AdminClientOptions = {
  appDomain: "myapp.genauth.ai", userPoolId: "pool", token: "t",
  timeoutMs: 5000, retries: 1, fetch: globalThis.fetch, dangerouslyAllowBrowser: false,
};
const client = new AdminClient(options);

export async function kick(): Promise<number> {
  try {
    const r: KickActiveUsersResult = await client.kickActiveUsers("app", ["u"], { signal: AbortSignal.timeout(100) });
    return r.code;
  } catch (e) {
    if (e instanceof GenAuthError && e.code === "api_error") return e.apiCode ?? 0;
    if (e instanceof GenAuthError && e.code === "http_error") return e.status ?? 0;
    const same: typeof MainGenAuthError = GenAuthError;
    void same;
    throw e;
  }
}

// @ts-expect-error unknown option
new AdminClient({ appDomain: "x", userPoolId: "p", token: "t", bogus: 1 });
// @ts-expect-error token is required
new AdminClient({ appDomain: "x", userPoolId: "p" });
// @ts-expect-error userIds are strings
void client.kickActiveUsers("app", [1]);
// @ts-expect-error no such call option
void client.kickActiveUsers("app", ["u"], { timeout: 5 });
`;

function run(args, cwd) {
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code ?? 1 : 0, out: stdout + stderr }),
    );
  });
}

const FLAGS = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
  '--target', 'es2022', '--lib', 'es2022,dom'];

test('admin.d.ts types a correct consumer and rejects wrong uses', { timeout: 90_000 }, async () => {
  const dir = installPackage();
  fs.writeFileSync(path.join(dir, 'consumer.ts'), CONSUMER);
  const { code, out } = await run([...FLAGS, 'consumer.ts'], dir);
  assert.equal(code, 0, out);
});

test('the check can fail: a wrong return type is reported', { timeout: 90_000 }, async () => {
  const dir = installPackage();
  fs.writeFileSync(
    path.join(dir, 'wrong.ts'),
    'import { AdminClient } from "genauth-logout/admin";\n' +
      'const c = new AdminClient({ appDomain: "x", userPoolId: "p", token: "t" });\n' +
      'export const s: Promise<string> = c.kickActiveUsers("a", ["u"]);\n',
  );
  const { code, out } = await run([...FLAGS, 'wrong.ts'], dir);
  assert.notEqual(code, 0);
  assert.match(out, /wrong\.ts/);
});
