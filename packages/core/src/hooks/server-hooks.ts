import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Settings } from '../settings/types.js';

/** The arbiter as hooks see it (Gunicorn passes its Arbiter object). */
export interface ArbiterInfo {
  readonly pid: number;
  readonly settings: Readonly<Settings>;
  /** The number of workers the arbiter keeps (after TTIN/TTOU, WINCH, a reload). */
  readonly numWorkers: number;
  /** The reload generation: 1 at start, +1 per HUP. */
  readonly generation: number;
  /** The live workers, oldest first. */
  readonly workers: readonly WorkerInfo[];
}

/** A worker as hooks see it (Gunicorn passes its Worker object). */
export interface WorkerInfo {
  readonly pid: number;
  /** The n-th worker this arbiter started. */
  readonly age: number;
  readonly generation: number;
  readonly settings: Readonly<Settings>;
}

/** A hook may be async; gu waits for it (in the arbiter, for at most `timeout` seconds). */
type HookResult = void | Promise<void>;

/**
 * Gunicorn's server hooks, camelCased, set as top-level functions in the config file. Each runs in
 * the process Gunicorn runs it in; see `hookSpecs` for when.
 */
export interface ServerHooks {
  onStarting(arbiter: ArbiterInfo): HookResult;
  onReload(arbiter: ArbiterInfo): HookResult;
  whenReady(arbiter: ArbiterInfo): HookResult;
  preFork(arbiter: ArbiterInfo, worker: WorkerInfo): HookResult;
  postFork(arbiter: ArbiterInfo, worker: WorkerInfo): HookResult;
  postWorkerInit(worker: WorkerInfo): HookResult;
  workerInt(worker: WorkerInfo): HookResult;
  workerAbort(worker: WorkerInfo): HookResult;
  preExec(arbiter: ArbiterInfo): HookResult;
  preRequest(worker: WorkerInfo, req: IncomingMessage): HookResult;
  postRequest(worker: WorkerInfo, req: IncomingMessage, res: ServerResponse): HookResult;
  childExit(arbiter: ArbiterInfo, worker: WorkerInfo): HookResult;
  workerExit(arbiter: ArbiterInfo, worker: WorkerInfo): HookResult;
  nworkersChanged(arbiter: ArbiterInfo, newValue: number, oldValue: number | null): HookResult;
  onExit(arbiter: ArbiterInfo): HookResult;
}

export type HookName = keyof ServerHooks;
export type Hooks = Partial<ServerHooks>;

interface HookSpec {
  /** Gunicorn's name, as `--print-config` and the docs show it. */
  readonly name: string;
  readonly runsIn: 'arbiter' | 'worker';
  readonly when: string;
}

/** Every hook, in Gunicorn's order: where it runs and when. Drives the config file, print and docs. */
export const hookSpecs: { readonly [K in HookName]: HookSpec } = {
  onStarting: { name: 'on_starting', runsIn: 'arbiter', when: 'just before the arbiter binds its sockets' },
  onReload: { name: 'on_reload', runsIn: 'arbiter', when: 'on HUP, once the new settings are read, before the new workers start' },
  whenReady: { name: 'when_ready', runsIn: 'arbiter', when: 'once the sockets are bound, before the first workers start' },
  preFork: { name: 'pre_fork', runsIn: 'arbiter', when: 'just before a worker is started' },
  postFork: { name: 'post_fork', runsIn: 'worker', when: 'first thing in a new worker, before its worker class and app load' },
  postWorkerInit: { name: 'post_worker_init', runsIn: 'worker', when: 'once the app is loaded, before the worker reports ready; a throw is a failed boot' },
  workerInt: { name: 'worker_int', runsIn: 'worker', when: 'when the worker gets INT or QUIT' },
  workerAbort: { name: 'worker_abort', runsIn: 'worker', when: 'when the worker gets SIGABRT, which the arbiter sends on a WORKER TIMEOUT just before SIGKILL; a worker whose event loop is blocked cannot run it' },
  preExec: { name: 'pre_exec', runsIn: 'arbiter', when: 'on USR2, just before the new arbiter is started' },
  preRequest: { name: 'pre_request', runsIn: 'worker', when: 'before each request reaches the app (any worker class)' },
  postRequest: { name: 'post_request', runsIn: 'worker', when: 'after each response has been sent (any worker class)' },
  childExit: { name: 'child_exit', runsIn: 'arbiter', when: 'after a worker has exited' },
  workerExit: { name: 'worker_exit', runsIn: 'worker', when: 'in the worker, just before it exits' },
  nworkersChanged: { name: 'nworkers_changed', runsIn: 'arbiter', when: 'when the number of workers changes (TTIN, TTOU, WINCH, reload); oldValue is null the first time' },
  onExit: { name: 'on_exit', runsIn: 'arbiter', when: 'just before the arbiter exits' },
};

export const hookNames = Object.keys(hookSpecs) as HookName[];

export function isHookName(key: string): key is HookName {
  return Object.hasOwn(hookSpecs, key);
}
