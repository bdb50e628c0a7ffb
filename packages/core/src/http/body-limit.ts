import type { IncomingMessage, ServerResponse } from 'node:http';
import { rejectRequest } from './reject-request.js';

type Push = IncomingMessage['push'];

/**
 * Counts a body's bytes as they arrive. node:http hands each decoded body chunk of a request to
 * `IncomingMessage#push` (its parser's onBody; pinned in test/http/body-limit.test.ts), so counting
 * there sees every byte before the app can read it, without putting the stream into flowing mode
 * as a 'data' listener would. Once past `limit`, nothing more is pushed and `onOverflow` runs once.
 */
function countPushedBytes(req: IncomingMessage, limit: number, onOverflow: () => void): void {
  const push: Push = req.push.bind(req);
  let received = 0;
  req.push = ((chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk === null) return received > limit ? false : push(chunk, encoding);
    if (received > limit) return false;
    received += (chunk as Uint8Array).byteLength;
    if (received <= limit) return push(chunk, encoding);
    onOverflow();
    return false;
  }) as Push;
}

/**
 * A chunked body past the limit: the client gets 413 if the app has not answered yet, and the
 * connection closes once that is sent (the rest of the body cannot be skipped cheaply); if the app
 * had started its response, the connection is cut so no truncated request looks whole. The app's
 * request then ends with 'aborted', as when a client goes away.
 */
function cutOversizedBody(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.once('finish', () => req.destroy());
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
