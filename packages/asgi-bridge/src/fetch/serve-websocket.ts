import type { FetchApp, Receive, Send, WebSocketScope } from '../types.js';
import { ExecutionContext } from './execution-context.js';
import type { AcceptedUpgrade, BridgeServer } from './fetch-server.js';
import { headerPairs } from './latin1.js';
import { handshakeRequest } from './request.js';
import { checkResponse, streamBody } from './response.js';
import { WebSocketSession } from './websocket-session.js';

const notUpgraded = ' and did not call server.upgrade(request)';

/**
 * The app answered the handshake without upgrading it: its Response goes to the client when the
 * server has the websocket.http.response extension, else the server refuses with 403.
 */
async function deny(returned: unknown, request: Request, scope: WebSocketScope, send: Send): Promise<void> {
  const response = checkResponse(returned, request, notUpgraded);
  if (scope.extensions?.['websocket.http.response'] === undefined) {
    await response.body?.cancel().catch(() => undefined);
    await send({ type: 'websocket.close' });
    return;
  }
  await send({ type: 'websocket.http.response.start', status: response.status, headers: headerPairs(response.headers) });
  await streamBody(response.body, (chunk, moreBody) => send({ type: 'websocket.http.response.body', body: chunk, more_body: moreBody }));
}

async function accept(upgrade: AcceptedUpgrade, send: Send): Promise<void> {
  await send({ type: 'websocket.accept', subprotocol: upgrade.subprotocol, headers: upgrade.headers });
}

/**
 * One websocket scope for a fetch-style app, as Bun does it: the handshake goes to `fetch` as a
 * GET Request; if the app calls `server.upgrade(request)` the connection is accepted once fetch
 * returns and the app's `websocket` handler serves it; otherwise what fetch returned is the answer.
 */
export async function serveWebSocket(app: FetchApp, server: BridgeServer, scope: WebSocketScope, receive: Receive, send: Send): Promise<void> {
  const first = await receive();
  if (first.type !== 'websocket.connect') return;
  const aborter = new AbortController();
  const request = handshakeRequest(scope, aborter.signal);
  server.register(request, scope);
  const context = new ExecutionContext();
  try {
    const returned: unknown = await app.fetch(request, server, context);
    const upgrade = server.answered(request);
    if (upgrade === null || app.websocket === undefined) {
      await deny(returned, request, scope, send);
    } else {
      await accept(upgrade, send);
      await new WebSocketSession(app.websocket, scope, upgrade, send).run(receive);
    }
  } finally {
    aborter.abort();
  }
  await context.settle();
}
