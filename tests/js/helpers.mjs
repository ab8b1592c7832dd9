// Shared pieces of the package tests: the packed tarball installed into a
// fresh temp project exactly as a user would (`npm install <tgz>`, offline),
// child Node processes that import it, the contract table, and a loopback
// server process for the browser tests.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { TARBALL, installTarball } from '../support/package.mjs';
import { startProcess } from '../support/process.mjs';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export { TARBALL };
export const PKG_DIR = process.env.GENAUTH_PKG_DIR || path.join(repoRoot, 'pkg');
export const ARTIFACTS = path.join(
  process.env.GENAUTH_ARTIFACTS || path.join(repoRoot, 'target', 'artifacts'),
  'js',
);
export const CASES_FILE = path.join(repoRoot, 'tests', 'data', 'logout_cases.json');

/** The shared contract table's cases. */
export function loadCases() {
  const table = JSON.parse(fs.readFileSync(CASES_FILE, 'utf8'));
  if (!Array.isArray(table.cases) || table.cases.length < 100) {
    throw new Error(`${CASES_FILE}: expected more than 100 cases`);
  }
  for (const c of table.cases) {
    if (('url' in c) === ('error' in c)) throw new Error(`case needs exactly one of url/error: ${c.name}`);
  }
  return table.cases;
}

/** `execFile` as a promise that always resolves with code/stdout/stderr. */
export function exec(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 60_000, maxBuffer: 64 << 20, ...opts }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, signal: error?.signal, stdout, stderr });
    });
  });
}

/**
 * A fresh temp project with the tarball installed as a dependency. Returns its
 * directory; `cleanup()` removes it.
 */
export async function installPackage(label) {
  const { dir, pkgDir } = await installTarball(label, { name: `consumer-${label}`, version: '1.0.0', private: true });
  return { dir, installed: pkgDir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

let probeCount = 0;

/**
 * Runs `body` in a child Node process inside the consumer project, as ESM
 * (`import * as lib from "genauth-logout"`) or CommonJS
 * (`const lib = require("genauth-logout")`). The body may `await` and must
 * call `report(value)` once; the process exits after that. Returns the value.
 * `nodeArgs` go to node before the file (`--jitless`, say).
 */
export async function probe(project, kind, body, { timeoutMs = 20_000, input, nodeArgs = [] } = {}) {
  const n = ++probeCount;
  const file = path.join(project.dir, `probe-${n}.${kind === 'esm' ? 'mjs' : 'cjs'}`);
  const prelude =
    kind === 'esm'
      ? 'import * as lib from "genauth-logout";\nimport { readFileSync } from "node:fs";\n'
      : 'const lib = require("genauth-logout");\nconst { readFileSync } = require("node:fs");\n';
  // The input goes in a file: the contract table holds strings longer than
  // an environment variable or an argument may be.
  const common = `
const input = JSON.parse(readFileSync(process.env.PROBE_INPUT_FILE, "utf8"));
function report(value) { process.stdout.write("\\nPROBE:" + JSON.stringify(value) + "\\n"); process.exit(0); }
function describe(e) {
  return { threw: true, code: e && e.code, name: e && e.name, typeofCode: typeof (e && e.code),
    isGenAuthError: e instanceof lib.GenAuthError, isError: e instanceof Error,
    message: e && e.message };
}
function attempt(fn) { try { return { value: fn() }; } catch (e) { return describe(e); } }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
`;
  const wrapped =
    kind === 'esm'
      ? `${prelude}${common}\n${body}\n`
      : `${prelude}${common}\n(async () => {\n${body}\n})().catch((e) => { console.error(e); process.exit(3); });\n`;
  fs.writeFileSync(file, wrapped);
  const inputFile = `${file}.input.json`;
  fs.writeFileSync(inputFile, JSON.stringify(input ?? null));
  const r = await exec(process.execPath, [...nodeArgs, file], {
    cwd: project.dir,
    timeout: timeoutMs,
    env: { ...process.env, PROBE_INPUT_FILE: inputFile },
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('PROBE:'));
  if (!line) {
    throw new Error(
      `${kind} probe ${file} reported nothing (exit ${r.code}${r.signal ? ', ' + r.signal : ''})\n` +
        `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
    );
  }
  return JSON.parse(line.slice('PROBE:'.length));
}

/**
 * Starts tests/js/server.mjs as a child process serving `installedPkg`;
 * resolves with { url, stop, requests(), reset() } once it prints its banner.
 */
export async function startServer(installedPkg, { timeoutMs = 15_000 } = {}) {
  const { url, stop } = await startProcess(
    'test server',
    process.execPath,
    [path.join(here, 'server.mjs'), installedPkg],
    /^test server listening on (http:\/\/127\.0\.0\.1:\d+)$/,
    { timeoutMs },
  );
  return {
    url,
    async requests() {
      const res = await fetch(`${url}/__test/requests`);
      return res.json();
    },
    async reset() {
      await fetch(`${url}/__test/reset`, { method: 'POST' });
    },
    stop,
  };
}

/** Resolves `promise`, or rejects after `ms` with `what` in the message. */
export function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
