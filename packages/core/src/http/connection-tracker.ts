import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { responseOnConnection } from './node-http-internals.js';
import { SocketRegistry } from './socket-registry.js';

/**
 * Knows every open connection of a worker, at a cost per connection rather than per request: a
 * graceful stop asks it which responses are in flight and waits for all connections to close.
 * A connection whose side the worker has ended (its last answer written, the FIN sent) is open but
 * no longer serving: it may linger until the client closes (a refused client gets time to read its
 * answer, see client-error.ts), and a limit on connections must not count it, or a client that never
 * closes would keep a sync worker from accepting for the whole linger.
 */
export class ConnectionTracker {
  /** Each open connection, with when it was accepted (performance.now(): a monotonic clock). */
  private readonly connections = new SocketRegistry<number>();
  /** Open connections whose writable side has finished (see `serving`). */
  private readonly ended = { count: 0 };
  /** One listener for every socket ('close' is emitted with the socket as `this`), not a closure each. */
  private readonly onSocketClose: (this: Socket) => void;
  private readonly onSocketFinish: (this: Socket) => void;

  /** `onChange` runs when a connection stops serving and again when it closes. */
  constructor(onChange: () => void) {
    const { connections, ended } = this;
    this.onSocketClose = function onSocketClose(this: Socket) {
      if (!connections.delete(this)) return;
      // 'finish' comes before 'close' when it comes at all, and sets writableFinished.
      if (this.writableFinished) ended.count -= 1;
      onChange();
    };
    this.onSocketFinish = function onSocketFinish(this: Socket) {
      if (!connections.has(this)) return;
      ended.count += 1;
      onChange();
    };
  }

  /** Open connections, lingering ones included. */
  get size(): number {
    return this.connections.size;
  }

  /** Open connections that may still carry a request: not those whose side the worker has ended. */
  get serving(): number {
    return this.connections.size - this.ended.count;
  }

  add(socket: Socket, acceptedAt = performance.now()): void {
    this.connections.set(socket, acceptedAt);
    socket.once('close', this.onSocketClose);
    socket.once('finish', this.onSocketFinish);
  }

  /**
   * Tracks `next` in place of `socket`, from the same accept time: a connection read as plain TCP
   * first (its PROXY header) and then served through the TLSSocket wrapping it.
   */
  replace(socket: Socket, next: Socket): void {
    const acceptedAt = this.connections.get(socket);
    if (acceptedAt === undefined) return;
    socket.removeListener('close', this.onSocketClose);
    socket.removeListener('finish', this.onSocketFinish);
    this.connections.delete(socket);
    this.add(next, acceptedAt);
  }

  /**
   * The responses in flight, one per busy connection (see responseOnConnection).
   */
  *inFlightResponses(): Generator<ServerResponse> {
    for (const socket of this.connections.keys()) {
      const response = responseOnConnection(socket);
      if (response && !response.writableFinished) yield response;
    }
  }

  /**
   * Closes each connection that has still not sent a byte `graceMs` after it was accepted (at once if
   * that time has passed). node:http never counts such a connection idle (no keep-alive timer runs
   * before a first request), so without this a silent pre-connected client would hold a graceful
   * stop for the whole graceful_timeout; one that connected just before the stop gets the time an
   * idle keep-alive client gets to send its request.
   */
  closeWhenSilentFor(graceMs: number): void {
    const now = performance.now();
    for (const [socket, acceptedAt] of this.connections.entries()) {
      if (socket.bytesRead > 0) continue;
      const timer = setTimeout(() => {
        if (socket.bytesRead === 0) socket.destroy();
      }, Math.max(0, acceptedAt + graceMs - now));
      socket.once('close', () => { clearTimeout(timer); });
    }
  }

  destroyAll(): void {
    for (const socket of this.connections.keys()) socket.destroy();
  }
}
