/**
 * `@gu/asgi-bridge/hono`: Hono's WebSocket helper for gu, as `hono/bun` is Bun's (that module
 * cannot load in Node: it reads the `Bun` global at import). A Hono app written for Bun runs under
 * `gu -k asgi` with only its import changed:
 *
 *   import { upgradeWebSocket, websocket } from '@gu/asgi-bridge/hono';
 *   app.get('/ws', upgradeWebSocket(() => ({ onMessage(event, ws) { ws.send(event.data) } })));
 *   export default { fetch: app.fetch, websocket };
 *
 * Built on Hono's own `defineWebSocketHelper` and `WSContext` (hono/ws), so the events and the
 * `ws` they get are Hono's; Hono is an optional peer dependency, loaded only by this entry point.
 */
import { WSContext, createWSMessageEvent, defineWebSocketHelper, type WSEvents, type WSMessageReceive } from 'hono/ws';
import type { BridgedWebSocket, Bytes, FetchServer, FetchWebSocketHandler } from './types.js';

interface HonoSocketData {
  readonly events: WSEvents<BridgedWebSocket>;
}

function isFetchServer(env: unknown): env is FetchServer {
  return typeof env === 'object' && env !== null && typeof (env as Partial<FetchServer>).upgrade === 'function';
}

/** Hono's middleware: accepts a WebSocket handshake with the events `createEvents(c)` gives. */
export const upgradeWebSocket = defineWebSocketHelper<BridgedWebSocket>((c, events) => {
  const server: unknown = c.env;
  if (!isFetchServer(server)) {
    throw new TypeError('upgradeWebSocket (@gu/asgi-bridge/hono): c.env is not the server gu passes to fetch; serve the app with gu -k asgi and export { fetch: app.fetch, websocket }');
  }
  const data: HonoSocketData = { events };
  // Not a handshake: undefined, and Hono goes on to the next handler (as hono/bun does).
  if (server.upgrade(c.req.raw, { data })) return new Response(null);
  return undefined;
});

/** One WSContext per socket, so a `ws` kept in a Set on open is the same one on close. */
const contexts = new WeakMap<BridgedWebSocket, WSContext<BridgedWebSocket>>();

function contextOf(socket: BridgedWebSocket): WSContext<BridgedWebSocket> {
  let context = contexts.get(socket);
  if (context === undefined) {
    context = new WSContext<BridgedWebSocket>({
      send: (source) => {
        socket.send(source);
      },
      close: (code, reason) => {
        socket.close(code, reason);
      },
      raw: socket,
      get readyState() {
        return socket.readyState;
      },
      url: socket.url,
      protocol: socket.protocol,
    });
    contexts.set(socket, context);
  }
  return context;
}

function eventsOf(socket: BridgedWebSocket): WSEvents<BridgedWebSocket> {
  return (socket.data as HonoSocketData).events;
}

/** An event handler's throw goes to onError when the route has one, else to gu (which logs it). */
async function run(socket: BridgedWebSocket, handle: (events: WSEvents<BridgedWebSocket>, ws: WSContext<BridgedWebSocket>) => unknown): Promise<void> {
  const events = eventsOf(socket);
  const ws = contextOf(socket);
  try {
    await handle(events, ws);
  } catch (error) {
    if (!events.onError) throw error;
    const event = new Event('error');
    Object.assign(event, { error });
    events.onError(event, ws);
  }
}

/** A binary message as Hono has it: an ArrayBuffer holding exactly the message. */
function messageData(data: string | Bytes): WSMessageReceive {
  if (typeof data === 'string') return data;
  const exact = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  return exact ? data.buffer : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
}

/** The `websocket` handler to export beside `fetch`: dispatches to each route's Hono events. */
export const websocket: FetchWebSocketHandler = {
  open: (socket) => run(socket, (events, ws) => events.onOpen?.(new Event('open'), ws)),
  message: (socket, data) => run(socket, (events, ws) => events.onMessage?.(createWSMessageEvent(messageData(data)), ws)),
  close: (socket, code, reason) => run(socket, (events, ws) => events.onClose?.(new CloseEvent('close', { code, reason }), ws)),
};
