import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigFileError } from '../errors.js';
import { closestName } from './closest-name.js';
import type { RawLayer, RawValues } from './layer.js';
import { registry, settingKeys, type SettingKey } from './registry.js';
import { describeValue } from '../errors.js';
import { isHookName, type Hooks } from '../hooks/server-hooks.js';
import { loadTypeScriptModuleSyntaxAsEsm } from '../modules/typescript-module-syntax.js';
import { typeScriptRefusalHere } from '../modules/typescript-support.js';

/** Looked for in this order in the current directory when `-c` is not given. */
export const configFileNames = ['gu.config.ts', 'gu.config.mjs', 'gu.config.js'] as const;

/** The first config file of `configFileNames` present in `cwd`, or null. */
export function findConfigFile(cwd: string): string | null {
  return configFileNames.map((name) => join(cwd, name)).find((path) => existsSync(path)) ?? null;
}

const requireCache = createRequire(import.meta.url).cache;
let loadCount = 0;

/**
 * Imports the file afresh: a reload (HUP) must see the edited file, so the URL gets a new query
 * (ES modules, TypeScript) and a CommonJS file is dropped from require's cache.
 */
async function importFresh(path: string): Promise<unknown> {
  loadCount += 1;
  loadTypeScriptModuleSyntaxAsEsm();
  Reflect.deleteProperty(requireCache, path);
  const module = (await import(`${pathToFileURL(path).href}?gu-load=${loadCount}`)) as { default?: unknown };
  return module.default;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'no default export';
  return typeof value === 'object' ? 'a non-plain object' : `a ${typeof value}`;
}

const configKeys = new Map<string, readonly string[]>(
  settingKeys
    .filter((key) => registry[key].inConfigFile !== false)
    .map((key) => [key, [registry[key].name, ...registry[key].flags.filter((flag) => flag.startsWith('--'))]]),
);

function unknownKeyError(key: string, path: string): ConfigFileError {
  if (Object.hasOwn(registry, key) && !configKeys.has(key)) {
    const flag = registry[key as SettingKey].flags.join('/');
    const reason = `this setting cannot be set in a config file (use ${flag} on the command line)`;
    return new ConfigFileError(`${key} in ${path}: ${reason}`);
  }
  const suggestion = closestName(key, configKeys);
  const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
  return new ConfigFileError(`${key} in ${path}: unknown setting${hint}`);
}

/** A config file's settings, and the server hooks it sets (functions, which stay in this process). */
export interface ConfigFileLayer extends RawLayer {
  readonly hooks: Hooks;
}

/**
 * Loads a config file into a raw layer. `path` is absolute. Throws ConfigFileError when the file is
 * missing, throws on import, does not export a plain object, holds a key that is no setting or
 * hook, or a hook that is not a function.
 */
export async function loadConfigFile(path: string): Promise<ConfigFileLayer> {
  if (!existsSync(path)) throw new ConfigFileError(`config file not found: ${path}`);
  const refusal = typeScriptRefusalHere(path);
  if (refusal !== null) throw new ConfigFileError(`config file ${path}: ${refusal}`);
  let exported: unknown;
  try {
    exported = await importFresh(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigFileError(`config file ${path} failed to load: ${reason}`, { cause: error });
  }
  if (!isPlainObject(exported)) {
    const expected = 'must export a settings object (export default defineConfig({ ... }))';
    throw new ConfigFileError(`config file ${path} ${expected}, got ${describeKind(exported)}`);
  }
  const values: RawValues = {};
  const hooks: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exported)) {
    if (isHookName(key)) {
      if (value !== undefined && value !== null && typeof value !== 'function') {
        throw new ConfigFileError(`${key} in ${path}: a server hook must be a function, got ${describeValue(value)}`);
      }
      if (typeof value === 'function') hooks[key] = value;
      continue;
    }
    if (!configKeys.has(key)) throw unknownKeyError(key, path);
    values[key as SettingKey] = value;
  }
  return { origin: { kind: 'config file', path }, values, hooks };
}
