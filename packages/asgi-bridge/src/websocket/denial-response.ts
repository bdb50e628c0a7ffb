import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Header } from '../types.js';
import { AsgiProtocolError } from '../asgi-errors.js';

/** Headers the server owns on a denial: the connection closes after it, and the body is not chunked. */
const SERVER_OWNED = new Set(['connection', 'transfer-encoding']);

/** A response head the app gave, checked: a bad status or header is the app's bug. */
export interface DenialHead {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
}

/** Header byte pairs as latin1 text pairs, each name and value checked as node:http checks them. */
export function headerLines(headers: Iterable<Header> | undefined, what: string): [string, string][] {
  const lines: [string, string][] = [];
  // Typed as the contract says, but a JavaScript app may pass anything: each pair is checked.
  for (const header of (headers ?? []) as Iterable<unknown>) {
    if (!Array.isArray(header) || header.length !== 2) throw new AsgiProtocolError(`${what}: each header must be a [name, value] pair of bytes`);
    const name = textOf(header[0], what);
    const value = textOf(header[1], what);
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (error) {
      throw new AsgiProtocolError(`${what}: invalid header ${JSON.stringify(name)}: ${(error as Error).message}`);
    }
    lines.push([name, value]);
  }
  return lines;
}

function textOf(part: unknown, what: string): string {
  if (part instanceof Uint8Array) return Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('latin1');
  throw new AsgiProtocolError(`${what}: header names and values must be bytes (Uint8Array), got ${typeof part}`);
}

export function denialHead(status: unknown, headers: Iterable<Header> | undefined): DenialHead {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new AsgiProtocolError(`websocket.http.response.start: status must be an integer from 200 to 599, got ${String(status)}`);
  }
  const lines = headerLines(headers, 'websocket.http.response.start');
  return { status, headers: lines.filter(([name]) => !SERVER_OWNED.has(name.toLowerCase())) };
}

/**
 * Writes a refusal of the upgrade on the raw socket, as node:http would a response, with
 * `Connection: close`. `length` is the body's whole length when known (a `Content-Length` is then
 * added unless the app gave one); otherwise the body ends when the connection closes.
 */
export function writeDenialHead(socket: Duplex, head: DenialHead, length: number | null): void {
  const lines = [`HTTP/1.1 ${head.status} ${STATUS_CODES[head.status] ?? 'Unknown'}`];
  for (const [name, value] of head.headers) lines.push(`${name}: ${value}`);
  const hasLength = head.headers.some(([name]) => name.toLowerCase() === 'content-length');
  if (length !== null && !hasLength) lines.push(`Content-Length: ${length}`);
  lines.push('Connection: close', '', '');
  socket.write(lines.join('\r\n'), 'latin1');
}

/** Ends the refusal; the connection is gone once the client has it all. */
export function endDenial(socket: Duplex, body?: Uint8Array): void {
  const close = (): void => {
    socket.destroy();
  };
  if (body && body.byteLength > 0) socket.end(body, close);
  else socket.end(close);
}

/** The server's own refusals: 403 for a close before accept, 500 for the app's failure. */
export function writePlainDenial(socket: Duplex, status: number): void {
  const body = Buffer.from(`${STATUS_CODES[status] ?? 'Error'}\n`);
  writeDenialHead(socket, { status, headers: [['Content-Type', 'text/plain; charset=utf-8']] }, body.byteLength);
  endDenial(socket, body);
}
