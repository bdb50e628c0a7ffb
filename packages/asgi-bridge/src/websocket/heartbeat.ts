/**
 * Server-side pings on every open WebSocket, every `websocket_ping_interval` seconds (0: none), as
 * ASGI asks of the server: idle connections stay open through proxies that drop silent ones, and a
 * peer that stopped answering is terminated at the next tick (see WebSocketSession.checkAlive).
 * One timer for the worker, not one per connection; unref'd, so it never holds a stopping worker.
 * Node's timers run on the monotonic clock: a wall-clock jump neither fires nor delays a tick.
 */
export function startHeartbeat(intervalSeconds: number, tick: () => void): void {
  if (intervalSeconds <= 0) return;
  setInterval(tick, intervalSeconds * 1000).unref();
}
