import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestListener } from '../app/types.js';
import type { AccessEntry } from '../logging/access-entry.js';
import type { Logger } from '../logging/logger.js';
import type { Settings } from '../settings/types.js';
import type { WorkerListener } from '../worker/listener-source.js';
import type { StopMode } from '../worker/worker-class.js';
import { Acceptor, type PauseBy } from './acceptor.js';
import { ConnectionTracker } from './connection-tracker.js';
import { recordAccess } from './access-recorder.js';
import { guardHandler } from './handler-failure.js';
import { guardHead } from './head-guard.js';
import { onClientError } from './client-error.js';
import { headLimitsOf } from './head-limits.js';
import { LastRequests } from './last-request.js';
import { applyHeaderCount, nodeHeaderLimits } from './node-header-limits.js';
import { gateRequests } from './request-gate.js';
import { holdChunkedBodies } from './chunked-hold.js';
import { serveExpectContinue } from './expect-continue.js';
import { withRequestHooks } from './request-hooks.js';
import { createTlsWrapper, type TlsWrapper } from './tls-wrap.js';
import type { Hooks, WorkerInfo } from '../hooks/server-hooks.js';

export interface HttpFrontOptions {
  /** Open connections at most; beyond it the worker stops accepting (they wait in the backlog). */
  readonly maxConnections?: number;
  /** How to stop accepting at `maxConnections` (see acceptor.ts); `close` by default. */
  readonly pauseAcceptBy?: PauseBy;
  /** false: every response closes its connection (`Connection: close`), whatever `keepalive` says. */
  readonly keepAlive?: boolean;
  /**
   * A request head must be complete this many ms after its connection was accepted, else the client
   * is answered 408 and the connection closed (node:http's headersTimeout, checked about ten times
   * per deadline). Default: node's own (60 s, checked every 30 s).
   */
  readonly headDeadlineMs?: number;
}

/** What the worker runtime provides to an HTTP front. */
export interface HttpFrontDeps {
  readonly settings: Readonly<Settings>;
  readonly log: Logger;
  readonly listeners: readonly WorkerListener[];
  readonly accessLog: { log(entry: AccessEntry): void } | null;
  readonly countRequest: () => void;
  /** The server hooks of this worker: pre_request and post_request run around each request. */
  readonly hooks?: Hooks;
  readonly worker?: WorkerInfo;
}

/**
 * An idle keep-alive connection is closed exactly at the `Keep-Alive: timeout=N` the client was told
 * (node 24 would add 1 s of its own, `keepAliveTimeoutBuffer`): what is advertised is what happens.
 * Clients that honour the hint stop reusing a connection before N (Node's agent 1 s before, undici
 * earlier), so the close never meets their request; clients that ignore it race at any N.
 */
const KEEP_ALIVE_BUFFER_MS = 0;
/**
 * A draining worker closes a connection that has sent nothing once it has been silent for the
 * keep-alive timeout since it was accepted, and never sooner than this: its request had time to come.
 */
const MIN_SILENT_GRACE_MS = 1000;

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
  /** Set when `certfile` is: every accepted connection is then served over TLS. */
  private readonly tls: TlsWrapper | null;
  private draining = false;
  private drained: (() => void) | null = null;

  constructor(
    private readonly deps: HttpFrontDeps,
    handler: RequestListener,
    options: HttpFrontOptions = {},
  ) {
    const { settings } = deps;
    this.keepAlive = settings.keepalive > 0 && options.keepAlive !== false;
    this.maxConnections = options.maxConnections ?? Infinity;
    this.tls = createTlsWrapper(settings, deps.log);
    const nodeLimits = nodeHeaderLimits(headLimitsOf(settings));
    const listener = this.wrap(handler);
    this.server = http.createServer(
      {
        keepAliveTimeout: settings.keepalive * 1000,
        keepAliveTimeoutBuffer: KEEP_ALIVE_BUFFER_MS,
        maxHeaderSize: nodeLimits.maxHeaderSize,
        ...headDeadlineOptions(options.headDeadlineMs),
      },
      listener,
    );
    this.server.on('clientError', onClientError);
    applyHeaderCount(this.server, nodeLimits);
    serveExpectContinue(this.server, listener);
    // The server never listens itself (acceptors hand it sockets); 'listening' starts node's
    // connection tracking, which enforces headersTimeout and requestTimeout against slow clients.
    this.server.emit('listening');
    this.tracker = new ConnectionTracker((open) => {
      this.onConnectionClosed(open);
    });
    const onSocket = (socket: Socket): void => {
      this.onSocket(socket);
    };
    this.acceptors = deps.listeners.map((listener) => new Acceptor(listener, onSocket, options.pauseAcceptBy));
  }

  /** Starts accepting on every listener. */
  async listen(): Promise<void> {
    await Promise.all(this.acceptors.map((acceptor) => acceptor.resume()));
  }

  /** Serves until `signal` aborts, then stops as its reason says. */
  async serveUntil(signal: AbortSignal): Promise<void> {
    // Stops within the abort itself, not a tick later: the runtime tells the arbiter "stopping"
    // (no longer accepting) right after aborting, and this worker's listening fds are closed by then.
    await new Promise<void>((resolve, reject) => {
      const stop = (): void => {
        this.stop(signal.reason === 'quick' ? 'quick' : 'graceful').then(resolve, reject);
      };
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
  }

  /**
   * `graceful`: stop accepting (keeping no fd of the listening sockets), answer every further
   * response with `Connection: close`, let idle keep-alive connections end by their keep-alive
   * timeout, and wait for all connections to close, up to `graceful_timeout`. `quick`: close all now.
   */
  async stop(mode: StopMode): Promise<void> {
    this.draining = true;
    for (const acceptor of this.acceptors) acceptor.close();
    for (const listener of this.deps.listeners) listener.release();
    for (const res of this.tracker.inFlightResponses()) if (!res.headersSent) res.shouldKeepAlive = false;
    if (mode === 'graceful') await this.drain(this.deps.settings.gracefulTimeout * 1000);
    this.tracker.destroyAll();
    this.server.close();
  }

  private async drain(timeoutMs: number): Promise<void> {
    if (this.tracker.size === 0) return;
    const done = new Promise<void>((resolve) => (this.drained = resolve));
    // Idle keep-alive connections are not closed here: a client may be reusing one at this very
    // moment, and closing it loses that request (ECONNRESET; about 20 per recycle under load with
    // closeIdleConnections). node:http closes each at the `Keep-Alive: timeout=N` the client was
    // told, which a client honouring it stops reusing before; a client that sends first is
    // answered with `Connection: close`.
    this.tracker.closeWhenSilentFor(Math.max(this.deps.settings.keepalive * 1000, MIN_SILENT_GRACE_MS));
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (deadline = setTimeout(resolve, timeoutMs)));
    await Promise.race([done, timedOut]);
    clearTimeout(deadline);
    if (this.tracker.size > 0) this.deps.log.warning(`Graceful timeout: closing ${this.tracker.size} open connection(s)`);
  }

  /** The per-request path: kept to a few field reads, since it runs for every request. */
  private wrap(unguarded: RequestListener): RequestListener {
    const { accessLog, countRequest } = this.deps;
    const { hooks, worker, log } = this.deps;
    const hooked = hooks && worker ? withRequestHooks(unguarded, hooks, worker, log) : unguarded;
    // Heads gu rejects (see request-checks.ts) are answered 400 first, then the request limits and
    // proxy-header trust (request-gate.ts), then a chunked body is held until it is complete and
    // valid (chunked-hold.ts), all before the hooks and the app run.
    const held = holdChunkedBodies(guardHandler(hooked, log));
    const handler = guardHead(gateRequests(held, this.deps.settings), log);
    const lastRequests = new LastRequests();
    /** False for a request pipelined behind a closing response: it is neither served nor counted. */
    const prepare = (req: IncomingMessage, res: ServerResponse): boolean => {
      if (lastRequests.isAfterLast(req)) return false;
      if (this.draining || !this.keepAlive) res.shouldKeepAlive = false;
      lastRequests.markIfLast(req, res);
      countRequest();
      return true;
    };
    if (!accessLog) {
      return (req, res) => {
        if (prepare(req, res)) handler(req, res);
      };
    }
    return (req, res) => {
      if (!prepare(req, res)) return;
      const entry = recordAccess(req, res);
      res.once('close', () => {
        accessLog.log(entry());
      });
      handler(req, res);
    };
  }

  private onSocket(accepted: Socket): void {
    const socket = this.tls ? this.tls.wrap(accepted) : accepted;
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

/** node:http's options for a head deadline: the timeout, and a check often enough to honour it. */
function headDeadlineOptions(deadlineMs: number | undefined): http.ServerOptions {
  if (deadlineMs === undefined) return {};
  return { headersTimeout: deadlineMs, connectionsCheckingInterval: Math.min(1000, Math.max(50, deadlineMs / 10)) };
}
