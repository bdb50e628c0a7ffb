import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** A Node request listener, as node:http calls it. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP Upgrade (WebSocket) handler, as node:http's `upgrade` event calls it. */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Where an adapter reports what the app logs or throws outside a request (gu's error log). */
export interface AdapterLog {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  exception(message: string, error: unknown): void;
}

export interface AdaptOptions {
  /** The app spec the user gave (`app.js:app`), named in error messages. */
  readonly spec?: string;
  readonly log?: AdapterLog;
}

/**
 * What a worker class serves: the app a user exported, with its lifecycle. Core awaits `ready()` (if
 * any) before the worker reports ready, routes upgrades to `upgrade` (if any), and calls `close()`
 * once on a graceful stop, after in-flight requests finished.
 */
export interface AdaptedApp {
  /** What was detected: `express`, `fastify`, `koa`, `fetch`, `nest`, `listener`. */
  readonly framework: string;
  readonly listener: RequestListener;
  readonly upgrade?: UpgradeListener;
  ready?(): Promise<void>;
  close?(): Promise<void>;
}
