import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendRaw } from '../support/raw-http.js';

let server: http.Server | undefined;
afterEach(() => server?.close());

describe('what the body limit relies on in node:http', () => {
  it('hands each body chunk to IncomingMessage#push before the app reads it, and stops on false', async () => {
    const pushed: number[] = [];
    let read = 0;
    server = http.createServer((req, res) => {
      const push = req.push.bind(req);
      req.push = ((chunk: Buffer | null, encoding?: BufferEncoding) => {
        if (chunk !== null) pushed.push(chunk.length);
        return push(chunk, encoding);
      }) as typeof req.push;
      req.on('data', (chunk: Buffer) => (read += chunk.length));
      req.on('end', () => res.end(`${read}`));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n';
    const res = await sendRaw(url, `POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body}`);
    expect(res.text).toMatch(/\r\n\r\n11$/);
    expect(pushed.reduce((a, b) => a + b, 0)).toBe(11);
  });
});
