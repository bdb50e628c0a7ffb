import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdapterLog } from '../types.js';
import { describeValue } from './describe.js';
import { NodeEnv } from './env.js';
import type { ExecutionContext } from './execution-context.js';
import type { FetchApp } from './fetch-app.js';
import { requestFailure } from './failure.js';
import { LightRequest } from './light-request.js';
import { requestUrl } from './request-url.js';
import { LightResponse } from './light-response.js';
import { sendParts, sendResponse } from './send-response.js';

const NativeResponse = globalThis.Response;

function clientGone(): DOMException {
  return new DOMException('The client disconnected before the response was complete', 'AbortError');
}

function badRequest(res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end('Bad Request\n');
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export interface ListenerOptions {
  readonly spec?: string;
  readonly log?: AdapterLog;
  readonly ctx: ExecutionContext;
}

/**
 * The node listener of a fetch-style app: each request becomes a LightRequest, `fetch(request,
 * env, ctx)` answers it (env.ts), and the Response goes back on `res`. The request's
 * signal aborts when the client goes before the response is complete. Returns undefined when the
 * response was sent at once, else a promise that settles once it is sent (see failure.ts for how a
 * failure settles it).
 */
export function fetchListener(app: FetchApp, { spec, log, ctx }: ListenerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> | undefined {
  const fail = requestFailure(log);
  const notAResponse = (value: unknown): Error =>
    new TypeError(`the app's fetch()${spec === undefined ? '' : ` (${spec})`} returned ${describeValue(value)}; expected a Response, e.g. return new Response('hello')`);
  const send = (req: IncomingMessage, res: ServerResponse, value: unknown): Promise<void> => {
    if (!(value instanceof NativeResponse)) return fail(req, res, notAResponse(value));
    return sendResponse(res, value, req.method === 'HEAD').catch((error: unknown) => fail(req, res, error));
  };
  return (incoming, outgoing) => {
    let request: LightRequest;
    try {
      request = new LightRequest(incoming, requestUrl(incoming));
    } catch {
      badRequest(outgoing);
      return Promise.resolve();
    }
    let result: unknown;
    try {
      result = app.fetch(request as unknown as Request, new NodeEnv(incoming, outgoing), ctx);
      // The common case (Hono's c.text and c.json, answered at once): sent before fetch's turn ends.
      const parts = LightResponse.isLight(result) ? LightResponse.parts(result) : undefined;
      if (parts !== undefined) {
        sendParts(outgoing, parts);
        return undefined;
      }
    } catch (error) {
      return fail(incoming, outgoing, error);
    }
    // Anything else takes turns of the event loop, in which the client may go.
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) LightRequest.abort(request, clientGone());
    });
    if (!isThenable(result)) return send(incoming, outgoing, result);
    return Promise.resolve(result).then(
      (value) => send(incoming, outgoing, value),
      (error: unknown) => fail(incoming, outgoing, error),
    );
  };
}
