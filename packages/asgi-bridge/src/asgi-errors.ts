/**
 * The errors the bridge raises into an app, one table for HTTP and WebSockets, recognised by
 * `code` (never instanceof: an app may bundle its own copy of this package, and a rejection may be
 * wrapped on its way back).
 */

/**
 * `send()` after the client went away, or after the app's own `websocket.close` (ASGI www 2.4: the
 * server raises a "subclass of OSError", and does not log it).
 */
export const CLIENT_DISCONNECTED = 'GU_ERR_ASGI_DISCONNECTED';
/** A message the protocol does not allow here (out of order, a malformed field): the app's bug, logged once. */
export const PROTOCOL_ERROR = 'GU_ERR_ASGI_PROTOCOL';

export class ClientDisconnectedError extends Error {
  readonly code = CLIENT_DISCONNECTED;

  constructor(message = 'the client disconnected: the response cannot be sent') {
    super(message);
    this.name = 'ClientDisconnectedError';
  }
}

export class AsgiProtocolError extends Error {
  readonly code = PROTOCOL_ERROR;

  /** `message` says what the app did, e.g. "ASGI app sent http.response.body before http.response.start". */
  constructor(message: string) {
    super(message);
    this.name = 'AsgiProtocolError';
  }
}

export function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

export function isClientDisconnected(error: unknown): boolean {
  return codeOf(error) === CLIENT_DISCONNECTED;
}

export function isProtocolError(error: unknown): error is AsgiProtocolError {
  return codeOf(error) === PROTOCOL_ERROR;
}
