import type { Logger } from '../logging/logger.js';
import { monotonicSeconds } from '../worker/monotonic-clock.js';
import { CrashBackoff } from './crash-backoff.js';
import { MEMORY_SAMPLES, megabytes, overMemoryLimit } from './memory-limit.js';
import type { WorkerProcess } from './worker-process.js';

/** Between the SIGABRT of a WORKER TIMEOUT (the worker_abort hook's chance) and the SIGKILL. */
const ABORT_GRACE_S = 0.5;

/**
 * The arbiter's judgement of its workers' health: silent heartbeats (`timeout`), boots that take
 * too long (`boot_timeout`), memory above `max_worker_memory`, and crashes that come too often.
 */
export class WorkerHealth {
  private readonly backoff = new CrashBackoff();

  constructor(private readonly log: Logger) {}

  /** Seconds until a worker may be spawned again after crashes (0: now). */
  spawnWait(): number {
    return this.backoff.waitAt(monotonicSeconds());
  }

  recordCrash(worker: WorkerProcess): void {
    const now = monotonicSeconds();
    const delay = this.backoff.record(now, now - worker.spawnedAt);
    if (delay > 0) this.log.warning(`Workers keep crashing (${this.backoff.crashes} in a row): next worker in ${delay.toFixed(1)} s`);
  }

  /**
   * Kills workers whose heartbeat is older than `timeout` (a blocked loop: SIGABRT, which runs the
   * worker_abort hook if the loop can still run anything, then SIGKILL, which a blocked loop cannot
   * ignore), and workers not ready within `boot_timeout`.
   */
  murder(workers: Iterable<WorkerProcess>): void {
    const now = monotonicSeconds();
    for (const worker of workers) {
      if (worker.exitStatus) continue;
      if (worker.abortedAt !== null) {
        if (now - worker.abortedAt >= ABORT_GRACE_S) this.kill(worker);
      } else if (worker.departure === 'killed' || worker.bootTimedOut) {
        continue;
      } else if (!worker.ready) {
        this.checkBoot(worker, now);
      } else {
        this.checkHeartbeat(worker, now);
      }
    }
  }

  /** Records one RSS report; true when the worker has now stayed above its limit long enough. */
  overMemory(worker: WorkerProcess, rssBytes: number): boolean {
    if (!worker.serving || worker.replaceBecause !== null || !overMemoryLimit(worker, rssBytes)) return false;
    worker.replaceBecause = 'max_worker_memory';
    this.log.warning(
      `Worker (pid:${worker.pid}) uses ${megabytes(rssBytes)} MB, above max_worker_memory ${worker.settings.maxWorkerMemory} MB for ${MEMORY_SAMPLES} heartbeats: replacing it`,
    );
    return true;
  }

  private checkHeartbeat(worker: WorkerProcess, now: number): void {
    const { timeout } = worker.settings;
    const silent = now - worker.lastBeat();
    if (timeout <= 0 || silent <= timeout) return;
    this.log.critical(`WORKER TIMEOUT (pid:${worker.pid}) silent for ${silent.toFixed(1)} s`);
    worker.departure = 'killed';
    worker.abortedAt = now;
    worker.kill('SIGABRT');
  }

  private checkBoot(worker: WorkerProcess, now: number): void {
    const limit = worker.settings.bootTimeout;
    const booting = now - worker.spawnedAt;
    if (limit <= 0 || booting <= limit) return;
    this.log.critical(`WORKER BOOT TIMEOUT (pid:${worker.pid}) not ready after ${booting.toFixed(1)} s (boot_timeout ${limit})`);
    // Not replaced: its exit is a failed boot, which stops gu (or rolls a reload back).
    worker.bootTimedOut = true;
    worker.kill('SIGKILL');
  }

  private kill(worker: WorkerProcess): void {
    worker.abortedAt = null;
    worker.kill('SIGKILL');
  }
}
