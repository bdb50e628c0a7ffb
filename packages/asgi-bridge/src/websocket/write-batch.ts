import type { Duplex } from 'node:stream';

/**
 * Holds the frames the app sends during one turn of the event loop and writes them at its end
 * (cork now, uncork on setImmediate), as uWebSockets corks per loop iteration: the replies to all
 * the messages a turn read leave together, after the reads, instead of one write between each read.
 */
export class WriteBatch {
  private corked: Duplex[] = [];
  private readonly flush = (): void => {
    const corked = this.corked;
    this.corked = [];
    for (const socket of corked) socket.uncork();
  };

  /** Corks `socket` until the end of this turn, once per turn. */
  hold(socket: Duplex): void {
    if (socket.writableCorked > 0) return;
    if (this.corked.length === 0) setImmediate(this.flush);
    socket.cork();
    this.corked.push(socket);
  }
}
