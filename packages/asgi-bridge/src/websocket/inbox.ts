import type { ReceiveEvent, WebSocketDisconnectEvent } from '../types.js';

/** How the inbox holds the client back: stop reading from its socket, and read again. */
export interface Flow {
  pause(): void;
  resume(): void;
}

/**
 * Received messages held for an app that has not called `receive()` yet are bounded: past this
 * many bytes the socket is no longer read (TCP then slows the client down) until the app has taken
 * them all. One message larger than it is still delivered (ws's maxPayload bounds that).
 */
export const INBOX_HIGH_WATER_BYTES = 1024 * 1024;

/**
 * What `receive()` hands the app, in order: the messages as they arrive, then one final event
 * (`websocket.disconnect`), which every later `receive()` gets again, so an app that reads on
 * after a disconnect never waits forever.
 */
export class Inbox {
  private readonly queue: ReceiveEvent[] = [];
  private readonly sizes: number[] = [];
  private readonly waiters: ((event: ReceiveEvent) => void)[] = [];
  private queuedBytes = 0;
  private paused = false;
  private final: WebSocketDisconnectEvent | null = null;

  constructor(private readonly flow: Flow) {}

  /** True while the client is held back because the app is not reading. */
  get holdingBack(): boolean {
    return this.paused;
  }

  get ended(): boolean {
    return this.final !== null;
  }

  push(event: ReceiveEvent, bytes: number): void {
    if (this.final) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(event);
      return;
    }
    this.queue.push(event);
    this.sizes.push(bytes);
    this.queuedBytes += bytes;
    if (!this.paused && this.queuedBytes >= INBOX_HIGH_WATER_BYTES) {
      this.paused = true;
      this.flow.pause();
    }
  }

  /** Ends the stream with `final` after what is queued; later ends are ignored. */
  end(final: WebSocketDisconnectEvent): void {
    if (this.final) return;
    this.final = final;
    if (this.queue.length === 0) for (const waiter of this.waiters.splice(0)) waiter(final);
  }

  /** Reads again at once (closing: the peer's close frame must be read), whatever is queued. */
  release(): void {
    if (!this.paused) return;
    this.paused = false;
    this.flow.resume();
  }

  next(): Promise<ReceiveEvent> {
    const event = this.queue.shift();
    if (event === undefined) {
      if (this.final) return Promise.resolve(this.final);
      return new Promise((resolve) => this.waiters.push(resolve));
    }
    this.queuedBytes -= this.sizes.shift() ?? 0;
    if (this.queue.length === 0) this.release();
    return Promise.resolve(event);
  }
}
