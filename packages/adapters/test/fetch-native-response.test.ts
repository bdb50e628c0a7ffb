// lightResponse: false leaves the global Response alone; real Responses are sent as well (their
// body read from Fetch's stream). Its own file: vitest runs each file in a fresh worker, so no
// other test has swapped the global first.
import { afterEach, expect, it } from 'vitest';
import http from 'node:http';
import { closeServers, rawExchange, serve } from './fetch-support.js';

afterEach(closeServers);

const NativeResponse = globalThis.Response;

it('serves real Responses: string with Content-Length, Set-Cookie apart, status text, HEAD', async () => {
  const app = {
    fetch: (request: Request) => {
      const headers = new Headers([['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      return new URL(request.url).pathname === '/gone' ? new Response(null, { status: 410, statusText: 'Long Gone' }) : new Response('native body', { headers });
    },
  };
  const { port, url } = await serve(app, { lightResponse: false });
  expect(globalThis.Response).toBe(NativeResponse);
  const raw = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(raw).toContain('\r\nset-cookie: a=1\r\nset-cookie: b=2\r\n');
  expect(raw).toContain('\r\ncontent-length: 11\r\n');
  expect(raw.endsWith('\r\n\r\nnative body')).toBe(true);
  expect(await rawExchange(port, 'GET /gone HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 410 Long Gone\r\n/);
  const head = await new Promise<http.IncomingMessage>((resolve) => http.request(url, { method: 'HEAD', agent: false }, resolve).end());
  expect(head.headers['content-length']).toBe('11');
});
