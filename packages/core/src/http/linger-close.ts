import type { Socket } from 'node:net';
import { replaceDestroySoon } from './node-http-internals.js';

/** How long a refused client may go on sending before its connection is cut. */
const LINGER_MS = 2000;

/**
 * Closes a refused request's connection without losing the answer. node ends a `Connection:
 * close` response's socket with `destroySoon()` (see replaceDestroySoon): FIN, then close as soon
 * as it is written. A client still sending (an upload refused with 413, a huge
 * head) then gets a reset, and a reset can discard the answer before the client reads it. Here the
 * socket is half-closed instead, node's parser goes on reading and discarding what arrives, and
 * the connection ends when the client closes its side or after LINGER_MS.
 */
export function lingerOnClose(socket: Socket | null): void {
  if (!socket) return;
  replaceDestroySoon(socket, () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('close', () => clearTimeout(timer));
  });
}
