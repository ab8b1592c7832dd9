// Keeps the "Where it runs" table true: in README.md when it has the
// section, and in docs/runtimes.md. Every row's entry and condition must
// resolve through the packed package's `exports` to the file the row names,
// its version must be the one this area pins (or this run's Node and
// Chromium), and the test it names must exist with that title.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';

import { CHROMIUM, exec, here, installPackage, repoRoot } from './harness.mjs';

const SOURCES = ['README.md', 'docs/runtimes.md'];
const COLUMNS = ['runtime', 'version tested', 'entry', 'condition → file', 'proved by'];

let project;
let exportsMap;

before(async () => {
  project = await installPackage('where');
  exportsMap = JSON.parse(fs.readFileSync(path.join(project.pkgDir, 'package.json'), 'utf8')).exports;
});

after(() => project?.cleanup());

/** The rows of the table under `## Where it runs` in `text`, or null without the section. */
function readTable(text) {
  const start = text.indexOf('\n## Where it runs\n');
  if (start < 0 && !text.startsWith('## Where it runs\n')) return null;
  const section = text.slice(start < 0 ? 0 : start + 1).split(/\n## /)[0];
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l) => l.slice(1, -1).split(' | ').map((c) => c.trim());
  assert.deepEqual(cells(lines[0]), COLUMNS, 'the table\'s columns');
  return lines.slice(2).map((l) => Object.fromEntries(cells(l).map((c, i) => [COLUMNS[i], c])));
}

/** The backquoted pieces of a cell. */
const quoted = (cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** `exports[subpath]` resolved with `condition` (and `default`), in key order, as Node resolves. */
function resolveExport(subpath, condition) {
  const walk = (target) => {
    if (typeof target === 'string') return target;
    if (!target || typeof target !== 'object') return null;
    for (const [key, value] of Object.entries(target)) {
      if (key === condition || key === 'default') {
        const found = walk(value);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(exportsMap[subpath]);
}

const pinned = (name) => JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;

/** What the version cell must say for a runtime, from this run. */
async function versionsOf(runtime) {
  if (/^Chromium/.test(runtime)) {
    const r = await exec(CHROMIUM, ['--version']);
    return [r.stdout.match(/Chromium (\d+)\./)[1]];
  }
  if (/workerd/.test(runtime)) return [`workerd ${pinned('workerd')}`, `miniflare ${pinned('miniflare')}`];
  if (/^Bun/.test(runtime)) return [pinned('bun')];
  if (/^Deno/.test(runtime)) return [pinned('deno')];
  if (/^Jest/.test(runtime)) return [pinned('jest'), pinned('jest-environment-jsdom')];
  if (/^Hermes/.test(runtime)) return [pinned('hermes-engine-cli')];
  if (/^Node/.test(runtime)) {
    const engines = JSON.parse(fs.readFileSync(path.join(project.pkgDir, 'package.json'), 'utf8')).engines.node;
    return [`≥ ${engines.replace('>=', '')}`, `tested on ${process.versions.node.split('.')[0]}`];
  }
  return null;
}

for (const source of SOURCES) {
  test(`${source}: the "Where it runs" table is true of this package and these tests`, async (t) => {
    const file = path.join(repoRoot, source);
    const rows = fs.existsSync(file) ? readTable(fs.readFileSync(file, 'utf8')) : null;
    if (!rows) {
      assert.notEqual(source, 'docs/runtimes.md', 'docs/runtimes.md holds the table');
      t.skip(`${source} has no "Where it runs" section`);
      return;
    }
    assert.ok(rows.length >= 10, 'a row per runtime');
    const problems = [];
    for (const row of rows) {
      const where = `${row.runtime} / ${row.entry}`;
      // Entry and condition → file, through the packed package's exports.
      const entries = quoted(row.entry);
      const mapping = row['condition → file'].match(/^`([^`]+)` → (.+)$/);
      if (!mapping || !entries.length) {
        problems.push(`${where}: cannot read entry ${JSON.stringify(row.entry)} or ${JSON.stringify(row['condition → file'])}`);
        continue;
      }
      const files = quoted(mapping[2]);
      if (files.length !== entries.length) problems.push(`${where}: one file per entry`);
      entries.forEach((entry, i) => {
        const subpath = entry === 'genauth-logout' ? '.' : `./${entry.replace(/^genauth-logout\//, '')}`;
        const got = resolveExport(subpath, mapping[1]);
        if (got !== `./${files[i]}`) problems.push(`${where}: ${entry} with ${mapping[1]} resolves to ${got}, not ./${files[i]}`);
        else if (!fs.existsSync(path.join(project.pkgDir, files[i]))) problems.push(`${where}: ${files[i]} is not in the package`);
      });
      // The version.
      const versions = await versionsOf(row.runtime);
      if (versions === null) {
        if (row['version tested'] !== 'not run here' || !row['proved by'].startsWith('none')) {
          problems.push(`${where}: a runtime no test starts must say "not run here" and prove nothing`);
        }
      } else {
        for (const v of versions) {
          if (!row['version tested'].includes(v)) problems.push(`${where}: version ${JSON.stringify(row['version tested'])} does not say ${v}`);
        }
      }
      // The test that proves it.
      const proof = row['proved by'].match(/^`([^`]+)`: "(.+)"$/);
      if (versions !== null) {
        if (!proof) {
          problems.push(`${where}: cannot read ${JSON.stringify(row['proved by'])}`);
        } else {
          const testFile = path.join(repoRoot, proof[1]);
          if (!fs.existsSync(testFile)) problems.push(`${where}: ${proof[1]} does not exist`);
          else if (!fs.readFileSync(testFile, 'utf8').includes(proof[2])) {
            problems.push(`${where}: ${proof[1]} has no test titled "${proof[2]}"`);
          }
        }
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}

test('the README table, when there, is the one in docs/runtimes.md', (t) => {
  const readme = readTable(fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
  if (!readme) {
    t.skip('README.md has no "Where it runs" section yet');
    return;
  }
  assert.deepEqual(readme, readTable(fs.readFileSync(path.join(repoRoot, 'docs/runtimes.md'), 'utf8')));
});

test('Metro without exports support: the react-native field names the react-native condition\'s build', () => {
  const pkgJson = JSON.parse(fs.readFileSync(path.join(project.pkgDir, 'package.json'), 'utf8'));
  assert.equal(`./${pkgJson['react-native'].replace(/^\.\//, '')}`, resolveExport('.', 'react-native'));
  assert.ok(fs.existsSync(path.join(project.pkgDir, pkgJson['react-native'])));
});
