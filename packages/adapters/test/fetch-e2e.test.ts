// End to end with the real gu: a Hono app wrapped by adaptFetchApp (test/fixtures/fetch-hono-app.mjs)
// under the async, sync and threads worker classes, and as it is (no wrapper) under asgi.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';
import { timedRequest } from './fetch-support.js';

const fixture = join(import.meta.dirname, 'fixtures', 'fetch-hono-app.mjs');
/** `gu app.mjs`: the default export, a Hono app as users write it, which gu detects. */
const app = fixture;

afterEach(cleanUp);

/** The rows every worker class answers alike: GET, a JSON POST, a 404, the query and headers as Hono sees them. */
async function expectGetPostNotFoundAndRequest(url: string): Promise<void> {
  const home = await httpGet(`${url}/`);
  expect(home.status).toBe(200);
  expect(home.body).toMatch(/^hello from \d+$/);
  const posted = await fetch(`${url}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":[1,2]}' });
  expect(posted.status).toBe(201);
  expect(await posted.json()).toEqual({ received: { n: [1, 2] } });
  expect((await httpGet(`${url}/nowhere`)).status).toBe(404);
  const seen = await fetch(`${url}/seen?tag=a&tag=b&q=%20x`, { headers: { 'x-seen': 'yes', accept: 'text/plain' } });
  expect(await seen.json()).toEqual({ url: `${url}/seen?tag=a&tag=b&q=%20x`, query: { tag: ['a', 'b'], q: [' x'] }, header: 'yes', accept: 'text/plain' });
}

it('serves the app wrapped by hand too (adaptFetchApp(app).listener)', async () => {
  const gu = await startGu([`${fixture}:app`, '-b', '127.0.0.1:0']);
  const home = await httpGet(`${gu.url}/`);
  expect(home.status).toBe(200);
  expect(home.body).toMatch(/^hello from \d+$/);
});

describe.each(['async', 'sync', 'threads'])('a Hono app exported as `export default app` under gu -k %s', (workerClass) => {
  it('serves GET, a JSON POST, a 404, the query and headers as Hono sees them, and a thrown error as a logged 500', async () => {
    const gu = await startGu([app, '-k', workerClass, '-b', '127.0.0.1:0']);
    await expectGetPostNotFoundAndRequest(gu.url);
    // No upgrade handler: a WebSocket handshake reaches fetch as a plain GET (README, "WebSockets").
    const handshake = await httpGet(`${gu.url}/`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    expect(handshake).toMatchObject({ status: 200, body: expect.stringMatching(/^hello from \d+$/) as string });
    const boom = await httpGet(`${gu.url}/boom`);
    expect(boom.status).toBe(500);
    await gu.waitForLog(/Error handling request GET \/boom[^]*boom from the app/);
  });

  it('sees the client address behind a trusted proxy, and the peer when the peer is not one', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    const trusted = await startGu([app, '-k', workerClass, '-b', '127.0.0.1:0', '--forwarded-allow-ips', '127.0.0.1']);
    expect((await httpGet(`${trusted.url}/client`, { headers })).body).toBe('203.0.113.7');
    const untrusted = await startGu([app, '-k', workerClass, '-b', '127.0.0.1:0', '--forwarded-allow-ips', '10.9.9.9']);
    expect((await httpGet(`${untrusted.url}/client`, { headers })).body).toBe('127.0.0.1');
  });

  it('streams a response as it is produced', async () => {
    const gu = await startGu([app, '-k', workerClass, '-b', '127.0.0.1:0']);
    const stream = await timedRequest(`${gu.url}/stream`);
    expect(stream.body.toString()).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
    // Five lines 200 ms apart: the first arrives ~800 ms before the last.
    expect(stream.arrivals.at(-1)! - stream.arrivals[0]!).toBeGreaterThan(500);
  });

  it('cuts the connection when a streamed body fails half-way, and logs the error', async () => {
    const gu = await startGu([app, '-k', workerClass, '-b', '127.0.0.1:0']);
    const cut = await new Promise<{ status: number; body: string; complete: boolean }>((resolve, reject) => {
      http.get(`${gu.url}/broken`, { agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('error', () => undefined);
        res.on('close', () => resolve({ status: res.statusCode ?? 0, body, complete: res.complete }));
      }).on('error', reject);
    });
    expect(cut).toEqual({ status: 200, body: 'partial', complete: false });
    await gu.waitForLog(/stream broke/);
  });

  it('finishes a slow request on TERM, then exits 0', async () => {
    const gu = await startGu([app, '-k', workerClass, '-b', '127.0.0.1:0', '--graceful-timeout', '10']);
    const slow = httpGet(`${gu.url}/slow?ms=1000`);
    await gu.waitForLog(/slow request started/);
    gu.signal('SIGTERM');
    const answer = await slow;
    expect(answer).toMatchObject({ status: 200, body: 'slow done' });
    expect(await gu.exited).toEqual({ code: 0, signal: null });
  });
});

// The same Hono app under -k asgi, which serves fetch apps itself (through the ASGI bridge, not
// @gu/adapters): the rows of the matrix that fetch-serving.test.ts in @gu/asgi-bridge does
// not already hold (the query and headers as Hono sees them, the client behind a trusted proxy, TERM).
describe('the same Hono app under gu -k asgi', () => {
  const asgi = [app, '-k', 'asgi', '-b', '127.0.0.1:0'];

  it('serves GET, a JSON POST, a 404, the query and headers as Hono sees them, and a thrown error as a 500', async () => {
    const gu = await startGu(asgi);
    await expectGetPostNotFoundAndRequest(gu.url);
    expect((await httpGet(`${gu.url}/boom`)).status).toBe(500);
    await gu.waitForLog(/boom from the app/);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
  });

  it('streams a response as it is produced', async () => {
    const gu = await startGu(asgi);
    const stream = await timedRequest(`${gu.url}/stream`);
    expect(stream.body.toString()).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
    expect(stream.arrivals.at(-1)! - stream.arrivals[0]!).toBeGreaterThan(500);
  });

  it('sees the client address behind a trusted proxy, and the peer when the peer is not one', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    const trusted = await startGu([...asgi, '--forwarded-allow-ips', '127.0.0.1']);
    expect((await httpGet(`${trusted.url}/client`, { headers })).body).toBe('203.0.113.7');
    const untrusted = await startGu([...asgi, '--forwarded-allow-ips', '10.9.9.9']);
    expect((await httpGet(`${untrusted.url}/client`, { headers })).body).toBe('127.0.0.1');
  });

  it('finishes a slow request on TERM, then exits 0', async () => {
    const gu = await startGu([...asgi, '--graceful-timeout', '10']);
    const slow = httpGet(`${gu.url}/slow?ms=1000`);
    await gu.waitForLog(/slow request started/);
    gu.signal('SIGTERM');
    expect(await slow).toMatchObject({ status: 200, body: 'slow done' });
    expect(await gu.exited).toEqual({ code: 0, signal: null });
  });
});
