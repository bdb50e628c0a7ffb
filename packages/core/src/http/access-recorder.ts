import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AccessEntry } from '../logging/access-entry.js';

type Chunk = string | Uint8Array;

/** Counts the body bytes the app writes, as Gunicorn's `resp.sent` (no chunked framing, no headers). */
function countBodyBytes(res: ServerResponse): () => number {
  let sent = 0;
  const count = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk === 'string') sent += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) sent += chunk.byteLength;
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: Chunk, ...rest: unknown[]) => {
    count(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') count(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
  return () => sent;
}

/** Starts recording one request; the returned function builds its access-log entry once finished. */
export function recordAccess(req: IncomingMessage, res: ServerResponse): () => AccessEntry {
  const entry = recordRequest(req);
  const bodyBytes = countBodyBytes(res);
  return () => entry(res.statusCode, bodyBytes(), res.getHeaders());
}

/**
 * Starts recording a request answered without a ServerResponse (an upgrade): the returned function
 * builds its entry from the status the connection was answered with.
 */
export function recordRequest(req: IncomingMessage): (status: number, responseBytes: number, responseHeaders: OutgoingHttpHeaders) => AccessEntry {
  const startedAt = new Date();
  const start = process.hrtime.bigint();
  return (status, responseBytes, responseHeaders) => ({
    remoteAddress: req.socket.remoteAddress ?? '-',
    method: req.method ?? '-',
    url: req.url ?? '-',
    httpVersion: req.httpVersion,
    status,
    responseBytes,
    requestHeaders: req.headers,
    responseHeaders,
    startedAt,
    durationMicros: Number((process.hrtime.bigint() - start) / 1000n),
    pid: process.pid,
    // A TLSSocket says `encrypted`; a plain socket has no such field.
    scheme: 'encrypted' in req.socket ? 'https' : 'http',
  });
}
