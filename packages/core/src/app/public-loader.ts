/**
 * `@gu/core/app-loader`: the app loader for code that runs outside a worker process's main thread,
 * where no WorkerContext exists — a worker class's pool threads load the app through it, with the
 * same `module:export` and `module:factory(args)` forms, resolution from `chdir`, and one-line
 * messages as `ctx.loadRequestListener()`. Failures throw an AppLoadError (`code` GU_ERR_APP_LOAD);
 * send back its `code` and `message` across a thread boundary, where a clone loses its class.
 */
import { loadApp, toRequestListener } from './load-app.js';
import type { RequestListener } from './types.js';

export { loadApp } from './load-app.js';

/** Loads the app `spec` names, resolved from `cwd`, as a Node request listener. */
export async function loadRequestListener(spec: string, cwd: string): Promise<RequestListener> {
  return toRequestListener(await loadApp(spec, cwd), spec);
}
