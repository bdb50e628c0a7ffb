import type { Settings } from '../settings/types.js';
import type { Logger } from '../logging/logger.js';
import { ExitCode } from '../errors.js';
import type { WorkerMessage } from '../worker/protocol.js';
import type { ArbiterListener } from '../sockets/bind-listeners.js';
import { Wakeup } from './wakeup.js';
import { SignalQueue, signalName, type ArbiterSignal } from './signal-queue.js';
import { WorkerProcess, type WorkerExit } from './worker-process.js';
import { Pidfile } from './pidfile.js';
import { setProcessTitle } from './process-title.js';

export interface ArbiterOptions {
  readonly settings: Settings;
  readonly log: Logger;
  /** Already bound; the arbiter owns them from here on and closes them when it exits. */
  readonly listeners: readonly ArbiterListener[];
  readonly workerClassPath: string;
  /** Extra cleanup on exit (other loggers). */
  readonly onExit?: () => Promise<void>;
}

/** A reason to leave the main loop, with the code gu exits with. */
interface Halt {
  readonly exitCode: ExitCode;
  readonly reason?: string;
  readonly graceful: boolean;
}

/** Exit codes by which a worker says the whole server cannot work: stop instead of respawning. */
const fatalWorkerExits: Readonly<Partial<Record<number, string>>> = {
  [ExitCode.WORKER_BOOT]: 'Worker failed to boot.',
  [ExitCode.APP_LOAD]: 'App failed to load.',
};

/** How long the loop sleeps when nothing wakes it: the pace of heartbeat checks. */
const LOOP_INTERVAL_MS = 1000;
/**
 * A worker keeps `graceful_timeout` itself (then closes what is left, flushes its logs and exits
 * within a second); the arbiter's SIGKILL comes this much later, for a worker that could not.
 */
const KILL_AFTER_GRACE_MS = 2000;

/**
 * Gunicorn's arbiter: owns the listening sockets and keeps `workers` worker processes alive.
 * Signal handlers and child events only enqueue and wake; one loop handles signals, reaps exited
 * workers, murders silent ones and spawns to keep the count.
 */
export class Arbiter {
  private readonly settings: Settings;
  private readonly log: Logger;
  private readonly wakeup = new Wakeup();
  private readonly signals = new SignalQueue(this.wakeup);
  private readonly workers = new Map<number, WorkerProcess>();
  private readonly exited: WorkerProcess[] = [];
  private readonly pidfile: Pidfile | null;
  private numWorkers: number;
  private lastAge = 0;
  private firstBootError: string | null = null;

  /** `handle<SIG>`: what each signal does. A returned Halt leaves the loop. */
  private readonly handlers: Record<ArbiterSignal, () => Halt | undefined> = {
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
      this.killWorkers('SIGUSR1');
      return undefined;
    },
    // Reload and binary upgrade are not built yet. Caught all the same: by default either signal
    // would end the arbiter without cleaning up its sockets and pidfile.
    SIGHUP: () => {
      this.log.warning('HUP (reload) is not supported yet: ignored; send TERM and start gu again');
      return undefined;
    },
    SIGUSR2: () => {
      this.log.warning('USR2 (binary upgrade) is not supported yet: ignored');
      return undefined;
    },
  };

  constructor(private readonly options: ArbiterOptions) {
    this.settings = options.settings;
    this.log = options.log;
    this.numWorkers = options.settings.workers;
    this.pidfile = options.settings.pidfile ? new Pidfile(options.settings.pidfile) : null;
  }

  /** Runs until a stop signal or a fatal worker exit; resolves with the code to exit with. */
  async run(): Promise<ExitCode> {
    setProcessTitle('arbiter', this.settings);
    this.signals.install();
    let halt: Halt;
    try {
      this.pidfile?.create(process.pid);
      this.log.info(`Arbiter booted (pid: ${process.pid})`);
      for (const listener of this.options.listeners) this.log.info(`Listening at: ${listener.display} (${process.pid})`);
      this.log.info(`Using worker: ${this.settings.workerClass}`);
      halt = await this.loop();
      await this.stop(halt.graceful);
    } finally {
      this.signals.uninstall();
      for (const listener of this.options.listeners) listener.close();
      this.pidfile?.unlink(process.pid);
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
        const halt = this.handlers[signal]();
        if (halt) return halt;
        continue;
      }
      const halt = this.reapWorkers();
      if (halt) return halt;
      this.murderWorkers();
      this.manageWorkers();
      await this.wakeup.sleep(LOOP_INTERVAL_MS);
    }
  }

  private onWorkerEvent(worker: WorkerProcess, event: WorkerMessage | WorkerExit): void {
    if ('type' in event) {
      if (event.type === 'boot-error') this.firstBootError ??= event.message;
      if (event.type === 'ready') this.log.debug(`Worker (pid:${worker.pid}) ready`);
      if (event.type === 'stopping' && !worker.retiring) {
        // It stopped accepting (max_requests, or a TERM sent to it directly): replace it now
        // rather than after it has drained.
        worker.retiring = true;
        this.wakeup.wakeup();
      }
      return;
    }
    this.exited.push(worker);
    this.wakeup.wakeup();
  }

  /** Forgets exited workers, logging how each ended; a boot or app-load failure halts the arbiter. */
  private reapWorkers(): Halt | undefined {
    for (const worker of this.exited.splice(0)) {
      this.workers.delete(worker.pid);
      const { code, signal } = worker.exitStatus ?? { code: null, signal: null };
      const fatal = code === null ? undefined : fatalWorkerExits[code];
      if (fatal && code !== null) {
        this.log.error(this.firstBootError ?? fatal);
        return { exitCode: code as ExitCode, reason: fatal, graceful: false };
      }
      if (worker.retiring) continue;
      if (signal === 'SIGKILL') this.log.error(`Worker (pid:${worker.pid}) was sent SIGKILL! Perhaps out of memory?`);
      else if (signal) this.log.error(`Worker (pid:${worker.pid}) was sent ${signal}!`);
      else if (code !== 0) this.log.error(`Worker (pid:${worker.pid}) exited with code ${code}`);
      else this.log.info(`Worker (pid:${worker.pid}) exited`);
    }
    return undefined;
  }

  /** Kills workers whose heartbeat is older than `timeout`: their event loop is blocked. */
  private murderWorkers(): void {
    if (this.settings.timeout <= 0) return;
    const limit = Date.now() - this.settings.timeout * 1000;
    for (const worker of this.workers.values()) {
      if (worker.exitStatus || worker.lastBeat() >= limit) continue;
      if (!worker.retiring) this.log.critical(`WORKER TIMEOUT (pid:${worker.pid})`);
      worker.retiring = true;
      // A blocked event loop runs no signal handler: only SIGKILL ends it.
      worker.kill('SIGKILL');
    }
  }

  /** Spawns or retires workers until `workers` are running. */
  private manageWorkers(): void {
    const live = [...this.workers.values()].filter((worker) => !worker.retiring);
    for (let missing = this.numWorkers - live.length; missing > 0; missing -= 1) this.spawnWorker();
    const surplus = live.sort((a, b) => a.age - b.age).slice(0, Math.max(0, live.length - this.numWorkers));
    for (const worker of surplus) {
      worker.retiring = true;
      worker.kill('SIGTERM');
    }
  }

  private spawnWorker(): void {
    this.lastAge += 1;
    let worker: WorkerProcess;
    try {
      worker = WorkerProcess.spawn({
        settings: this.settings,
        workerClassPath: this.options.workerClassPath,
        age: this.lastAge,
        listeners: this.options.listeners,
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

  private killWorkers(signal: NodeJS.Signals): void {
    for (const worker of this.workers.values()) worker.kill(signal);
  }

  /**
   * Graceful: TERM to every worker, which finishes its in-flight requests within
   * `graceful_timeout`; a worker still running a little after that is killed. Quick: QUIT, then the same deadline. An INT or
   * QUIT during a graceful stop turns it quick (a second Ctrl-C does not wait for slow requests).
   */
  private async stop(graceful: boolean): Promise<void> {
    const workers = [...this.workers.values()];
    for (const worker of workers) worker.retiring = true;
    this.killWorkers(graceful ? 'SIGTERM' : 'SIGQUIT');
    const deadline = Date.now() + this.settings.gracefulTimeout * 1000 + KILL_AFTER_GRACE_MS;
    const live = (): boolean => workers.some((worker) => !worker.exitStatus);
    while (live() && Date.now() < deadline) {
      await this.wakeup.sleep(Math.min(deadline - Date.now(), LOOP_INTERVAL_MS));
      const signal = this.signals.next();
      if (signal === 'SIGINT' || signal === 'SIGQUIT') {
        this.log.info(`Handling signal: ${signalName(signal)} (quick stop)`);
        this.killWorkers('SIGQUIT');
      }
    }
    if (live()) this.killWorkers('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    this.workers.clear();
  }

}
