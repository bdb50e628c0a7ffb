// What the HTTP conformance tests share: a raw-socket client (bytes out, everything back until the
// server closes) and a node:http client that records when each body chunk arrives.
import net from 'node:net';
import { join } from 'node:path';

export const fixtures = join(import.meta.dirname, 'fixtures');
export const httpApp = join(fixtures, 'http-app.mjs');
export const asgi = ['-k', 'asgi', '-b', '127.0.0.1:0'];

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Sends `request` on a new connection and resolves with all the server wrote until it closed (latin1). */
export function rawExchange(port: number, request: string | Buffer, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${JSON.stringify(data)}`));
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

/** Records when each body chunk arrives; the one in @gu/testkit, for this package's tests. */
export { timedRequest, type TimedResponse } from '@gu/testkit';
