/**
 * Seconds a client has, from its accepted connection, to send its whole request head to a sync
 * worker. An idle or trickling connection holds a sync worker entirely (it serves nothing else
 * meanwhile), so the deadline is much shorter than node:http's 60 s: a real client sends its head
 * in one write right after connecting.
 */
export const SYNC_HEAD_DEADLINE_SECONDS = 5;

/**
 * The head deadline a sync worker gives its HTTP front, in ms. The front has no setting for it yet
 * (node:http's headersTimeout is its only deadline), so this is the sync worker's own.
 */
export function headDeadlineMs(): number {
  return SYNC_HEAD_DEADLINE_SECONDS * 1000;
}
