import { ExitCode, GuError, exitCodeOf } from '../errors.js';
import { loadSettings, formatPrintConfig } from '../settings/load-settings.js';
import type { Settings } from '../settings/types.js';
import { createLogger } from '../logging/error-log.js';
import { loadApp } from '../app/load-app.js';
import { parseAppSpec } from '../app/app-spec.js';
import { resolveAppModule } from '../app/resolve-module.js';
import { parseBindAddress } from '../sockets/bind-address.js';
import { bindListeners } from '../sockets/bind-listeners.js';
import { listenersFromSystemd } from '../sockets/systemd.js';
import { importWorkerClass, resolveWorkerClassPath } from '../worker/resolve-worker-class.js';
import type { WorkerClass } from '../worker/worker-class.js';
import { Arbiter } from '../arbiter/arbiter.js';
import { readVersion } from '../settings/version.js';
import type { SettingOrigins } from '../settings/layer.js';
import { checkWritablePaths } from './preflight.js';

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/**
 * `gu [options] APP`: resolve settings, check them (and the worker class) before anything binds,
 * then bind and hand over to the arbiter. Resolves with the process exit code (see ExitCode).
 */
export async function main(argv: readonly string[], io: Io = process): Promise<number> {
  try {
    const result = await loadSettings({ argv, env: process.env, cwd: process.cwd() });
    if (result.kind !== 'run') {
      io.stdout.write(`${result.text}\n`);
      return ExitCode.OK;
    }
    return await runCommand(result.settings, io, result.origins);
  } catch (error) {
    io.stderr.write(formatFatal(error));
    return exitCodeOf(error);
  }
}

async function runCommand(settings: Settings, io: Io, origins: SettingOrigins): Promise<number> {
  if (settings.printConfig) {
    io.stdout.write(formatPrintConfig(settings));
    return ExitCode.OK;
  }
  if (!settings.app) throw new GuError('GU_ERR_INVALID_SETTING', 'app: no application module specified (expected gu [options] MODULE[:EXPORT])');
  // A misspelt spec or a missing file fails here, before any port is bound or worker forked; the
  // module itself is imported by each worker (or here with --check-config).
  resolveAppModule(parseAppSpec(settings.app).module, settings.chdir, settings.app);
  checkWritablePaths(settings, origins);
  const workerClassPath = resolveWorkerClassPath(settings.workerClass, settings.chdir);
  const workerClass = await importWorkerClass(workerClassPath, settings.workerClass);
  checkWorkerClassConfig(workerClass, settings);
  if (settings.checkConfig) {
    await loadApp(settings.app, settings.chdir);
    io.stdout.write('Config OK\n');
    return ExitCode.OK;
  }
  process.chdir(settings.chdir);
  const log = createLogger({ errorlog: settings.errorlog, loglevel: settings.loglevel });
  log.info(`Starting gu ${readVersion()}`);
  const listeners =
    listenersFromSystemd(process.env, process.pid) ??
    (await bindListeners(settings.bind.map(parseBindAddress), { backlog: settings.backlog }));
  const arbiter = new Arbiter({ settings, log, listeners, workerClassPath, onExit: () => log.close() });
  return await arbiter.run();
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

/** One line for errors gu raised on purpose; the stack for anything unexpected. */
function formatFatal(error: unknown): string {
  if (error instanceof GuError) return `gu: error: ${error.message}\n`;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `gu: internal error: ${detail}\n`;
}
