import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdapterLog } from '../types.js';

const body = 'Internal Server Error\n';

/** What the listener does when the app fails a request: the promise it returns settles with it. */
export type FailRequest = (req: IncomingMessage, res: ServerResponse, error: unknown) => Promise<void>;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Before the head is sent, with a log (core's adapt() passes gu's): the error is logged as
 * Gunicorn's "Error handling request" and answered here, a plain 500 with `Connection: close` (how
 * much of the body was read is unknown). Otherwise the promise the listener returns rejects with
 * the error, and the worker class, which awaits every listener's promise, logs it and answers:
 * a 500, or once the head is out, a cut connection, so a truncated body is not taken for a whole
 * one. Only the worker class can cut it: under -k threads the response is the thread's stand-in,
 * with no socket to destroy.
 */
export function requestFailure(log: AdapterLog | undefined): FailRequest {
  return (req, res, error) => {
    if (log === undefined || res.headersSent) return Promise.reject(asError(error));
    log.exception(`Error handling request ${req.method ?? '-'} ${req.url ?? '-'}`, error);
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
    return Promise.resolve();
  };
}
