import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BindError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { bindErrorFor } from '../sockets/bind-errors.js';
import type { BindAddress } from '../sockets/bind-address.js';
import type { ArbiterPort } from './arbiter-port.js';

type TcpAddress = Extract<BindAddress, { kind: 'tcp' }>;

/** `/livez` fails once the arbiter's loop has not turned for this long (it turns at least every second). */
export const LIVE_WITHIN_S = 5;
/** A probe is a few bytes: a client slower than this is cut, and only so many are served at once. */
const REQUEST_TIMEOUT_MS = 5000;
const MAX_CONNECTIONS = 64;
const MAX_HEADER_BYTES = 8 * 1024;
/** After USR2 the old arbiter holds the port until it exits: the new one tries again this often. */
const RETRY_MS = 500;

type Verdict = readonly [status: number, body: string, contentType?: string];
export type Probe = (port: ArbiterPort | null) => Verdict | Promise<Verdict>;

/** The health endpoints, by path; anything else is 404. */
export const healthProbes: Readonly<Record<string, Probe>> = {
  '/livez': (port) => {
    if (!port) return [503, 'starting\n'];
    const age = port.loopAge();
    return age <= LIVE_WITHIN_S ? [200, 'ok\n'] : [503, `arbiter loop stalled for ${age.toFixed(1)} s\n`];
  },
  '/readyz': (port) => {
    if (!port) return [503, 'starting\n'];
    if (port.stopping()) return [503, 'stopping\n'];
    return port.ready() ? [200, 'ok\n'] : [503, 'no worker ready\n'];
  },
};

/**
 * `--health-bind`: a small HTTP listener of the arbiter for orchestrators (Kubernetes probes).
 * `/livez` says the arbiter's loop turns; `/readyz` that a worker is ready and no stop signal came
 * (503 from the moment TERM arrives, while the listeners are still open). Bounded in time, header
 * size and connections, and every client error is only that client's: it cannot stop the arbiter.
 */
export class HealthServer {
  private port: ArbiterPort | null = null;
  private retry: NodeJS.Timeout | null = null;

  private constructor(
    private readonly server: http.Server,
    private readonly log: Logger,
    private readonly routes: Readonly<Record<string, Probe>>,
    /** How the log line names this listener: `Health endpoints`, `Metrics`. */
    private readonly title: string,
  ) {}

  /**
   * Binds `address` (a BindError naming health_bind when it cannot); `waitForPort`: a new arbiter
   * after USR2, which gets the port once the old arbiter has let it go.
   */
  static async open(
    address: TcpAddress,
    log: Logger,
    waitForPort: boolean,
    { setting = 'health_bind', title = 'Health endpoints', routes = healthProbes }: { setting?: string; title?: string; routes?: Readonly<Record<string, Probe>> } = {},
  ): Promise<HealthServer> {
    const server = http.createServer({
      requestTimeout: REQUEST_TIMEOUT_MS,
      headersTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: 1000,
      maxHeaderSize: MAX_HEADER_BYTES,
    });
    server.maxConnections = MAX_CONNECTIONS;
    const health = new HealthServer(server, log, routes, title);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      health.answer(req, res);
    });
    server.on('clientError', (_error, socket) => socket.destroy());
    const error = await listen(server, address);
    if (error === null) {
      health.logListening();
      return health;
    }
    if (waitForPort && error === 'EADDRINUSE') {
      log.info(`${setting}: ${address.host}:${address.port} is still the old arbiter's; taking it when it exits`);
      health.retryListen(address);
      return health;
    }
    throw new BindError(`${setting} (--${setting.replaceAll('_', '-')}): ${bindErrorFor(address, error).message}`);
  }

  attach(port: ArbiterPort): void {
    this.port = port;
  }

  close(): void {
    if (this.retry) clearTimeout(this.retry);
    this.server.close();
    this.server.closeAllConnections();
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const probe = Object.hasOwn(this.routes, path) && (req.method === 'GET' || req.method === 'HEAD') ? this.routes[path] : undefined;
    const answered = (async (): Promise<Verdict> => (probe ? probe(this.port) : [404, 'not found\n']))();
    void answered
      .catch((error: unknown): Verdict => {
        this.log.exception(`Probe of ${path} failed`, error);
        return [503, 'error\n'];
      })
      .then(([status, body, contentType = 'text/plain; charset=utf-8']) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', connection: 'close' });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
  }

  private logListening(): void {
    const bound = this.server.address();
    if (bound === null || typeof bound === 'string') return;
    const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    this.log.info(`${this.title} at: http://${host}:${bound.port} (${Object.keys(this.routes).join(', ')})`);
  }

  private retryListen(address: TcpAddress): void {
    this.retry = setTimeout(() => {
      void listen(this.server, address).then((error) => {
        if (error === null) this.logListening();
        else this.retryListen(address);
      });
    }, RETRY_MS);
    this.retry.unref();
  }
}

/** Listens on `address`; resolves with null, or with the error code when it could not. */
function listen(server: http.Server, address: TcpAddress): Promise<string | null> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      resolve(error.code ?? 'EIO');
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(null);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: address.host, port: address.port, exclusive: true });
  });
}
