import type { Logger } from '../logging/logger.js';
import type { Settings } from '../settings/types.js';
import { loadConfigFile } from '../settings/config-file.js';
import type { ArbiterInfo, Hooks, WorkerInfo } from '../hooks/server-hooks.js';
import { callHook, runHook } from '../hooks/run-hook.js';

/**
 * The server hooks that run in a worker process. Functions cannot travel in the boot message, so a
 * worker imports the same config file the arbiter read (its top-level code runs again here).
 */
export class WorkerHooks {
  /** The arbiter as a worker knows it: its pid and settings; its live state stays in its process. */
  private readonly arbiter: ArbiterInfo;

  private constructor(
    readonly hooks: Hooks,
    private readonly log: Logger,
    readonly worker: WorkerInfo,
  ) {
    const { settings, generation } = worker;
    this.arbiter = { pid: process.ppid, settings, numWorkers: settings.workers, generation, workers: [] };
  }

  static async load(settings: Settings, log: Logger, worker: WorkerInfo): Promise<WorkerHooks> {
    const hooks = settings.config === null ? {} : (await loadConfigFile(settings.config)).hooks;
    return new WorkerHooks(hooks, log, worker);
  }

  /** None set: nothing to load. */
  static none(log: Logger, worker: WorkerInfo): WorkerHooks {
    return new WorkerHooks({}, log, worker);
  }

  postFork(): Promise<void> {
    return runHook(this.log, this.hooks, 'postFork', [this.arbiter, this.worker], this.bound);
  }

  /** Throws what the hook throws: a failed post_worker_init is a failed boot. */
  postWorkerInit(): Promise<void> {
    return callHook(this.hooks, 'postWorkerInit', [this.worker]);
  }

  workerInt(): Promise<void> {
    return runHook(this.log, this.hooks, 'workerInt', [this.worker], this.bound);
  }

  workerAbort(): Promise<void> {
    return runHook(this.log, this.hooks, 'workerAbort', [this.worker], this.bound);
  }

  workerExit(): Promise<void> {
    return runHook(this.log, this.hooks, 'workerExit', [this.arbiter, this.worker], this.bound);
  }

  /** A hook in a worker may take as long as a silent worker may: `timeout` (no bound when 0). */
  private get bound(): number {
    return this.worker.settings.timeout;
  }
}
