import { describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { onClientError } from '../../src/http/client-error.js';

/** A connection as node:http leaves it: what was written, whether destroyed, the response in flight. */
function connection(inFlight?: { writableFinished: boolean; _headerSent: boolean }) {
  const written: string[] = [];
  let destroyed = false;
  let ended = false;
  let onClose: () => void = () => undefined;
  const socket = {
    writable: true,
    _httpMessage: inFlight ?? null,
    write(data: string) {
      written.push(data);
      return true;
    },
    end(data: string) {
      written.push(data);
      ended = true;
    },
    destroy() {
      destroyed = true;
    },
    removeAllListeners: () => undefined,
    on: () => undefined,
    once: (_event: string, listener: () => void) => {
      onClose = listener;
    },
  };
  return { socket: socket as unknown as Duplex, written, destroyed: () => destroyed, ended: () => ended, close: () => onClose() };
}

function parseError(code: string): Error & { code: string } {
  return Object.assign(new Error(code), { code });
}

describe('onClientError', () => {
  it('lets the answer in flight finish when data follows a request that ends the connection', () => {
    const conn = connection({ writableFinished: false, _headerSent: false });
    onClientError(parseError('HPE_CLOSED_CONNECTION'), conn.socket);
    expect(conn.written).toEqual([]);
    expect(conn.destroyed()).toBe(false);
  });

  it.each([
    ['HPE_INVALID_METHOD', '400 Bad Request'],
    ['HPE_HEADER_OVERFLOW', '431 Request Header Fields Too Large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', '408 Request Timeout'],
    ['HPE_CLOSED_CONNECTION', '400 Bad Request'],
  ])('answers %s as node:http does when nothing is in flight, then half-closes', (code, status) => {
    const conn = connection();
    onClientError(parseError(code), conn.socket);
    expect(conn.written).toEqual([`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`]);
    // Not destroyed at once: a client still sending would get a reset that can discard the answer.
    expect(conn.ended()).toBe(true);
    expect(conn.destroyed()).toBe(false);
    conn.close();
  });

  it('answers a connection once, however many parse errors its remaining bytes raise', () => {
    const conn = connection();
    onClientError(parseError('HPE_INVALID_METHOD'), conn.socket);
    onClientError(parseError('HPE_INVALID_METHOD'), conn.socket);
    expect(conn.written).toHaveLength(1);
    conn.close();
  });

  it('answers and cuts at once when a request the app is reading fails in its body', () => {
    const conn = connection({ writableFinished: false, _headerSent: false });
    onClientError(parseError('HPE_INVALID_CHUNK_SIZE'), conn.socket);
    expect(conn.written).toEqual(['HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n']);
    expect(conn.destroyed()).toBe(true);
  });

  it('only closes a connection whose response has started', () => {
    const conn = connection({ writableFinished: false, _headerSent: true });
    onClientError(parseError('HPE_INVALID_CHUNK_SIZE'), conn.socket);
    expect(conn.written).toEqual([]);
    expect(conn.destroyed()).toBe(true);
  });
});
