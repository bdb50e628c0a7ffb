import { ExitCode } from '../errors.js';
import type { WorkerExit, WorkerProcess } from './worker-process.js';

/**
 * What a worker's exit means to the arbiter:
 * - `boot-failure`: it could not boot (exit 3 or 4, killed for `boot_timeout`, or died in any other way
 *   before it was ready); the server cannot
 *   work as configured, so gu stops (or a pending reload is rolled back) instead of respawning.
 * - `crash`: it died although nobody asked it to (a non-zero exit, a signal gu did not send, a hung
 *   loop killed for `timeout`); it is replaced, with backoff when it keeps happening.
 * - `done`: it stopped as asked, or left by itself cleanly (max_requests); simply replaced if needed.
 */
export type ExitVerdict =
  | {
      readonly kind: 'boot-failure';
      /** Gunicorn's short reason (`Worker failed to boot.`), and what happened when there is more to say. */
      readonly reason: string;
      readonly detail?: string;
      readonly exitCode: ExitCode;
    }
  | { readonly kind: 'crash' }
  | { readonly kind: 'done' };

/** Exit codes by which a worker says the whole server cannot work. */
const bootFailures: Readonly<Partial<Record<number, string>>> = {
  [ExitCode.WORKER_BOOT]: 'Worker failed to boot.',
  [ExitCode.APP_LOAD]: 'App failed to load.',
};

/** What the verdict reads of a worker. */
export type ExitingWorker = Pick<WorkerProcess, 'pid' | 'ready' | 'departure' | 'bootTimedOut'>;

export function exitVerdict(worker: ExitingWorker, exit: WorkerExit): ExitVerdict {
  if (worker.bootTimedOut) {
    return { kind: 'boot-failure', reason: 'Worker failed to boot within boot_timeout.', exitCode: ExitCode.WORKER_BOOT };
  }
  const bootFailure = exit.code === null ? undefined : bootFailures[exit.code];
  if (bootFailure) return { kind: 'boot-failure', reason: bootFailure, exitCode: exit.code as ExitCode };
  // Any other death before ready (process.exit() in the app's module, a signal, the OOM killer) is a
  // failed boot too: respawning it would only fail again.
  if (!worker.ready && worker.departure === null && (exit.signal !== null || exit.code !== 0)) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? '?'}`;
    const detail = `Worker (pid:${worker.pid}) ${how} before it was ready.`;
    return { kind: 'boot-failure', reason: 'Worker failed to boot.', detail, exitCode: ExitCode.WORKER_BOOT };
  }
  if (worker.departure === 'killed') return { kind: 'crash' };
  if (worker.departure === 'retired') return { kind: 'done' };
  return exit.signal !== null || exit.code !== 0 ? { kind: 'crash' } : { kind: 'done' };
}

/** How the log tells an exit, in Gunicorn's words. */
export function describeExit(worker: Pick<WorkerProcess, 'pid' | 'departure'>, exit: WorkerExit): string {
  // gu's own kill after a WORKER TIMEOUT is no sign of the OOM killer.
  if (exit.signal === 'SIGKILL' && worker.departure === 'killed') return `Worker (pid:${worker.pid}) was killed after its WORKER TIMEOUT`;
  if (exit.signal === 'SIGKILL') return `Worker (pid:${worker.pid}) was sent SIGKILL! Perhaps out of memory?`;
  if (exit.signal) return `Worker (pid:${worker.pid}) was sent ${exit.signal}!`;
  if (exit.code !== 0) return `Worker (pid:${worker.pid}) exited with code ${exit.code ?? '?'}`;
  return `Worker (pid:${worker.pid}) exited`;
}
