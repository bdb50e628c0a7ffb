import type { Settings } from '../settings/types.js';
import type { Logger } from '../logging/logger.js';
import { ExitCode } from '../errors.js';
import type { WorkerMessage } from '../worker/protocol.js';
import type { ArbiterListener } from '../sockets/arbiter-listener.js';
import { monotonicSeconds } from '../worker/monotonic-clock.js';
import { Wakeup } from './wakeup.js';
import { SignalQueue, signalName, type ArbiterSignal } from './signal-queue.js';
import { WorkerProcess, type WorkerExit } from './worker-process.js';
import { setProcessTitle } from './process-title.js';
import { CrashBackoff } from './crash-backoff.js';
import { describeExit, exitVerdict, type ExitVerdict } from './exit-verdict.js';
import { Generations } from './generations.js';
import { MEMORY_SAMPLES, megabytes, overMemoryLimit } from './memory-limit.js';
import type { StartContext } from './reexec.js';
import { Upgrade } from './upgrade.js';
import { Reloader, type ReloadSettings } from './reloader.js';
import type { WorkerEnv } from './worker-env.js';

export interface ArbiterOptions {
  readonly settings: Settings;
  readonly log: Logger;
  /** Already bound; the arbiter owns them from here on and closes them when it exits. */
  readonly listeners: readonly ArbiterListener[];
  readonly workerClassPath: string;
  /** Reads the settings again as gu read them at start, checked as before binding (HUP). */
  readonly reloadSettings?: ReloadSettings;
  /** The sockets came from systemd: `bind` is ignored, also on reload. */
  readonly fixedListeners?: boolean;
  /** How gu was started: what USR2 starts again. Without it USR2 is refused. */
  readonly startContext?: StartContext;
  /** In an arbiter started by USR2: the old arbiter's pid, until that one exits. */
  readonly oldArbiterPid?: number | null;
  /** The environment of each worker forked; gu's own when not given. */
  readonly workerEnv?: WorkerEnv;
  /** Extra cleanup on exit (other loggers). */
  readonly onExit?: () => Promise<void>;
}

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
  private readonly workers = new Map<number, WorkerProcess>();
  private readonly exited: WorkerProcess[] = [];
  private readonly backoff = new CrashBackoff();
  private readonly generations: Generations;
  private readonly reloader: Reloader;
  private readonly upgrade: Upgrade;
  private numWorkers: number;
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
      if (workers !== null) this.numWorkers = workers;
      return undefined;
    },
    SIGUSR2: () => {
      this.upgrade.start(this.generations.listeners);
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
    this.numWorkers = options.settings.workers;
    this.generations = new Generations({
      settings: options.settings,
      workerClassPath: options.workerClassPath,
      listeners: options.listeners,
    });
    this.reloader = new Reloader({ log: this.log, read: options.reloadSettings, fixedListeners: options.fixedListeners ?? false });
    this.upgrade = new Upgrade({
      log: this.log,
      pidfile: options.settings.pidfile,
      startContext: options.startContext,
      oldArbiterPid: options.oldArbiterPid ?? null,
      wakeup: () => {
        this.wakeup.wakeup();
      },
    });
  }

  private get settings(): Settings {
    return this.generations.settings;
  }

  /** Runs until a stop signal or a failed boot; resolves with the code to exit with. */
  async run(): Promise<ExitCode> {
    setProcessTitle('arbiter', this.settings);
    this.signals.install();
    this.upgrade.watchOldArbiter();
    let halt: Halt;
    try {
      this.upgrade.pidfile?.create(process.pid);
      this.log.info(`Arbiter booted (pid: ${process.pid})`);
      for (const listener of this.generations.listeners) this.log.info(`Listening at: ${listener.display} (${process.pid})`);
      this.log.info(`Using worker: ${this.settings.workerClass}`);
      halt = await this.loop();
      await this.stop(halt.graceful);
    } finally {
      this.signals.uninstall();
      this.closeListeners();
      this.upgrade.pidfile?.unlink(process.pid);
    }
    this.log.info('Shutting down: Arbiter');
    if (halt.reason) this.log.info(`Reason: ${halt.reason}`);
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
      this.upgrade.promoteIfOldArbiterGone();
      const halt = this.reapWorkers();
      if (halt) return halt;
      this.murderWorkers();
      this.manageWorkers();
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
    },
    // It stopped accepting by itself (max_requests, a crash, a TERM sent to it directly): replace it
    // now rather than after it has drained.
    stopping: (worker) => {
      worker.departure ??= 'leaving';
    },
    rss: (worker, { bytes }) => {
      this.checkMemory(worker, bytes);
    },
  };

  private onWorkerEvent(worker: WorkerProcess, event: WorkerMessage | WorkerExit): void {
    if ('type' in event) (this.messageHandlers[event.type] as (from: WorkerProcess, message: WorkerMessage) => void)(worker, event);
    else this.exited.push(worker);
    this.wakeup.wakeup();
  }

  /** Forgets exited workers; a failed boot halts the arbiter, or rolls back a pending reload. */
  private reapWorkers(): Halt | undefined {
    for (const worker of this.exited.splice(0)) {
      this.workers.delete(worker.pid);
      const exit = worker.exitStatus ?? { code: null, signal: null };
      const verdict = exitVerdict(worker, exit);
      if (verdict.kind === 'boot-failure') {
        const halt = this.onBootFailure(worker, verdict);
        if (halt) return halt;
      } else if (verdict.kind === 'crash') {
        this.log.error(describeExit(worker, exit));
        this.recordCrash(worker);
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

  private recordCrash(worker: WorkerProcess): void {
    const now = monotonicSeconds();
    const delay = this.backoff.record(now, now - worker.spawnedAt);
    if (delay > 0) this.log.warning(`Workers keep crashing (${this.backoff.crashes} in a row): next worker in ${delay.toFixed(1)} s`);
  }

  /** Kills workers whose heartbeat is older than `timeout` (a blocked loop), or not ready within `boot_timeout`. */
  private murderWorkers(): void {
    const now = monotonicSeconds();
    for (const worker of this.workers.values()) {
      if (worker.exitStatus || worker.departure === 'killed' || worker.bootTimedOut) continue;
      if (!worker.ready) {
        this.checkBootTimeout(worker, now);
        continue;
      }
      const { timeout } = worker.settings;
      const silent = now - worker.lastBeat();
      if (timeout <= 0 || silent <= timeout) continue;
      this.log.critical(`WORKER TIMEOUT (pid:${worker.pid}) silent for ${silent.toFixed(1)} s`);
      this.killWorker(worker);
    }
  }

  private checkBootTimeout(worker: WorkerProcess, now: number): void {
    const limit = worker.settings.bootTimeout;
    const booting = now - worker.spawnedAt;
    if (limit <= 0 || booting <= limit) return;
    this.log.critical(`WORKER BOOT TIMEOUT (pid:${worker.pid}) not ready after ${booting.toFixed(1)} s (boot_timeout ${limit})`);
    // Not replaced: its exit is a failed boot, which stops gu (or rolls a reload back).
    worker.bootTimedOut = true;
    worker.kill('SIGKILL');
  }

  /** A blocked event loop runs no signal handler: only SIGKILL ends it. */
  private killWorker(worker: WorkerProcess): void {
    worker.departure = 'killed';
    worker.kill('SIGKILL');
  }

  private checkMemory(worker: WorkerProcess, rssBytes: number): void {
    if (!worker.serving || worker.replaceBecause !== null || !overMemoryLimit(worker, rssBytes)) return;
    worker.replaceBecause = 'max_worker_memory';
    this.log.warning(
      `Worker (pid:${worker.pid}) uses ${megabytes(rssBytes)} MB, above max_worker_memory ${worker.settings.maxWorkerMemory} MB for ${MEMORY_SAMPLES} heartbeats: replacing it`,
    );
    this.wakeup.wakeup();
  }

  /**
   * Keeps `numWorkers` workers of the current generation, oldest retired first when there are too
   * many (TTOU, WINCH). Workers of older generations (a reload) and workers to replace (memory) stay
   * until enough of the current ones are ready to take their place.
   */
  private manageWorkers(): void {
    const generation = this.generations.current;
    const serving = [...this.workers.values()].filter((worker) => worker.serving).sort(byAge);
    const staying = serving.filter((worker) => worker.generation === generation && worker.replaceBecause === null);
    const surplus = Math.max(0, staying.length - this.numWorkers);
    for (const worker of staying.slice(0, surplus)) worker.retire();
    const kept = staying.slice(surplus);
    this.spawnWorkers(this.numWorkers - kept.length);
    const outgoing = serving.filter((worker) => worker.generation !== generation || worker.replaceBecause !== null);
    const mayStay = Math.max(0, this.numWorkers - kept.filter((worker) => worker.ready).length);
    for (const worker of outgoing.slice(0, Math.max(0, outgoing.length - mayStay))) worker.retire();
  }

  private spawnWorkers(count: number): void {
    if (count <= 0 || this.backoff.waitAt(monotonicSeconds()) > 0) return;
    for (let i = 0; i < count; i += 1) this.spawnWorker();
  }

  private spawnWorker(): void {
    this.lastAge += 1;
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
    const backoff = this.backoff.waitAt(monotonicSeconds()) * 1000;
    return backoff > 0 ? Math.min(beat, backoff + 5) : beat;
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
    this.workers.clear();
  }
}
