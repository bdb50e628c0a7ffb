import type { ServerResponse } from 'node:http';
import { LightResponse, type PlainHeaders, type ResponseParts } from './light-response.js';

type Reader = ReadableStreamDefaultReader<Uint8Array>;
type Read = Awaited<ReturnType<Reader['read']>>;

/** Statuses whose response has no body, so no Content-Length either. */
const bodyless = (status: number): boolean => status < 200 || status === 204 || status === 304;

const contentTypeBit = 1;
const contentLengthBit = 2;
const transferEncodingBit = 4;

/** Which of the three fields the adapter minds `name` is, as a bit; only names of their lengths are lower-cased. */
function headerBits(name: string): number {
  switch (name.length) {
    case 12:
      return name.toLowerCase() === 'content-type' ? contentTypeBit : 0;
    case 14:
      return name.toLowerCase() === 'content-length' ? contentLengthBit : 0;
    case 17:
      return name.toLowerCase() === 'transfer-encoding' ? transferEncodingBit : 0;
    default:
      return 0;
  }
}

/**
 * The response head as node's writeHead takes it, a flat [name, value, …] list: Headers' iterator
 * yields each Set-Cookie apart (never comma-joined); a plain record is read as it is. Transfer-Encoding
 * is left to node, which frames the body itself; `length` becomes Content-Length and `contentType`
 * Content-Type unless the app set them.
 */
function rawHeaders(headers: Headers | PlainHeaders | undefined, length: number | undefined, contentType?: string): string[] {
  const raw: string[] = [];
  let seen = 0;
  const add = (name: string, value: string): void => {
    const bits = headerBits(name);
    if (bits === transferEncodingBit) return;
    seen |= bits;
    raw.push(name, value);
  };
  if (headers instanceof Headers) for (const [name, value] of headers) add(name, value);
  else if (headers !== undefined) for (const name in headers) add(name, headers[name] as string);
  if (contentType !== undefined && (seen & contentTypeBit) === 0) raw.push('content-type', contentType);
  if (length !== undefined && (seen & contentLengthBit) === 0) raw.push('content-length', String(length));
  return raw;
}

/** A LightResponse's string or bytes, sent in one write with the head: no Response, no stream, synchronously. */
export function sendParts(res: ServerResponse, { status, headers, body }: ResponseParts): void {
  if (body === null) {
    res.writeHead(status, rawHeaders(headers, undefined));
    res.end();
  } else if (typeof body === 'string') {
    res.writeHead(status, rawHeaders(headers, Buffer.byteLength(body), 'text/plain;charset=UTF-8'));
    res.end(body);
  } else {
    res.writeHead(status, rawHeaders(headers, body.byteLength));
    res.end(body);
  }
}

function writeHead(res: ServerResponse, response: Response, length?: number): void {
  const length_ = length !== undefined && !bodyless(response.status) ? length : undefined;
  const head = rawHeaders(response.headers, length_);
  if (response.statusText === '') res.writeHead(response.status, head);
  else res.writeHead(response.status, response.statusText, head);
}

/** A read that has already settled, or undefined if it is still waiting (two microtasks: undici closes a string body in one). */
function settledRead(read: Promise<Read>): Promise<Read | undefined> {
  return Promise.race([read, Promise.resolve().then(() => undefined)]);
}

function joined(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] ?? new Uint8Array(0);
  return Buffer.concat(chunks);
}

/**
 * Writes the rest of the body as the app produces it, one chunk at a time, waiting for 'drain' when
 * node's buffer is full (back-pressure to the app). Resolves once ended, or once the client went
 * away (the body is cancelled then); rejects if the body errors.
 */
function pump(reader: Reader, res: ServerResponse, pending: Promise<Read>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) {
      reader.cancel().catch(() => undefined);
      resolve();
      return;
    }
    const onClose = (): void => {
      reader.cancel(new DOMException('The client disconnected', 'AbortError')).catch(() => undefined);
      resolve();
    };
    const fail = (error: unknown): void => {
      res.off('close', onClose);
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const next = (): void => {
      reader.read().then(step, fail);
    };
    const step = ({ done, value }: Read): void => {
      if (res.destroyed) return;
      if (done) {
        res.off('close', onClose);
        res.end();
        resolve();
      } else if (res.write(value)) next();
      else res.once('drain', next);
    };
    res.once('close', onClose);
    pending.then(step, fail);
  });
}

/**
 * Sends `response` on `res`. A body that is complete at once (a string, bytes: what undici's
 * stream yields within two microtasks) goes in one write with Content-Length; any other streams as
 * produced, the head flushed first so the client sees it before the first chunk. HEAD requests get
 * the head only (node drops body bytes; a stream is cancelled).
 */
export async function sendResponse(res: ServerResponse, response: Response, isHead: boolean): Promise<void> {
  const parts = LightResponse.isLight(response) ? LightResponse.parts(response) : undefined;
  if (parts !== undefined) {
    sendParts(res, parts);
    return;
  }
  const body = response.body;
  if (body === null) {
    writeHead(res, response);
    res.end();
    return;
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let pending = reader.read();
  for (let reads = 0; reads < 2; reads++) {
    const read = await settledRead(pending);
    if (read === undefined) break;
    if (read.done) {
      const whole = joined(chunks);
      writeHead(res, response, whole.byteLength);
      res.end(whole);
      return;
    }
    chunks.push(read.value);
    pending = reader.read();
  }
  writeHead(res, response);
  if (isHead) {
    await reader.cancel();
    res.end();
    return;
  }
  if (chunks.length === 0) res.flushHeaders();
  for (const chunk of chunks) res.write(chunk);
  await pump(reader, res, pending);
}
