import net from 'node:net';
import type { Socket } from 'node:net';
import type { WorkerListener } from '../worker/listener-source.js';

/**
 * Accepts connections from one of the arbiter's listening sockets, on a copy of it. `pause()`
 * closes this worker's copy, so further connections wait in the kernel backlog (for this worker or
 * another) instead of being accepted and dropped; `resume()` listens again on a fresh copy.
 */
export class Acceptor {
  private server: net.Server | null = null;
  private wanted = false;
  private opening: Promise<void> | null = null;

  constructor(
    private readonly listener: WorkerListener,
    private readonly onSocket: (socket: Socket) => void,
  ) {}

  get accepting(): boolean {
    return this.server !== null;
  }

  /** Starts (or restarts) accepting; resolves once listening. */
  resume(): Promise<void> {
    this.wanted = true;
    this.opening ??= this.open().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** Stops accepting now: closing the copy inside a `connection` handler ends libuv's accept loop. */
  pause(): void {
    this.wanted = false;
    this.closeCopy();
    this.listener.prefetch();
  }

  /** Stops accepting for good. */
  close(): void {
    this.wanted = false;
    this.closeCopy();
  }

  private async open(): Promise<void> {
    if (this.server) return;
    // noDelay: a response written in two segments otherwise waits ~40 ms for the peer's delayed ACK.
    // allowHalfOpen, as http.Server's own listener has it: node:http, not the socket, decides what a
    // client's FIN means (with answerHalfClosedClients, the response still goes out, then the close).
    const server = net.createServer({ noDelay: true, allowHalfOpen: true }, this.onSocket);
    await this.listener.listen(server);
    // Paused or closed while the copy was on its way: give it straight back.
    if (this.wanted) this.server = server;
    else server.close();
  }

  private closeCopy(): void {
    const server = this.server;
    if (!server) return;
    this.server = null;
    // Closing a net.Server closes only this process's fd of the listening socket; the connections
    // it accepted live on in the HTTP server.
    server.close();
  }
}
