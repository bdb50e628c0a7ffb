import { basename } from 'node:path';
import { isNodeOlderThan } from '../cli/node-version.js';

/**
 * The first Node 22 that strips TypeScript types without a flag. @gu/core's engines allow 22.12,
 * where importing a `.ts` file fails with a bare "Unknown file extension" (and Node 23 strips them
 * by default only from 23.6).
 */
const stripsTypesFrom = [
  { major: 22, from: '22.18.0' },
  { major: 23, from: '23.6.0' },
] as const;

const typeScriptExtensions = ['.ts', '.mts', '.cts'] as const;

/** A `.ts`, `.mts` or `.cts` file, which Node loads only when it strips types. */
export function isTypeScriptFile(path: string): boolean {
  return typeScriptExtensions.some((extension) => path.endsWith(extension));
}

/** The version from which Node `version`'s line strips types by default (null: every 24+ does). */
function defaultStrippingFrom(version: string): string | null {
  const major = Number.parseInt(version, 10);
  return stripsTypesFrom.find((line) => line.major === major)?.from ?? null;
}

/**
 * Why this Node cannot load the TypeScript file `path`, as the one line a user can act on; null when
 * it can, or when `path` is no TypeScript. `version` is process.versions.node; `typescript` is
 * process.features.typescript: `strip`/`transform` when this Node strips types (by default, or with
 * --experimental-strip-types on an older one), false when it does not.
 */
export function typeScriptRefusal(path: string, version: string, typescript: unknown): string | null {
  if (!isTypeScriptFile(path) || (typeof typescript === 'string' && typescript !== '')) return null;
  const name = basename(path);
  const from = defaultStrippingFrom(version);
  if (from !== null && isNodeOlderThan(version, from)) {
    return `${name} needs Node >= ${from.replace(/\.0$/, '')} to load TypeScript (found ${version}); use a .js file or upgrade Node`;
  }
  return `${name} is TypeScript, and this Node (${version}) runs with type stripping turned off (--no-experimental-strip-types in NODE_OPTIONS?); use a .js file or drop that flag`;
}

/** typeScriptRefusal for the running Node. */
export function typeScriptRefusalHere(path: string): string | null {
  return typeScriptRefusal(path, process.versions.node, process.features.typescript);
}
