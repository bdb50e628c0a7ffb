import type { StopCause } from '@gu/core';

/** RFC 6455 close codes the bridge uses itself. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  /** No status in the peer's close frame (ASGI: the disconnect code then). */
  NO_STATUS: 1005,
  /** The connection ended without a close frame (or before the handshake completed). */
  ABNORMAL: 1006,
  INTERNAL_ERROR: 1011,
  SERVICE_RESTART: 1012,
} as const;

/** What open sockets are closed with when a graceful stop begins, by its cause. */
const stopCloses: Record<StopCause, { code: number; reason: string }> = {
  shutdown: { code: CloseCode.GOING_AWAY, reason: 'server shutdown' },
  reload: { code: CloseCode.SERVICE_RESTART, reason: 'server reload' },
  recycle: { code: CloseCode.SERVICE_RESTART, reason: 'server recycle' },
};

export function stopClose(cause: StopCause): { code: number; reason: string } {
  return stopCloses[cause];
}

/**
 * Codes an endpoint may send in a close frame (RFC 6455 7.4; 1005, 1006 and 1015 are only ever
 * reported, never sent), as ws checks them: checked here first, so that the app's bad code is
 * reported as the app's bug with the code it gave.
 */
export function isSendableCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006;
}
