import { connect } from 'node:net';

export interface RawAnswer {
  /** The status of the first response, 0 if the connection closed without one. */
  status: number;
  /** Everything the server sent until it closed the connection. */
  text: string;
}

/**
 * Sends `bytes` as they are on a fresh connection and reads until the server closes it (every test
 * request asks for, or provokes, `Connection: close`). A reset after the answer still counts.
 */
export async function sendRaw(url: string, bytes: string | Buffer, timeoutMs = 10_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no close within ${timeoutMs} ms`)));
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(bytes);
  await new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve() : reject(error)));
  });
  const text = Buffer.concat(chunks).toString('latin1');
  return { status: Number(/^HTTP\/1\.\d (\d{3})/.exec(text)?.[1] ?? 0), text };
}

/** A GET request with `extra` header lines (each `Name: value`), asking the server to close after it. */
export function rawGet(target: string, extra: readonly string[] = []): string {
  return ['GET ' + target + ' HTTP/1.1', 'Host: t', ...extra, 'Connection: close', '', ''].join('\r\n');
}

/**
 * Sends `head` (an `Expect: 100-continue` request), and `body` only if the server answers
 * `100 Continue` first, as a well-behaved client does; resolves with all it read until the close.
 */
export async function sendExpectingContinue(url: string, head: string, body: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.setTimeout(10_000, () => socket.destroy(new Error('no close within 10000 ms')));
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    const first = text === '';
    text += chunk.toString('latin1');
    if (first && text.startsWith('HTTP/1.1 100 ')) socket.write(body);
  });
  socket.write(head);
  await new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  return text;
}
