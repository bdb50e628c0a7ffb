import type { ServerResponse } from 'node:http';
import { closeAfterResponse } from './close-after.js';

const BODY = 'Internal Server Error\n';
const HEAD = ['Content-Type', 'text/plain; charset=utf-8', 'Content-Length', String(Buffer.byteLength(BODY))];

/**
 * How a response the app got wrong ends, as core answers a failing handler: a 500 with
 * `Connection: close` while nothing of the app's response was written (how much of the request body
 * was read is unknown, so the connection cannot carry another request); once its head is written,
 * the connection is cut, so that the client cannot take a truncated body for a whole one.
 */
export function abortResponse(res: ServerResponse): void {
  if (res.headersSent) {
    if (!res.destroyed) res.destroy();
    return;
  }
  closeAfterResponse(res);
  // A head node refused (an invalid header) may have left its status message behind.
  res.writeHead(500, 'Internal Server Error', HEAD);
  res.end(BODY);
}
