import type { SettingSpecs } from './registry.js';
import { integerOrZero } from './value-kinds.js';

/**
 * The WebSocket keep-alive of the `asgi` worker class (@gu/asgi-bridge), declared here to keep
 * registry.ts readable; it spreads them in place. Core only declares it: no core code reads it.
 * Gunicorn has no WebSocket setting; `keepalive` and `timeout` mean other things (an idle HTTP
 * connection, a blocked worker), so the ping interval has a name of its own, after Uvicorn's
 * `ws_ping_interval`.
 */
export const websocketSettings: SettingSpecs<'websocketPingInterval'> = {
  websocketPingInterval: {
    name: 'websocket_ping_interval',
    section: 'Worker Processes',
    flags: ['--websocket-ping-interval'],
    kind: integerOrZero,
    default: 20,
    doc: "Seconds between the pings a worker of the `asgi` worker class sends on each open WebSocket (Uvicorn's `ws_ping_interval`, whose default it shares). The pings keep idle connections open through proxies and NATs that drop silent ones, and find dead peers: a connection that has not answered the previous ping with a pong when the next one is due is terminated, so a client that vanished without closing is noticed within two intervals and the app gets `websocket.disconnect` with code 1006. A connection whose app is not reading (its messages are held back) is not judged. 0 sends no pings. Other worker classes ignore it.",
  },
};
