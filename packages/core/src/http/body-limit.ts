import type { IncomingMessage, ServerResponse } from 'node:http';
import { replaceBodyPush } from './node-http-internals.js';
import { rejectRequest } from './reject-request.js';

/**
 * Counts a body's bytes as they arrive, where node:http hands them to the request (see
 * replaceBodyPush), before the app can read them. Once past `limit`, `onOverflow` runs once and the
 * rest is discarded (pushing nothing, but answering true so that node keeps reading rather than
 * leave it unread).
 */
function countPushedBytes(req: IncomingMessage, limit: number, onOverflow: () => void): void {
  let received = 0;
  replaceBodyPush(req, (push) => ((chunk: unknown, encoding?: BufferEncoding) => {
    if (received > limit) return true;
    if (chunk === null) return push(chunk, encoding);
    received += (chunk as Uint8Array).byteLength;
    if (received <= limit) return push(chunk, encoding);
    onOverflow();
    return true;
  }) as typeof push);
}

/**
 * A chunked body past the limit: the client gets 413 if the app has not answered yet, and the
 * connection closes once the client has read it (see linger-close.ts); if the app had started its
 * response, the connection is cut so no truncated request looks whole. Either way the app's request
 * ends with 'aborted' when the connection is gone, as when a client goes away.
 */
function cutOversizedBody(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  req.socket.once('close', () => req.destroy());
  rejectRequest(res, 413);
}

/**
 * `limit_request_body`: true when the request was answered 413 here, before the app, because its
 * Content-Length is over the limit. A body without one (chunked) is counted as it arrives instead.
 */
export function rejectLargeBody(req: IncomingMessage, res: ServerResponse, limit: number): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) {
    if (Number(length) <= limit) return false;
    rejectRequest(res, 413);
    return true;
  }
  if (req.headers['transfer-encoding'] !== undefined) countPushedBytes(req, limit, () => cutOversizedBody(req, res));
  return false;
}
