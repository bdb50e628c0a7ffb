import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchEnv, FetchSocketAddress } from './fetch-app.js';

/**
 * The `env` of one request (Hono's `c.env`): node's request and response, as @hono/node-server
 * binds them (its `getConnInfo` reads `incoming`), and Bun's `requestIP(request)` (what `-k asgi`
 * passes, and `hono/bun`'s `getConnInfo` reads), so either helper works. A class: one small
 * object per request, the method shared.
 */
export class NodeEnv implements FetchEnv {
  constructor(
    readonly incoming: IncomingMessage,
    readonly outgoing: ServerResponse,
  ) {}

  /** The peer of this request's connection (the proxy's, behind one: see X-Forwarded-For). */
  requestIP(_request?: Request): FetchSocketAddress | null {
    const { remoteAddress, remotePort, remoteFamily } = this.incoming.socket;
    if (remoteAddress === undefined) return null;
    return { address: remoteAddress, port: remotePort ?? 0, family: remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4' };
  }
}
