import type { WorkerClass, WorkerContext } from '@gu/core';
import { headDeadlineMs } from './head-deadline.js';

/**
 * Gunicorn's default worker class (`-k sync`): each worker process serves one request at a time,
 * so the number of workers is the concurrency. For handlers that block or burn CPU: a synchronous
 * (req, res) listener or an Express app runs to its end before the worker takes another request.
 *
 * Every response closes its connection (`Connection: close`), as Gunicorn's sync worker does. While
 * a connection is open the worker does not accept: the next connections wait in the kernel backlog,
 * where an idle worker takes them, so a busy worker never holds a connection another could serve.
 * It stops accepting by no longer polling its copy of the listening socket (one system call each
 * way, see @gu/core's accept-switch), not by closing it, which would cost a copy sent over IPC per
 * request. A client that sends no head, or trickles it, is cut at a deadline shorter than the
 * front's default (see head-deadline.ts): each such connection would otherwise pin a whole worker.
 * The app is loaded as adapted (ctx.loadAdaptedApp), readied before the worker reports ready and
 * closed once the front stopped; an upgraded connection (a WebSocket) holds the worker until it ends.
 */
const syncWorker: WorkerClass = {
  name: 'sync',

  async run(ctx: WorkerContext) {
    const app = await ctx.loadAdaptedApp();
    await app.ready();
    const front = ctx.createHttpFront(app.listener, {
      maxConnections: 1,
      pauseAcceptBy: 'polling',
      keepAlive: false,
      headDeadlineMs: headDeadlineMs(ctx.settings),
      upgrade: app.upgrade,
    });
    await front.listen();
    ctx.ready();
    await front.serveUntil(ctx.stopSignal);
    await app.close();
  },
};

export default syncWorker;
