import { ExitCode, guErrorCodeOf } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { createLogger } from '../logging/error-log.js';
import { createAccessLogger, type AccessLogger } from '../logging/access-log.js';
import { loadApp, toRequestListener } from '../app/load-app.js';
import { adaptApp } from '../app/adapt-app.js';
import { HttpFront } from '../http/http-front.js';
import { setProcessTitle } from '../arbiter/process-title.js';
import { ArbiterChannel } from './arbiter-channel.js';
import { CrashGuard } from './crash-guard.js';
import { asWorkerUser } from './drop-privileges.js';
import { HeartbeatFile } from './heartbeat.js';
import { ListenerCopies } from './listener-source.js';
import { FINAL_FIGURES_ID, HEARTBEAT_FD, type WorkerMessage } from './protocol.js';
import { FigureCounter } from './figures.js';
import { importWorkerClass } from './resolve-worker-class.js';
import { RequestBudget } from './request-budget.js';
import { StackWatchdog } from './stack-watchdog.js';
import { StopRequests } from './stop-requests.js';
import type { WorkerClass, WorkerContext } from './worker-class.js';
import { WorkerHooks } from './worker-hooks.js';
import { LoadedFiles } from './loaded-files.js';
import type { WorkerInfo } from '../hooks/server-hooks.js';
import type { Settings } from '../settings/types.js';
import type { AccessEntry } from '../logging/access-entry.js';
import { teeAccess } from '../logging/access-tee.js';
import { countingLogRecords } from '../metrics/counting-logger.js';
import { openStatsd, type StatsdClient } from '../metrics/statsd-client.js';
import { statsdRequests } from '../metrics/statsd-requests.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';

/** After a quick stop, or this long past the graceful timeout, a worker exits whatever still runs. */
const HARD_EXIT_MS = 1000;

/**
 * The life of a worker process: receive settings and sockets from the arbiter, load the worker
 * class, run it, and exit with the code the arbiter understands (see WorkerClass).
 */
export async function runWorker(): Promise<never> {
  const stops = new StopRequests();
  // Installed before anything else: on a Node without --disable-sigusr1 (< 22.14), a process with no
  // listener answers SIGUSR1 by opening its inspector. With the flag, Node ignores the signal and
  // the arbiter asks for log reopens over IPC instead.
  let reopenLogs = (): void => undefined;
  process.on('SIGUSR1', () => reopenLogs());
  const channel = new ArbiterChannel();
  const boot = await channel.boot;
  const { settings } = boot;
  setProcessTitle('worker', settings);
  await asWorkerUser(settings, channel);
  const { log, accessLog, statsd, requestMetrics, requestLog } = await openLogs(settings, channel);
  const workerInfo: WorkerInfo = { pid: process.pid, age: boot.age, generation: boot.generation, settings };
  // Loaded from the config file once the boot is under way; a signal before that finds none.
  let hooks = WorkerHooks.none(log, workerInfo);
  // Sent by the arbiter on a WORKER TIMEOUT, just before SIGKILL; the listener also keeps Node from
  // dumping core. A blocked event loop never runs it.
  process.on('SIGABRT', () => void hooks.workerAbort());
  const heartbeat = HeartbeatFile.inherited(HEARTBEAT_FD);
  heartbeat.touch();
  const watchdog = settings.dumpStackOnTimeout ? await StackWatchdog.start({ ...settings, log }) : null;
  const notify = (): void => {
    heartbeat.touch();
    watchdog?.beat();
  };
  // max_worker_memory: the arbiter decides, from a few reports in a row, when to replace this worker.
  const reportMemory = settings.maxWorkerMemory > 0;
  // --reload: the arbiter watches the files this worker loads, which it learns as they load.
  const loadedFiles = settings.reload && LoadedFiles.supported() ? new LoadedFiles() : null;
  loadedFiles?.start();
  const reportLoadedFiles = (): void => {
    const files = loadedFiles?.takeNew() ?? [];
    if (files.length > 0) channel.send({ type: 'loaded-files', files });
  };
  // A class that owns its heartbeat (WorkerClass.ownsHeartbeat) calls notify() itself once ready.
  const beats = { fromCore: true };
  const beat = setInterval(() => {
    if (beats.fromCore) notify();
    reportLoadedFiles();
    if (reportMemory) channel.send({ type: 'rss', bytes: process.memoryUsage.rss() });
  }, heartbeatIntervalMs(settings.timeout));
  beat.unref();

  // The arbiter's `stats?`: one answer per question, from counters kept as requests start.
  const fronts: HttpFront[] = [];
  const figures = new FigureCounter(() => fronts.reduce((sum, front) => sum + front.inFlight, 0));
  // With metrics_bind, the request metrics ride along: prom-client gives them asynchronously.
  const figuresMessage = async (id: number): Promise<WorkerMessage> => {
    const metrics = await requestMetrics?.json();
    return { type: 'stats', id, ...figures.figures(), ...(metrics === undefined ? {} : { metrics }) };
  };
  channel.onFiguresRequest = (id) => {
    void figuresMessage(id).then((message) => { channel.send(message); });
  };

  const exitWorker = async (code: number): Promise<never> => {
    clearInterval(beat);
    watchdog?.unwatch();
    // Unasked, so the arbiter's request total keeps what this worker served since it was last asked.
    await channel.sendAndFlush(await figuresMessage(FINAL_FIGURES_ID));
    figures.stop();
    await hooks.workerExit();
    await accessLog?.close();
    await statsd?.close();
    await log.close();
    // However it ended, a worker that stopped because of a crash did not end cleanly.
    process.exit(code === ExitCode.OK && crashGuard.crashed ? ExitCode.INTERNAL : code);
  };
  let stopping = false;
  stops.handleWith((mode, why) => {
    if (why === 'disconnect') log.info(`Parent changed, shutting down: ${process.pid}`);
    // A quick stop during a graceful one: leave now, as Gunicorn's workers do on QUIT.
    if (stopping) return void exitWorker(ExitCode.OK);
    stopping = true;
    if (mode === 'quick') void hooks.workerInt();
    log.debug(`Worker (pid:${process.pid}) stopping: ${mode} (${why})`);
    channel.send({ type: 'stopping', why });
    const graceMs = mode === 'graceful' ? settings.gracefulTimeout * 1000 + HARD_EXIT_MS : HARD_EXIT_MS;
    setTimeout(() => void exitWorker(ExitCode.OK), graceMs).unref();
  });
  reopenLogs = () => {
    log.reopen();
    accessLog?.reopen();
  };
  channel.onReopenLogs = reopenLogs;
  channel.onStop = (cause) => {
    stops.request('graceful', `arbiter: ${cause}`, cause);
  };

  const listeners = boot.listeners.map((display, index) => {
    const copies = new ListenerCopies(index, display, settings.backlog, (message) => {
      channel.send(message);
    });
    copies.expectBootCopy();
    return copies;
  });
  channel.receiveListeners((index, handle) => listeners[index]?.receive(handle));
  const budget = new RequestBudget(settings.maxRequests, settings.maxRequestsJitter, () => {
    log.info('Autorestarting worker after current request.');
    stops.request('graceful', 'max_requests', 'recycle');
  });
  const countRequest = (): void => {
    figures.countRequest();
    budget.count();
  };

  const progress = { booted: false };
  let bootFailure: Promise<never> | undefined;
  /** Any failure before ready: report it to the arbiter and exit 3 (4 for the app); once, however many come. */
  const failBoot = (error: unknown): Promise<never> =>
    (bootFailure ??= (async () => {
      // By code, not instanceof: an app that failed to load in a worker thread arrives as a clone.
      const exitCode = guErrorCodeOf(error) === 'GU_ERR_APP_LOAD' ? ExitCode.APP_LOAD : ExitCode.WORKER_BOOT;
      await channel.sendAndFlush({ type: 'boot-error', exitCode, message: describeBootError(error, log) });
      return exitWorker(exitCode);
    })());
  const crashGuard = new CrashGuard(log, {
    booted: () => progress.booted,
    failBoot: (error) => void failBoot(error),
    stop: (why) => {
      stops.request('graceful', why, 'recycle');
    },
  });
  crashGuard.install();
  const app = settings.app ?? '';
  let workerClass: WorkerClass | undefined;
  const ctx: WorkerContext = {
    settings,
    log,
    pid: process.pid,
    age: boot.age,
    listeners,
    stopSignal: stops.signal,
    get stopCause() {
      return stops.cause;
    },
    loadApp: () => loadApp(app, settings.chdir),
    loadRequestListener: async () => toRequestListener(await loadApp(app, settings.chdir), app, settings.chdir),
    loadAdaptedApp: async () => adaptApp(await loadApp(app, settings.chdir), app, settings.chdir, log),
    createHttpFront: (handler, options) => {
      const deps = { settings, log, listeners, accessLog: requestLog, countRequest, hooks: hooks.hooks, worker: workerInfo, stopCause: () => stops.cause };
      const front = new HttpFront(deps, handler, options);
      fronts.push(front);
      return front;
    },
    notify,
    ready: () => {
      void hooks.postWorkerInit().then(
        () => {
          progress.booted = true;
          // `timeout` applies from now on: a boot that blocked the loop must not count as silence.
          heartbeat.touch();
          beats.fromCore = !workerClass?.ownsHeartbeat;
          watchdog?.watch();
          reportLoadedFiles();
          channel.send({ type: 'ready' });
        },
        (error: unknown) => void failBoot(error),
      );
    },
    countRequest,
  };

  try {
    hooks = await WorkerHooks.load(settings, log, workerInfo);
    await hooks.postFork();
    workerClass = await importWorkerClass(boot.workerClassPath, settings.workerClass);
    await workerClass.run(ctx);
    log.info(`Worker exiting (pid: ${process.pid})`);
    return await exitWorker(ExitCode.OK);
  } catch (error) {
    if (progress.booted) {
      log.exception('Exception in worker process', error);
      return await exitWorker(ExitCode.INTERNAL);
    }
    return await failBoot(error);
  }
}

/** Gunicorn's workers beat once per loop; a timer at a quarter of the timeout (≤ 1 s) is as good. */
function heartbeatIntervalMs(timeoutSeconds: number): number {
  return Math.max(50, Math.min(1000, (timeoutSeconds * 1000) / 4 || 1000));
}

/** One line for the arbiter to print; an unexpected error's stack goes to this worker's debug log. */
function describeBootError(error: unknown, log: Logger): string {
  if (guErrorCodeOf(error) !== null) return (error as Error).message;
  log.debug(error instanceof Error && error.stack ? error.stack : String(error));
  return error instanceof Error ? error.message : String(error);
}

interface WorkerLogs {
  readonly log: Logger;
  readonly accessLog: AccessLogger | null;
  readonly statsd: StatsdClient | null;
  /** With `metrics_bind`: the request metrics the arbiter's `/metrics` sums over the workers. */
  readonly requestMetrics: RequestMetrics | null;
  /** What the HTTP front gives each finished request to: the access log, StatsD, the metrics; null for none. */
  readonly requestLog: { log(entry: AccessEntry): void } | null;
}

/**
 * The worker's error and access logs, and its StatsD client. A log that cannot be opened (its
 * directory removed since the arbiter checked it) is a failed boot with the one-line reason,
 * before any logger exists to say it.
 */
async function openLogs(settings: Settings, channel: ArbiterChannel): Promise<WorkerLogs> {
  try {
    const errorLog = createLogger({ errorlog: settings.errorlog, loglevel: settings.loglevel, format: settings.logFormat });
    const statsd = await openStatsd(settings, (message) => { errorLog.warning(message); });
    const log = statsd ? countingLogRecords(errorLog, statsd) : errorLog;
    const accessLog = createAccessLogger({ accesslog: settings.accesslog, format: settings.accessLogFormat, errorLog: log });
    // prom-client is loaded only with metrics_bind: every worker's boot would otherwise pay for it.
    const requestMetrics = settings.metricsBind ? new (await import('../metrics/request-metrics.js')).RequestMetrics() : null;
    const requestLog = teeAccess(accessLog, statsd ? statsdRequests(statsd) : null, requestMetrics);
    return { log, accessLog, statsd, requestMetrics, requestLog };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await channel.sendAndFlush({ type: 'boot-error', exitCode: ExitCode.WORKER_BOOT, message });
    process.exit(ExitCode.WORKER_BOOT);
  }
}
