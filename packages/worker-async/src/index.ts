import { type WorkerClass, type WorkerContext } from '@gu/core';

/**
 * The Node-native worker class (`-k async`, the default): one event loop per process serves many
 * requests at once, as the app's own `http.createServer` would. At most `worker_connections`
 * connections are open per worker; beyond that the worker stops accepting and further connections
 * wait in the kernel backlog (for this or another worker) rather than being accepted and dropped.
 * (The settings registry already refuses a `worker_connections` that is not a positive integer.)
 */
const asyncWorker: WorkerClass = {
  name: 'async',

  async run(ctx: WorkerContext) {
    const handler = await ctx.loadRequestListener();
    const front = ctx.createHttpFront(handler, { maxConnections: ctx.settings.workerConnections });
    await front.listen();
    ctx.ready();
    await front.serveUntil(ctx.stopSignal);
  },
};

export default asyncWorker;
