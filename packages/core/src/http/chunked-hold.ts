import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestListener } from '../app/types.js';
import { replaceBodyPush } from './node-http-internals.js';
import { rejectRequest } from './reject-request.js';
import { headFacts } from './request-checks.js';

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

/** Responses whose request is held: the app has not been handed it yet. */
const held = new WeakSet<ServerResponse>();

/** Whether `res`'s request is still held from the app (client-error.ts answers those lingering). */
export function isHeld(res: ServerResponse): boolean {
  return held.has(res);
}

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
  /** Ends the hold once, whatever ends it. */
  const settle = (): void => {
    released = true;
    held.delete(res);
    clearTimeout(timer);
    req.off('close', onClose);
  };
  const release = (): void => {
    if (released) return;
    settle();
    // The front has answered already (a body over limit_request_body got its 413 while held).
    if (!res.headersSent) handler(req, res);
  };
  const onClose = (): void => {
    settle();
    // What the access log records: the client got node's 400 for the broken body, or nothing.
    if (!res.headersSent) res.statusCode = 400;
  };
  held.add(res);
  const timer = setTimeout(release, CHUNKED_HOLD_MS);
  req.once('close', onClose);
  replaceBodyPush(req, (push) => ((chunk: unknown, encoding?: BufferEncoding) => {
    const more = push(chunk, encoding);
    if (released) return more;
    if (chunk === null && hasForbiddenTrailer(req.rawTrailers)) {
      settle();
      rejectRequest(res, 400);
    } else if (chunk === null || !more) {
      release();
    }
    return more;
  }) as Push);
}

/**
 * Holds chunked requests from `handler` until their body is complete (see hold); others pass at once.
 * Transfer-Encoding is found in `rawHeaders` (request-checks.ts's headFacts), not `headers`, which
 * node builds on first use: a cost every request would otherwise pay here.
 */
export function holdChunkedBodies(handler: RequestListener): RequestListener {
  return (req, res) => {
    if (req.complete || headFacts(req.rawHeaders).transferEncodings === 0) handler(req, res);
    else hold(req, res, handler);
  };
}
