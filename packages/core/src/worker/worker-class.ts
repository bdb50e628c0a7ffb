import type { Settings } from '../settings/types.js';
import type { Logger } from '../logging/logger.js';
import type { AdaptedApp, RequestListener } from '../app/types.js';
import type { HttpFront, HttpFrontOptions } from '../http/http-front.js';
import type { WorkerListener } from './listener-source.js';

/**
 * The contract between gu and a worker class — the counterpart of Gunicorn's `workers/base.py`.
 *
 * A worker class is a module (an `@gu/*` alias, a package name or a file path given to `-k`) whose
 * default export implements `WorkerClass`. It decides only how requests reach the application:
 * sockets, settings, logging, heartbeat, graceful stop and everything HTTP that all classes share
 * (limits, keep-alive, access log) are provided by core through the {@link WorkerContext}.
 *
 * Where each part runs:
 *
 * - **In the arbiter, before any socket is bound or any worker forked:** the module is imported once
 *   and `checkConfig(settings)` is called, if present. It may throw an `InvalidSettingError` to refuse
 *   the settings; gu then exits 2 with that message. It must not start servers or timers.
 * - **In each worker process:** the module is imported again and `run(ctx)` is called once. `run` loads
 *   the app (`ctx.loadRequestListener()` or `ctx.loadApp()`), starts serving on `ctx.listeners`, calls
 *   `ctx.ready()` once it accepts requests, and resolves when the worker has finished: after
 *   `ctx.stopSignal` aborted and in-flight requests completed (or `gracefulTimeout` passed). The
 *   process exits 0 when `run` resolves.
 *
 * Failures: an error whose `code` is `GU_ERR_APP_LOAD` (an `AppLoadError` from the app loader, or its
 * structured clone from a worker thread: it is recognised by its code, not by `instanceof`) makes the
 * worker exit 4; any other rejection
 * before `ctx.ready()` is a boot failure (exit 3). On either, the arbiter stops every worker and exits
 * with the same code instead of respawning. A rejection after `ready()` is logged and the worker exits
 * 1; the arbiter replaces it. A request handler given to the HTTP front that throws, or returns a
 * promise that rejects, costs that request only: the front logs it and answers 500. An exception
 * nothing catches (or an unhandled rejection) ends the worker: before `ready()` as a boot failure;
 * after it, the worker stops accepting, finishes its other requests and exits 1.
 *
 * The heartbeat: core calls `ctx.notify()` on a timer every `timeout / 4` seconds (at most every
 * second) for as long as the worker's event loop runs, writing the monotonic clock. A ready worker
 * whose loop is blocked for `timeout` seconds stops beating and the arbiter kills it (SIGKILL: a
 * blocked loop runs no signal handler). Before `ctx.ready()`, `boot_timeout` applies instead (a slow
 * app load is no hang); a worker that dies before `ready()` in any way is a failed boot.
 * With `dump_stack_on_timeout`, a watchdog thread logs the main thread's JavaScript stack shortly
 * before that kill (it watches the same beats, only once the worker is ready).
 *
 * Owning the heartbeat (as Gunicorn's `notify`: "Your worker subclass must arrange to have this
 * method called once every `timeout` seconds; if it fails to, it will be killed"): a class that runs
 * the app off the main loop, in worker threads, can be stuck while its main loop runs freely, and the
 * core timer would go on beating for it. Such a class sets `ownsHeartbeat: true`; from `ctx.ready()`
 * on, core's timer stops beating for it and the class must call `ctx.notify()` at least once every
 * `timeout` seconds for as long as it is healthy, by its own definition (e.g. its threads answer).
 * Not calling it is how it asks to be killed and replaced; with `timeout = 0` nothing is killed.
 */
export interface WorkerClass {
  /** Short name shown in logs, e.g. `async`. */
  readonly name: string;
  /** Arbiter-side validation of settings this class cares about; throw InvalidSettingError to refuse. */
  checkConfig?(settings: Readonly<Settings>): void;
  /**
   * True: after `ctx.ready()` the class alone calls `ctx.notify()` (see "Owning the heartbeat" above);
   * core's timer then beats for it no more. Absent or false: core beats while the event loop runs.
   */
  readonly ownsHeartbeat?: boolean;
  /** Worker-side: serve until `ctx.stopSignal` aborts, then finish in-flight work and resolve. */
  run(ctx: WorkerContext): Promise<void>;
}

/** Why a worker is asked to stop: `graceful` (TERM, reload, max_requests) or `quick` (INT, QUIT). */
export type StopMode = 'graceful' | 'quick';

/**
 * What a stop is for, so a class can tell its clients (a WebSocket close code: 1001 "going away"
 * for `shutdown`, 1012 "service restart" for the others):
 * - `shutdown`: the server is stopping (TERM or INT to the arbiter, fewer workers after TTOU, a
 *   TERM sent to the worker itself, or the arbiter gone);
 * - `reload`: a HUP (or `--reload`) replaces this worker by one of a new generation;
 * - `recycle`: this worker is replaced by a fresh one of the same generation (`max_requests`,
 *   `max_worker_memory`, or a crash it survived).
 */
export type StopCause = 'shutdown' | 'reload' | 'recycle';

/** What core gives a worker class inside a worker process. */
export interface WorkerContext {
  readonly settings: Readonly<Settings>;
  readonly log: Logger;
  /** Process id of this worker, and its age: the n-th worker spawned by this arbiter. */
  readonly pid: number;
  readonly age: number;
  /** The arbiter's listening sockets, in `bind` order. */
  readonly listeners: readonly WorkerListener[];
  /** Aborts when the worker must stop; `stopSignal.reason` is the {@link StopMode}. */
  readonly stopSignal: AbortSignal;
  /**
   * Why the worker stops ({@link StopCause}), set when `stopSignal` aborts; null before. The HTTP
   * front passes it to `HttpFrontOptions.onDrain`.
   */
  readonly stopCause: StopCause | null;
  /** Loads the application named by `settings.app` (throws AppLoadError). */
  loadApp(): Promise<unknown>;
  /**
   * Loads the application and turns it into a Node request listener (throws AppLoadError). Without
   * the lifecycle: for Fastify, NestJS and fetch-style apps use `loadAdaptedApp()`.
   */
  loadRequestListener(): Promise<RequestListener>;
  /**
   * Loads the application as it is served, with its lifecycle ({@link AdaptedApp}): through
   * @gu/adapters when it is installed (resolved from `chdir`, then beside gu), which detects the
   * framework; without it, a function or an object's `callback()` as the listener. Throws
   * AppLoadError (exit 4) for anything it cannot serve, with one line saying what was found.
   */
  loadAdaptedApp(): Promise<AdaptedApp>;
  /** Core's HTTP front for `handler` on every listener: limits, keep-alive, access log, graceful stop. */
  createHttpFront(handler: RequestListener, options?: HttpFrontOptions): HttpFront;
  /**
   * Heartbeat: proves to the arbiter that this worker is alive. Cheap; call as often as you like.
   * Core calls it on a timer unless the class `ownsHeartbeat`.
   */
  notify(): void;
  /** Tells the arbiter this worker accepts requests. Call once, after the listeners are open. */
  ready(): void;
  /**
   * Counts one handled request for `max_requests`. When the limit is reached the worker stops
   * gracefully (stopSignal aborts with `graceful`) and the arbiter starts a replacement.
   * The HTTP front calls this itself for every request it serves.
   */
  countRequest(): void;
}

/** The shape a worker-class module must have. */
export interface WorkerClassModule {
  default: WorkerClass;
}

export function isWorkerClass(value: unknown): value is WorkerClass {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<WorkerClass>;
  return typeof candidate.name === 'string' && typeof candidate.run === 'function';
}
