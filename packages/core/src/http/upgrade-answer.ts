import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Refuses an upgrade request the front will not hand over. There is no ServerResponse for an
 * upgrade (node:http has detached the socket from its parser), so the answer is written raw: the
 * status line, `Connection: close` and an empty body; the connection closes once it is sent, since
 * the bytes after the head belong to a protocol nobody will speak.
 */
export function rejectUpgrade(socket: Duplex, status: number): void {
  const reason = STATUS_CODES[status] ?? 'Error';
  // write, then end: watchStatusLine sees what goes through `write` (end(chunk) bypasses it).
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.end(() => {
    socket.destroy();
  });
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

/**
 * Calls `onStatus` once with the status of the first bytes the handler writes to an upgraded
 * connection (101 when it switched protocols, `ws` writes its refusals the same way), or with 0 when
 * the connection closes before it wrote anything. Only the first write is looked at; the socket's
 * own `write` is restored right after it.
 */
export function watchStatusLine(socket: Duplex, onStatus: (status: number) => void): void {
  let reported = false;
  const report = (status: number): void => {
    if (reported) return;
    reported = true;
    onStatus(status);
  };
  const ownWrite = Object.getOwnPropertyDescriptor(socket, 'write');
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
    // Back to the prototype's write (or an own one someone set before): one look is enough.
    if (ownWrite) Object.defineProperty(socket, 'write', ownWrite);
    else Reflect.deleteProperty(socket, 'write');
    report(statusOf(chunk));
    return write(chunk, ...rest);
  }) as Duplex['write'];
  socket.once('close', () => {
    report(0);
  });
}

function statusOf(chunk: unknown): number {
  const text = typeof chunk === 'string' ? chunk.slice(0, 16) : chunk instanceof Uint8Array ? Buffer.from(chunk.subarray(0, 16)).toString('latin1') : '';
  return Number(STATUS_LINE.exec(text)?.[1] ?? 0);
}
