import type { MetricsJson } from '../metrics/request-metrics.js';
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
  | { readonly type: 'stop'; readonly cause: StopCause }
  /** What are your figures? Answered by one `stats` message with the same `id`. */
  | { readonly type: 'stats?'; readonly id: number };

/**
 * A worker's own figures, as it answers `stats?`. Counters count from the worker's start and never
 * go down; the arbiter adds those of exited workers to its totals, so a restart resets nothing.
 */
export interface WorkerFigures {
  /** Requests it has started serving (the ones `max_requests` counts). */
  readonly requests: number;
  /** Requests whose response has not been written completely yet. */
  readonly inFlight: number;
  /** Resident set size, bytes. */
  readonly rss: number;
  /** Event-loop delay (perf_hooks monitorEventLoopDelay) over the last window, milliseconds. */
  readonly loopDelay: LoopDelay;
  /** With `metrics_bind`: its request metrics, as prom-client's JSON (metrics/request-metrics.ts). */
  readonly metrics?: MetricsJson;
}

export interface LoopDelay {
  readonly mean: number;
  readonly p99: number;
  readonly max: number;
}

/** `id` 0: sent unasked, as the worker exits, so the arbiter's totals keep its last requests. */
export const FINAL_FIGURES_ID = 0;

/** Worker → arbiter. */
export type WorkerMessage =
  | { readonly type: 'listener-request'; readonly index: number }
  | { readonly type: 'ready' }
  /**
   * The worker stopped accepting and is draining: the arbiter can start its replacement now. `why`
   * is what asked for the stop (`max_requests`, `SIGTERM`, …), for the exit counts by cause.
   */
  | { readonly type: 'stopping'; readonly why?: string }
  /** `--reload`: source files this worker loaded since it last said (absolute paths). */
  | { readonly type: 'loaded-files'; readonly files: readonly string[] }
  /** Resident set size in bytes, sent each heartbeat while `max_worker_memory` is set. */
  | { readonly type: 'rss'; readonly bytes: number }
  /** The answer to `stats?` (same `id`), or the final figures (FINAL_FIGURES_ID). */
  | ({ readonly type: 'stats'; readonly id: number } & WorkerFigures)
  | { readonly type: 'boot-error'; readonly exitCode: number; readonly message: string };

/** File descriptor of the heartbeat file in a worker (stdio slot after the IPC channel at 3). */
export const HEARTBEAT_FD = 4;

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function isArbiterMessage(value: unknown): value is ArbiterMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
