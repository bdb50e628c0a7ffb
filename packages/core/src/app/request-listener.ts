import { appLoadFailure } from './app-load-failure.js';
import { describeFoundValue } from './describe-value.js';
import type { RequestListener } from './types.js';

interface CallbackApp {
  callback(): unknown;
}

function hasCallback(app: unknown): app is CallbackApp {
  return typeof app === 'object' && app !== null && typeof (app as Partial<CallbackApp>).callback === 'function';
}

function notAListener(spec: string, found: string): Error {
  return appLoadFailure(spec, `it is not a request listener (a function (req, res)), it is ${found}`);
}

/**
 * The request listener of a loaded app: a function is one (Express apps are); an object with a
 * `callback()` method (Koa) gives one. Other shapes (Fastify, fetch-style) are @gu/adapters' work.
 * Throws AppLoadError naming the spec and what was found.
 */
export function toRequestListener(app: unknown, spec: string): RequestListener {
  if (typeof app === 'function') return app as RequestListener;
  if (!hasCallback(app)) throw notAListener(spec, describeFoundValue(app));
  const listener = app.callback();
  if (typeof listener !== 'function') throw notAListener(spec, `an object whose callback() returned ${describeFoundValue(listener)}`);
  return listener as RequestListener;
}
