// The request body under -k asgi: http.request events as the bytes arrive (de-chunked), the
// connection left unread while the app does not call receive(), and http.disconnect when the
// client goes away mid-body.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanUp, startGu } from '@gu/testkit';
import { asgi, httpApp, portOf, rawExchange, timedRequest } from './http-support.js';

afterEach(cleanUp);

interface Echo {
  events: { type: string; length: number; more_body: boolean; atMs: number }[];
  bytes: number;
  sha256: string;
}

/** Writes `parts` on one connection, `gapMs` apart, and resolves with the server's whole answer. */
function sendInParts(port: number, parts: string[], gapMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
    socket.on('connect', () => {
      void (async () => {
        for (const [index, part] of parts.entries()) {
          if (index > 0) await sleep(gapMs);
          socket.write(part);
        }
      })();
    });
  });
}

function echoOf(response: string): Echo {
  expect(response).toMatch(/^HTTP\/1\.1 200 /);
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as Echo;
}

describe('http.request', () => {
  it('delivers a chunked body in several events as its chunks arrive, de-chunked, the last with more_body false', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const head = 'POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    const response = await sendInParts(portOf(gu.url), [`${head}6\r\nfirst \r\n`, '7\r\nsecond \r\n', '5\r\nthird\r\n0\r\n\r\n'], 500);
    const echo = echoOf(response);
    const requests = echo.events.filter((event) => event.type === 'http.request');
    expect(requests.map((event) => event.more_body)).toEqual([...requests.slice(1).map(() => true), false]);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.reduce((sum, event) => sum + event.length, 0)).toBe('first second third'.length);
    // Each part reached the app as it came, 500 ms apart, not all at the end.
    const withBytes = requests.filter((event) => event.length > 0);
    expect(withBytes.at(-1)!.atMs - withBytes[0]!.atMs).toBeGreaterThan(700);
    expect(echo.sha256).toBe(createHash('sha256').update('first second third').digest('hex'));
  });

  it('delivers a Content-Length body sent over time in several events', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const head = 'POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\nConnection: close\r\n\r\n';
    const echo = echoOf(await sendInParts(portOf(gu.url), [`${head}abcd`, 'efgh', 'ijkl'], 300));
    expect(echo.events.map((event) => [event.length, event.more_body])).toEqual([[4, true], [4, true], [4, false]]);
    expect(echo.bytes).toBe(12);
  });

  it('gives a request without a body one empty http.request, and a body that came whole one http.request, with more_body false', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const eventsOf = (res: { body: Buffer }): [number, boolean][] => (JSON.parse(res.body.toString()) as Echo).events.map((event) => [event.length, event.more_body]);
    expect(eventsOf(await timedRequest(`${gu.url}/echo`))).toEqual([[0, false]]);
    expect(eventsOf(await timedRequest(`${gu.url}/echo`, { method: 'POST', body: Buffer.from('hello') }))).toEqual([[5, false]]);
  });

  it('stops reading the connection while the app does not call receive(), then delivers every byte', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const body = randomBytes(64 * 1024 * 1024);
    const socket = net.connect(portOf(gu.url), '127.0.0.1');
    const answer = new Promise<string>((resolve, reject) => {
      let data = '';
      socket.setEncoding('latin1').on('data', (chunk: string) => (data += chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(data));
    });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(`POST /late-reader?wait=1500 HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    socket.write(body);
    // Loopback would take 64 MiB in well under this time if the worker read it into memory; with
    // back-pressure the kernel buffers fill and most of the body is still waiting on this side.
    await sleep(800);
    expect(socket.writableLength).toBeGreaterThan(32 * 1024 * 1024);
    const echo = echoOf(await answer);
    expect(echo).toMatchObject({ bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
  });

  it('answers receive() with http.disconnect when the client leaves mid-body, and logs no error', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const socket = net.connect(portOf(gu.url), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('POST /echo?leaver HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n0123456789');
    await sleep(300);
    socket.destroy();
    await gu.waitForLog(/\[http-app\] echo leaver: http\.disconnect after \d+ body bytes/);
    // The worker goes on serving, and nothing was logged as an error.
    expect((await timedRequest(`${gu.url}/echo`)).status).toBe(200);
    expect(gu.stderr).not.toContain('[ERROR]');
  });

  it('serves keep-alive requests one after another on one connection', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const two = 'POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n';
    const answer = await rawExchange(portOf(gu.url), two);
    expect(answer.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(answer).toContain('"bytes":3');
    expect(answer).toContain('"bytes":0');
  });
});
