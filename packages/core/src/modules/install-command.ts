import { basename, dirname, relative, resolve, isAbsolute } from 'node:path';

/** Where gu runs from and for whom: what decides which `npm install` a hint should say. */
export interface InstallContext {
  /** @gu/core's own package folder. */
  readonly coreDir: string;
  /** The user's project (`chdir`). */
  readonly cwd: string;
  /** The running Node (`process.execPath`): npm's default global prefix is the folder above its bin/. */
  readonly execPath: string;
}

/** @gu/core's package folder, from this module's place in it (src/modules or dist/modules). */
const ownCoreDir = resolve(import.meta.dirname, '../..');

function isInside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}

/**
 * The npm prefix core was installed globally into — `npm i -g` puts it at
 * `PREFIX/lib/node_modules/@gu/core` — or null when core belongs to a project (its node_modules, an
 * npx cache, a workspace). A project folder that happens to be called `lib` and holds the user's
 * cwd is the user's project, not a prefix.
 */
export function globalPrefixOf(coreDir: string, cwd: string): string | null {
  const nodeModules = dirname(dirname(resolve(coreDir)));
  const lib = dirname(nodeModules);
  if (basename(nodeModules) !== 'node_modules' || basename(lib) !== 'lib') return null;
  return isInside(resolve(cwd), lib) ? null : dirname(lib);
}

/** A path as a POSIX shell reads it back. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The command that installs `pkg` where this gu finds it: `npm install PKG` into the user's project,
 * or, when gu itself runs from a global install, `npm install -g PKG` beside it (with `--prefix`
 * when that install is not in the running Node's default prefix, where a bare `-g` would go).
 */
export function installCommand(pkg: string, context: InstallContext): string {
  const prefix = globalPrefixOf(context.coreDir, context.cwd);
  if (prefix === null) return `npm install ${pkg}`;
  const defaultPrefix = dirname(dirname(context.execPath));
  return prefix === defaultPrefix ? `npm install -g ${pkg}` : `npm install -g --prefix ${shellWord(prefix)} ${pkg}`;
}

/** installCommand for this gu, run for the project in `cwd`. */
export function installCommandFor(pkg: string, cwd: string): string {
  return installCommand(pkg, { coreDir: ownCoreDir, cwd, execPath: process.execPath });
}
