import { appLoadFailure } from './app-load-failure.js';
import { describeFoundValue } from './describe-value.js';
import { namesFetchFunction } from './fetch-spec.js';
import { installCommandFor } from '../modules/install-command.js';
import type { RequestListener } from './types.js';

interface CallbackApp {
  callback(): unknown;
}

function hasCallback(app: unknown): app is CallbackApp {
  return typeof app === 'object' && app !== null && typeof (app as Partial<CallbackApp>).callback === 'function';
}

function hasMethods(app: unknown, names: readonly string[]): boolean {
  if ((typeof app !== 'object' && typeof app !== 'function') || app === null) return false;
  return names.every((name) => typeof (app as Record<string, unknown>)[name] === 'function');
}

/** Apps @gu/adapters serves and core alone does not, recognised loosely, only to say what to install. */
const adaptersServe: readonly { readonly name: string; readonly matches: (app: unknown) => boolean }[] = [
  { name: 'a NestJS app', matches: (app) => hasMethods(app, ['getHttpAdapter', 'init']) },
  { name: 'a Fastify app', matches: (app) => hasMethods(app, ['routing', 'ready']) },
  { name: 'a fetch-style app ({ fetch(request) }, Hono)', matches: (app) => hasMethods(app, ['fetch']) },
];

function notAListener(app: unknown, spec: string, cwd: string, found: string): Error {
  const served = adaptersServe.find((entry) => entry.matches(app));
  const hint = served ? `; it looks like ${served.name}, which @gu/adapters serves: ${installCommandFor('@gu/adapters', cwd)}` : '';
  return appLoadFailure(spec, `it is not a request listener (a function (req, res)), it is ${found}${hint}`);
}

/**
 * The request listener of a loaded app, as core serves it without @gu/adapters: a function is one
 * (Express apps are); an object with a `callback()` method (Koa) gives one. Other shapes (Fastify,
 * fetch-style, NestJS) are @gu/adapters' work: the error says to install it when the app looks like
 * one of them (the install command for the project in `cwd`, or beside a global gu). Throws
 * AppLoadError naming the spec and what was found.
 */
export function toRequestListener(app: unknown, spec: string, cwd: string): RequestListener {
  if (typeof app === 'function' && namesFetchFunction(spec)) {
    throw appLoadFailure(spec, `it is a fetch function (request) => Response, which @gu/adapters serves: ${installCommandFor('@gu/adapters', cwd)}`);
  }
  if (typeof app === 'function') return app as RequestListener;
  if (!hasCallback(app)) throw notAListener(app, spec, cwd, describeFoundValue(app));
  const listener = app.callback();
  if (typeof listener !== 'function') throw notAListener(app, spec, cwd, `an object whose callback() returned ${describeFoundValue(listener)}`);
  return listener as RequestListener;
}
