// End to end: apps/hono-example and a Hono WebSocket app behind the real gu -k asgi.
// Needs the HTTP bridge (src/http); the WebSocket test also needs the WebSocket bridge (src/websocket).
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, timedRequest } from '@gu/testkit';
import WebSocket from 'ws';

const exampleDir = join(import.meta.dirname, '../../../apps/hono-example');
const honoWsApp = join(import.meta.dirname, 'fixtures', 'fetch-hono-ws-app.mjs');
const asgi = ['-k', 'asgi', '-b', '127.0.0.1:0'];

afterEach(cleanUp);

function nextMessage(socket: WebSocket): Promise<string | Buffer> {
  return once(socket, 'message').then(([data, isBinary]) => (isBinary ? (data as Buffer) : (data as Buffer).toString()));
}

describe('the Hono example (apps/hono-example) under gu -k asgi', () => {
  it('serves /, /json (GET and POST) and a streamed route as it streams', async () => {
    const gu = await startGu(['app.js', ...asgi], { cwd: exampleDir });
    const home = await httpGet(`${gu.url}/`);
    expect(home.status).toBe(200);
    expect(home.body).toMatch(/^Hello from Hono, served by gu worker \d+\n$/);
    const json = await fetch(`${gu.url}/json`);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(await json.json()).toEqual({ framework: 'hono', server: 'gu', worker: gu.workerPids[0] });
    const echo = await fetch(`${gu.url}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":"gu"}' });
    expect(echo.status).toBe(201);
    expect(await echo.json()).toEqual({ hello: 'gu' });
    const stream = await timedRequest(`${gu.url}/stream`);
    expect(stream.body.toString()).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
    // Five lines 200 ms apart: the first arrives ~800 ms before the last.
    expect(stream.arrivals.at(-1)! - stream.arrivals[0]!).toBeGreaterThan(500);
    expect((await httpGet(`${gu.url}/nowhere`)).status).toBe(404);
  });
});

describe('a Hono app with a WebSocket route (@gu/asgi-bridge/hono) under gu -k asgi', () => {
  it('upgrades, echoes text and bytes, closes with the app\'s code, and forgets the socket', async () => {
    const gu = await startGu([honoWsApp, ...asgi]);
    const socket = new WebSocket(`${gu.url.replace('http', 'ws')}/ws?name=ada`, ['chat']);
    const welcome = nextMessage(socket);
    await once(socket, 'open');
    expect(socket.protocol).toBe('chat');
    expect(await welcome).toBe('welcome ada (chat)');
    socket.send('hi');
    expect(await nextMessage(socket)).toBe('echo: hi');
    socket.send(Buffer.from([1, 2, 3]));
    expect(await nextMessage(socket)).toEqual(Buffer.from([1, 2, 3]));
    expect(await (await fetch(`${gu.url}/open`)).json()).toEqual({ open: 1 });
    const closed = once(socket, 'close');
    socket.send('close please');
    const [code, reason] = (await closed) as [number, Buffer];
    expect(code).toBe(4000);
    expect(reason.toString()).toBe('as asked');
    // The server runs onClose when its side of the connection closes, which may trail the client's event.
    await expect.poll(async () => (await fetch(`${gu.url}/open`)).json(), { timeout: 2000 }).toEqual({ open: 0 });
    // A plain GET on the WebSocket route falls through upgradeWebSocket to Hono's 404.
    expect((await httpGet(`${gu.url}/ws`)).status).toBe(404);
  });
});
