import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestListener } from '../app/types.js';
import { replaceBodyPush } from './node-http-internals.js';
import { rejectRequest } from './reject-request.js';

type Push = IncomingMessage['push'];

/**
 * How long a chunked request is held from the app while its body arrives. node:http calls the
 * handler as soon as the head is parsed, so a chunked body that llhttp then rejects (a chunk size
 * `+5`, a missing final CRLF, a forbidden trailer) would reach the app before the error: the
 * request smuggling checks would come too late. Holding the request until its body is complete
 * finds those errors first. A body that is not complete within this time (a slow upload, a
 * long-lived chunked stream) is handed to the app as it stands, so streaming still works.
 */
export const CHUNKED_HOLD_MS = 250;

/**
 * Trailer fields that must never come after a body (RFC 9110 6.5.1: framing and routing), refused
 * as Gunicorn 26 refuses them. node:http would hand a `Host` trailer to the app in `rawTrailers`.
 */
const FORBIDDEN_TRAILERS = new Set(['host', 'content-length', 'transfer-encoding']);

function hasForbiddenTrailer(rawTrailers: readonly string[]): boolean {
  for (let i = 0; i < rawTrailers.length; i += 2) {
    if (FORBIDDEN_TRAILERS.has((rawTrailers[i] as string).toLowerCase())) return true;
  }
  return false;
}

/**
 * Holds one chunked request: node's parser hands each decoded chunk to `req.push` and ends the body
 * with `push(null)` once the trailers are in `rawTrailers` (node-http-internals.ts; pinned in
 * test/http/chunked-hold.test.ts).
 * Nothing reads the body while it is held, so every byte stays in the request's own buffer for the
 * app to read. The request is released to `handler` when its body is complete, when that buffer is
 * full (push answers false and node stops reading the socket: only the app can make room), or after
 * CHUNKED_HOLD_MS. A request whose connection fails first (a parse error, answered 400 by the
 * front's clientError listener) never reaches the app.
 */
function hold(req: IncomingMessage, res: ServerResponse, handler: RequestListener): void {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    req.off('close', onClose);
    // The front has answered already (a body over limit_request_body got its 413 while held).
    if (!res.headersSent) handler(req, res);
  };
  const onClose = (): void => {
    clearTimeout(timer);
    released = true;
    // What the access log records: the client got node's 400 for the broken body, or nothing.
    if (!res.headersSent) res.statusCode = 400;
  };
  const timer = setTimeout(release, CHUNKED_HOLD_MS);
  req.once('close', onClose);
  replaceBodyPush(req, (push) => ((chunk: unknown, encoding?: BufferEncoding) => {
    const more = push(chunk, encoding);
    if (released) return more;
    if (chunk === null) {
      if (hasForbiddenTrailer(req.rawTrailers)) {
        clearTimeout(timer);
        released = true;
        req.off('close', onClose);
        rejectRequest(res, 400);
        return more;
      }
      release();
    } else if (!more) {
      release();
    }
    return more;
  }) as Push);
}

/**
 * Whether the request has a Transfer-Encoding field, read from `rawHeaders`: `headers` is built by
 * node on first use, a cost every request would otherwise pay here.
 */
function hasTransferEncoding(rawHeaders: readonly string[]): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return true;
  }
  return false;
}

/** Holds chunked requests from `handler` until their body is complete (see hold); others pass at once. */
export function holdChunkedBodies(handler: RequestListener): RequestListener {
  return (req, res) => {
    if (req.complete || !hasTransferEncoding(req.rawHeaders)) handler(req, res);
    else hold(req, res, handler);
  };
}
