import type { Settings } from '@gu/core';

/**
 * Seconds at most a client has, from its accepted connection, to send its whole request head to a
 * sync worker. An idle or trickling connection holds a sync worker entirely (it serves nothing else
 * meanwhile), so the deadline is shorter than the front's default `client_header_timeout` (10 s): a
 * real client sends its head in one write right after connecting.
 */
export const SYNC_HEAD_DEADLINE_SECONDS = 5;

/**
 * The head deadline a sync worker gives its HTTP front, in ms: `client_header_timeout`, but at most
 * SYNC_HEAD_DEADLINE_SECONDS; 0 (off) stays off.
 */
export function headDeadlineMs(settings: Readonly<Settings>): number {
  return Math.min(settings.clientHeaderTimeout, SYNC_HEAD_DEADLINE_SECONDS) * 1000;
}
