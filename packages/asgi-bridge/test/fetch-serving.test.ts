// End to end: a fetch-style app ({ fetch }) behind the real gu -k asgi. Needs the HTTP bridge (src/http).
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, timedRequest } from '@gu/testkit';

const plainApp = join(import.meta.dirname, 'fixtures', 'fetch-plain-app.mjs');
const asgi = ['-k', 'asgi', '-b', '127.0.0.1:0'];

afterEach(cleanUp);

describe('fetch-style apps under gu -k asgi', () => {
  it('answers GET, HEAD and an unknown path from the app, with the app\'s headers and each Set-Cookie apart', async () => {
    const gu = await startGu([plainApp, ...asgi]);
    expect(gu.stderr).toContain('Using worker: asgi');
    const hello = await httpGet(`${gu.url}/`);
    expect(hello.status).toBe(200);
    expect(hello.body).toBe(`hello from ${gu.workerPids[0]}\n`);
    expect(hello.headers['content-type']).toBe('text/plain');
    const head = await httpGet(`${gu.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const missing = await httpGet(`${gu.url}/missing`);
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('not found\n');
    const cookies = await fetch(`${gu.url}/cookies`);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('reads a JSON request body and echoes it', async () => {
    const gu = await startGu([plainApp, ...asgi]);
    const res = await fetch(`${gu.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'gu', n: [1, 2] }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ received: { hello: 'gu', n: [1, 2] }, contentType: 'application/json' });
  });

  it('streams a response body written over time as it is written', async () => {
    const gu = await startGu([plainApp, ...asgi]);
    const res = await timedRequest(`${gu.url}/stream`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('tick 0\ntick 1\ntick 2\n');
    // Three chunks 300 ms apart: the first arrives long before the last.
    expect(res.arrivals.length).toBeGreaterThanOrEqual(3);
    expect(res.arrivals.at(-1)! - res.arrivals[0]!).toBeGreaterThan(400);
  });

  it('answers 500 when fetch throws or returns no Response, logs what the app did, and serves on', async () => {
    const gu = await startGu([plainApp, ...asgi]);
    const thrown = await httpGet(`${gu.url}/boom`);
    expect(thrown.status).toBe(500);
    await gu.waitForLog(/the app broke on purpose/);
    const nothing = await httpGet(`${gu.url}/nothing`);
    expect(nothing.status).toBe(500);
    await gu.waitForLog(/fetch\(request\) for GET \/nothing returned undefined, not a Response/);
    const after = await httpGet(`${gu.url}/`);
    expect(after.status).toBe(200);
  });
});
