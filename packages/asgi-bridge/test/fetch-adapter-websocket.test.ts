import { describe, expect, it } from 'vitest';
import { fetchToAsgi } from '../src/fetch/fetch-app.js';
import type { BridgedWebSocket, FetchApp, FetchServer, ReceiveEvent, WebSocketScope } from '../src/types.js';
import { deferred, headers, Inbox, Outbox, webSocketScope } from './fetch-support.js';

const connect: ReceiveEvent = { type: 'websocket.connect' };
const text = (value: string): ReceiveEvent => ({ type: 'websocket.receive', text: value });
const binary = (value: Uint8Array): ReceiveEvent => ({ type: 'websocket.receive', bytes: value });
const disconnect = (code: number, reason?: string): ReceiveEvent => ({ type: 'websocket.disconnect', code, ...(reason ? { reason } : {}) });

type Call = [string, ...unknown[]];

/** A Bun-shaped app: fetch upgrades /ws (with `options`), the handler records what it is given and echoes. */
function echoApp(options: Parameters<FetchServer['upgrade']>[1] = {}) {
  const calls: Call[] = [];
  const sockets: BridgedWebSocket[] = [];
  const app: FetchApp = {
    fetch(request, server) {
      if (new URL(request.url).pathname === '/ws' && (server as FetchServer).upgrade(request, options)) return undefined as unknown as Response;
      return new Response('no socket here', { status: 404 });
    },
    websocket: {
      open(ws) {
        sockets.push(ws);
        calls.push(['open', ws.url, ws.protocol, ws.readyState, ws.data, ws.remoteAddress]);
      },
      message(ws, data) {
        calls.push(['message', typeof data === 'string' ? data : Buffer.from(data)]);
        if (data === 'bye') ws.close(4001, 'asked to');
        else ws.send(data);
      },
      close(ws, code, reason) {
        calls.push(['close', code, reason, ws.readyState]);
      },
    },
  };
  return { app, calls, sockets };
}

async function run(app: FetchApp, scope: WebSocketScope, events: ReceiveEvent[]) {
  const inbox = new Inbox();
  inbox.push(...events);
  const outbox = new Outbox();
  await fetchToAsgi(app)(scope, inbox.receive, outbox.send);
  return outbox;
}

describe('fetch-style apps: the websocket scope through fetch and server.upgrade (Bun\'s shape)', () => {
  it('accepts when fetch calls server.upgrade, then turns receive into message and disconnect into close', async () => {
    const { app, calls } = echoApp({ data: { user: 'ada' }, headers: { 'x-room': 'main' } });
    const payload = new Uint8Array([0, 1, 2, 255]);
    const scope = webSocketScope({ target: '/ws?room=1', client: ['::1', 5000] });
    const outbox = await run(app, scope, [connect, text('hi'), binary(payload), disconnect(1000, 'done')]);
    expect(outbox.events).toEqual([
      { type: 'websocket.accept', subprotocol: null, headers: [[Buffer.from('x-room'), Buffer.from('main')]] },
      { type: 'websocket.send', text: 'hi' },
      { type: 'websocket.send', bytes: Buffer.from(payload) },
    ]);
    expect(calls).toEqual([
      ['open', 'ws://example.test:8000/ws?room=1', '', 1, { user: 'ada' }, '::1'],
      ['message', 'hi'],
      ['message', Buffer.from(payload)],
      ['close', 1000, 'done', 3],
    ]);
  });

  it('hands a binary message over as a Buffer owning exactly its bytes (handlers read message.buffer)', async () => {
    let received: Uint8Array | undefined;
    const app: FetchApp = {
      fetch: (request, server) => ((server as FetchServer).upgrade(request), new Response(null)),
      websocket: { message: (_ws, data) => void (received = data as Uint8Array) },
    };
    const slab = Buffer.from('xxPAYLOADyy');
    await run(app, webSocketScope(), [connect, binary(slab.subarray(2, 9)), disconnect(1005)]);
    expect(Buffer.isBuffer(received)).toBe(true);
    expect(Buffer.from(received!.buffer).toString()).toBe('PAYLOAD');
  });

  it('sends socket.close(code, reason) as websocket.close, and drops sends after it', async () => {
    const { app, calls } = echoApp();
    const outbox = await run(app, webSocketScope({ target: '/ws' }), [connect, text('bye'), text('ignored'), disconnect(4001, 'asked to')]);
    expect(outbox.events.slice(1)).toEqual([{ type: 'websocket.close', code: 4001, reason: 'asked to' }]);
    expect(calls.at(-1)).toEqual(['close', 4001, 'asked to', 3]);
  });

  it('picks the client\'s first subprotocol unless the app names one in Sec-WebSocket-Protocol', async () => {
    const offered = { target: '/ws', subprotocols: ['chat.v2', 'chat.v1'] };
    const first = await run(echoApp().app, webSocketScope(offered), [connect, disconnect(1000)]);
    expect(first.events[0]).toMatchObject({ type: 'websocket.accept', subprotocol: 'chat.v2', headers: [] });
    const chosen = await run(echoApp({ headers: { 'Sec-WebSocket-Protocol': 'chat.v1' } }).app, webSocketScope(offered), [connect, disconnect(1000)]);
    expect(chosen.events[0]).toMatchObject({ type: 'websocket.accept', subprotocol: 'chat.v1', headers: [] });
    const none = await run(echoApp().app, webSocketScope({ target: '/ws' }), [connect, disconnect(1000)]);
    expect(none.events[0]).toMatchObject({ subprotocol: null });
    await expect(run(echoApp({ headers: { 'sec-websocket-protocol': 'mqtt' } }).app, webSocketScope(offered), [connect])).rejects.toThrow(
      'server.upgrade(): Sec-WebSocket-Protocol "mqtt" is not one the client offered (offered: chat.v2, chat.v1)',
    );
  });

  it('denies with the app\'s own response when the server has websocket.http.response, else with websocket.close', async () => {
    const withExtension = webSocketScope({ target: '/elsewhere', extensions: { 'websocket.http.response': {} } });
    const denied = await run(echoApp().app, withExtension, [connect]);
    expect(denied.types()).toEqual(['websocket.http.response.start', 'websocket.http.response.body']);
    expect(denied.events[0]).toMatchObject({ status: 404 });
    expect(denied.bodyText()).toBe('no socket here');
    const closed = await run(echoApp().app, webSocketScope({ target: '/elsewhere' }), [connect]);
    expect(closed.events).toEqual([{ type: 'websocket.close' }]);
  });

  it('passes the handshake to fetch as the GET Request it was, with an http(s) URL', async () => {
    let seen: Request | undefined;
    const app: FetchApp = { fetch: (request) => ((seen = request), new Response(null, { status: 403 })) };
    const scope = { ...webSocketScope({ target: '/live?x=1' }), scheme: 'wss' as const, headers: headers({ host: 'chat.test', upgrade: 'websocket', 'sec-websocket-protocol': 'a' }) };
    await run(app, scope, [connect]);
    expect(seen!.method).toBe('GET');
    expect(seen!.url).toBe('https://chat.test/live?x=1');
    expect(seen!.headers.get('upgrade')).toBe('websocket');
  });

  it('says what is wrong when the app upgrades without a websocket handler, or answers nothing', async () => {
    const noHandler: FetchApp = { fetch: (request, server) => ((server as FetchServer).upgrade(request), new Response(null)) };
    await expect(run(noHandler, webSocketScope(), [connect])).rejects.toThrow(
      'server.upgrade() was called, but the app has no websocket handler: export { fetch, websocket: { open, message, close } }',
    );
    const nothing = { fetch: () => undefined, websocket: {} } as unknown as FetchApp;
    await expect(run(nothing, webSocketScope({ target: '/ws' }), [connect])).rejects.toThrow(
      'fetch(request) for GET /ws returned undefined, not a Response (does every route return its Response?) and did not call server.upgrade(request)',
    );
  });

  it('refuses invalid close codes and payloads in the app\'s call, not later in the server', async () => {
    const errors: string[] = [];
    const app: FetchApp = {
      fetch: (request, server) => ((server as FetchServer).upgrade(request), new Response(null)),
      websocket: {
        open(ws) {
          for (const attempt of [() => ws.close(1006), () => ws.close(1000, 'x'.repeat(124)), () => ws.send({ not: 'bytes' } as unknown as string)]) {
            try {
              attempt();
            } catch (error) {
              errors.push((error as Error).message);
            }
          }
        },
      },
    };
    const outbox = await run(app, webSocketScope(), [connect, disconnect(1000)]);
    expect(outbox.types()).toEqual(['websocket.accept']);
    expect(errors).toEqual([
      'socket.close(): the number 1006 is not a close code to send (expected 1000, 1001-1014 but 1004-1006, or 3000-4999)',
      'socket.close(): the reason is 124 bytes in UTF-8; a close frame carries at most 123',
      'socket.send() got an object with keys not; it sends a string (a text message) or bytes (Uint8Array, ArrayBuffer or another ArrayBuffer view)',
    ]);
  });

  it('waits for each handler and the sends it queued before receiving the next message', async () => {
    const release = deferred();
    const order: string[] = [];
    const app: FetchApp = {
      fetch: (request, server) => ((server as FetchServer).upgrade(request), new Response(null)),
      websocket: {
        async message(ws, data) {
          order.push(`start ${String(data)}`);
          if (data === 'slow') await release.promise;
          ws.send(`done ${String(data)}`);
          order.push(`end ${String(data)}`);
        },
      },
    };
    const inbox = new Inbox();
    const outbox = new Outbox();
    inbox.push(connect, text('slow'));
    const served = fetchToAsgi(app)(webSocketScope(), inbox.receive, outbox.send);
    await outbox.until(1);
    inbox.push(text('fast'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['start slow']);
    expect(inbox.calls).toBe(2);
    release.resolve();
    inbox.push(disconnect(1000));
    await served;
    expect(order).toEqual(['start slow', 'end slow', 'start fast', 'end fast']);
  });

  it('keeps serving when a send raises because the connection is gone, and still calls close', async () => {
    const { app, calls } = echoApp();
    const inbox = new Inbox();
    const outbox = new Outbox();
    inbox.push(connect);
    const served = fetchToAsgi(app)(webSocketScope({ target: '/ws' }), inbox.receive, outbox.send);
    await outbox.until(1);
    outbox.failWith = new Error('connection closed');
    inbox.push(text('into the void'), disconnect(1006));
    await served;
    expect(calls.map((call) => call[0])).toEqual(['open', 'message', 'close']);
    expect(calls.at(-1)).toEqual(['close', 1006, '', 3]);
  });

  it('returns at once when the client leaves before websocket.connect is answered', async () => {
    let called = false;
    const outbox = await run({ fetch: () => ((called = true), new Response()) }, webSocketScope(), [disconnect(1001)]);
    expect(outbox.events).toEqual([]);
    expect(called).toBe(false);
  });
});
