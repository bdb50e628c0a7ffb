import { STATUS_CODES, type ServerResponse } from 'node:http';
import { lingerOnClose } from './linger-close.js';
import { closeAfterResponse } from './node-http-internals.js';

/**
 * Answers a request the front refuses (a limit, an untrusted scheme) itself, before the app runs:
 * a short plain-text body and `Connection: close`, since what is left of the request on the
 * connection (a body, or bytes past a limit) cannot be trusted to frame the next one. The
 * connection lingers so that a client still sending reads the answer instead of a reset.
 */
export function rejectRequest(res: ServerResponse, status: number): void {
  const body = `${STATUS_CODES[status] ?? 'Error'}\n`;
  closeAfterResponse(res);
  lingerOnClose(res.socket);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
