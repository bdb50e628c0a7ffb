/**
 * The errors the bridge raises into an app, recognised by `code` (never instanceof: an app may
 * bundle its own copy of this package, and a rejection may be wrapped on its way back).
 */

/** `send()` after the client went away (ASGI www 2.4: the server raises, and does not log it). */
export const CLIENT_DISCONNECTED = 'GU_ASGI_CLIENT_DISCONNECTED';
/** A message the protocol does not allow here: the app's bug, logged once by the bridge. */
export const PROTOCOL_ERROR = 'GU_ASGI_PROTOCOL_ERROR';

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
