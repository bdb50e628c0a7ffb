import { type WorkerClass, type WorkerContext } from '@gu/core';
import { Dispatcher } from './main/dispatcher.js';
import { checkIntervalMs, keepHeartbeat } from './main/health.js';
import { ThreadPool } from './main/thread-pool.js';

/**
 * The thread-pool worker class (`-k threads`), gu's answer to Gunicorn's gthread: the worker
 * process's event loop keeps the network (core's HTTP front: limits, deadlines, PROXY protocol, TLS,
 * access log, hooks) and each request runs in one of `threads` piscina threads, each of which has
 * loaded the app itself. See the README for when this beats more processes, and what it costs.
 */
const threadsWorker: WorkerClass = {
  name: 'threads',
  ownsHeartbeat: true,

  async run(ctx: WorkerContext) {
    const { settings, log } = ctx;
    const pool = new ThreadPool(settings, log, checkIntervalMs(settings.timeout));
    try {
      await pool.booted(settings.threads);
    } catch (error) {
      await pool.close();
      throw error;
    }
    const dispatcher = new Dispatcher(pool, settings, log);
    const lost: { app: Error | null } = { app: null };
    pool.serve({
      message: (message, link) => {
        dispatcher.message(message, link);
      },
      ready: () => {
        dispatcher.ready();
      },
      gone: (link) => {
        dispatcher.gone(link);
      },
      loadFailure: (error) => {
        // A replacement thread that can no longer load the app (changed on disk): this process cannot
        // serve as configured any more. Stop it; the arbiter starts another, whose boot says why.
        lost.app ??= error;
        log.exception('A worker thread could not load the app', error);
        process.kill(process.pid, 'SIGTERM');
      },
    });
    // The handler returns a promise for the requests it hands on: the front answers 500 (and logs the
    // thread's error) when it rejects, as for any handler (see WorkerClass).
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the front handles the promise
    const front = ctx.createHttpFront(dispatcher.handler, { maxConnections: settings.workerConnections });
    const stopBeating = keepHeartbeat(ctx, pool, dispatcher);
    try {
      await front.listen();
      ctx.ready();
      await front.serveUntil(ctx.stopSignal);
    } finally {
      stopBeating();
      // After the drain: each thread closes its app (Fastify's onClose hooks…) within graceful_timeout.
      await pool.close(settings.gracefulTimeout * 1000);
    }
    if (lost.app) throw lost.app;
  },
};

export default threadsWorker;
