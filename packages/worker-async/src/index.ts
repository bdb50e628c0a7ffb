import { type WorkerClass, type WorkerContext } from '@gu/core';

/**
 * The Node-native worker class (`-k async`, the default): one event loop per process serves many
 * requests at once, as the app's own `http.createServer` would. At most `worker_connections`
 * connections are open per worker; beyond that the worker stops accepting and further connections
 * wait in the kernel backlog (for this or another worker) rather than being accepted and dropped.
 * (The settings registry already refuses a `worker_connections` that is not a positive integer.)
 * The app is loaded as adapted (ctx.loadAdaptedApp: Express, Koa, Fastify, NestJS… with
 * @gu/adapters): readied before the worker reports ready, its upgrades (WebSockets) served, and
 * closed once the front stopped. A plain listener is served as it is, nothing added per request.
 */
const asyncWorker: WorkerClass = {
  name: 'async',

  async run(ctx: WorkerContext) {
    const app = await ctx.loadAdaptedApp();
    await app.ready();
    const front = ctx.createHttpFront(app.listener, { maxConnections: ctx.settings.workerConnections, upgrade: app.upgrade });
    await front.listen();
    ctx.ready();
    await front.serveUntil(ctx.stopSignal);
    await app.close();
  },
};

export default asyncWorker;
