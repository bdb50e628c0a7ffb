import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** A Node request listener: the Node equivalent of a WSGI callable. Express apps are such listeners. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The app as a worker class serves it, with its lifecycle: what `ctx.loadAdaptedApp()` gives. The
 * same shape as @gu/adapters' AdaptedApp, declared here by structure (core does not depend on it).
 *
 * A worker class awaits `ready()` before `ctx.ready()`, and only then reads `listener` and
 * `upgrade` (a framework may define them while getting ready: NestJS adds its routes then, a
 * Fastify plugin its upgrade listener); it serves `listener` as its request handler, routes
 * upgrade requests to `upgrade` when there is one (HttpFrontOptions.upgrade), and calls `close()`
 * once on a stop, after the front stopped. `ready()` and `close()` as core gives them never leave
 * the class a raw error: a failed ready() is an AppLoadError (exit 4), a failed close() is logged.
 */
export interface AdaptedApp {
  /** What was detected: `express`, `fastify`, `koa`, `fetch`, `nest`, `listener`. */
  readonly framework: string;
  readonly listener: RequestListener;
  readonly upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  ready(): Promise<void>;
  close(): Promise<void>;
}
