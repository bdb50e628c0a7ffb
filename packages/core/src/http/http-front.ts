import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestListener } from '../app/types.js';
import type { AccessEntry } from '../logging/access-entry.js';
import type { Logger } from '../logging/logger.js';
import type { Settings } from '../settings/types.js';
import type { WorkerListener } from '../worker/listener-source.js';
import type { StopMode } from '../worker/worker-class.js';
import { Acceptor } from './acceptor.js';
import { ConnectionTracker } from './connection-tracker.js';
import { recordAccess } from './access-recorder.js';

export interface HttpFrontOptions {
  /** Open connections at most; beyond it the worker stops accepting (they wait in the backlog). */
  readonly maxConnections?: number;
}

/** What the worker runtime provides to an HTTP front. */
export interface HttpFrontDeps {
  readonly settings: Readonly<Settings>;
  readonly log: Logger;
  readonly listeners: readonly WorkerListener[];
  readonly accessLog: { log(entry: AccessEntry): void } | null;
  countRequest(): void;
}

/** How often a draining worker looks for connections that became idle. */
const DRAIN_POLL_MS = 50;
/** A connection accepted this recently with no byte read yet is kept while draining: its request is on the way. */
const FRESH_CONNECTION_GRACE_MS = 1000;

/**
 * Core's HTTP/1.1 front, shared by every worker class: accepts on the arbiter's sockets, parses with
 * node:http, applies keep-alive, connection limits and access logging, and stops gracefully.
 * A worker class only supplies the request handler.
 */
export class HttpFront {
  private readonly server: http.Server;
  private readonly tracker: ConnectionTracker;
  private readonly acceptors: Acceptor[];
  private readonly maxConnections: number;
  private readonly keepAlive: boolean;
  private draining = false;
  /** Responses not yet finished: on a graceful stop, those not yet started get `Connection: close`. */
  private readonly pending = new Set<ServerResponse>();
  private drained: (() => void) | null = null;

  constructor(
    private readonly deps: HttpFrontDeps,
    handler: RequestListener,
    options: HttpFrontOptions = {},
  ) {
    const { settings } = deps;
    this.keepAlive = settings.keepalive > 0;
    this.maxConnections = options.maxConnections ?? Infinity;
    this.server = http.createServer({ keepAliveTimeout: settings.keepalive * 1000 }, this.wrap(handler));
    // The server never listens itself (acceptors hand it sockets); 'listening' starts node's
    // connection tracking, which enforces headersTimeout and requestTimeout against slow clients.
    this.server.emit('listening');
    this.tracker = new ConnectionTracker((open) => { this.onConnectionClosed(open); });
    this.acceptors = deps.listeners.map(
      (listener) => new Acceptor(listener, settings.backlog, (socket) => { this.onSocket(socket); }),
    );
  }

  /** Starts accepting on every listener. */
  async listen(): Promise<void> {
    await Promise.all(this.acceptors.map((acceptor) => acceptor.resume()));
  }

  /** Serves until `signal` aborts, then stops as its reason says. */
  async serveUntil(signal: AbortSignal): Promise<void> {
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => { resolve(); }, { once: true });
    });
    await this.stop(signal.reason === 'quick' ? 'quick' : 'graceful');
  }

  /**
   * `graceful`: stop accepting, answer in-flight requests with `Connection: close`, close idle
   * keep-alive connections, and wait for the rest up to `graceful_timeout`. `quick`: close all now.
   */
  async stop(mode: StopMode): Promise<void> {
    this.draining = true;
    for (const acceptor of this.acceptors) acceptor.close();
    for (const res of this.pending) if (!res.headersSent) res.shouldKeepAlive = false;
    if (mode === 'graceful') await this.drain(this.deps.settings.gracefulTimeout * 1000);
    this.tracker.destroyAll();
    this.server.close();
  }

  private async drain(timeoutMs: number): Promise<void> {
    if (this.tracker.size === 0) return;
    const done = new Promise<void>((resolve) => (this.drained = resolve));
    const poll = setInterval(() => { this.tracker.closeIdle(FRESH_CONNECTION_GRACE_MS); }, DRAIN_POLL_MS);
    this.tracker.closeIdle(FRESH_CONNECTION_GRACE_MS);
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (deadline = setTimeout(resolve, timeoutMs)));
    await Promise.race([done, timedOut]);
    clearInterval(poll);
    clearTimeout(deadline);
    if (this.tracker.size > 0) this.deps.log.warning(`Graceful timeout: closing ${this.tracker.size} open connection(s)`);
  }

  private wrap(handler: RequestListener): RequestListener {
    const { accessLog } = this.deps;
    return (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      this.tracker.requestStarted(socket);
      if (this.draining || !this.keepAlive) res.shouldKeepAlive = false;
      const finishAccess = accessLog ? recordAccess(req, res) : null;
      this.pending.add(res);
      res.once('close', () => {
        this.pending.delete(res);
        this.tracker.requestFinished(socket);
        if (finishAccess) accessLog?.log(finishAccess());
      });
      this.deps.countRequest();
      handler(req, res);
    };
  }

  private onSocket(socket: Socket): void {
    this.tracker.add(socket);
    if (this.tracker.size >= this.maxConnections) for (const acceptor of this.acceptors) acceptor.pause();
    this.server.emit('connection', socket);
  }

  private onConnectionClosed(open: number): void {
    if (this.draining) {
      if (open === 0) this.drained?.();
      return;
    }
    if (open < this.maxConnections) this.resumeAccepting();
  }

  private resumeAccepting(): void {
    for (const acceptor of this.acceptors) {
      if (!acceptor.accepting) {
        acceptor.resume().catch((error: unknown) => {
          this.deps.log.exception('Could not resume accepting', error);
        });
      }
    }
  }

}
