import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RequestListener } from '../app/types.js';
import type { AccessEntry } from '../logging/access-entry.js';
import type { Logger } from '../logging/logger.js';
import type { Settings } from '../settings/types.js';
import type { WorkerListener } from '../worker/listener-source.js';
import type { StopCause, StopMode } from '../worker/worker-class.js';
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
import { createProxyStep, emitAfterHeader, type ProxyStep } from './proxy-protocol/proxy-step.js';
import { declarePeer } from './proxy-protocol/declared-peer.js';
import type { ProxyHeader } from './proxy-protocol/header.js';
import { tlsEnabled } from './tls-context.js';
import { ClientDeadlines, sweepIntervalMs } from './client-deadlines.js';
import { offersOneOf, serveUpgrades, type UpgradeHandler } from './upgrade-path.js';
import { answerHalfClosedClients, assertNodeHttpInternals, closeAfterResponse } from './node-http-internals.js';
import type { Hooks, WorkerInfo } from '../hooks/server-hooks.js';

export interface HttpFrontOptions {
  /** Open connections at most; beyond it the worker stops accepting (they wait in the backlog). */
  readonly maxConnections?: number;
  /** How to stop accepting at `maxConnections` (see acceptor.ts); `close` by default. */
  readonly pauseAcceptBy?: PauseBy;
  /** false: every response closes its connection (`Connection: close`), whatever `keepalive` says. */
  readonly keepAlive?: boolean;
  /**
   * The head deadline in ms for this front in place of `client_header_timeout` (0: none): a worker
   * class whose connections each hold a whole worker (sync) gives clients less time. See
   * client-deadlines.ts for how it runs.
   */
  readonly headDeadlineMs?: number;
  /**
   * Upgrade requests (`Upgrade:`, e.g. WebSocket handshakes) go here, after the checks every request
   * gets, instead of to the request handler (see upgrade-path.ts). Absent: node:http hands them to
   * the request handler as ordinary requests, and the connection stays HTTP.
   */
  readonly upgrade?: UpgradeHandler;
  /**
   * The `Upgrade:` protocols `upgrade` speaks, by name in lower case (`websocket`). A request that
   * offers none of them (an `h2c` offer from `curl --http2`) is served as an ordinary request, its
   * Upgrade ignored, as RFC 9110 7.8 allows and Uvicorn does. This needs node's
   * shouldUpgradeCallback (Node 24.9, 22.21); on an older Node every upgrade request reaches
   * `upgrade`. Absent: every offer reaches `upgrade`.
   */
  readonly upgradeProtocols?: readonly string[];
  /**
   * Called once when a graceful stop begins, after the front stopped accepting, with why the worker
   * stops: the class closes its long-lived connections (WebSockets: 1001, or 1012 on `reload`); the
   * stop then waits for them to close like any connection, up to `graceful_timeout`.
   */
  readonly onDrain?: (cause: StopCause) => void;
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
  /** Why the worker stops, once it does (see WorkerContext.stopCause); `shutdown` when absent. */
  readonly stopCause?: () => StopCause | null;
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
  /** Set when `proxy_protocol` is not off: each connection's PROXY header is read first. */
  private readonly proxyStep: ProxyStep | null;
  /** Set unless both client_header_timeout and client_body_timeout are 0. */
  private readonly deadlines: ClientDeadlines | null;
  private draining = false;
  private drained: (() => void) | null = null;
  private readonly onDrain: ((cause: StopCause) => void) | undefined;

  constructor(
    private readonly deps: HttpFrontDeps,
    handler: RequestListener,
    options: HttpFrontOptions = {},
  ) {
    const { settings } = deps;
    assertNodeHttpInternals({ tls: tlsEnabled(settings) });
    this.keepAlive = settings.keepalive > 0 && options.keepAlive !== false;
    this.maxConnections = options.maxConnections ?? Infinity;
    this.tls = createTlsWrapper(settings, deps.log);
    this.proxyStep = createProxyStep(settings, deps.log);
    this.deadlines = createDeadlines(settings, deps.log, options.headDeadlineMs);
    this.onDrain = options.onDrain;
    const nodeLimits = nodeHeaderLimits(headLimitsOf(settings));
    const listener = this.wrap(handler);
    this.server = http.createServer(
      {
        keepAliveTimeout: settings.keepalive * 1000,
        keepAliveTimeoutBuffer: KEEP_ALIVE_BUFFER_MS,
        maxHeaderSize: nodeLimits.maxHeaderSize,
        // request-checks.ts answers it instead, lingering (reject-request.ts): node's own answer
        // resets a client still sending, which can lose the 400.
        requireHostHeader: false,
        ...upgradeChoice(options),
      },
      listener,
    );
    this.server.on('clientError', onClientError);
    answerHalfClosedClients(this.server);
    applyHeaderCount(this.server, nodeLimits);
    serveExpectContinue(this.server, listener);
    if (options.upgrade) {
      const { accessLog, countRequest, log } = deps;
      serveUpgrades(this.server, options.upgrade, {
        settings, log, accessLog, countRequest, deadlines: this.deadlines, draining: () => this.draining,
      });
    }
    // The server never listens itself (acceptors hand it sockets) and 'listening' is never emitted,
    // so node's connection tracking (headersTimeout, requestTimeout) stays off: slow clients are
    // the deadlines' concern (see node-http-internals.ts for why, and for closeIdleConnections).
    this.tracker = new ConnectionTracker(() => {
      this.onConnectionEnded();
    });
    const onSocket = (socket: Socket): void => {
      this.onSocket(socket);
    };
    this.acceptors = deps.listeners.map((listener) => new Acceptor(listener, onSocket, options.pauseAcceptBy));
  }

  /** Requests whose response is not completely written yet (one at most per connection). */
  get inFlight(): number {
    return [...this.tracker.inFlightResponses()].length;
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
    for (const res of this.tracker.inFlightResponses()) if (!res.headersSent) closeAfterResponse(res);
    if (mode === 'graceful') {
      this.announceDrain();
      await this.drain(this.deps.settings.gracefulTimeout * 1000);
    }
    this.deadlines?.stop();
    this.tracker.destroyAll();
    this.server.close();
  }

  /** Lets the class close its long-lived connections; its failure costs nothing but a log line. */
  private announceDrain(): void {
    if (!this.onDrain) return;
    try {
      this.onDrain(this.deps.stopCause?.() ?? 'shutdown');
    } catch (error) {
      this.deps.log.exception('Error in onDrain', error);
    }
  }

  private async drain(timeoutMs: number): Promise<void> {
    if (this.tracker.size === 0) return;
    const done = new Promise<void>((resolve) => (this.drained = resolve));
    // Idle keep-alive connections are not closed here: a client may be reusing one at this very
    // moment, and closing it loses that request (ECONNRESET; about 20 per recycle under load with
    // closeIdleConnections). node:http closes each at the `Keep-Alive: timeout=N` the client was
    // told, which a client honouring it stops reusing before; a client that sends first is
    // answered with `Connection: close`. closeIdleConnections is worse still since
    // nodejs/node#63470 (Node after 24.21): it also closes connections that have sent nothing yet,
    // whose request may be on its way. Silent connections get a grace period instead:
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
    const deadlines = this.deadlines;
    const lastRequests = new LastRequests();
    /** False for a request pipelined behind a closing response: it is neither served nor counted. */
    const prepare = (req: IncomingMessage, res: ServerResponse): boolean => {
      if (lastRequests.isAfterLast(req)) return false;
      if (this.draining || !this.keepAlive) closeAfterResponse(res);
      lastRequests.markIfLast(req, res);
      deadlines?.onRequest(req, res);
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

  /**
   * Every accepted connection: counted from the accept (so a connection still sending its PROXY
   * header counts against max connections and is closed by a stop), then its PROXY header is read,
   * before TLS and node:http see a byte.
   */
  private onSocket(accepted: Socket): void {
    const acceptedAt = performance.now();
    this.tracker.add(accepted, acceptedAt);
    if (this.tracker.serving >= this.maxConnections) for (const acceptor of this.acceptors) acceptor.pause();
    if (!this.proxyStep) {
      this.serve(accepted, null, acceptedAt);
      return;
    }
    this.proxyStep(accepted, (header) => {
      this.serve(accepted, header, acceptedAt);
    });
  }

  private serve(accepted: Socket, header: ProxyHeader | null, acceptedAt: number): void {
    const socket = this.tls ? this.tls.wrap(accepted) : accepted;
    if (socket !== accepted) this.tracker.replace(accepted, socket);
    // The head's deadline runs from the accept: a PROXY header and a TLS handshake count.
    this.deadlines?.add(socket, acceptedAt);
    if (header?.kind === 'proxied') declarePeer(socket, header);
    if (this.proxyStep) emitAfterHeader(this.server, accepted, socket);
    else this.server.emit('connection', socket);
  }

  /** A connection stopped serving (its side ended) or closed: below the limit, accept again. */
  private onConnectionEnded(): void {
    if (this.draining) {
      if (this.tracker.size === 0) this.drained?.();
      return;
    }
    if (this.tracker.serving < this.maxConnections) this.resumeAccepting();
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

/** The slow-client deadlines of these settings (a worker class may set its own head deadline); null when both are off. */
function createDeadlines(settings: Readonly<Settings>, log: Logger, headDeadlineMs: number | undefined): ClientDeadlines | null {
  const limits = {
    headMs: headDeadlineMs ?? settings.clientHeaderTimeout * 1000,
    bodyMs: settings.clientBodyTimeout * 1000,
    idleMs: settings.keepalive * 1000 + KEEP_ALIVE_BUFFER_MS,
  };
  return sweepIntervalMs(limits) === 0 ? null : new ClientDeadlines(limits, log);
}

/** node:http's server option choosing which upgrade requests reach 'upgrade' (see `upgradeProtocols`). */
function upgradeChoice(options: HttpFrontOptions): Pick<http.ServerOptions, 'shouldUpgradeCallback'> {
  const protocols = options.upgradeProtocols;
  return options.upgrade && protocols ? { shouldUpgradeCallback: offersOneOf(protocols) } : {};
}
