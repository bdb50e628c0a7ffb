import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestListener } from '../app/types.js';
import type { Logger } from '../logging/logger.js';
import { closeAfterResponse } from './node-http-internals.js';

const BODY = 'Internal Server Error\n';

/** A RequestListener as apps write it: an async one (or one that returns a promise) is common. */
type MaybeAsyncListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Wraps a request handler so that its failure costs one request, not the worker: a synchronous
 * throw, or a rejection of the promise it returns (an async handler), is logged and answered 500.
 * The hot path pays a try/catch and a type check; `.catch` is attached only to a returned thenable.
 */
export function guardHandler(handler: MaybeAsyncListener, log: Logger): RequestListener {
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    answerHandlerFailure(req, res, error, log);
  };
  return (req, res) => {
    try {
      const result = handler(req, res);
      if (isThenable(result)) result.then(undefined, (error: unknown) => { fail(req, res, error); });
    } catch (error) {
      fail(req, res, error);
    }
  };
}

/**
 * Gunicorn's "Error handling request", then: a plain-text 500 with `Connection: close` (how much of
 * the request body was read is unknown, so the connection cannot carry another request); if the
 * response had already started, the connection is cut, so the client cannot take a truncated body
 * for a whole one. A response the handler finished before it failed is left as it is.
 */
export function answerHandlerFailure(req: IncomingMessage, res: ServerResponse, error: unknown, log: Logger): void {
  log.exception(`Error handling request ${req.method ?? '-'} ${req.url ?? '-'} HTTP/${req.httpVersion}`, error);
  if (res.headersSent) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  closeAfterResponse(res);
  res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(BODY) });
  res.end(BODY);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
