import type { WebSocketAccept, WebSocketClose, WebSocketHttpResponseBody, WebSocketSend } from '../types.js';
import { CloseCode, isSendableCloseCode } from './close-codes.js';
import { headerLines } from './denial-response.js';
import { AsgiProtocolError } from '../asgi-errors.js';

/**
 * The fields of the app's WebSocket messages, checked: whatever does not match asgiref's spec is
 * reported as the app's bug, naming the message and what was expected.
 */

/** A close frame's reason holds at most 123 bytes (RFC 6455 5.5: 125 bytes of payload, 2 for the code). */
const MAX_REASON_BYTES = 123;

export interface AcceptFields {
  readonly subprotocol: string | null;
  /** `Name: value` lines for the 101 response. */
  readonly headerLines: readonly string[];
}

export function acceptFields(event: WebSocketAccept, offered: readonly string[]): AcceptFields {
  const subprotocol = event.subprotocol ?? null;
  if (subprotocol !== null && !offered.includes(subprotocol)) {
    const offers = offered.length === 0 ? 'none' : offered.join(', ');
    throw new AsgiProtocolError(`websocket.accept: subprotocol ${JSON.stringify(subprotocol)} was not offered by the client (offered: ${offers})`);
  }
  const headers = headerLines(event.headers, 'websocket.accept');
  if (headers.some(([name]) => name.toLowerCase() === 'sec-websocket-protocol')) {
    throw new AsgiProtocolError('websocket.accept: headers must not include sec-websocket-protocol; use the subprotocol field');
  }
  return { subprotocol, headerLines: headers.map(([name, value]) => `${name}: ${value}`) };
}

export function closeFields(event: WebSocketClose): { code: number; reason: string } {
  const code = event.code ?? CloseCode.NORMAL;
  const reason = event.reason ?? '';
  if (typeof code !== 'number' || !isSendableCloseCode(code)) {
    throw new AsgiProtocolError(`websocket.close: code must be 1000-1003, 1007-1014 or 3000-4999, got ${String(code)}`);
  }
  if (typeof reason !== 'string' || Buffer.byteLength(reason) > MAX_REASON_BYTES) {
    throw new AsgiProtocolError(`websocket.close: reason must be a string of at most ${MAX_REASON_BYTES} bytes in UTF-8`);
  }
  return { code, reason };
}

/** The payload of websocket.send: a string sends a text message, bytes a binary one. */
export function sendPayload(event: WebSocketSend): string | Uint8Array {
  const { bytes, text } = event;
  const hasBytes = bytes !== undefined && bytes !== null;
  const hasText = text !== undefined && text !== null;
  if (hasBytes === hasText) throw new AsgiProtocolError('websocket.send: exactly one of bytes and text must be given');
  if (hasText) {
    if (typeof text !== 'string') throw new AsgiProtocolError(`websocket.send: text must be a string, got ${typeof text}`);
    return text;
  }
  if (!(bytes instanceof Uint8Array)) throw new AsgiProtocolError('websocket.send: bytes must be a Uint8Array');
  return bytes;
}

export function bodyFields(event: WebSocketHttpResponseBody): { body: Uint8Array; more: boolean } {
  const body = event.body ?? new Uint8Array(0);
  if (!(body instanceof Uint8Array)) throw new AsgiProtocolError('websocket.http.response.body: body must be a Uint8Array');
  return { body, more: event.more_body === true };
}
