import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** Conditions of an `import()` from Node, in the order Node prefers them. */
const importConditions = new Set(['import', 'node', 'module-sync', 'default']);

/** `@scope/name/sub/path` → `['@scope/name', './sub/path']`; `name` → `['name', '.']`. */
function splitSpecifier(specifier: string): [string, string] {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(length).join('/');
  return [parts.slice(0, length).join('/'), rest ? `./${rest}` : '.'];
}

/** The package's directory as Node's lookup would find it: node_modules of cwd and of each parent. */
function findPackageDir(name: string, cwd: string): string | null {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** A target of an exports map under import conditions: a path, a condition object or a fallback list. */
function pickTarget(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const target = pickTarget(item);
      if (target !== null) return target;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const [condition, nested] of Object.entries(value)) {
    if (!importConditions.has(condition)) continue;
    const target = pickTarget(nested);
    if (target !== null) return target;
  }
  return null;
}

function exportsEntry(exportsField: unknown, subpath: string): unknown {
  const isSubpathMap =
    typeof exportsField === 'object' && exportsField !== null && !Array.isArray(exportsField) &&
    Object.keys(exportsField).some((key) => key.startsWith('.'));
  if (isSubpathMap) return (exportsField as Record<string, unknown>)[subpath];
  return subpath === '.' ? exportsField : undefined;
}

/** The file `import(specifier)` would load for a package whose exports map only `import` targets. */
function resolveImportOnly(specifier: string, cwd: string): string | null {
  const [name, subpath] = splitSpecifier(specifier);
  const packageDir = findPackageDir(name, cwd);
  if (packageDir === null) return null;
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports?: unknown };
  const target = pickTarget(exportsEntry(manifest.exports, subpath));
  return target === null ? null : join(packageDir, target);
}

/**
 * Resolves a bare specifier (`pkg`, `@scope/pkg/sub`) from the user's project the way their own
 * code would import it: `require.resolve` from `cwd` first, then, for an ESM-only package whose
 * exports map names only an `import` condition (which `require.resolve` cannot see), its exports map
 * read with import conditions (exact subpaths; `*` patterns are not supported). Throws what
 * `require.resolve` threw when neither finds it (code MODULE_NOT_FOUND when it is not installed).
 */
export function resolveFromProject(specifier: string, cwd: string): string {
  try {
    return createRequire(join(cwd, 'noop.js')).resolve(specifier);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    const found = resolveImportOnly(specifier, cwd);
    if (found === null) throw error;
    return found;
  }
}

/**
 * An optional package, resolved from each of `bases` in turn (the user's project first, then gu's
 * own install): its path, or null when none has it installed. Other failures are thrown.
 */
export function resolveInstalled(specifier: string, bases: readonly string[]): string | null {
  for (const base of bases) {
    try {
      return resolveFromProject(specifier, base);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  return null;
}
