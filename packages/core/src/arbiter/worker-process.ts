import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Settings } from '../settings/types.js';
import type { Logger } from '../logging/logger.js';
import { HeartbeatFile } from '../worker/heartbeat.js';
import { sendWithHandle } from '../sockets/send-handle.js';
import { isWorkerMessage, type ArbiterMessage, type WorkerMessage } from '../worker/protocol.js';

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
  /** Raw listening handles, in bind order, and how each reads in logs. */
  readonly listeners: readonly { readonly handle: unknown; readonly display: string }[];
  readonly log: Logger;
  /** Called on each message and on exit, so the arbiter's loop runs again. */
  readonly onEvent: (worker: WorkerProcess, event: WorkerMessage | WorkerExit) => void;
}

/** The arbiter's view of one worker process. */
export class WorkerProcess {
  readonly pid: number;
  readonly age: number;
  readonly exited: Promise<WorkerExit>;
  /** Set when the process has exited (its heartbeat file is closed then). */
  exitStatus: WorkerExit | null = null;
  /** Set once the arbiter has asked this worker to stop or killed it. */
  retiring = false;
  private readonly child: ChildProcess;
  private readonly heartbeat: HeartbeatFile;

  private constructor(options: SpawnOptions) {
    this.age = options.age;
    this.heartbeat = HeartbeatFile.create(options.settings.workerTmpDir ?? undefined);
    this.child = fork(workerEntry, [], {
      cwd: options.settings.chdir,
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
      listeners: options.listeners.map((listener) => listener.display),
    });
    options.listeners.forEach((_, index) => { this.sendListener(options.listeners, index); });
  }

  static spawn(options: SpawnOptions): WorkerProcess {
    return new WorkerProcess(options);
  }

  /** When the worker last proved its event loop alive (ms since the epoch). */
  lastBeat(): number {
    return this.heartbeat.lastBeat();
  }

  kill(signal: NodeJS.Signals): void {
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
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
