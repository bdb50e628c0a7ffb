import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendExpectingContinue } from '../support/raw-http.js';

let server: http.Server | undefined;
afterEach(() => server?.close());

const head = (length: number): string =>
  `POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;

async function listen(s: http.Server): Promise<string> {
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe('what the front relies on for Expect: 100-continue in node:http', () => {
  it('without a checkContinue listener, node sends 100 Continue itself before the handler runs', async () => {
    const url = await listen(http.createServer((req, res) => req.resume().on('end', () => res.end('done'))));
    const text = await sendExpectingContinue(url, head(3), 'abc');
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n[^]*done$/);
  });

  it('with one, node emits checkContinue instead of request and sends nothing until told', async () => {
    const events: string[] = [];
    const s = http.createServer(() => events.push('request'));
    s.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
      events.push('checkContinue');
      if (req.headers['content-length'] === '3') {
        res.writeContinue();
        req.resume().on('end', () => res.end('done'));
      } else {
        res.shouldKeepAlive = false;
        res.writeHead(413).end();
      }
    });
    const url = await listen(s);
    expect(await sendExpectingContinue(url, head(3), 'abc')).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
    expect(await sendExpectingContinue(url, head(4), 'abcd')).toMatch(/^HTTP\/1\.1 413 /);
    expect(events).toEqual(['checkContinue', 'checkContinue']);
  });
});
