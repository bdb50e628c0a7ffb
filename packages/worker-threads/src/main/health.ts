import { performance } from 'node:perf_hooks';
import type { WorkerContext } from '@gu/core';
import type { Dispatcher } from './dispatcher.js';
import type { ThreadPool } from './thread-pool.js';

/** As core's own timer: a quarter of `timeout`, at most a second, at least 50 ms. */
export function checkIntervalMs(timeoutSeconds: number): number {
  return Math.max(50, Math.min(1000, (timeoutSeconds * 1000) / 4 || 1000));
}

/**
 * The heartbeat of a threads worker (the class owns it, see WorkerClass.ownsHeartbeat). On each
 * tick: requests past `timeout` are answered and their threads terminated (Dispatcher.expire);
 * threads that have not beaten for `timeout` (stuck between requests, or in code no request
 * deadline covers) are terminated and logged; and the process beats only when no thread is silent.
 * A thread that terminate() cannot stop (blocked in a system call) thus stops the beats, and the
 * arbiter kills and replaces the whole process after `timeout`, as it does a blocked event loop.
 */
export function keepHeartbeat(ctx: WorkerContext, pool: ThreadPool, dispatcher: Dispatcher): () => void {
  const { timeout, bootTimeout } = ctx.settings;
  const timeoutMs = timeout * 1000;
  const tick = (): void => {
    if (timeoutMs === 0) {
      ctx.notify();
      return;
    }
    const now = performance.now();
    dispatcher.expire(now, timeoutMs);
    const silent = pool.silentThreads(now, timeoutMs, bootTimeout * 1000);
    for (const threadId of silent) {
      if (pool.terminating(threadId)) continue;
      dispatcher.terminateThread(threadId, `Worker thread ${threadId} silent for ${timeout} s: terminating it`);
    }
    if (silent.length === 0) ctx.notify();
  };
  const timer = setInterval(tick, checkIntervalMs(timeout));
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
