// The response under -k asgi: streamed as sent, send() rejecting once the client left, trailers,
// early hints, files sent by the server (pathsend), and the framing the bridge chooses.
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, startGu, tempDir } from '@gu/testkit';
import { asgi, httpApp, portOf, rawExchange, timedRequest } from './http-support.js';

afterEach(cleanUp);

describe('http.response.start and http.response.body', () => {
  it('streams a response sent over a second to the client as it is sent', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const res = await timedRequest(`${gu.url}/stream?count=6&interval=200`);
    expect(res.body.toString()).toBe([0, 1, 2, 3, 4, 5].map((i) => `tick ${i}\n`).join(''));
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.arrivals.length).toBeGreaterThanOrEqual(5);
    // The chunks came spread over the second the app took, not at its end.
    expect(res.arrivals.at(-1)! - res.arrivals[0]!).toBeGreaterThan(800);
  });

  it('resolves send() only as the client takes the bytes: a client that does not read holds the app back', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const socket = net.connect(portOf(gu.url), '127.0.0.1');
    let received = 0;
    const done = new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });
    socket.pause();
    socket.write('GET /flood?mib=64 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    // Without back-pressure the app would have handed node all 64 MiB by now.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const progress = JSON.parse((await timedRequest(`${gu.url}/flood-progress`)).body.toString()) as { flooded: number };
    expect(progress.flooded).toBeLessThan(32 * 1024 * 1024);
    socket.resume();
    await done;
    expect(received).toBeGreaterThan(64 * 1024 * 1024);
  });

  it('sends a body given in one message with its Content-Length', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const res = await timedRequest(`${gu.url}/scope`);
    expect(res.headers['content-length']).toBe(String(res.body.length));
    expect(res.headers['transfer-encoding']).toBeUndefined();
  });

  it('ignores the app\'s Transfer-Encoding and Connection, except that close closes the connection', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const port = portOf(gu.url);
    // Two requests on one connection: after `connection: keep-alive` from the app the second is served.
    const kept = await rawExchange(port, 'GET /server-headers?connection=keep-alive HTTP/1.1\r\nHost: a\r\n\r\nGET /server-headers?connection=close HTTP/1.1\r\nHost: a\r\n\r\n');
    const [first = '', second = ''] = kept.split(/(?=HTTP\/1\.1 200)/);
    expect(first).toMatch(/\r\nContent-Length: 6\r\n/i);
    expect(first).toMatch(/\r\nConnection: keep-alive\r\n/);
    expect(first).not.toMatch(/transfer-encoding|gzip/i);
    expect(first).toContain('\r\nx-kept: yes\r\n');
    // `connection: close` from the app: node:http says so and ends the connection after the response.
    expect(second).toMatch(/\r\nConnection: close\r\n/);
    expect(second.endsWith('served')).toBe(true);
  });

  it('answers receive() with http.disconnect when the client leaves mid-response, and the next send() rejects', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const socket = net.connect(portOf(gu.url), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET /until-disconnect HTTP/1.1\r\nHost: a\r\n\r\n');
    let received = '';
    await new Promise<void>((resolve) => {
      socket.setEncoding('latin1').on('data', (chunk: string) => {
        received += chunk;
        if (received.includes('chunk 2\n')) resolve();
      });
    });
    socket.destroy();
    await gu.waitForLog(/\[http-app\] until-disconnect: receive got http\.disconnect, send rejected with GU_ERR_ASGI_DISCONNECTED after \d+ chunks/);
    // ASGI: the server raised it, so the server does not log it.
    expect(gu.stderr).not.toContain('[ERROR]');
  });
});

describe('http.response.trailers', () => {
  it('sends trailers after a chunked body, gathered over several messages', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const raw = await rawExchange(portOf(gu.url), 'GET /trailers HTTP/1.1\r\nHost: a\r\nTE: trailers\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/\r\nTransfer-Encoding: chunked\r\n/i);
    expect(raw.endsWith('\r\n0\r\nx-checksum: abc123\r\nx-count: 2\r\n\r\n')).toBe(true);
    const res = await timedRequest(`${gu.url}/trailers`);
    expect(res.body.toString()).toBe('part one,part two');
    expect(res.trailers).toEqual({ 'x-checksum': 'abc123', 'x-count': '2' });
  });
});

describe('http.response.early_hint', () => {
  it('sends a 103 with the Link headers before the response', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const raw = await rawExchange(portOf(gu.url), 'GET /early-hint HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 103 Early Hints\r\nLink: <\/style\.css>; rel=preload; as=style, <\/app\.js>; rel=preload; as=script\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(raw.endsWith('after hints')).toBe(true);
    // A node:http client sees it as an informational response, ahead of the final one.
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`${gu.url}/early-hint`, { agent: false }, (res) => {
        seen.push(`final ${res.statusCode ?? 0}`);
        res.resume().on('end', resolve);
      });
      req.on('information', (info) => seen.push(`${info.statusCode} ${String(info.headers.link)}`));
      req.on('error', reject);
    });
    expect(seen).toEqual(['103 </style.css>; rel=preload; as=style, </app.js>; rel=preload; as=script', 'final 200']);
  });

  it('sends no 103 to an HTTP/1.0 client, which would take it for the response', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const raw = await rawExchange(portOf(gu.url), 'GET /early-hint HTTP/1.0\r\nHost: a\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).not.toContain('103');
  });
});

describe('http.response.pathsend', () => {
  it('sends the file as the body, with its size as Content-Length, and no body to HEAD', async () => {
    const dir = tempDir('gu-asgi-pathsend-');
    const file = join(dir, 'payload.bin');
    const payload = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(file, payload);
    const gu = await startGu([httpApp, ...asgi]);
    const url = `${gu.url}/pathsend?file=${encodeURIComponent(file)}`;
    const res = await timedRequest(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(payload.length));
    expect(res.body.equals(payload)).toBe(true);
    await gu.waitForLog(/\[http-app\] pathsend: sent .*payload\.bin/);
    const head = await timedRequest(url, { method: 'HEAD' });
    expect(head.headers['content-length']).toBe(String(payload.length));
    expect(head.body.length).toBe(0);
  });
});
