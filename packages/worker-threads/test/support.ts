import { createHash } from 'node:crypto';
import net from 'node:net';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Sends raw bytes and resolves with everything the server wrote until it closed the connection. */
export function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => { resolve(data); });
  });
}

/** Records when each body chunk arrives; the one in @gu/testkit, for this package's tests. */
export { timedRequest, type TimedResponse } from '@gu/testkit';
