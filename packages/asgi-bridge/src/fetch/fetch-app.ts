import type { AsgiApp, FetchApp, Receive, Scope, Send } from '../types.js';
import { BridgeServer } from './fetch-server.js';
import { serveHttp } from './serve-http.js';
import { serveWebSocket } from './serve-websocket.js';

function noLifespan(): Promise<void> {
  // As ASGI says an app without lifespan support does: raise, and the server goes on without it.
  return Promise.reject(new Error('fetch-style apps have no lifespan: the lifespan scope is not supported'));
}

/**
 * A fetch-style app (`{ fetch(request, server, ctx), websocket? }`, a Hono app) as an ASGI app:
 * http scopes become Requests answered by `fetch`, websocket scopes go through `fetch` and
 * `server.upgrade()` to the `websocket` handler (Bun's shape), the lifespan scope is refused.
 */
export function fetchToAsgi(app: FetchApp): AsgiApp {
  const server = new BridgeServer(app.websocket !== undefined);
  return (scope: Scope, receive: Receive, send: Send) => {
    switch (scope.type) {
      case 'http':
        return serveHttp(app, server, scope, receive, send);
      case 'websocket':
        return serveWebSocket(app, server, scope, receive, send);
      case 'lifespan':
        return noLifespan();
    }
  };
}
