import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { Logger } from '../logging/logger.js';
import { BeatSlot } from './beat-slot.js';
import type { LogFormat } from '../logging/log-format.js';

/** What the watchdog thread is started with (`workerData`). */
export interface WatchdogData {
  readonly buffer: SharedArrayBuffer;
  /** Silence after which the thread reads and logs the main thread's stack. */
  readonly thresholdMs: number;
  /** How long it waits for the main thread to pause before logging that the stack cannot be read. */
  readonly captureTimeoutMs: number;
  readonly errorlog: string;
  readonly logFormat: LogFormat;
  readonly pid: number;
}

/**
 * The arbiter kills a worker silent for more than `timeout`; the watchdog speaks `min(1 s, timeout/4)`
 * earlier, so that the stack is in the log before the kill. The inspector gets 90 % of that head
 * start: `Debugger.enable` takes 50-80 ms in a hello-world worker on a busy 2-core machine (it
 * reports every loaded script), and writing the record takes well under the rest.
 */
export function watchdogTimings(timeoutSeconds: number): Pick<WatchdogData, 'thresholdMs' | 'captureTimeoutMs'> {
  const headStartMs = Math.min(1000, timeoutSeconds * 250);
  return { thresholdMs: timeoutSeconds * 1000 - headStartMs, captureTimeoutMs: Math.round(headStartMs * 0.9) };
}

/**
 * Importing `node:inspector` throws on a Node built without it, so it is imported only here, when
 * the setting is on: without the setting, such a Node runs workers as before.
 */
async function inspectorReachesMainThread(): Promise<boolean> {
  if (!process.features.inspector) return false;
  const { canReadMainThreadStack } = await import('./main-thread-stack.js');
  return canReadMainThreadStack();
}

const threadEntry = new URL('./watchdog-thread.js', import.meta.url);

/**
 * The main thread's side of `dump_stack_on_timeout`: a watchdog thread that shares the heartbeat
 * slot and, when the main thread stops beating for nearly `timeout`, logs where its JavaScript is
 * stuck. The main thread only stores the clock on each beat; the thread is unref'd, so it never
 * keeps the worker alive.
 */
export class StackWatchdog {
  private readonly slot = new BeatSlot();
  private watching = false;

  private constructor(errorlog: string, logFormat: LogFormat, timeoutSeconds: number, log: Logger) {
    const data: WatchdogData = { buffer: this.slot.buffer, errorlog, logFormat, pid: process.pid, ...watchdogTimings(timeoutSeconds) };
    // execArgv: [] keeps the worker's flags (--import of an app's hooks, heap sizes) out of a thread that needs none.
    const thread = new Worker(threadEntry, { workerData: data, env: SHARE_ENV, execArgv: [], name: 'gu stack watchdog' });
    thread.on('error', (error: Error) => { log.warning(`Stack watchdog stopped: ${error.message}`); });
    thread.unref();
  }

  /** Null when there is nothing to watch for (`timeout` 0) or this Node cannot read the main thread's stack. */
  static async start(options: { readonly errorlog: string; readonly logFormat: LogFormat; readonly timeout: number; readonly log: Logger }): Promise<StackWatchdog | null> {
    if (options.timeout <= 0) return null;
    if (!(await inspectorReachesMainThread())) {
      options.log.warning('dump_stack_on_timeout: this Node cannot open an inspector session on the main thread; no stacks will be logged');
      return null;
    }
    try {
      return new StackWatchdog(options.errorlog, options.logFormat, options.timeout, options.log);
    } catch (error) {
      // A thread can fail to start (out of memory or threads): the worker serves on without stacks.
      options.log.warning(`dump_stack_on_timeout: the watchdog thread did not start: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  /** From ready on, silence counts: before it, `boot_timeout` applies and a slow boot is no hang. */
  watch(): void {
    this.watching = true;
    this.slot.beat();
  }

  beat(): void {
    if (this.watching) this.slot.beat();
  }

  /** The worker is exiting: closing logs and the exit itself are not a hang. */
  unwatch(): void {
    this.watching = false;
    this.slot.unwatch();
  }
}
