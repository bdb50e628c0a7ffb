// client_header_timeout and client_body_timeout on the real gu binary, with raw sockets that send
// their bytes as slowly as a slowloris client or a stalled upload does. Times are measured with a
// monotonic clock and bounded generously: the deadline is checked by a sweep about ten times per
// deadline, and the CI machine is shared.
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, startGu, type GuProcess } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'body-watch-app.mjs');

afterEach(cleanUp);

function startWith(args: string[]): Promise<GuProcess> {
  return startGu([app, '-w', '1', '-b', '127.0.0.1:0', '-k', join(fixtures, 'direct-worker.mjs'), ...args]);
}

interface Conversation {
  /** Everything the server sent. */
  text: string;
  /**
   * Milliseconds from asking for the connection (no later than the server's accept, where its
   * deadline starts) to the server's first byte, and to the connection's end.
   */
  answeredAfter: number;
  closedAfter: number;
}

/**
 * Connects, writes each of `pieces` `everyMs` apart (stopping once the server has answered or
 * closed), and resolves when the connection has ended.
 */
async function converse(url: string, pieces: readonly string[], everyMs: number): Promise<Conversation> {
  const { hostname, port } = new URL(url);
  const askedAt = performance.now();
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const result: Conversation = { text: '', answeredAfter: Number.NaN, closedAfter: Number.NaN };
  socket.on('data', (chunk: Buffer) => {
    if (result.text === '') result.answeredAfter = performance.now() - askedAt;
    result.text += chunk.toString('latin1');
  });
  let next = 0;
  const writer = setInterval(() => {
    if (next < pieces.length && !socket.destroyed && socket.writable) socket.write(pieces[next++] as string);
  }, everyMs);
  socket.write(pieces[next++] as string);
  socket.on('error', () => undefined);
  socket.once('end', () => socket.end());
  await new Promise((resolve) => socket.once('close', resolve));
  clearInterval(writer);
  result.closedAfter = performance.now() - askedAt;
  return result;
}

/** `text` cut into pieces of `size` characters. */
function piecesOf(text: string, size: number): string[] {
  return Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
}

describe('client_header_timeout', () => {
  it('answers a head that stops arriving 408 with Connection: close, at the deadline, and closes', async () => {
    const gu = await startWith(['--client-header-timeout', '1']);
    const [partial, silent] = await Promise.all([
      converse(gu.url, ['GET / HTTP/1.1\r\nHost: t\r\n'], 60_000),
      converse(gu.url, [''], 60_000),
    ]);
    for (const conversation of [partial, silent]) {
      expect(conversation.text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\nConnection: close\r\n\r\n$/);
      expect(conversation.answeredAfter).toBeGreaterThan(950);
      expect(conversation.answeredAfter).toBeLessThan(2500);
      expect(conversation.closedAfter).toBeLessThan(3000);
    }
    expect(gu.matches(/app: called/g)).toHaveLength(0);
  });

  it('serves a whole request trickled within the deadline, and restarts it for the next keep-alive request', async () => {
    const gu = await startWith(['--client-header-timeout', '2', '--keep-alive', '5']);
    const head = 'GET /first HTTP/1.1\r\nHost: t\r\nX-Slow: yes\r\n\r\n';
    // 1.2 s for the first head, an idle pause, then 1.2 s for the second: more than 2 s in all.
    const pause = Array.from({ length: 3 }, () => '');
    const second = 'GET /second HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n';
    const conversation = await converse(gu.url, [...piecesOf(head, 4), ...pause, ...piecesOf(second, 5)], 100);
    expect(conversation.text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(conversation.text).toMatch(/got 0$/);
    expect(conversation.closedAfter).toBeGreaterThan(2000);
  });
});

describe('client_body_timeout', () => {
  it('aborts a request whose body stops moving: the app sees aborted and an error, the connection closes', async () => {
    const gu = await startWith(['--client-body-timeout', '1']);
    const head = 'POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n';
    const conversation = await converse(gu.url, [head, 'abc'], 100);
    expect(conversation.text).toBe('');
    // The body last moved at about 100 ms.
    expect(conversation.closedAfter).toBeGreaterThan(1050);
    expect(conversation.closedAfter).toBeLessThan(2600);
    await gu.waitForLog(/app: aborted after 3 bytes/);
    await gu.waitForLog(/app: request error ECONNRESET/);
    await gu.waitForLog(/Request body from ip=127\.0\.0\.1 stalled for client_body_timeout \(1 s\): request aborted/);
  });

  it('serves a body that keeps moving, however long it takes in all', async () => {
    const gu = await startWith(['--client-body-timeout', '1']);
    const head = 'POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\nConnection: close\r\n\r\n';
    // One byte every 400 ms: 2.4 s in all, more than twice the deadline.
    const conversation = await converse(gu.url, [head, 'a', 'b', 'c', 'd', 'e', 'f'], 400);
    expect(conversation.text).toMatch(/^HTTP\/1\.1 200 OK[^]*got 6$/);
    expect(conversation.closedAfter).toBeGreaterThan(2000);
  });

  it('does not count the time the app leaves the body unread', async () => {
    // For 2.5 s the app reads nothing: node stops reading the connection once its buffers are
    // full, so no byte arrives, yet the client is not the one that stalls.
    const gu = await startWith(['--client-body-timeout', '1']);
    const size = 4 * 1024 * 1024;
    const head = `POST /upload?pause=2500 HTTP/1.1\r\nHost: t\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`;
    const conversation = await converse(gu.url, [head + 'x'.repeat(size)], 100);
    expect(conversation.text).toMatch(new RegExp(`got ${size}$`));
    expect(conversation.closedAfter).toBeGreaterThan(2400);
  });
});
