import { AsgiProtocolError } from '../asgi-errors.js';
import { closeAfterResponse } from './close-after.js';
import type { HttpExchange } from './exchange.js';
import { latin1 } from './response-headers.js';

/**
 * First bytes up to this size go out in the same write as the head. node:http sends a Buffer after
 * its head as a second chunk (a writev and its bookkeeping: about 10 µs a response on hello world,
 * a quarter of the whole), but joins a latin1 string to the head; copying a small body into such a
 * string costs far less.
 */
const JOINED_WITH_HEAD = 16 * 1024;

/**
 * Adds `Content-Length: size` to the held head when the app gave none: a body sent in one message,
 * or a file, goes out with its length rather than chunked. A file's size is declared to HEAD too
 * (what GET would send); an empty body sent to HEAD says nothing of that.
 */
export function declareContentLength(exchange: HttpExchange, size: number, file: boolean): void {
  const fields = exchange.fields;
  if (fields === null || fields.contentLength >= 0) return;
  if (!(file ? exchange.statusHasBody() : exchange.bodyAllowed())) return;
  fields.flat.push('content-length', String(size));
  fields.contentLength = size;
}

/** Writes the head http.response.start described, held until now; node:http checks each header. */
export function writeHead(exchange: HttpExchange): void {
  const { res } = exchange;
  const fields = exchange.fields;
  if (fields === null) throw new Error('writeHead before http.response.start');
  if (fields.close) closeAfterResponse(res);
  try {
    res.writeHead(exchange.status, fields.flat);
  } catch (error) {
    throw new AsgiProtocolError(`ASGI app sent http.response.start with an invalid header: ${(error as Error).message}`);
  }
  exchange.phase = 'body';
}

/** `chunk` as it is best written: joined to the head when it is the first, small, write. */
function writable(exchange: HttpExchange, chunk: Uint8Array): Uint8Array | string {
  if (exchange.headFlushed) return chunk;
  exchange.headFlushed = true;
  return chunk.length > 0 && chunk.length <= JOINED_WITH_HEAD ? latin1(chunk) : chunk;
}

/** Writes body bytes; a promise while the connection has not taken them (back-pressure). */
export function writeChunk(exchange: HttpExchange, chunk: Uint8Array): Promise<void> | undefined {
  if (chunk.length === 0) {
    // An empty chunk still sends the head: a stream (server-sent events) starts being seen.
    if (!exchange.headFlushed) {
      exchange.headFlushed = true;
      exchange.res.flushHeaders();
    }
    return undefined;
  }
  return exchange.res.write(writable(exchange, chunk), 'latin1') ? undefined : exchange.drained();
}

/** The last body bytes: the response ends, or waits for its trailers. */
export function finishBody(exchange: HttpExchange, chunk: Uint8Array): Promise<void> | undefined {
  if (exchange.trailers) {
    exchange.phase = 'trailers';
    return writeChunk(exchange, chunk);
  }
  exchange.res.end(writable(exchange, chunk), 'latin1');
  exchange.complete();
  return undefined;
}
