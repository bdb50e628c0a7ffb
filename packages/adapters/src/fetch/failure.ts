import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdapterLog } from '../types.js';

const body = 'Internal Server Error\n';

/** What the listener does when the app fails a request: the promise it returns settles with it. */
export type FailRequest = (req: IncomingMessage, res: ServerResponse, error: unknown) => Promise<void>;

/**
 * With a log (core's adapt() passes gu's): the error is logged as Gunicorn's "Error handling
 * request" and answered here, a plain 500 with `Connection: close` (how much of the body was read
 * is unknown), or, once the response has started, a cut connection, so a truncated body is not
 * taken for a whole one. Without one (the listener wrapped by hand): the promise the listener
 * returns rejects with the error, and gu's front (every worker class guards its listener) logs it
 * and answers the same way.
 */
export function requestFailure(log: AdapterLog | undefined): FailRequest {
  if (log === undefined) return (_req, _res, error) => Promise.reject(error instanceof Error ? error : new Error(String(error)));
  return (req, res, error) => {
    log.exception(`Error handling request ${req.method ?? '-'} ${req.url ?? '-'}`, error);
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return Promise.resolve();
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
    return Promise.resolve();
  };
}
