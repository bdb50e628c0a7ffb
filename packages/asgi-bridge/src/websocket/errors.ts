/**
 * The two errors an app's `send` can reject with on a WebSocket, recognised by `code` (the app may
 * get them across realms, and the bridge itself tells them apart from the app's own errors).
 */

/**
 * ASGI's "server-specific subclass of OSError": `send` after the connection closed (or after the
 * app's own `websocket.close`). The app may let it propagate: the bridge never logs it (the spec
 * says servers must not).
 */
export class ClientDisconnectedError extends Error {
  readonly code = 'GU_ERR_ASGI_DISCONNECTED';

  constructor(what: string) {
    super(`${what}: the WebSocket is closed`);
    this.name = 'ClientDisconnectedError';
  }
}

/** The app broke the protocol (a message out of order, a malformed field): its bug, logged once. */
export class AsgiProtocolError extends Error {
  readonly code = 'GU_ERR_ASGI_PROTOCOL';

  constructor(message: string) {
    super(message);
    this.name = 'AsgiProtocolError';
  }
}

export function isClientDisconnected(error: unknown): boolean {
  return codeOf(error) === 'GU_ERR_ASGI_DISCONNECTED';
}

export function isProtocolError(error: unknown): error is AsgiProtocolError {
  return codeOf(error) === 'GU_ERR_ASGI_PROTOCOL';
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
