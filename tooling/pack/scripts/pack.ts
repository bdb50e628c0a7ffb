// Packs every publishable package of the workspace (packages/*, those not private) with `pnpm pack`
// into one folder, under names without the version (gu-core.tgz, gu-worker-async.tgz …), so that an
// install line stays the same from one version to the next. `tooling/run pack [DIR]` runs it (Node
// strips its types) after a build and prints the npm install line; the tests of this package install
// what it packs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const workspaceRoot = resolve(import.meta.dirname, '../../..');

export interface WorkspacePackage {
  name: string;
  version: string;
  /** The package's folder in the workspace. */
  dir: string;
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}

/** @gu/core first: it is the one every install needs. */
function coreFirst(a: WorkspacePackage, b: WorkspacePackage): number {
  return Number(b.name === '@gu/core') - Number(a.name === '@gu/core') || a.name.localeCompare(b.name);
}

/** The packages under packages/ that are not private, @gu/core first. */
export function publishablePackages(root = workspaceRoot): WorkspacePackage[] {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      return { dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest };
    })
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name, version: manifest.version, dir }))
    .sort(coreFirst);
}

/** `@gu/worker-async` → `gu-worker-async.tgz`. */
export function tarballName(packageName: string): string {
  return `${packageName.replace(/^@/, '').replace('/', '-')}.tgz`;
}

/** Packs each publishable package into `dest` (created if missing); returns them with their tarball's path. */
export function packPackages(dest: string, root = workspaceRoot): (WorkspacePackage & { tarball: string })[] {
  mkdirSync(dest, { recursive: true });
  return publishablePackages(root).map((pkg) => {
    const output = execFileSync('pnpm', ['pack', '--json', '--pack-destination', dest], { cwd: pkg.dir, encoding: 'utf8', timeout: 60_000 });
    const tarball = join(dest, tarballName(pkg.name));
    renameSync((JSON.parse(output) as { filename: string }).filename, tarball);
    return { ...pkg, tarball };
  });
}

function shellWord(word: string): string {
  return /^[\w./@+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The command that installs gu (core and the default worker class) from `dest`, quoted for a shell. */
export function installLine(dest: string): string {
  return `npm i ${['@gu/core', '@gu/worker-async'].map((name) => shellWord(join(dest, tarballName(name)))).join(' ')}`;
}

if (process.argv[1] === import.meta.filename) {
  const dest = resolve(process.argv[2] ?? join(workspaceRoot, 'tarballs'));
  const packed = packPackages(dest);
  console.log(`Packed ${packed.length} packages into ${dest}: ${packed.map((pkg) => tarballName(pkg.name)).join(', ')}`);
  console.log('Install gu with the default worker class in your project (the other worker classes the same way):');
  console.log(`  ${installLine(dest)}`);
}
