import { AsgiProtocolError } from '../asgi-errors.js';
import type { HttpExchange } from './exchange.js';

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
  if (fields.close) res.shouldKeepAlive = false;
  try {
    res.writeHead(exchange.status, fields.flat);
  } catch (error) {
    throw new AsgiProtocolError(`ASGI app sent http.response.start with an invalid header: ${(error as Error).message}`);
  }
  exchange.phase = 'body';
}

/** The last body bytes: the response ends, or waits for its trailers. */
export function finishBody(exchange: HttpExchange, chunk: Uint8Array): Promise<void> | undefined {
  const { res } = exchange;
  if (!exchange.trailers) {
    res.end(chunk);
    exchange.complete();
    return undefined;
  }
  exchange.phase = 'trailers';
  if (chunk.length === 0) return undefined;
  return res.write(chunk) ? undefined : exchange.drained();
}
