import type { HttpScope, WebSocketScope } from '../types.js';
import { latin1 } from './latin1.js';
import { requestUrl } from './request-url.js';

/** Methods Fetch's Request refuses to represent (its "forbidden methods"). */
const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** Methods whose Request may not have a body. */
const bodylessMethods = new Set(['GET', 'HEAD']);

export function isRepresentableMethod(method: string): boolean {
  return !forbiddenMethods.has(method.toUpperCase());
}

export interface RequestHead {
  readonly headers: [string, string][];
  /** The client sends a body (Content-Length above 0, or Transfer-Encoding) and the method may have one. */
  readonly hasBody: boolean;
}

export function requestHead(scope: HttpScope | WebSocketScope): RequestHead {
  const headers: [string, string][] = [];
  let announcesBody = false;
  for (const [nameBytes, valueBytes] of scope.headers) {
    const name = latin1(nameBytes);
    const value = latin1(valueBytes);
    headers.push([name, value]);
    if (name === 'transfer-encoding' || (name === 'content-length' && value.trim() !== '0')) announcesBody = true;
  }
  const method = scope.type === 'http' ? scope.method.toUpperCase() : 'GET';
  return { headers, hasBody: announcesBody && !bodylessMethods.has(method) };
}

/**
 * The Fetch API Request for an http scope: `body` streams the request body (Fetch needs
 * `duplex: 'half'` for a stream), null when there is none; `signal` aborts when the client goes.
 */
export function httpRequest(scope: HttpScope, head: RequestHead, body: ReadableStream<Uint8Array> | null, signal: AbortSignal): Request {
  const init: RequestInit & { duplex?: 'half' } = { method: scope.method, headers: head.headers, signal };
  if (body !== null) {
    init.body = body;
    init.duplex = 'half';
  }
  return new Request(requestUrl(scope), init);
}

/** The handshake of a websocket scope as the GET Request it was. */
export function handshakeRequest(scope: WebSocketScope, signal: AbortSignal): Request {
  return new Request(requestUrl(scope), { method: 'GET', headers: requestHead(scope).headers, signal });
}
