import { pathToFileURL } from 'node:url';
import { resolveInstalled } from '../modules/resolve-from-project.js';
import { appLoadFailure, firstLineOf } from './app-load-failure.js';

export const ADAPTERS_PACKAGE = '@gu/adapters';

/** What core uses of @gu/adapters: its `adapt`, whose result core checks by shape. */
export interface AdaptersModule {
  adapt(app: unknown, options: { spec: string; log: AdaptersLog }): unknown;
}

export interface AdaptersLog {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  exception(message: string, error: unknown): void;
}

/**
 * @gu/adapters when it is installed, resolved like a worker class: from the user's project
 * (`chdir`), then beside gu's own install; null when neither has it. An install that cannot be
 * imported, or has no `adapt`, is an AppLoadError naming it.
 */
export async function importAdapters(cwd: string, spec: string): Promise<AdaptersModule | null> {
  const path = resolveInstalled(ADAPTERS_PACKAGE, [cwd, import.meta.dirname]);
  if (path === null) return null;
  let module: Partial<AdaptersModule>;
  try {
    module = (await import(pathToFileURL(path).href)) as Partial<AdaptersModule>;
  } catch (error) {
    throw appLoadFailure(spec, `importing ${ADAPTERS_PACKAGE} (${path}) threw ${firstLineOf(error)}`, error);
  }
  if (typeof module.adapt !== 'function') throw appLoadFailure(spec, `${ADAPTERS_PACKAGE} at ${path} has no adapt() export (an older version?)`);
  return module as AdaptersModule;
}
