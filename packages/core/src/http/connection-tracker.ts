import type { Socket } from 'node:net';

interface ConnectionState {
  inFlight: number;
  served: number;
  acceptedAt: number;
  /** socket.bytesRead when the connection last became idle: more means a request is arriving. */
  bytesReadWhenIdle: number;
}

/**
 * Knows every open connection of a worker and whether a request is in flight on it, so that a
 * graceful stop can close idle keep-alive connections without cutting a request short.
 */
export class ConnectionTracker {
  private readonly connections = new Map<Socket, ConnectionState>();

  constructor(private readonly onClosed: (open: number) => void) {}

  get size(): number {
    return this.connections.size;
  }

  add(socket: Socket): void {
    this.connections.set(socket, { inFlight: 0, served: 0, acceptedAt: Date.now(), bytesReadWhenIdle: 0 });
    socket.once('close', () => {
      this.connections.delete(socket);
      this.onClosed(this.connections.size);
    });
  }

  requestStarted(socket: Socket): void {
    const state = this.connections.get(socket);
    if (state) state.inFlight += 1;
  }

  requestFinished(socket: Socket): void {
    const state = this.connections.get(socket);
    if (!state) return;
    state.inFlight -= 1;
    state.served += 1;
    state.bytesReadWhenIdle = socket.bytesRead;
  }

  /**
   * Closes connections with no request in flight and none arriving. A connection that has not yet
   * sent a byte is given `freshGraceMs`: it was probably accepted a moment ago and its request is
   * on the way (closing it would lose that request).
   */
  closeIdle(freshGraceMs: number): void {
    const now = Date.now();
    for (const [socket, state] of this.connections) {
      if (state.inFlight > 0 || socket.bytesRead !== state.bytesReadWhenIdle) continue;
      if (state.served === 0 && now - state.acceptedAt < freshGraceMs) continue;
      socket.destroy();
    }
  }

  destroyAll(): void {
    for (const socket of this.connections.keys()) socket.destroy();
  }
}
