import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNKED_HOLD_MS, holdChunkedBodies } from '../../src/http/chunked-hold.js';
import { onClientError } from '../../src/http/client-error.js';
import { sendRaw } from '../support/raw-http.js';

let server: http.Server | undefined;
afterEach(() => server?.close());

async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = http.createServer(listener);
  // As the front does: a parse error is answered 400 (node's default listener would do the same).
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const chunkedHead = 'POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';

/** What the app saw of each request it was handed. */
interface Seen {
  completeWhenCalled: boolean;
  body: string;
  trailers: string[];
}

function recordingApp(seen: Seen[]): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const record: Seen = { completeWhenCalled: req.complete, body: '', trailers: [] };
    seen.push(record);
    req.setEncoding('latin1');
    req.on('data', (chunk: string) => (record.body += chunk));
    req.on('end', () => {
      record.trailers = req.rawTrailers;
      res.end(`got ${record.body.length}`);
    });
  };
}

describe('what holding a chunked body relies on in node:http', () => {
  it('ends the body with push(null) once the trailers are in rawTrailers, before the next request is parsed', async () => {
    const events: string[] = [];
    const url = await serve((req, res) => {
      events.push(`request ${req.url}`);
      const push = req.push.bind(req);
      req.push = ((chunk: Buffer | null, encoding?: BufferEncoding) => {
        events.push(chunk === null ? `end ${req.url} ${req.rawTrailers.join(':')}` : `chunk ${req.url} ${chunk.length}`);
        return push(chunk, encoding);
      }) as typeof req.push;
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    const first = 'POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n';
    const second = 'GET /b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n';
    await sendRaw(url, first + second);
    expect(events).toEqual(['request /a', 'chunk /a 5', 'end /a X-Sum:1', 'request /b', 'end /b ']);
  });
});

describe('holdChunkedBodies', () => {
  it('hands the app a complete chunked request, body and trailers intact', async () => {
    const seen: Seen[] = [];
    const url = await serve(holdChunkedBodies(recordingApp(seen)));
    const res = await sendRaw(url, `${chunkedHead}5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n`);
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ completeWhenCalled: true, body: 'hello world', trailers: ['X-Sum', '11'] }]);
  });

  it('never hands the app a chunked request whose body does not parse', async () => {
    const seen: Seen[] = [];
    const url = await serve(holdChunkedBodies(recordingApp(seen)));
    for (const body of ['+5\r\nhello\r\n0\r\n\r\n', '5\r\nhello0\r\n\r\n', '-5\r\nhello\r\n0\r\n\r\n']) {
      const res = await sendRaw(url, chunkedHead + body);
      expect(res.status, body).toBe(400);
    }
    expect(seen).toEqual([]);
  });

  it('answers a held body that does not parse, then lingers instead of resetting a client still sending', async () => {
    const seen: Seen[] = [];
    const url = await serve(holdChunkedBodies(recordingApp(seen)));
    server?.on('clientError', onClientError);
    const accepted = new Promise<net.Socket>((resolve) => server?.once('connection', resolve));
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
    const serverSide = await accepted;
    const answer = new Promise<string>((resolve) => socket.setEncoding('latin1').once('data', resolve));
    socket.write(`${chunkedHead}5\r\nhello\r\n6_0\r\n`);
    expect((await answer).split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    // Still open on the server's side: what the client sends now is read and dropped, not reset.
    expect(serverSide.destroyed).toBe(false);
    await new Promise<void>((resolve) => socket.write('x'.repeat(100_000), () => resolve()));
    socket.end();
    await new Promise((resolve) => serverSide.once('close', resolve));
    expect(seen).toEqual([]);
  });

  it('answers a Host, Content-Length or Transfer-Encoding trailer 400 without the app', async () => {
    const seen: Seen[] = [];
    const url = await serve(holdChunkedBodies(recordingApp(seen)));
    for (const trailer of ['Host: evil', 'Content-Length: 5', 'Transfer-Encoding: chunked']) {
      const res = await sendRaw(url, `${chunkedHead}5\r\nhello\r\n0\r\n${trailer}\r\n\r\n`);
      expect(res.status, trailer).toBe(400);
      expect(res.text, trailer).toMatch(/\r\nConnection: close\r\n/i);
    }
    expect(seen).toEqual([]);
  });

  it(`hands over a body still arriving after ${CHUNKED_HOLD_MS} ms, and the app reads all of it`, async () => {
    const seen: Seen[] = [];
    let calledAfter = 0;
    const started = performance.now();
    const app = recordingApp(seen);
    const url = await serve(
      holdChunkedBodies((req, res) => {
        calledAfter = performance.now() - started;
        app(req, res);
      }),
    );
    const { port } = new URL(url);
    const socket = net.connect(Number(port), '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let data = '';
      socket.setEncoding('latin1').on('data', (chunk: string) => (data += chunk));
      socket.on('close', () => resolve(data));
    });
    socket.write(`${chunkedHead}5\r\nhello\r\n`);
    // The rest comes once the app has been handed the request.
    const waitForApp = (): Promise<void> => new Promise((resolve) => {
      const poll = (): void => (seen.length > 0 ? resolve() : void setTimeout(poll, 10));
      poll();
    });
    await waitForApp();
    socket.end('6\r\n world\r\n0\r\n\r\n');
    expect(await answer).toMatch(/\r\n\r\ngot 11$/);
    expect(seen[0]?.completeWhenCalled).toBe(false);
    expect(calledAfter).toBeGreaterThanOrEqual(CHUNKED_HOLD_MS - 5);
  });

  it('hands over a body larger than the request buffer before it is complete, without losing a byte', async () => {
    const seen: Seen[] = [];
    const url = await serve(holdChunkedBodies(recordingApp(seen)));
    const size = 200_000;
    const body = `${size.toString(16)}\r\n${'x'.repeat(size)}\r\n0\r\n\r\n`;
    const res = await sendRaw(url, chunkedHead + body);
    expect(res.text).toMatch(new RegExp(`got ${size}$`));
    expect(seen[0]?.body.length).toBe(size);
  });

  it('passes a request without a chunked body to the app at once', async () => {
    const seen: Seen[] = [];
    const url = await serve(holdChunkedBodies(recordingApp(seen)));
    const res = await sendRaw(url, 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
    expect(res.status).toBe(200);
    expect(seen[0]?.body).toBe('hello');
  });
});
