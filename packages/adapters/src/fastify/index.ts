import type { EventEmitter } from 'node:events';
import { logTargetFor, withLogTarget } from '../adapted.js';
import type { AdaptedApp, AdaptOptions, RequestListener, UpgradeListener } from '../types.js';

interface FastifyApp {
  /** Fastify's own request handler (`preRouting`): its router, hooks and 404, without a listen(). */
  routing: RequestListener;
  ready(): PromiseLike<unknown>;
  close(): PromiseLike<unknown>;
  inject: unknown;
  /** The node:http server Fastify made (never listening under gu): plugins listen to its events. */
  server: EventEmitter;
}

/** A Fastify instance (`Fastify()`), readied or not. */
export function isFastifyApp(value: unknown): value is FastifyApp {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const app = value as Partial<FastifyApp>;
  return typeof app.routing === 'function' && typeof app.ready === 'function' && typeof app.close === 'function' &&
    typeof app.inject === 'function' && typeof app.server?.emit === 'function';
}

/**
 * Fastify 5: `ready()` awaits `app.ready()` (plugins loaded, routes compiled), requests go through
 * `app.routing` (Fastify's router, hooks, logger and error handling, as under its own listen()),
 * and `close()` is `app.close()`, which runs the onClose hooks. Upgrades: plugins such as
 * @fastify/websocket listen for 'upgrade' on `app.server`, which gu's sockets never reach; gu's
 * upgrades are emitted there, when, once ready, something listens (`upgrade` is read after ready()).
 */
export function adaptFastify(app: FastifyApp, options: AdaptOptions = {}): AdaptedApp {
  let readied = false;
  const emitUpgrade: UpgradeListener = (req, socket, head) => {
    app.server.emit('upgrade', req, socket, head);
  };
  return withLogTarget({
    framework: 'fastify',
    listener: app.routing,
    get upgrade() {
      return readied && app.server.listenerCount('upgrade') > 0 ? emitUpgrade : undefined;
    },
    async ready() {
      await app.ready();
      readied = true;
    },
    async close() {
      await app.close();
    },
  }, logTargetFor(options));
}
