import type { HttpScope, ReceiveEvent, SendEvent, WebSocketScope } from '../src/types.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

export function headers(pairs: Record<string, string> | [string, string][]): [Uint8Array, Uint8Array][] {
  const list = Array.isArray(pairs) ? pairs : Object.entries(pairs);
  return list.map(([name, value]) => [bytes(name), bytes(value)]);
}

export function httpScope({ target = '/', ...fields }: Partial<Omit<HttpScope, 'type'>> & { target?: string } = {}): HttpScope {
  const [path = '/', query = ''] = target.split('?');
  return {
    type: 'http',
    asgi: { version: '3.0', spec_version: '2.4' },
    http_version: '1.1',
    method: 'GET',
    scheme: 'http',
    path: decodeURIComponent(path),
    raw_path: bytes(path),
    query_string: bytes(query),
    root_path: '',
    headers: headers({ host: 'example.test:8000' }),
    client: ['127.0.0.1', 50000],
    server: ['127.0.0.1', 8000],
    ...fields,
  };
}

export function webSocketScope({ target, ...fields }: Partial<Omit<WebSocketScope, 'type'>> & { target?: string } = {}): WebSocketScope {
  const http = httpScope(target === undefined ? {} : { target });
  const shared = { ...http, method: undefined, type: undefined };
  return { ...shared, type: 'websocket', scheme: 'ws', subprotocols: [], ...fields };
}

/**
 * The server side of receive(): events are handed out in order as the test pushes them; a
 * receive() before the next event waits. `calls` counts receive() calls, `waiting` tells when the
 * app is blocked in one.
 */
export class Inbox {
  readonly #events: ReceiveEvent[] = [];
  #pending: ((event: ReceiveEvent) => void) | null = null;
  #onWait: (() => void) | null = null;
  calls = 0;

  push(...events: ReceiveEvent[]): void {
    for (const event of events) {
      if (this.#pending) {
        const deliver = this.#pending;
        this.#pending = null;
        deliver(event);
      } else {
        this.#events.push(event);
      }
    }
  }

  readonly receive = (): Promise<ReceiveEvent> => {
    this.calls++;
    const next = this.#events.shift();
    if (next) return Promise.resolve(next);
    if (this.#pending) throw new Error('receive() called while another receive() is pending');
    const waiting = new Promise<ReceiveEvent>((resolve) => (this.#pending = resolve));
    this.#onWait?.();
    return waiting;
  };

  get waiting(): boolean {
    return this.#pending !== null;
  }

  /** Resolves once the app waits in receive() with nothing queued. */
  whenWaiting(): Promise<void> {
    if (this.waiting) return Promise.resolve();
    return new Promise((resolve) => (this.#onWait = () => {
      this.#onWait = null;
      resolve();
    }));
  }
}

/** The app side of send(): records every event; `failWith` makes later sends raise, as after a disconnect. */
export class Outbox {
  readonly events: SendEvent[] = [];
  #waiters: { count: number; resolve: () => void }[] = [];
  failWith: Error | null = null;

  readonly send = (event: SendEvent): Promise<void> => {
    if (this.failWith) return Promise.reject(this.failWith);
    this.events.push(event);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.events.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
    return Promise.resolve();
  };

  /** Resolves once `count` events have been sent. */
  until(count: number): Promise<void> {
    if (this.events.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  types(): string[] {
    return this.events.map((event) => event.type);
  }

  /** The text of every http.response.body (or websocket.http.response.body) sent, joined. */
  bodyText(): string {
    return this.events
      .map((event) => ('body' in event && event.body ? Buffer.from(event.body).toString() : ''))
      .join('');
  }

  /** Response headers as [name, value] strings. */
  headerList(): [string, string][] {
    const start = this.events.find((event) => event.type === 'http.response.start' || event.type === 'websocket.http.response.start');
    if (!start || !('headers' in start) || !start.headers) return [];
    return [...start.headers].map(([name, value]) => [Buffer.from(name).toString('latin1'), Buffer.from(value).toString('latin1')]);
  }
}

export const requestEvent = (body: string, more_body = false): ReceiveEvent => ({ type: 'http.request', body: bytes(body), more_body });
export const disconnectEvent: ReceiveEvent = { type: 'http.disconnect' };

/** A promise with its resolve exposed, to hold a stream or a handler until the test lets it go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
