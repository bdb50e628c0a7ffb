/**
 * `@gu/core/app-loader`: the app loader for code that runs outside a worker process's main thread,
 * where no WorkerContext exists — a worker class's pool threads load the app through it, with the
 * same `module:export` and `module:factory(args)` forms, resolution from `chdir`, @gu/adapters when
 * installed, and one-line messages as `ctx.loadAdaptedApp()` and `ctx.loadRequestListener()`. Failures throw an AppLoadError (`code` GU_ERR_APP_LOAD);
 * send back its `code` and `message` across a thread boundary, where a clone loses its class.
 */
import { adaptApp } from './adapt-app.js';
import { loadApp, toRequestListener } from './load-app.js';
import type { AdaptersLog } from './resolve-adapters.js';
import type { AdaptedApp, RequestListener } from './types.js';

export type { AdaptedApp } from './types.js';
export type { AdaptersLog } from './resolve-adapters.js';

export { loadApp } from './load-app.js';
export { namesFetchFunction } from './fetch-spec.js';

/** Loads the app `spec` names, resolved from `cwd`, as a Node request listener. */
export async function loadRequestListener(spec: string, cwd: string): Promise<RequestListener> {
  return toRequestListener(await loadApp(spec, cwd), spec, cwd);
}

/**
 * Loads the app `spec` names, resolved from `cwd`, as a worker class serves it (see AdaptedApp):
 * through @gu/adapters when installed. `log` gets what the app reports outside a request (Koa's
 * error events, Express errors it did not handle); await `ready()` before serving.
 */
export async function loadAdaptedApp(spec: string, cwd: string, log: AdaptersLog): Promise<AdaptedApp> {
  return adaptApp(await loadApp(spec, cwd), spec, cwd, log);
}
