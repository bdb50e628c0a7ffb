import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Settings } from '../settings/types.js';
import type { Logger } from '../logging/logger.js';
import { HeartbeatFile } from '../worker/heartbeat.js';
import { monotonicSeconds } from '../worker/monotonic-clock.js';
import { sendWithHandle } from '../sockets/send-handle.js';
import { isWorkerMessage, type ArbiterMessage, type WorkerMessage } from '../worker/protocol.js';
import type { StopCause } from '../worker/worker-class.js';
import { workerExecArgv } from './worker-exec-argv.js';
import { handOverFiles } from './worker-files.js';

const workerEntry = fileURLToPath(new URL('../worker/main.js', import.meta.url));

/** How a worker process ended: its exit code, or the signal that killed it. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  readonly settings: Settings;
  readonly workerClassPath: string;
  readonly age: number;
  /** The reload generation this worker belongs to (1 at start, +1 per HUP). */
  readonly generation: number;
  /** Raw listening handles, in bind order, and how each reads in logs. */
  readonly listeners: readonly { readonly handle: unknown; readonly display: string }[];
  /** The worker's environment; the arbiter's when not given. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly log: Logger;
  /** Called on each message and on exit, so the arbiter's loop runs again. */
  readonly onEvent: (worker: WorkerProcess, event: WorkerMessage | WorkerExit) => void;
}

/** Why the arbiter wants a worker gone; `null` while it serves as wanted. */
export type Departure =
  /** Asked to stop (TERM or QUIT sent): reload, TTOU, shutdown, replaced after a recycle. */
  | 'retired'
  /** It said it stopped accepting by itself (max_requests, an uncaught exception, a TERM sent to it). */
  | 'leaving'
  /** Killed for a silent heartbeat or a boot that took too long. */
  | 'killed';

/** The arbiter's view of one worker process. */
export class WorkerProcess {
  readonly pid: number;
  readonly age: number;
  readonly generation: number;
  readonly settings: Settings;
  /** Monotonic seconds at fork. */
  readonly spawnedAt = monotonicSeconds();
  readonly exited: Promise<WorkerExit>;
  /** Set when the process has exited (its heartbeat file is closed then). */
  exitStatus: WorkerExit | null = null;
  /** Set once it reported ready (listeners open, app loaded). */
  ready = false;
  departure: Departure | null = null;
  /** Why it should be replaced while it still serves (e.g. memory), once a successor is ready. */
  replaceBecause: string | null = null;
  /** What it said when it failed to boot. */
  bootError: string | null = null;
  /** Set when the arbiter killed it for `boot_timeout`: a failed boot. */
  bootTimedOut = false;
  /** Monotonic time of the SIGABRT sent for a WORKER TIMEOUT, until the SIGKILL that follows. */
  abortedAt: number | null = null;
  /** Why it was retired (`retire()`), for the exit counts by cause. */
  retiredFor: StopCause | null = null;
  /** What the worker said asked it to stop, when it stopped by itself (`max_requests`, …). */
  stoppingFor: string | null = null;
  /** Consecutive RSS reports above `max_worker_memory`. */
  samplesOverMemory = 0;
  private readonly child: ChildProcess;
  private readonly heartbeat: HeartbeatFile;

  private constructor(options: SpawnOptions) {
    this.age = options.age;
    this.generation = options.generation;
    this.settings = options.settings;
    this.heartbeat = HeartbeatFile.create(options.settings.workerTmpDir ?? undefined);
    handOverFiles(options.settings, this.heartbeat);
    this.child = fork(workerEntry, [], {
      cwd: options.settings.chdir,
      env: options.env ?? process.env,
      execArgv: workerExecArgv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', this.heartbeat.fd],
      serialization: 'json',
    });
    // A send that races the worker's exit fails with EPIPE/ERR_IPC_CHANNEL_CLOSED: the exit tells the rest.
    this.child.on('error', (error) => {
      options.log.debug(`Worker ${this.child.pid ?? '(not started)'}: ${error.message}`);
    });
    if (this.child.pid === undefined) {
      this.heartbeat.close();
      throw new Error('fork() started no process');
    }
    this.pid = this.child.pid;
    // 'close' comes after 'exit' once the IPC channel is drained: a boot-error message sent just
    // before the worker exited has been handled by then.
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.heartbeat.close();
        const exit = { code, signal };
        this.exitStatus = exit;
        resolve(exit);
        options.onEvent(this, exit);
      });
    });
    this.child.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === 'listener-request') this.sendListener(options.listeners, message.index);
      options.onEvent(this, message);
    });
    this.send({
      type: 'boot',
      settings: options.settings,
      workerClassPath: options.workerClassPath,
      age: options.age,
      generation: options.generation,
      listeners: options.listeners.map((listener) => listener.display),
    });
    options.listeners.forEach((_, index) => { this.sendListener(options.listeners, index); });
  }

  static spawn(options: SpawnOptions): WorkerProcess {
    return new WorkerProcess(options);
  }

  /** Alive and not on its way out: it counts toward the number of workers. */
  get serving(): boolean {
    return this.exitStatus === null && this.departure === null;
  }

  /** The monotonic time (seconds) the worker last proved its event loop alive. */
  lastBeat(): number {
    return this.heartbeat.lastBeat();
  }

  /**
   * Signals the process through its child handle, and only while it has not been reaped: a raw
   * `process.kill(pid)` could reach an unrelated process that reused the pid.
   */
  kill(signal: NodeJS.Signals): void {
    if (this.exitStatus || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
  }

  /**
   * Asks it to stop: TERM (graceful) unless told otherwise (QUIT for a quick stop). A graceful stop
   * for another cause than `shutdown` is said over IPC first, and the TERM follows once the message
   * is handed to the OS: a signal cannot carry why (see StopCause).
   */
  retire(signal: NodeJS.Signals = 'SIGTERM', cause: StopCause = 'shutdown'): void {
    this.departure ??= 'retired';
    this.retiredFor ??= cause;
    if (signal !== 'SIGTERM' || cause === 'shutdown' || !this.child.connected) {
      this.kill(signal);
      return;
    }
    sendWithHandle(this.child, { type: 'stop', cause }, undefined)
      .catch(() => undefined)
      .finally(() => {
        this.kill(signal);
      });
  }

  /** USR1: over IPC, not as a signal, so that it can never open the worker's inspector. */
  reopenLogs(): void {
    this.send({ type: 'reopen-logs' });
  }

  /** Asks for its figures; the answer is a `stats` message with this `id`. */
  askFigures(id: number): void {
    this.send({ type: 'stats?', id });
  }

  private sendListener(listeners: SpawnOptions['listeners'], index: number): void {
    const listener = listeners[index];
    if (listener) this.send({ type: 'listener', index }, listener.handle);
  }

  private send(message: ArbiterMessage, handle?: unknown): void {
    if (!this.child.connected) return;
    sendWithHandle(this.child, message, handle).catch((error: unknown) => this.child.emit('error', error));
  }
}
