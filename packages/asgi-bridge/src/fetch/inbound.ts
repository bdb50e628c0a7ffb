import type { Receive, ReceiveEvent } from '../types.js';

function clientGone(): Error {
  return new DOMException('The client disconnected', 'AbortError');
}

/**
 * The server → app side of an http scope for a fetch-style app: the request body as a pull-based
 * ReadableStream (receive() is called only when the app reads, so a slow reader holds the client
 * back), and an AbortSignal that aborts on http.disconnect. receive() is never called twice at
 * once: every call goes through `next()`. Once the body is read (or cancelled, or there is none),
 * a watcher keeps receiving, so a disconnect is seen while the app still works on its answer.
 */
export class Inbound {
  readonly #receive: Receive;
  readonly #abort = new AbortController();
  #queue: Promise<unknown> = Promise.resolve();
  #disconnected = false;
  #watching = false;
  #bodyCancelled = false;
  /** After the response is complete a disconnect is normal and aborts nothing. */
  #settled = false;

  constructor(receive: Receive) {
    this.#receive = receive;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The request body; receives nothing until the app reads it. */
  body(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        pull: (controller) => this.#pull(controller),
        cancel: () => {
          this.#bodyCancelled = true;
          this.watch();
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Starts receiving in the background to see a disconnect (called once the body needs no reading). */
  watch(): void {
    if (this.#watching) return;
    this.#watching = true;
    void this.#watchLoop();
  }

  /** The response is complete: a later disconnect is the normal end of the exchange. */
  settle(): void {
    this.#settled = true;
  }

  /** The exchange failed (the app threw, send() raised): the request's signal aborts with `reason`. */
  abort(reason: unknown): void {
    if (!this.#settled) this.#abort.abort(reason);
  }

  #disconnect(): void {
    this.#disconnected = true;
    this.abort(clientGone());
  }

  #next(): Promise<ReceiveEvent> {
    const event = this.#queue.then(() => this.#receive());
    this.#queue = event.catch(() => undefined);
    return event;
  }

  async #pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    for (;;) {
      const event = await this.#next();
      if (this.#bodyCancelled) {
        this.#seen(event);
        return;
      }
      if (event.type === 'http.disconnect') {
        this.#disconnect();
        controller.error(clientGone());
        return;
      }
      if (event.type !== 'http.request') continue;
      if (event.body.byteLength > 0) controller.enqueue(event.body);
      if (!event.more_body) {
        controller.close();
        this.watch();
        return;
      }
      if (event.body.byteLength > 0) return;
    }
  }

  #seen(event: ReceiveEvent): void {
    if (event.type === 'http.disconnect') this.#disconnect();
  }

  async #watchLoop(): Promise<void> {
    try {
      while (!this.#disconnected && !this.#settled) this.#seen(await this.#next());
    } catch {
      // receive() failing means the server has ended the exchange: nothing left to watch.
    }
  }
}
