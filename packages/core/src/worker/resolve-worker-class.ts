import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkerClassError } from '../errors.js';
import { isFilePath } from '../app/resolve-module.js';
import { installCommandFor } from '../modules/install-command.js';
import { resolveInstalled } from '../modules/resolve-from-project.js';
import { isWorkerClass, type WorkerClass } from './worker-class.js';

/** `-k` aliases, as Gunicorn's `sync`, `gthread`, … name its bundled classes. */
export const workerClassAliases: Readonly<Record<string, string>> = {
  async: '@gu/worker-async',
  sync: '@gu/worker-sync',
  threads: '@gu/worker-threads',
  asgi: '@gu/asgi-bridge',
};

const SETTING = 'worker_class (-k)';

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`: what to `npm install`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * Resolves `-k` to the absolute path of a module: an alias, a package name (looked up from the
 * user's project, then from gu's own install), or a file path relative to `cwd`.
 */
export function resolveWorkerClassPath(spec: string, cwd: string): string {
  const specifier = workerClassAliases[spec] ?? spec;
  if (isFilePath(specifier)) {
    const path = resolve(cwd, specifier);
    if (!existsSync(path)) throw new WorkerClassError(`${SETTING}: worker class file not found: ${path}`);
    return path;
  }
  let resolved: string | null;
  try {
    resolved = resolveInstalled(specifier, [cwd, import.meta.dirname]);
  } catch (error) {
    throw new WorkerClassError(`${SETTING}: cannot resolve "${spec}": ${(error as Error).message}`, { cause: error });
  }
  if (resolved) return resolved;
  const pkg = packageNameOf(specifier);
  throw new WorkerClassError(
    `${SETTING}: worker class "${spec}" is not installed (expected an alias ${Object.keys(workerClassAliases).join(', ')}, a package or a file); install it with: ${installCommandFor(pkg, cwd)}`,
  );
}

/** Imports a resolved worker-class module and checks its default export is a WorkerClass. */
export async function importWorkerClass(path: string, spec: string = path): Promise<WorkerClass> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    throw new WorkerClassError(`${SETTING}: importing "${spec}" failed: ${(error as Error).message}`, { cause: error });
  }
  if (!isWorkerClass(module.default)) {
    throw new WorkerClassError(
      `${SETTING}: "${spec}" does not export a WorkerClass as default (expected an object with a name and a run(ctx) method)`,
    );
  }
  return module.default;
}
