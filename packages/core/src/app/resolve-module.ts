import { existsSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { resolveFromProject } from '../modules/resolve-from-project.js';
import { appLoadFailure, firstLineOf } from './app-load-failure.js';

const scriptExtensions = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'] as const;

function hasScriptExtension(name: string): boolean {
  return scriptExtensions.some((extension) => name.endsWith(extension));
}

/** `app.js`, `./src/app`, `../app.ts`, `/abs/app.mjs` are files; `my-app`, `@org/app` are packages. */
export function isFilePath(name: string): boolean {
  return name === '.' || name.startsWith('./') || name.startsWith('../') || isAbsolute(name) || hasScriptExtension(name);
}

function isErrorWithCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** Resolves a path as `require.resolve` does: a directory's package.json `main` or index.js, a missing `.js`. */
function requireResolve(path: string, cwd: string): string {
  return createRequire(join(cwd, '/')).resolve(path);
}

const accepted = 'expected a file such as app.js, a package name, or MODULE:EXPORT, e.g. app.js:app';

/** Why a path names no module: a directory without an entry point is not a missing file. */
function notFound(path: string): string {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    return `${path} is a directory with no index.js and no package.json "main" to load (${accepted})`;
  }
  return `file not found: ${path}`;
}

function resolveFile(name: string, cwd: string, spec: string): string {
  const path = resolve(cwd, name);
  if (existsSync(path) && statSync(path).isFile()) return path;
  try {
    return requireResolve(path, cwd);
  } catch (error) {
    if (isErrorWithCode(error, 'MODULE_NOT_FOUND')) throw appLoadFailure(spec, notFound(path), error);
    throw appLoadFailure(spec, firstLineOf(error), error);
  }
}

/** A package name that is also a script (or a directory) beside the user: say how to name the file. */
function fileHint(name: string, cwd: string): string {
  if (statSync(join(cwd, name), { throwIfNoEntry: false })?.isDirectory()) return ` (${join(cwd, name)} is a directory: to load it, write ./${name})`;
  const file = scriptExtensions.map((extension) => `${name}${extension}`).find((candidate) => existsSync(join(cwd, candidate)));
  return file === undefined ? '' : ` (to load the file ${join(cwd, file)}, write ./${file})`;
}

function resolvePackage(name: string, cwd: string, spec: string): string {
  if (isBuiltin(name)) throw appLoadFailure(spec, `"${name}" is a Node built-in module, not an application`);
  try {
    return resolveFromProject(name, cwd);
  } catch (error) {
    if (isErrorWithCode(error, 'MODULE_NOT_FOUND')) {
      throw appLoadFailure(spec, `cannot find the package "${name}" from ${cwd}${fileHint(name, cwd)}`, error);
    }
    throw appLoadFailure(spec, firstLineOf(error), error);
  }
}

/**
 * The absolute path of the module an app spec names: a file path resolved against `cwd`, or a
 * package name resolved from `cwd` as the user's own code would import it. Throws AppLoadError
 * naming the path it looked for.
 */
export function resolveAppModule(name: string, cwd: string, spec: string): string {
  return isFilePath(name) ? resolveFile(name, cwd, spec) : resolvePackage(name, cwd, spec);
}
