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
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => {
    socket.destroy();
  });
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

/**
 * Calls `onStatus` once with the status of the first bytes the handler writes to an upgraded
 * connection, through `write` or `end` (101 when it switched protocols; `ws` writes a refusal with
 * `end`), or with 0 when the connection closes before it wrote anything. Only the first chunk is
 * looked at: the socket's own methods are restored at once.
 */
export function watchStatusLine(socket: Duplex, onStatus: (status: number) => void): void {
  let reported = false;
  const report = (status: number): void => {
    if (reported) return;
    reported = true;
    onStatus(status);
  };
  const methods = ['write', 'end'] as const;
  const own = methods.map((name) => Object.getOwnPropertyDescriptor(socket, name));
  const restore = (): void => {
    methods.forEach((name, i) => {
      const descriptor = own[i];
      if (descriptor) Object.defineProperty(socket, name, descriptor);
      else Reflect.deleteProperty(socket, name);
    });
  };
  for (const name of methods) {
    const original = (socket[name] as (...args: unknown[]) => unknown).bind(socket);
    Object.defineProperty(socket, name, {
      configurable: true,
      writable: true,
      value: (chunk: unknown, ...rest: unknown[]): unknown => {
        restore();
        // end(callback) writes nothing: the status is then what the close reports.
        if (typeof chunk !== 'function' && chunk != null) report(statusOf(chunk));
        return original(chunk, ...rest);
      },
    });
  }
  socket.once('close', () => {
    report(0);
  });
}

function statusOf(chunk: unknown): number {
  const text = typeof chunk === 'string' ? chunk.slice(0, 16) : chunk instanceof Uint8Array ? Buffer.from(chunk.subarray(0, 16)).toString('latin1') : '';
  return Number(STATUS_LINE.exec(text)?.[1] ?? 0);
}
