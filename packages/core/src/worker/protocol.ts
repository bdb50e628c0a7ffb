import type { Settings } from '../settings/types.js';
import type { StopCause } from './worker-class.js';

/**
 * The IPC wire protocol between the arbiter and a worker process: one typed union each way.
 * Listener handles travel as the `handle` argument of `send()` next to a `listener` message.
 */

/** Arbiter → worker. */
export type ArbiterMessage =
  | {
      readonly type: 'boot';
      readonly settings: Settings;
      /** Absolute path of the resolved worker-class module. */
      readonly workerClassPath: string;
      readonly age: number;
      /** The reload generation it belongs to (1 at start, +1 per HUP). */
      readonly generation: number;
      /** Display form of each listener, in bind order; the handles follow as `listener` messages. */
      readonly listeners: readonly string[];
    }
  | { readonly type: 'listener'; readonly index: number }
  /** USR1 reached the arbiter: reopen the log files (sent over IPC, since workers ignore SIGUSR1). */
  | { readonly type: 'reopen-logs' }
  /**
   * A graceful stop for `cause`, sent just before the TERM that asks for it (a signal cannot say
   * why): the worker stops on whichever arrives first, and the message, flushed first, wins.
   */
  | { readonly type: 'stop'; readonly cause: StopCause };

/** Worker → arbiter. */
export type WorkerMessage =
  | { readonly type: 'listener-request'; readonly index: number }
  | { readonly type: 'ready' }
  /** The worker stopped accepting and is draining: the arbiter can start its replacement now. */
  | { readonly type: 'stopping' }
  /** `--reload`: source files this worker loaded since it last said (absolute paths). */
  | { readonly type: 'loaded-files'; readonly files: readonly string[] }
  /** Resident set size in bytes, sent each heartbeat while `max_worker_memory` is set. */
  | { readonly type: 'rss'; readonly bytes: number }
  | { readonly type: 'boot-error'; readonly exitCode: number; readonly message: string };

/** File descriptor of the heartbeat file in a worker (stdio slot after the IPC channel at 3). */
export const HEARTBEAT_FD = 4;

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function isArbiterMessage(value: unknown): value is ArbiterMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
