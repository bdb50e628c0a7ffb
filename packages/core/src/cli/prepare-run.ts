import { GuError } from '../errors.js';
import type { Settings } from '../settings/types.js';
import type { SettingOrigins } from '../settings/layer.js';
import { parseAppSpec } from '../app/app-spec.js';
import { resolveAppModule } from '../app/resolve-module.js';
import { preloadApp } from '../app/preload-app.js';
import { importWorkerClass, resolveWorkerClassPath } from '../worker/resolve-worker-class.js';
import type { WorkerClass } from '../worker/worker-class.js';
import { checkWritablePaths } from './preflight.js';
import { checkWorkerIdentity } from '../settings/worker-identity.js';
import { checkTlsSettings } from './tls-preflight.js';
import type { WorkerEnv } from '../arbiter/worker-env.js';

/** Settings that passed every check made before binding, with the resolved worker class. */
export interface PreparedRun {
  readonly settings: Settings & { readonly app: string };
  readonly workerClassPath: string;
}

/**
 * The checks gu makes before anything binds or forks, at start and again on each reload (HUP): the
 * app spec and file, the log and pid paths, the TLS files, the worker class and its own view of the settings, and
 * with `preload_app` the app itself, loaded once. Each failure is a GuError with one line naming the
 * setting (or the app).
 */
export async function prepareRun(settings: Settings, origins: SettingOrigins, workerEnv: WorkerEnv = () => process.env): Promise<PreparedRun> {
  const { app } = settings;
  if (!app) throw new GuError('GU_ERR_INVALID_SETTING', 'app: no application module specified (expected gu [options] MODULE[:EXPORT])');
  // A misspelt spec or a missing file fails here; the module itself is imported by each worker
  // (by the CLI with --check-config, and once more below with --preload).
  resolveAppModule(parseAppSpec(app).module, settings.chdir, app);
  checkWritablePaths(settings, origins);
  checkWorkerIdentity(settings, origins);
  checkTlsSettings(settings, origins);
  const workerClassPath = resolveWorkerClassPath(settings.workerClass, settings.chdir);
  const workerClass = await importWorkerClass(workerClassPath, settings.workerClass);
  checkWorkerClassConfig(workerClass, settings);
  if (settings.preloadApp && !settings.checkConfig) {
    await preloadApp({ spec: app, chdir: settings.chdir, env: workerEnv(settings), timeoutSeconds: settings.bootTimeout });
  }
  return { settings: { ...settings, app }, workerClassPath };
}

/** A worker class refuses settings by throwing; whatever it throws is a settings error (exit 2). */
function checkWorkerClassConfig(workerClass: WorkerClass, settings: Settings): void {
  try {
    workerClass.checkConfig?.(settings);
  } catch (error) {
    if (error instanceof GuError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new GuError('GU_ERR_INVALID_SETTING', `worker_class (-k) ${workerClass.name} refused the settings: ${reason}`, {
      cause: error,
    });
  }
}
