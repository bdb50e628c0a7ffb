import { pathToFileURL } from 'node:url';
import { appLoadFailure, firstLineOf } from './app-load-failure.js';
import { parseAppSpec, type AppSpec } from './app-spec.js';
import { describeFoundValue } from './describe-value.js';
import { loadTypeScriptModuleSyntaxAsEsm } from '../modules/typescript-module-syntax.js';
import { typeScriptRefusalHere } from '../modules/typescript-support.js';
import { resolveAppModule } from './resolve-module.js';
import { syntaxErrorLocation } from './syntax-location.js';

export { toRequestListener } from './request-listener.js';

type Namespace = Readonly<Record<string, unknown>>;

/** ESM and CommonJS alike: Node gives a CommonJS module's `module.exports` as the default export. */
async function importFile(file: string, spec: string): Promise<Namespace> {
  const refusal = typeScriptRefusalHere(file);
  if (refusal !== null) throw appLoadFailure(spec, refusal);
  loadTypeScriptModuleSyntaxAsEsm();
  try {
    return (await import(pathToFileURL(file).href)) as Namespace;
  } catch (error) {
    throw appLoadFailure(spec, `importing ${file} threw ${firstLineOf(error)}${syntaxErrorLocation(error, file)}`, error);
  }
}

/** The names a module exports, for "export not found" messages (without Node's `module.exports` alias). */
function exportNames(namespace: Namespace): string {
  const names = Object.keys(namespace).filter((name) => name !== 'module.exports');
  return names.length === 0 ? 'it exports nothing' : `its exports: ${names.join(', ')}`;
}

function isObjectLike(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * A top-level name: a named export, else a key of the default export, which is how a CommonJS
 * `module.exports = { app }` whose keys Node's static analysis missed is reached.
 */
function topLevelExport(namespace: Namespace, name: string, file: string, spec: string): unknown {
  if (Object.hasOwn(namespace, name)) return namespace[name];
  const fallback = namespace.default;
  if (isObjectLike(fallback) && name in fallback) return fallback[name];
  throw appLoadFailure(spec, `${file} has no export "${name}" (${exportNames(namespace)})`);
}

function property(holder: unknown, key: string, reached: string, spec: string): unknown {
  if (!isObjectLike(holder)) throw appLoadFailure(spec, `"${reached}" is ${describeFoundValue(holder)}, which has no property "${key}"`);
  if (!(key in holder)) throw appLoadFailure(spec, `"${reached}" has no property "${key}" (it is ${describeFoundValue(holder)})`);
  return holder[key];
}

function pickExport(namespace: Namespace, parsed: AppSpec, file: string, spec: string): unknown {
  const [first, ...rest] = parsed.exportPath;
  if (first === undefined) {
    if (!Object.hasOwn(namespace, 'default')) throw appLoadFailure(spec, `${file} has no default export (${exportNames(namespace)})`);
    return namespace.default;
  }
  let value = topLevelExport(namespace, first, file, spec);
  let reached = first;
  for (const key of rest) {
    value = property(value, key, reached, spec);
    reached = `${reached}.${key}`;
  }
  return value;
}

async function callFactory(factory: unknown, parsed: AppSpec, spec: string): Promise<unknown> {
  const name = parsed.exportPath.join('.') || 'default';
  if (typeof factory !== 'function') throw appLoadFailure(spec, `"${name}" is ${describeFoundValue(factory)}, not a function to call`);
  try {
    return await (factory as (...args: unknown[]) => unknown)(...(parsed.factoryArguments ?? []));
  } catch (error) {
    throw appLoadFailure(spec, `the factory ${name}() threw ${firstLineOf(error)}`, error);
  }
}

/**
 * Loads the application an app spec names (see parseAppSpec), resolving the module from `cwd`:
 * imports it, reaches the export and, for `factory(...)`, calls it and awaits the result.
 * Every failure is an AppLoadError whose one-line message names the spec and the reason.
 */
export async function loadApp(spec: string, cwd: string): Promise<unknown> {
  const parsed = parseAppSpec(spec);
  const file = resolveAppModule(parsed.module, cwd, spec);
  const namespace = await importFile(file, spec);
  const exported = pickExport(namespace, parsed, file, spec);
  return parsed.factoryArguments === null ? exported : callFactory(exported, parsed, spec);
}
