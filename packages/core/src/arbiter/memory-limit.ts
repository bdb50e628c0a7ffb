import type { WorkerProcess } from './worker-process.js';

/** Consecutive heartbeats above the limit before a worker is replaced: one spike is not a leak. */
export const MEMORY_SAMPLES = 3;
const MB = 1024 * 1024;

/**
 * `max_worker_memory`: records one RSS report and tells whether the worker has now stayed above its
 * limit for MEMORY_SAMPLES reports in a row.
 */
export function overMemoryLimit(worker: WorkerProcess, rssBytes: number): boolean {
  const limitMb = worker.settings.maxWorkerMemory;
  if (limitMb <= 0 || rssBytes <= limitMb * MB) {
    worker.samplesOverMemory = 0;
    return false;
  }
  worker.samplesOverMemory += 1;
  return worker.samplesOverMemory >= MEMORY_SAMPLES;
}

export function megabytes(bytes: number): number {
  return Math.round(bytes / MB);
}
