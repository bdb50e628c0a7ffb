import type { AdaptedApp, AdaptOptions } from '../types.js';
import { ExecutionContext } from './execution-context.js';
import { fetchAppOf, isFetchApp } from './fetch-app.js';
import { installLightResponse } from './global-response.js';
import { fetchListener } from './listener.js';

export type { FetchApp, FetchEnv, FetchExecutionContext, FetchHandler, FetchSocketAddress } from './fetch-app.js';
export { isFetchApp };

export interface FetchAdaptOptions extends AdaptOptions {
  /**
   * Make the process's global Response a lightweight one (default true), as @hono/node-server does:
   * a string or bytes answer is then sent without building Fetch's Response and its body stream.
   * `false` leaves the global alone (each answer then costs a real Response and a stream read).
   */
  readonly lightResponse?: boolean;
}

const websocketNote =
  'has a websocket handler: WebSocket routes of fetch-style apps are served by -k asgi (npm install @gu/asgi-bridge); under this worker class an upgrade request reaches fetch as a plain request';

/**
 * A fetch-style app (`{ fetch(request, env, ctx) }`, a Hono app, or a module whose default export is
 * one) as a node request listener for gu's async, sync and threads worker classes. `fetch` gets a
 * Request, an env with `incoming`/`outgoing` (node's req and res, as @hono/node-server binds them)
 * and Bun's `requestIP()`, and an execution context whose `waitUntil` work `close()` waits for.
 */
export function adaptFetchApp(value: unknown, options: FetchAdaptOptions = {}): AdaptedApp {
  const app = fetchAppOf(value);
  if (app === undefined) throw new TypeError(`${options.spec ?? 'the app'} is not a fetch-style app: expected an object with a fetch(request) method, e.g. export default { fetch: (request) => new Response('hello') }`);
  if (app.websocket !== undefined) options.log?.warning(`${options.spec ?? 'the app'} ${websocketNote}`);
  if (options.lightResponse !== false) installLightResponse();
  const ctx = new ExecutionContext(options.log);
  return {
    framework: 'fetch',
    // The promise it returns settles when the response is sent: every gu worker class awaits a listener's
    // promise and answers its rejection (see failure.ts).
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the promise is for gu, which awaits it
    listener: fetchListener(app, { spec: options.spec, log: options.log, ctx }),
    close: () => ctx.settled(),
  };
}
