import type { ServerResponse } from 'node:http';

/**
 * `res.shouldKeepAlive = false` (typed by @types/node, not documented by node; core's HTTP front
 * relies on it the same way, see its node-http-internals.ts): set before the head is written, node
 * adds `Connection: close` and ends the connection once the response is written. Pinned by
 * test/http-response.test.ts (an app's `connection: close`) and the protocol-error suite (the 500).
 */
export function closeAfterResponse(res: ServerResponse): void {
  res.shouldKeepAlive = false;
}
