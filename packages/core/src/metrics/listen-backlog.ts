import { readFileSync } from 'node:fs';

/** A TCP listener of the arbiter, as `gu_listen_backlog` labels it. */
export interface TcpListen {
  /** `http://127.0.0.1:8000`, as the logs show it. */
  readonly listener: string;
  readonly port: number;
}

/** /proc/net/tcp's state of a listening socket (include/net/tcp_states.h: TCP_LISTEN). */
const LISTEN_STATE = '0A';

/**
 * The accept-queue depth of each listening port, from /proc/net/tcp and tcp6: for a socket in
 * LISTEN state the kernel reports the connections waiting to be accepted as its rx_queue. Empty
 * where /proc is missing (not Linux) or unreadable; unix sockets have no such figure.
 */
function queuedByPort(): Map<number, number> {
  const queued = new Map<number, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue …
      const [, local, , state, queues] = line.trim().split(/\s+/);
      if (state !== LISTEN_STATE || !local || !queues) continue;
      const port = Number.parseInt(local.split(':').at(-1) ?? '', 16);
      const rx = Number.parseInt(queues.split(':')[1] ?? '', 16);
      if (Number.isInteger(port) && Number.isInteger(rx)) queued.set(port, (queued.get(port) ?? 0) + rx);
    }
  }
  return queued;
}

/** Each listener's queued connections, for the listeners the kernel reports on. */
export function listenBacklogs(listeners: readonly TcpListen[]): { listener: string; queued: number }[] {
  if (listeners.length === 0) return [];
  const queued = queuedByPort();
  return listeners.flatMap(({ listener, port }) => {
    const count = queued.get(port);
    return count === undefined ? [] : [{ listener, queued: count }];
  });
}
