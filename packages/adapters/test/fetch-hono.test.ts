// Hono through the adapter, on a real node:http server: what Hono reads of the request and writes
// in its answer (cookies, HEAD, executionCtx, env) comes through as Hono means it.
import { afterEach, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { closeServers, rawExchange, serve } from './fetch-support.js';

afterEach(closeServers);

type Env = { Bindings: { incoming: IncomingMessage } };

it('Hono reads the request and writes cookies, HEAD answers and background work as it means them', async () => {
  const background: string[] = [];
  const app = new Hono<Env>();
  app.get('/info', (c) => {
    setCookie(c, 'session', 'abc', { httpOnly: true });
    setCookie(c, 'theme', 'dark');
    c.executionCtx.waitUntil(Promise.resolve().then(() => background.push(c.req.path)));
    return c.json({ raw: c.req.raw instanceof Request, peer: c.env.incoming.socket.remoteAddress, lang: c.req.header('accept-language'), page: c.req.query('page') });
  });
  app.post('/form', async (c) => c.json(await c.req.parseBody()));
  const { url, port, adapted } = await serve(app);

  const info = await fetch(`${url}/info?page=2`, { headers: { 'accept-language': 'fr' } });
  expect(await info.json()).toEqual({ raw: true, peer: '127.0.0.1', lang: 'fr', page: '2' });
  expect(info.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/']);
  await adapted.close!();
  expect(background).toEqual(['/info']);

  const form = await fetch(`${url}/form`, { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two' }) });
  expect(await form.json()).toEqual({ a: '1', b: 'two' });

  const head = await rawExchange(port, 'HEAD /info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(head).toContain('content-type: application/json');
  expect(head.endsWith('\r\n\r\n')).toBe(true);
});
