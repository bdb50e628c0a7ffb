import type { Server } from 'node:net';
import { closeListenerHandle, listenOnHandle } from '../sockets/listen-on-handle.js';
import type { WorkerMessage } from './protocol.js';

/**
 * One of the arbiter's listening sockets as a worker sees it. Each `acquire()` yields a fresh copy
 * of the socket (a new fd of the same listening socket, sent by the arbiter): closing a copy stops
 * this worker accepting without touching the socket itself, so connections wait in the kernel
 * backlog. The sync worker and `worker_connections` pause accepting this way.
 */
export interface WorkerListener {
  readonly index: number;
  /** How the address reads in logs: `http://127.0.0.1:8000`, `unix:/run/gu.sock`. */
  readonly display: string;
  /** A fresh copy of the listening handle; resolves at once when a spare copy is at hand. */
  acquire(): Promise<unknown>;
  /**
   * Makes `server` (a `net.Server`, `http.Server`, … not yet listening) accept on a fresh copy, with
   * the configured backlog. `server.close()` later closes only that copy.
   */
  listen(server: Server): Promise<void>;
  /** Asks the arbiter for a spare copy now, so that the next `acquire()` need not wait. */
  prefetch(): void;
  /**
   * Closes the spare copies this worker holds, and any that arrive unasked later, and stops
   * prefetching: a stopping worker keeps no fd of the listening socket. Copies already listening
   * are closed by their servers. `acquire()` still works (it waits for a copy from the arbiter).
   */
  release(): void;
}

type Send = (message: WorkerMessage) => void;

/** Keeps the copies the arbiter sent for one listener and asks for more when they run out. */
export class ListenerCopies implements WorkerListener {
  private readonly spares: unknown[] = [];
  private readonly waiting: ((handle: unknown) => void)[] = [];
  private requested = 0;
  private released = false;

  constructor(
    readonly index: number,
    readonly display: string,
    private readonly backlog: number,
    private readonly send: Send,
  ) {}

  /** A copy arrived from the arbiter. */
  receive(handle: unknown): void {
    this.requested = Math.max(0, this.requested - 1);
    const waiter = this.waiting.shift();
    if (waiter) waiter(handle);
    else if (this.released) closeListenerHandle(handle);
    else this.spares.push(handle);
  }

  /** The arbiter sends one copy unasked at boot. */
  expectBootCopy(): void {
    this.requested += 1;
  }

  acquire(): Promise<unknown> {
    const spare = this.spares.shift();
    if (spare !== undefined) return Promise.resolve(spare);
    const promise = new Promise<unknown>((resolve) => this.waiting.push(resolve));
    if (this.requested < this.waiting.length) this.request();
    return promise;
  }

  async listen(server: Server): Promise<void> {
    await listenOnHandle(server, await this.acquire(), this.backlog);
  }

  prefetch(): void {
    if (!this.released && this.spares.length === 0 && this.requested === 0) this.request();
  }

  release(): void {
    this.released = true;
    for (const spare of this.spares.splice(0)) closeListenerHandle(spare);
  }

  private request(): void {
    this.requested += 1;
    this.send({ type: 'listener-request', index: this.index });
  }
}
