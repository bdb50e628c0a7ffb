import { ExitCode, GuError, exitCodeOf } from '../errors.js';
import { loadSettings, formatPrintConfig, type LoadResult } from '../settings/load-settings.js';
import type { Hooks } from '../hooks/server-hooks.js';
import { runHook } from '../hooks/run-hook.js';
import { createLogger } from '../logging/error-log.js';
import { loadApp } from '../app/load-app.js';
import { Arbiter } from '../arbiter/arbiter.js';
import { readVersion } from '../settings/version.js';
import { prepareRun, type PreparedRun } from './prepare-run.js';
import { openListeners } from './open-listeners.js';
import { daemonize, isDaemonized } from './daemonize.js';
import { CompileCache } from '../arbiter/compile-cache.js';
import { rawEnvVariables, workerEnvWith, type WorkerEnv } from '../arbiter/worker-env.js';
import { countingLogRecords } from '../metrics/counting-logger.js';
import { openStatsd } from '../metrics/statsd-client.js';
import { Operations } from '../control/operations.js';
import { ctl } from './ctl.js';
import { startedByUpgrade } from '../sockets/upgrade-listeners.js';

type LoadedSettings = Extract<LoadResult, { kind: 'run' }>;

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/**
 * `gu [options] APP`: resolve settings, check them (and the worker class) before anything binds,
 * then bind and hand over to the arbiter. Resolves with the process exit code (see ExitCode).
 */
export async function main(argv: readonly string[], io: Io = process): Promise<number> {
  // `gu ctl …`: a client of a running arbiter, not a server.
  if (argv[0] === 'ctl') return ctl(argv.slice(1), io);
  try {
    const result = await loadSettings({ argv, env: process.env, cwd: process.cwd() });
    if (result.kind !== 'run') {
      io.stdout.write(`${result.text}\n`);
      return ExitCode.OK;
    }
    return await runCommand(result, io, argv);
  } catch (error) {
    io.stderr.write(formatFatal(error));
    return exitCodeOf(error);
  }
}

async function runCommand(loaded: LoadedSettings, io: Io, argv: readonly string[]): Promise<number> {
  const { settings, origins, hooks } = loaded;
  if (settings.printConfig) {
    io.stdout.write(formatPrintConfig(settings, hooks));
    return ExitCode.OK;
  }
  if (settings.checkConfig) {
    await prepareRun(settings, origins);
    // The app loads here, in gu's own process (which exits next), with the workers' raw_env.
    Object.assign(process.env, rawEnvVariables(settings.rawEnv));
    await loadApp(settings.app ?? '', settings.chdir);
    io.stdout.write('Config OK\n');
    return ExitCode.OK;
  }
  const cache = CompileCache.create(settings, process.env);
  try {
    return await serve(loaded, argv, workerEnvWith(cache));
  } finally {
    cache?.remove();
  }
}

async function serve({ settings, origins, hooks }: LoadedSettings, argv: readonly string[], workerEnv: WorkerEnv): Promise<number> {
  // What the arbiter needs to read its settings again (HUP) or start a new arbiter (USR2): the
  // directory, arguments and environment gu was started with, before anything below changes them.
  const startContext = { cwd: process.cwd(), execArgv: [...process.execArgv], argv: process.argv.slice(1), env: { ...process.env } };
  const { workerClassPath } = await prepareRun(settings, origins, workerEnv);
  // Detach only once the settings passed every check, so that their errors still reach the terminal.
  if (settings.daemon && !isDaemonized(process.env)) {
    daemonize(startContext);
    return ExitCode.OK;
  }
  process.chdir(settings.chdir);
  // Before the log files are opened and the sockets bound, so it applies to them; workers inherit it.
  if (settings.umask !== null) process.umask(settings.umask);
  const errorLog = createLogger({ errorlog: settings.errorlog, loglevel: settings.loglevel, format: settings.logFormat });
  const statsd = await openStatsd(settings, (message) => { errorLog.warning(message); });
  const log = statsd ? countingLogRecords(errorLog, statsd) : errorLog;
  log.info(`Starting gu ${readVersion()}`);
  const starting = { pid: process.pid, settings, numWorkers: settings.workers, generation: 1, workers: [] };
  await runHook(log, hooks, 'onStarting', [starting], settings.timeout);
  // Before the app's sockets: an unusable control socket path or health port stops gu with nothing bound.
  const operations = await Operations.open(settings, log, startedByUpgrade(process.env, process.ppid));
  const opened = await openListeners(settings, process.env);
  const reloadSettings = async (): Promise<PreparedRun & { hooks: Hooks }> => {
    const result = await loadSettings({ argv, env: startContext.env, cwd: startContext.cwd });
    if (result.kind !== 'run') throw new GuError('GU_ERR_INVALID_SETTING', `the command line asks for --${result.kind}, not a server`);
    return { ...(await prepareRun(result.settings, result.origins, workerEnv)), hooks: result.hooks };
  };
  const arbiter = new Arbiter({
    settings,
    log,
    listeners: opened.listeners,
    workerClassPath,
    reloadSettings,
    fixedListeners: opened.fromSystemd,
    startContext,
    oldArbiterPid: opened.oldArbiterPid,
    hooks,
    workerEnv,
    metrics: statsd && { workers: (count) => { statsd.gauge('workers', count); } },
    operations,
    onExit: async () => {
      await statsd?.close();
      await log.close();
    },
  });
  return await arbiter.run();
}

/** One line for errors gu raised on purpose; the stack for anything unexpected. */
function formatFatal(error: unknown): string {
  if (error instanceof GuError) return `gu: error: ${error.message}\n`;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `gu: internal error: ${detail}\n`;
}
