import type { Logger } from '../logging/logger.js';
import type { ArbiterInfo, HookName, Hooks, ServerHooks, WorkerInfo } from '../hooks/server-hooks.js';
import { runHook } from '../hooks/run-hook.js';
import type { WorkerProcess } from './worker-process.js';

type ArbiterHookName = Exclude<HookName, 'postFork' | 'postWorkerInit' | 'workerInt' | 'workerAbort' | 'preRequest' | 'postRequest' | 'workerExit'>;
type WithoutArbiter<A> = A extends [ArbiterInfo, ...infer Rest] ? Rest : never;

/** What the arbiter's hooks need to see of it, read at the moment each hook runs. */
export interface ArbiterView {
  readonly log: Logger;
  hooks(): Hooks;
  info(): ArbiterInfo;
}

/**
 * Runs the arbiter's server hooks with the arbiter as their first argument, each bounded by
 * `timeout` seconds (a hung hook must not stall the loop) and logged if it throws.
 */
export class ArbiterHooks {
  constructor(private readonly view: ArbiterView) {}

  run<K extends ArbiterHookName>(name: K, ...rest: WithoutArbiter<Parameters<ServerHooks[K]>>): Promise<void> {
    const info = this.view.info();
    const args = [info, ...rest] as unknown as Parameters<ServerHooks[K]>;
    return runHook(this.view.log, this.view.hooks(), name, args, info.settings.timeout);
  }
}

/** A worker as hooks see it; `pid` is 0 before the fork (pre_fork). */
export function workerInfo(worker: Pick<WorkerProcess, 'pid' | 'age' | 'generation' | 'settings'>): WorkerInfo {
  return { pid: worker.pid, age: worker.age, generation: worker.generation, settings: worker.settings };
}
