import type { Bytes, WebSocketClose, WebSocketSend } from '../types.js';
import { describeValue } from './describe.js';
import { FetchAppError } from './fetch-app-error.js';

/** What socket.send() accepts, as Bun's ws.send: text, or bytes in any BufferSource. */
export function sendEvent(data: unknown): WebSocketSend {
  if (typeof data === 'string') return { type: 'websocket.send', text: data };
  if (data instanceof Uint8Array) return { type: 'websocket.send', bytes: data };
  if (data instanceof ArrayBuffer) return { type: 'websocket.send', bytes: new Uint8Array(data) };
  if (ArrayBuffer.isView(data)) return { type: 'websocket.send', bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  throw new FetchAppError(`socket.send() got ${describeValue(data)}; it sends a string (a text message) or bytes (Uint8Array, ArrayBuffer or another ArrayBuffer view)`);
}

/** RFC 6455 close codes an endpoint may send (1004-1006 and 1015 are reserved), as ws checks them. */
function isSendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999));
}

const maxReasonBytes = 123;

/** socket.close(code, reason) as websocket.close, refused at once (not in the server) when invalid. */
export function closeEvent(code?: number, reason?: string): WebSocketClose {
  if (code !== undefined && !isSendableCloseCode(code)) {
    throw new FetchAppError(`socket.close(): ${describeValue(code)} is not a close code to send (expected 1000, 1001-1014 but 1004-1006, or 3000-4999)`);
  }
  if (reason !== undefined && Buffer.byteLength(reason) > maxReasonBytes) {
    throw new FetchAppError(`socket.close(): the reason is ${Buffer.byteLength(reason)} bytes in UTF-8; a close frame carries at most ${maxReasonBytes}`);
  }
  return { type: 'websocket.close', ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) };
}

/**
 * A binary message as the handler gets it: a Buffer (as Bun's) that owns its whole ArrayBuffer,
 * since handlers (Hono's among them) take `message.buffer` as the message.
 */
export function receivedBytes(bytes: Bytes): Buffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return Buffer.from(whole ? bytes.buffer : new Uint8Array(bytes).buffer);
}
