import net from 'node:net';
import type { Socket } from 'node:net';
import type { WorkerListener } from '../worker/listener-source.js';
import { pauseAccepting, resumeAccepting } from '../sockets/accept-switch.js';

/**
 * How `pause()` stops accepting: `close` this worker's copy (resuming then waits for a fresh copy
 * from the arbiter, one IPC round trip), or stop `polling` the copy and keep it (a system call
 * each way; where libuv does not allow it on a handle, that handle falls back to `close`).
 */
export type PauseBy = 'close' | 'polling';

/**
 * Accepts connections from one of the arbiter's listening sockets, on a copy of it. `pause()`
 * closes this worker's copy (or stops polling it, see {@link PauseBy}), so further connections
 * wait in the kernel backlog (for this worker or another) instead of being accepted and dropped;
 * `resume()` listens again on a fresh copy (or polls the kept one again).
 */
export class Acceptor {
  private server: net.Server | null = null;
  private wanted = false;
  private opening: Promise<void> | null = null;
  /** The copy is open but not polled (see accept-switch.ts). */
  private polling = true;

  constructor(
    private readonly listener: WorkerListener,
    private readonly onSocket: (socket: Socket) => void,
    private readonly pauseBy: PauseBy = 'close',
  ) {}

  get accepting(): boolean {
    return this.server !== null && this.polling;
  }

  /** Starts (or restarts) accepting; resolves once listening. */
  resume(): Promise<void> {
    this.wanted = true;
    if (this.server && !this.polling) {
      if (resumeAccepting(this.server)) {
        this.polling = true;
        return Promise.resolve();
      }
      this.closeCopy();
    }
    this.opening ??= this.open().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** Stops accepting now: closing the copy inside a `connection` handler ends libuv's accept loop. */
  pause(): void {
    this.wanted = false;
    if (this.pauseBy === 'polling' && this.server && pauseAccepting(this.server)) {
      this.polling = false;
      return;
    }
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
    this.polling = true;
    // Closing a net.Server closes only this process's fd of the listening socket; the connections
    // it accepted live on in the HTTP server.
    server.close();
  }
}
