// The packed genauth-logout tarball, installed into a fresh temp project the
// way a user installs it, for the Node test areas. Node built-ins only.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The tarball `cargo xtask pkg` packs (or `GENAUTH_PKG_TARBALL`). */
export const TARBALL =
  process.env.GENAUTH_PKG_TARBALL || path.join(repoRoot, 'target', 'pkg', 'genauth-logout.tgz');

/**
 * `npm install <tarball>` (offline: the package has no dependencies) into a
 * fresh temp directory `genauth-<label>-…` whose package.json is `manifest`.
 * Returns `{ dir, pkgDir }`, pkgDir being the installed package.
 */
export async function installTarball(label, manifest) {
  if (!fs.existsSync(TARBALL)) {
    throw new Error(`genauth-logout tarball not found at ${TARBALL} (set GENAUTH_PKG_TARBALL or run \`cargo xtask pkg\`)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `genauth-${label}-`));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  await promisify(execFile)('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', TARBALL], {
    cwd: dir,
    timeout: 120_000,
  });
  const pkgDir = path.join(dir, 'node_modules', 'genauth-logout');
  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) {
    throw new Error(`npm install did not create ${pkgDir}`);
  }
  return { dir, pkgDir };
}
