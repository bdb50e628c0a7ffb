import { AppLoadError } from '@gu/core';
import { namesFetchFunction } from '@gu/core/app-loader';
import { describeValue } from './fetch/describe.js';
import { fetchToAsgi } from './fetch/fetch-app.js';
import type { AsgiApp, FetchApp } from './types.js';

/**
 * `{ fetch }` as an object: a Hono app (an instance whose `fetch` is an own arrow function, not
 * callable itself), `export default { fetch, websocket }` as Bun has it, an Elysia or itty app.
 */
function isFetchApp(value: unknown): value is FetchApp {
  return typeof value === 'object' && value !== null && typeof (value as { fetch?: unknown }).fetch === 'function';
}

const handlerNames = ['open', 'message', 'close'] as const;

/** A `websocket` beside `fetch` must be Bun's handler object; a typo there would fail every upgrade. */
function checkWebSocketHandler(app: FetchApp, spec: string): void {
  const handler: unknown = app.websocket;
  if (handler === undefined) return;
  const expected = 'an object with open(ws), message(ws, data) and close(ws, code, reason) methods, each optional';
  if (typeof handler !== 'object' || handler === null) {
    throw new AppLoadError(`${spec}: the app's websocket is ${describeValue(handler)}; expected ${expected}`);
  }
  for (const name of handlerNames) {
    const method: unknown = (handler as Record<string, unknown>)[name];
    if (method !== undefined && typeof method !== 'function') {
      throw new AppLoadError(`${spec}: the app's websocket.${name} is ${describeValue(method)}; expected ${expected}`);
    }
  }
}

/**
 * What the app spec named, as an ASGI app: an `(scope, receive, send)` function as it is, a
 * fetch-style object (`{ fetch }`, a Hono app) through the fetch bridge; anything else is refused
 * at load, naming what was found and what is accepted.
 */
export function toAsgiApp(loaded: unknown, spec: string): AsgiApp {
  if (isFetchApp(loaded)) {
    checkWebSocketHandler(loaded, spec);
    return fetchToAsgi(loaded);
  }
  // `gu app.js:default.fetch`: the fetch function itself, not an ASGI app (the last name says so).
  if (typeof loaded === 'function' && namesFetchFunction(spec)) return fetchToAsgi({ fetch: loaded as FetchApp['fetch'] });
  if (typeof loaded === 'function') return loaded as AsgiApp;
  throw new AppLoadError(
    `${spec}: the asgi worker class needs an ASGI app (an async function (scope, receive, send)) or a fetch-style app (an object with fetch(request)); found ${describeValue(loaded)}`,
  );
}
