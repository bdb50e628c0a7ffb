import type { Settings } from '../settings/types.js';
import type { Logger } from '../logging/logger.js';
import { ExitCode } from '../errors.js';
import type { WorkerMessage } from '../worker/protocol.js';
import { monotonicSeconds } from '../worker/monotonic-clock.js';
import { Wakeup } from './wakeup.js';
import { SignalQueue, signalName, type ArbiterSignal } from './signal-queue.js';
import { WorkerProcess, type WorkerExit } from './worker-process.js';
import { setProcessTitle } from './process-title.js';
import { WorkerHealth } from './worker-health.js';
import { ChangeWatcher } from './change-watcher.js';
import { describeExit, exitVerdict, type ExitVerdict } from './exit-verdict.js';
import { Generations } from './generations.js';
import { Upgrade } from './upgrade.js';
import { ArbiterHooks, workerInfo } from './arbiter-hooks.js';
import type { ArbiterInfo } from '../hooks/server-hooks.js';
import { Reloader } from './reloader.js';
import type { ArbiterOptions } from './arbiter-options.js';
import { ServiceNotifier } from './service-notifier.js';
import { listeningAt } from '../sockets/listener-url.js';
import { ArbiterControl } from './control-port.js';

type MessageHandlers = {
  readonly [T in WorkerMessage['type']]: (worker: WorkerProcess, message: Extract<WorkerMessage, { type: T }>) => void;
};

/** A reason to leave the main loop, with the code gu exits with. */
interface Halt {
  readonly exitCode: ExitCode;
  readonly reason?: string;
  readonly graceful: boolean;
}

/** The longest the loop sleeps when nothing wakes it: the pace of heartbeat checks. */
const LOOP_INTERVAL_MS = 1000;
/**
 * A worker keeps `graceful_timeout` itself (then closes what is left, flushes its logs and exits
 * within a second); the arbiter's SIGKILL comes this much later, for a worker that could not.
 */
const KILL_AFTER_GRACE_S = 2;

const byAge = (a: WorkerProcess, b: WorkerProcess): number => a.age - b.age;

/**
 * Gunicorn's arbiter: owns the listening sockets and keeps `workers` worker processes alive.
 * Signal handlers and child events only enqueue and wake; one loop handles signals, reaps exited
 * workers, murders silent ones and spawns or retires to keep the count. A worker only leaves once
 * its successor is ready (reload, memory limit), so no request waits for a boot.
 */
export class Arbiter {
  private readonly log: Logger;
  private readonly wakeup = new Wakeup();
  private readonly signals = new SignalQueue(this.wakeup);
  /** What `gu ctl` and the health endpoints see of this arbiter, and how its commands run. */
  private readonly control: ArbiterControl;
  private readonly workers = new Map<number, WorkerProcess>();
  private readonly exited: WorkerProcess[] = [];
  private readonly health: WorkerHealth;
  private readonly generations: Generations;
  private readonly reloader: Reloader;
  private readonly upgrade: Upgrade;
  private targetWorkers: number | null = null;
  private readonly hooks: ArbiterHooks;
  /** `--reload`: the files that trigger a reload when they change. */
  private readonly watcher: ChangeWatcher | null;
  private readonly service: ServiceNotifier;
  private lastAge = 0;

  /** `handle<SIG>`: what each signal does. A returned Halt leaves the loop. */
  private readonly handlers: Record<ArbiterSignal, () => Promise<Halt | undefined> | Halt | undefined> = {
    SIGTERM: () => ({ exitCode: ExitCode.OK, graceful: true }),
    SIGINT: () => ({ exitCode: ExitCode.OK, graceful: false }),
    SIGQUIT: () => ({ exitCode: ExitCode.OK, graceful: false }),
    SIGTTIN: () => {
      this.numWorkers += 1;
      this.log.info(`Target number of workers now ${this.numWorkers}`);
      return undefined;
    },
    SIGTTOU: () => {
      if (this.numWorkers > 1) this.numWorkers -= 1;
      this.log.info(`Target number of workers now ${this.numWorkers}`);
      return undefined;
    },
    SIGUSR1: () => {
      this.log.reopen();
      for (const worker of this.workers.values()) worker.reopenLogs();
      return undefined;
    },
    SIGHUP: async () => {
      const workers = await this.reloader.reload(this.generations, this.numWorkers);
      if (workers === null) return undefined;
      this.numWorkers = workers;
      this.watchExtraFiles();
      await this.hooks.run('onReload');
      return undefined;
    },
    SIGUSR2: async () => {
      await this.upgrade.start(this.generations.listeners, () => this.hooks.run('preExec'));
      return undefined;
    },
    SIGWINCH: () => {
      // A terminal sends WINCH on every resize: only a detached gu takes it as "stop the workers".
      if (process.stderr.isTTY) {
        this.log.debug('SIGWINCH ignored: gu runs in a terminal');
        return undefined;
      }
      this.log.info('Graceful stop of workers (WINCH); the arbiter keeps its sockets');
      this.numWorkers = 0;
      return undefined;
    },
  };

  constructor(private readonly options: ArbiterOptions) {
    this.log = options.log;
    this.health = new WorkerHealth(this.log);
    this.hooks = new ArbiterHooks({ log: this.log, hooks: () => this.generations.hooks, info: () => this.info() });
    this.generations = new Generations({
      settings: options.settings,
      workerClassPath: options.workerClassPath,
      listeners: options.listeners,
      hooks: options.hooks ?? {},
    });
    this.numWorkers = options.settings.workers;
    this.watcher = options.settings.reload
      ? new ChangeWatcher(this.log, (path) => {
          this.log.info(`Reloading: ${path} changed`);
          this.signals.push('SIGHUP');
        })
      : null;
    const state = () => ({ workers: this.workers.values(), generation: this.generations.current });
    this.service = ServiceNotifier.fromEnvironment(process.env, this.log, state, options.oldArbiterPid ?? null);
    const { reloadSettings: read, fixedListeners = false } = options;
    this.reloader = new Reloader({ log: this.log, read, fixedListeners, service: this.service });
    this.upgrade = new Upgrade({
      log: this.log,
      pidfile: options.settings.pidfile,
      startContext: options.startContext,
      oldArbiterPid: options.oldArbiterPid ?? null,
      wakeup: () => {
        this.wakeup.wakeup();
      },
    });
    const { log, generations, workers, signals } = this;
    this.control = new ArbiterControl(this.wakeup, {
      log, generations, workers, signals,
      target: () => this.numWorkers,
      setTarget: (count) => (this.numWorkers = count),
      reload: () => this.handlers.SIGHUP(),
    });
  }

  private get settings(): Settings {
    return this.generations.settings;
  }

  /** The number of workers to keep; a change runs the nworkers_changed hook. */
  private get numWorkers(): number {
    return this.targetWorkers ?? 0;
  }

  private set numWorkers(value: number) {
    const old = this.targetWorkers;
    this.targetWorkers = value;
    if (old !== value) void this.hooks.run('nworkersChanged', value, old);
  }

  /** The arbiter as its hooks see it. */
  private info(): ArbiterInfo {
    const workers = [...this.workers.values()].sort(byAge).map(workerInfo);
    return { pid: process.pid, settings: this.settings, numWorkers: this.numWorkers, generation: this.generations.current, workers };
  }

  /** Runs until a stop signal or a failed boot; resolves with the code to exit with. */
  async run(): Promise<ExitCode> {
    setProcessTitle('arbiter', this.settings);
    this.signals.install();
    this.upgrade.watchOldArbiter();
    this.options.operations?.attach(this.control.port);
    let halt: Halt;
    try {
      this.upgrade.pidfile?.create(process.pid);
      this.log.info(`Arbiter booted (pid: ${process.pid})`);
      for (const listener of this.generations.listeners) this.log.info(`Listening at: ${listeningAt(listener.display, this.settings)} (${process.pid})`);
      this.log.info(`Using worker: ${this.settings.workerClass}`);
      this.watchExtraFiles();
      await this.hooks.run('whenReady');
      halt = await this.loop();
      this.control.stopping();
      this.service.stopping(this.upgrade.successorPid);
      await this.stop(halt.graceful);
    } finally {
      this.service.close();
      this.signals.uninstall();
      this.watcher?.close();
      this.closeListeners();
      this.upgrade.pidfile?.unlink(process.pid);
      this.options.operations?.close();
    }
    this.log.info('Shutting down: Arbiter');
    if (halt.reason) this.log.info(`Reason: ${halt.reason}`);
    await this.hooks.run('onExit');
    await this.options.onExit?.();
    return halt.exitCode;
  }

  private async loop(): Promise<Halt> {
    for (;;) {
      const signal = this.signals.next();
      if (signal) {
        this.log.info(`Handling signal: ${signalName(signal)}`);
        const halt = await this.handlers[signal]();
        if (halt) return halt;
        continue;
      }
      if (await this.control.runNextAction()) continue;
      this.upgrade.promoteIfOldArbiterGone();
      const halt = await this.reapWorkers();
      if (halt) return halt;
      this.health.murder(this.workers.values());
      await this.manageWorkers();
      this.options.metrics?.workers(this.workers.size);
      await this.wakeup.sleep(this.sleepMs());
    }
  }

  /** What each message of a worker means to the arbiter (`listener-request` is served by WorkerProcess). */
  private readonly messageHandlers: MessageHandlers = {
    'listener-request': () => undefined,
    'boot-error': (worker, { message }) => {
      worker.bootError ??= message;
    },
    ready: (worker) => {
      worker.ready = true;
      this.log.debug(`Worker (pid:${worker.pid}) ready`);
      if (worker.generation === this.generations.current) this.reloader.commit(this.generations);
      this.service.workerReady(this.numWorkers);
    },
    // It stopped accepting by itself (max_requests, a crash, a TERM sent to it directly): replace it
    // now rather than after it has drained.
    stopping: (worker, { why }) => {
      worker.departure ??= 'leaving';
      worker.stoppingFor ??= why ?? null;
    },
    'loaded-files': (_worker, { files }) => {
      this.watcher?.add(files);
    },
    rss: (worker, { bytes }) => {
      if (this.health.overMemory(worker, bytes)) this.wakeup.wakeup();
    },
    stats: (worker, message) => {
      this.control.figures.record(worker, message);
    },
  };

  private onWorkerEvent(worker: WorkerProcess, event: WorkerMessage | WorkerExit): void {
    if ('type' in event) (this.messageHandlers[event.type] as (from: WorkerProcess, message: WorkerMessage) => void)(worker, event);
    else this.exited.push(worker);
    this.wakeup.wakeup();
  }

  /** Forgets exited workers; a failed boot halts the arbiter, or rolls back a pending reload. */
  private async reapWorkers(): Promise<Halt | undefined> {
    for (const worker of this.exited.splice(0)) {
      this.workers.delete(worker.pid);
      await this.hooks.run('childExit', workerInfo(worker));
      const exit = worker.exitStatus ?? { code: null, signal: null };
      const verdict = exitVerdict(worker, exit);
      this.control.figures.recordExit(worker, verdict);
      if (verdict.kind === 'boot-failure') {
        const halt = this.onBootFailure(worker, verdict);
        if (halt) return halt;
      } else if (verdict.kind === 'crash') {
        this.log.error(describeExit(worker, exit));
        this.health.recordCrash(worker);
      } else {
        this.log.debug(describeExit(worker, exit));
      }
    }
    return undefined;
  }

  private onBootFailure(worker: WorkerProcess, verdict: Extract<ExitVerdict, { kind: 'boot-failure' }>): Halt | undefined {
    if (worker.generation !== this.generations.current) {
      this.log.debug(`Worker (pid:${worker.pid}) of a superseded generation failed to boot`);
      return undefined;
    }
    const reason = worker.bootError ?? verdict.detail ?? verdict.reason;
    if (this.generations.pending) {
      const failed = this.generations.current;
      const workers = this.reloader.rollback(this.generations, reason);
      if (workers !== null) this.numWorkers = workers;
      for (const other of this.workers.values()) if (other.generation === failed) other.retire();
      return undefined;
    }
    this.log.error(reason);
    return { exitCode: verdict.exitCode, reason: verdict.reason, graceful: false };
  }

  /**
   * Keeps `numWorkers` workers of the current generation, oldest retired first when there are too
   * many (TTOU, WINCH). Workers of older generations (a reload) and workers to replace (memory) stay
   * until enough of the current ones are ready to take their place.
   */
  private async manageWorkers(): Promise<void> {
    const generation = this.generations.current;
    const serving = [...this.workers.values()].filter((worker) => worker.serving).sort(byAge);
    const staying = serving.filter((worker) => worker.generation === generation && worker.replaceBecause === null);
    const surplus = Math.max(0, staying.length - this.numWorkers);
    for (const worker of staying.slice(0, surplus)) worker.retire();
    const kept = staying.slice(surplus);
    await this.spawnWorkers(this.numWorkers - kept.length);
    const outgoing = serving.filter((worker) => worker.generation !== generation || worker.replaceBecause !== null);
    const mayStay = Math.max(0, this.numWorkers - kept.filter((worker) => worker.ready).length);
    for (const worker of outgoing.slice(0, Math.max(0, outgoing.length - mayStay))) {
      worker.retire('SIGTERM', worker.generation === generation ? 'recycle' : 'reload');
    }
  }

  private async spawnWorkers(count: number): Promise<void> {
    if (count <= 0 || this.health.spawnWait() > 0) return;
    for (let i = 0; i < count; i += 1) await this.spawnWorker();
  }

  private async spawnWorker(): Promise<void> {
    this.lastAge += 1;
    const { settings, generations } = this;
    await this.hooks.run('preFork', workerInfo({ pid: 0, age: this.lastAge, generation: generations.current, settings }));
    let worker: WorkerProcess;
    try {
      worker = WorkerProcess.spawn({
        settings: this.settings,
        workerClassPath: this.generations.workerClassPath,
        age: this.lastAge,
        generation: this.generations.current,
        listeners: this.generations.listeners,
        env: this.options.workerEnv?.(this.settings),
        log: this.log,
        onEvent: (from, event) => {
          this.onWorkerEvent(from, event);
        },
      });
    } catch (error) {
      // fork() can fail for want of memory or pids; the next turn of the loop tries again.
      this.log.exception('Unable to spawn a worker', error);
      return;
    }
    this.workers.set(worker.pid, worker);
    this.log.info(`Booting worker with pid: ${worker.pid}`);
  }

  private signalWorkers(signal: NodeJS.Signals): void {
    for (const worker of this.workers.values()) worker.kill(signal);
  }

  /** Until the next heartbeat check, or the end of a crash backoff if that comes first. */
  private sleepMs(): number {
    const { timeout } = this.settings;
    const beat = timeout > 0 ? Math.min(LOOP_INTERVAL_MS, Math.max(100, timeout * 250)) : LOOP_INTERVAL_MS;
    const backoff = this.health.spawnWait() * 1000;
    return backoff > 0 ? Math.min(beat, backoff + 5) : beat;
  }

  private watchExtraFiles(): void {
    this.watcher?.addPatterns(this.settings.reloadExtraFiles, this.settings.chdir);
  }

  /** Unix socket files stay while another arbiter (old or new) serves on them. */
  private closeListeners(): void {
    const keepFile = this.upgrade.sharingSockets;
    for (const listener of this.generations.allListeners) listener.close({ keepFile });
  }

  /**
   * Closes the listeners first, so a client that connects from now on is refused (or served by a
   * new arbiter after USR2) rather than accepted into a backlog nobody will serve. Graceful: TERM to
   * every worker, which finishes its in-flight requests within `graceful_timeout`; a worker still
   * running a little after that is killed. Quick: QUIT, then the same deadline. An INT or QUIT during
   * a graceful stop turns it quick (a second Ctrl-C does not wait for slow requests).
   */
  private async stop(graceful: boolean): Promise<void> {
    this.closeListeners();
    const workers = [...this.workers.values()];
    for (const worker of workers) worker.retire(graceful ? 'SIGTERM' : 'SIGQUIT');
    const deadline = monotonicSeconds() + this.settings.gracefulTimeout + KILL_AFTER_GRACE_S;
    const live = (): boolean => workers.some((worker) => !worker.exitStatus);
    while (live() && monotonicSeconds() < deadline) {
      await this.wakeup.sleep(Math.min((deadline - monotonicSeconds()) * 1000, LOOP_INTERVAL_MS));
      const signal = this.signals.next();
      if (signal === 'SIGINT' || signal === 'SIGQUIT') {
        this.log.info(`Handling signal: ${signalName(signal)} (quick stop)`);
        this.signalWorkers('SIGQUIT');
      }
    }
    if (live()) this.signalWorkers('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    this.exited.splice(0);
    for (const worker of workers) await this.hooks.run('childExit', workerInfo(worker));
    this.workers.clear();
  }
}
