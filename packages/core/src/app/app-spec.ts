import { appLoadFailure } from './app-load-failure.js';
import { parseFactoryArguments } from './factory-arguments.js';

/** What `gu MODULE[:EXPORT]` names, parsed. */
export interface AppSpec {
  /** A file path (`app.js`, `./src/app.ts`, `/abs/app.mjs`) or a package name. */
  readonly module: string;
  /** The export to reach: empty for the default export, `['app']` for `:app`, `['a', 'b']` for `:a.b`. */
  readonly exportPath: readonly string[];
  /** The arguments of `:factory(...)`, or null when the export is used as it is. */
  readonly factoryArguments: readonly unknown[] | null;
}

const exportPattern = /^(?<path>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*(?:\((?<args>.*)\))?$/s;
/** `C:\app.js`: the colon of a Windows drive letter does not separate the export. */
const driveLetterPattern = /^[A-Za-z]:[\\/]/;

function splitAtExport(spec: string): { module: string; exportText: string | null } {
  const colon = spec.indexOf(':', driveLetterPattern.test(spec) ? 2 : 0);
  if (colon === -1) return { module: spec, exportText: null };
  return { module: spec.slice(0, colon), exportText: spec.slice(colon + 1).trim() };
}

/**
 * Parses Gunicorn's `MODULE[:EXPORT]` forms adapted to JavaScript: `module` (default export),
 * `module:name`, `module:a.b` (into an object), `module:factory()` and
 * `module:factory('arg', 2, true, null, {"k": 1})` (call the export). Throws AppLoadError.
 */
export function parseAppSpec(spec: string): AppSpec {
  const { module, exportText } = splitAtExport(spec.trim());
  if (module === '') throw appLoadFailure(spec, 'it names no module (expected MODULE[:EXPORT], e.g. app.js:app)');
  if (exportText === null) return { module, exportPath: [], factoryArguments: null };
  const groups = exportPattern.exec(exportText)?.groups;
  if (groups?.path === undefined) {
    throw appLoadFailure(spec, `"${exportText}" is not an export name, a dotted path (a.b) or a call (factory(...))`);
  }
  return {
    module,
    exportPath: groups.path.split('.'),
    factoryArguments: groups.args === undefined ? null : parseFactoryArguments(groups.args, spec),
  };
}
