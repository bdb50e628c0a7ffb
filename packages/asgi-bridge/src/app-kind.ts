import { AppLoadError } from '@gu/core';
import { fetchToAsgi } from './fetch/fetch-app.js';
import type { AsgiApp, FetchApp } from './types.js';

function isFetchApp(value: unknown): value is FetchApp {
  return typeof value === 'object' && value !== null && typeof (value as { fetch?: unknown }).fetch === 'function';
}

/**
 * What the app spec named, as an ASGI app: an `(scope, receive, send)` function as it is, a
 * fetch-style object (`{ fetch }`, a Hono app) through the fetch bridge; anything else is refused
 * at load, naming what was found and what is accepted.
 */
export function toAsgiApp(loaded: unknown, spec: string): AsgiApp {
  if (isFetchApp(loaded)) return fetchToAsgi(loaded);
  if (typeof loaded === 'function') return loaded as AsgiApp;
  const found = loaded === null ? 'null' : typeof loaded;
  throw new AppLoadError(
    `${spec}: the asgi worker class needs an ASGI app (an async function (scope, receive, send)) or a fetch-style app (an object with fetch(request)); found ${found}`,
  );
}
