import { join } from 'node:path';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { loadApp } from '@gu/core/app-loader';
import { describe, expect, it } from 'vitest';
import { toAsgiApp } from '../src/app-kind.js';
import { upgradeWebSocket, websocket } from '../src/hono.js';
import type { AsgiApp, HttpResponseBody, ReceiveEvent, Scope } from '../src/types.js';
import { httpScope, Inbox, Outbox, requestEvent, webSocketScope } from './fetch-support.js';

/** MessageEvent's data (the DOM type is not in this package's lib). */
const dataOf = (event: unknown): unknown => (event as { data: unknown }).data;

const exampleDir = join(import.meta.dirname, '../../../apps/hono-example');

async function serve(app: AsgiApp, scope: Scope = httpScope(), events: ReceiveEvent[] = [requestEvent('')]) {
  const inbox = new Inbox();
  inbox.push(...events);
  const outbox = new Outbox();
  await app(scope, inbox.receive, outbox.send);
  return outbox;
}

describe('Hono apps under -k asgi', () => {
  it('a Hono app is an object with a fetch method, not a function: toAsgiApp takes it as fetch-style', async () => {
    const hono = new Hono().get('/', (c) => c.text('from hono'));
    expect(typeof hono).toBe('object');
    const outbox = await serve(toAsgiApp(hono, 'app.js'));
    expect(outbox.events[0]).toMatchObject({ type: 'http.response.start', status: 200 });
    expect(outbox.bodyText()).toBe('from hono');
  });

  it('takes the fetch function itself as fetch-style when the spec names it (app.js:default.fetch)', async () => {
    const hono = new Hono().get('/', (c) => c.text('from hono.fetch'));
    const outbox = await serve(toAsgiApp(hono.fetch, 'app.js:default.fetch'));
    expect(outbox.events[0]).toMatchObject({ type: 'http.response.start', status: 200 });
    expect(outbox.bodyText()).toBe('from hono.fetch');
  });

  it('loads apps/hono-example (`export default app`) as gu loads it, and serves its routes', async () => {
    const app = toAsgiApp(await loadApp('app.js', exampleDir), 'app.js');
    const json = await serve(app, httpScope({ target: '/json' }));
    expect(JSON.parse(json.bodyText())).toMatchObject({ framework: 'hono', server: 'gu' });
    expect(json.headerList()).toContainEqual(['content-type', 'application/json']);
    const streamed = await serve(app, httpScope({ target: '/stream' }));
    const chunks = streamed.events.filter((event): event is HttpResponseBody => event.type === 'http.response.body');
    expect(streamed.bodyText()).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
    // Written over 800 ms: a message per line as it is written; the last one ends the body.
    expect(chunks.map((chunk) => [Buffer.from(chunk.body!).toString(), chunk.more_body])).toEqual([
      ['tick 1\n', true],
      ['tick 2\n', true],
      ['tick 3\n', true],
      ['tick 4\n', true],
      ['tick 5\n', false],
    ]);
    const head = await serve(app, httpScope({ method: 'HEAD', target: '/json' }));
    expect(head.events[0]).toMatchObject({ status: 200 });
    expect(head.bodyText()).toBe('');
  });

  it('cancels a Hono stream (its onAbort runs) when the client goes away mid-body', async () => {
    let aborted = false;
    const hono = new Hono().get('/live', (c) =>
      stream(c, async (out) => {
        out.onAbort(() => {
          aborted = true;
        });
        while (!out.aborted) await out.write('tick\n');
      }),
    );
    const inbox = new Inbox();
    inbox.push(requestEvent(''));
    const outbox = new Outbox();
    const served = toAsgiApp(hono, 'app.js')(httpScope({ target: '/live' }), inbox.receive, outbox.send);
    await outbox.until(4);
    outbox.failWith = new Error('client gone');
    await expect(served).rejects.toThrow('client gone');
    expect(aborted).toBe(true);
  });

  it('runs a Hono WebSocket route through @gu/asgi-bridge/hono, with one ws object per socket', async () => {
    const open = new Set<unknown>();
    const hono = new Hono();
    hono.get(
      '/ws',
      upgradeWebSocket((c) => ({
        onOpen(_event, ws) {
          open.add(ws);
          ws.send(`hi ${c.req.query('name') ?? ''} on ${ws.protocol ?? ''}`);
        },
        onMessage(event, ws) {
          const data = dataOf(event);
          if (data instanceof ArrayBuffer) ws.send(new Uint8Array(data).reverse());
          else if (data === 'fail') throw new Error('handler failed');
          else ws.send(`echo ${String(data)}`);
        },
        onClose(event, ws) {
          open.delete(ws);
          ws.send(`never sent after ${event.code}`);
        },
        onError(event) {
          open.add(`error: ${((event as Event & { error: Error }).error).message}`);
        },
      })),
    );
    const app = toAsgiApp({ fetch: hono.fetch, websocket }, 'app.js');
    const events: ReceiveEvent[] = [
      { type: 'websocket.connect' },
      { type: 'websocket.receive', text: 'x' },
      { type: 'websocket.receive', bytes: new Uint8Array([1, 2, 3]) },
      { type: 'websocket.receive', text: 'fail' },
      { type: 'websocket.disconnect', code: 1000 },
    ];
    const outbox = await serve(app, webSocketScope({ target: '/ws?name=ada', subprotocols: ['v1'] }), events);
    expect(outbox.events).toEqual([
      { type: 'websocket.accept', subprotocol: 'v1', headers: [] },
      { type: 'websocket.send', text: 'hi ada on v1' },
      { type: 'websocket.send', text: 'echo x' },
      { type: 'websocket.send', bytes: new Uint8Array([3, 2, 1]) },
    ]);
    expect([...open]).toEqual(['error: handler failed']);
  });

  it('lets a Hono app answer a handshake on a route without upgradeWebSocket with its own response', async () => {
    const hono = new Hono().get('/', (c) => c.text('not a socket', 400));
    const scope = webSocketScope({ extensions: { 'websocket.http.response': {} } });
    const outbox = await serve(toAsgiApp({ fetch: hono.fetch, websocket }, 'app.js'), scope, [{ type: 'websocket.connect' }]);
    expect(outbox.events[0]).toMatchObject({ type: 'websocket.http.response.start', status: 400 });
    expect(outbox.bodyText()).toBe('not a socket');
  });
});

describe('toAsgiApp: the websocket beside fetch is checked when the app loads', () => {
  const fetch = () => new Response();
  it.each([
    [{ fetch, websocket: 'yes' }, "app.js: the app's websocket is the string \"yes\"; expected an object with open(ws), message(ws, data) and close(ws, code, reason) methods, each optional"],
    [{ fetch, websocket: { message: 'hi' } }, "app.js: the app's websocket.message is the string \"hi\"; expected an object"],
  ])('refuses %j', (loaded, message) => {
    expect(() => toAsgiApp(loaded, 'app.js')).toThrow(message);
  });

  it('names what it found when the export is neither kind of app', () => {
    expect(() => toAsgiApp({ handler: fetch }, 'app.js')).toThrow(
      'app.js: the asgi worker class needs an ASGI app (an async function (scope, receive, send)) or a fetch-style app (an object with fetch(request)); found an object with keys handler',
    );
  });
});
