import { type WorkerClass, type WorkerContext } from '@gu/core';
import { toAsgiApp } from './app-kind.js';
import { httpBridge } from './http/http-bridge.js';
import { startLifespan } from './lifespan/lifespan.js';
import { WebSocketBridge } from './websocket/websocket-bridge.js';

export type * from './types.js';

/**
 * The async app protocol worker class (`-k asgi`), as UvicornWorker is for Gunicorn: each worker
 * process serves an ASGI 3.0 app (or a fetch-style app, bridged to it) behind core's HTTP front —
 * HTTP with streaming both ways, WebSockets through `ws`, and lifespan startup before the worker
 * reports ready and shutdown on a graceful stop. See README.md for the protocol.
 */
const asgiWorker: WorkerClass = {
  name: 'asgi',

  async run(ctx: WorkerContext) {
    const { settings, log } = ctx;
    const app = toAsgiApp(await ctx.loadApp(), settings.app ?? '');
    const lifespan = await startLifespan(app, { settings, log });
    const bridge = { state: lifespan.state, settings, log };
    const sockets = new WebSocketBridge(app, bridge);
    const front = ctx.createHttpFront(httpBridge(app, bridge), {
      maxConnections: settings.workerConnections,
      upgrade: sockets.upgrade,
      // Any other offer (curl --http2's h2c) is an ordinary http request, as under Uvicorn.
      upgradeProtocols: ['websocket'],
      onDrain: (cause) => {
        sockets.drain(cause);
      },
    });
    try {
      await front.listen();
      ctx.ready();
      await front.serveUntil(ctx.stopSignal);
    } finally {
      await lifespan.shutdown();
    }
  },
};

export default asgiWorker;
