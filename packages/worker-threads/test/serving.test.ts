import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';
import { rawRequest, sha256, timedRequest } from './support.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const plainApp = join(fixtures, 'plain-app.mjs');
const threads = ['-k', 'threads', '-b', '127.0.0.1:0'];

afterEach(cleanUp);

describe('@gu/worker-threads: requests and responses across the thread boundary', () => {
  it('runs a plain listener in its threads, and repeated headers, header case and the status message round-trip', async () => {
    const gu = await startGu([plainApp, ...threads, '--threads', '2']);
    expect(gu.stderr).toContain('Using worker: threads');
    const hello = await httpGet(`${gu.url}/hello`);
    expect(hello.body).toBe('hello');
    // Served by a worker thread, not the main thread (whose threadId is 0).
    expect(Number(hello.headers['x-thread'])).toBeGreaterThan(0);
    const raw = await rawRequest(Number(new URL(gu.url).port), 'GET /cookies HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 201 Made It\r\n/);
    expect(raw).toContain('\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\n');
    expect(raw).toContain('\r\nX-Mixed-Case: kept\r\n');
  });

  it('sees the request head and the peer as node:http parsed them', async () => {
    const gu = await startGu([plainApp, ...threads]);
    const res = await fetch(`${gu.url}/peer?q=1`, { method: 'DELETE', headers: { 'X-Custom': 'v', Cookie: 'a=1' } });
    const seen = (await res.json()) as { remoteAddress: string; method: string; httpVersion: string; headers: Record<string, string>; raw: string[] };
    expect(seen).toMatchObject({ remoteAddress: '127.0.0.1', method: 'DELETE', httpVersion: '1.1' });
    expect(seen.headers).toMatchObject({ 'x-custom': 'v', cookie: 'a=1' });
    expect(seen.raw).toContain('X-Custom');
  });

  it('carries a 10 MB upload into the thread and a 10 MB binary response out of it, byte for byte', async () => {
    const gu = await startGu([plainApp, ...threads]);
    const upload = randomBytes(10 * 1024 * 1024);
    const received = await timedRequest(`${gu.url}/upload`, { method: 'POST', body: upload });
    expect(JSON.parse(received.body.toString())).toEqual({ bytes: upload.length, sha256: sha256(upload) });
    const size = 10 * 1024 * 1024 + 7;
    const download = await timedRequest(`${gu.url}/binary?size=${size}`);
    const expected = Buffer.alloc(size);
    for (let i = 0; i < size; i++) expected[i] = (i * 31 + (i >> 8)) & 0xff;
    expect(download.body.length).toBe(size);
    expect(sha256(download.body)).toBe(sha256(expected));
  });

  it('streams a response written over time as it is written, not at the end', async () => {
    const gu = await startGu([plainApp, ...threads]);
    const res = await timedRequest(`${gu.url}/stream`);
    expect(res.body.toString()).toBe('tick 0\ntick 1\ntick 2\n');
    // Three writes 300 ms apart: the first arrives long before the last.
    expect(res.arrivals.length).toBeGreaterThanOrEqual(3);
    expect(res.arrivals.at(-1)! - res.arrivals[0]!).toBeGreaterThan(400);
  });

  it('runs an Express 5 app unchanged: params, JSON bodies, cookies, streaming, req.ip', async () => {
    const gu = await startGu([`${join(fixtures, 'express-app.mjs')}:app`, ...threads, '--threads', '2']);
    const user = await httpGet(`${gu.url}/users/42`);
    expect(JSON.parse(user.body)).toMatchObject({ id: '42' });
    const echoed = await fetch(`${gu.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'gu' }) });
    expect(echoed.status).toBe(201);
    expect(await echoed.json()).toEqual({ hello: 'gu' });
    const cookies = await fetch(`${gu.url}/cookies`);
    expect(cookies.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/']);
    expect(cookies.headers.get('etag')).toMatch(/^W\//);
    expect(await cookies.text()).toBe('<p>cookies</p>');
    const ip = await httpGet(`${gu.url}/ip`);
    expect(JSON.parse(ip.body)).toEqual({ ip: '127.0.0.1', hostname: '127.0.0.1' });
    const stream = await timedRequest(`${gu.url}/stream`);
    expect(stream.body.toString()).toBe('first\nsecond\n');
    expect(stream.arrivals.at(-1)! - stream.arrivals[0]!).toBeGreaterThan(250);
  });
});
