import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@gu/core';
import { AsgiProtocolError, ClientDisconnectedError, codeOf, CLIENT_DISCONNECTED, PROTOCOL_ERROR } from '../asgi-errors.js';
import type { AsgiApp, HttpScope, ReceiveEvent, Send, SendEvent } from '../types.js';
import { abortResponse } from './failure.js';
import type { ResponseFields } from './response-headers.js';
import { sendHandlers } from './send-handlers.js';

/**
 * Where a response stands: `start` (no http.response.start yet), `head` (start taken, its head held
 * until the first body so that a protocol error can still be answered 500), `body` (head written,
 * more body to come), `trailers` (the body is complete, trailers are awaited), `done` (complete, or
 * ended by the bridge after an error).
 */
export type Phase = 'start' | 'head' | 'body' | 'trailers' | 'done';

const EMPTY = Buffer.alloc(0);
const DISCONNECT: ReceiveEvent = Object.freeze({ type: 'http.disconnect' });
const NO_BODY: ReceiveEvent = Object.freeze({ type: 'http.request', body: EMPTY, more_body: false });
const RESOLVED = Promise.resolve();

function ignore(): void {
  // A rejection the app may never look at.
}

/**
 * Marks a promise send() returns as handled: an app that calls send() without awaiting it must not
 * bring the worker down (an unhandled rejection ends it) when the client goes away meanwhile.
 * The app still gets the rejection when it awaits.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(ignore);
  return promise;
}

function rejected(error: Error): Promise<never> {
  return handled(Promise.reject(error));
}

/** What the bridge needs per request, besides the request itself. */
export interface ExchangeDeps {
  readonly app: AsgiApp;
  readonly log: Logger;
}

/**
 * One request and its response between node:http and an ASGI app: runs the app with the scope,
 * `receive` (the body as it arrives, then http.disconnect) and `send` (the response state machine
 * of send-handlers.ts), and ends the response however the app ends.
 */
export class HttpExchange {
  phase: Phase = 'start';
  /** What http.response.start said, kept until the head is written. */
  status = 200;
  fields: ResponseFields | null = null;
  trailers = false;
  /** Trailer fields received so far (http.response.trailers with more_trailers). */
  trailerFields: string[] | null = null;
  /** Whether any byte after the head was handed to node:http (the head goes out with it). */
  headFlushed = false;
  /** Body bytes written so far, checked against the app's Content-Length. */
  written = 0;
  /** A file of http.response.pathsend is being written. */
  sendingFile = false;
  private failed = false;
  /** `empty`: no body bytes will come (no Content-Length, no Transfer-Encoding); `done`: more_body: false was received. */
  private body: 'empty' | 'reading' | 'done';
  /** receive() calls waiting for an event; most requests never have one. */
  private waiters: ((event: ReceiveEvent) => void)[] | null = null;
  /** Set while receive() calls wait: wakes them on body bytes, the body's end, or the connection's close. */
  private listeners: { readonly wake: () => void; readonly readable: () => void } | null = null;

  readonly receive = (): Promise<ReceiveEvent> => {
    const event = this.nextEvent();
    if (event !== null) return Promise.resolve(event);
    return new Promise((resolve) => {
      (this.waiters ??= []).push(resolve);
      this.watch();
    });
  };

  readonly send: Send = (message: unknown) => {
    if (this.failed) return rejected(new ClientDisconnectedError('the response was ended after an earlier error'));
    if (this.gone()) return rejected(new ClientDisconnectedError());
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    const handler = typeof type === 'string' ? sendHandlers.get(type) : undefined;
    if (handler === undefined) {
      const found = type === undefined ? `a message without a type (${typeof message})` : `a message of type ${JSON.stringify(type)}`;
      return this.fail(`ASGI app sent ${found}, which an http scope does not take`);
    }
    try {
      const pending = handler(this, message as SendEvent);
      return pending === undefined ? RESOLVED : handled(pending);
    } catch (error) {
      if (codeOf(error) === PROTOCOL_ERROR) return this.fail((error as Error).message);
      throw error;
    }
  };

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly scope: HttpScope,
    hasBody: boolean,
    private readonly deps: ExchangeDeps,
  ) {
    this.body = hasBody ? 'reading' : 'empty';
  }

  /** Runs the app to its end and settles the response as it left it. */
  async run(): Promise<void> {
    let threw = false;
    let thrown: unknown;
    try {
      await this.deps.app(this.scope, this.receive, this.send);
    } catch (error) {
      threw = true;
      thrown = error;
    }
    try {
      if (threw) this.onAppError(thrown);
      else this.onAppReturn();
    } catch (error) {
      // Nothing of the bridge's own may escape: a rejection nobody handles would end the worker.
      this.deps.log.exception(`ASGI bridge: could not end the response to ${this.requestLine()}`, error);
    }
  }

  /** The client went away before the response was complete. */
  gone(): boolean {
    return this.phase !== 'done' && (this.res.destroyed || this.req.socket.destroyed);
  }

  /** Whether the response's status has a body: 204 and 304 have none (node:http sends none). */
  statusHasBody(): boolean {
    return this.status !== 204 && this.status !== 304;
  }

  /** Whether the response carries its body: not to HEAD, where its Content-Length is only declared. */
  bodyAllowed(): boolean {
    return this.req.method !== 'HEAD' && this.statusHasBody();
  }

  /** The response is complete: a receive() waiting for one gets http.disconnect. */
  complete(): void {
    this.phase = 'done';
    if (this.waiters !== null) this.wake();
  }

  /**
   * The app broke the protocol: one error line saying what it did, a 500 (or a cut connection) to
   * the client, and the rejection its send() gets.
   */
  fail(message: string): Promise<never> {
    if (!this.failed) {
      this.deps.log.error(`${message} (request ${this.requestLine()})`);
      this.abort();
    }
    return rejected(new AsgiProtocolError(message));
  }

  /** Resolves once the connection took what was written (`drain`); rejects if the client goes first. */
  drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = this.req.socket;
      const onDrain = (): void => {
        socket.off('close', onClose);
        resolve();
      };
      const onClose = (): void => {
        this.res.off('drain', onDrain);
        reject(new ClientDisconnectedError());
      };
      this.res.once('drain', onDrain);
      socket.once('close', onClose);
    });
  }

  private requestLine(): string {
    return `${this.req.method ?? '-'} ${this.req.url ?? '-'}`;
  }

  /** Ends the exchange after an error: a complete response stays as it is (its bytes may still be on their way). */
  private abort(): void {
    this.failed = true;
    if (this.phase === 'done') return;
    abortResponse(this.res);
    this.complete();
  }

  private onAppReturn(): void {
    if (this.phase === 'done' || this.sendingFile || this.failed || this.gone()) {
      this.unwatch();
      return;
    }
    const what: Record<Exclude<Phase, 'done'>, string> = {
      start: 'returned without sending http.response.start',
      head: 'returned after http.response.start without sending http.response.body',
      body: 'returned before its response was complete (the last http.response.body had more_body: true)',
      trailers: 'returned without sending http.response.trailers (http.response.start set trailers: true)',
    };
    void this.fail(`ASGI app ${what[this.phase]}`);
    this.unwatch();
  }

  private onAppError(error: unknown): void {
    this.unwatch();
    // Already reported (a protocol error, or a failure after one); or the bridge's own
    // disconnection error coming back, which ASGI says a server must not log.
    if (this.failed) return;
    if (codeOf(error) === CLIENT_DISCONNECTED && this.gone()) return;
    this.deps.log.exception(`Error handling request ${this.requestLine()} HTTP/${this.req.httpVersion}`, error);
    if (this.phase !== 'done' && !this.sendingFile) this.abort();
  }

  private nextEvent(): ReceiveEvent | null {
    if (this.phase === 'done' || this.gone()) return DISCONNECT;
    if (this.body === 'done') return null;
    if (this.body === 'empty') {
      this.body = 'done';
      return NO_BODY;
    }
    const { req } = this;
    const chunk = req.read() as Buffer | null;
    const complete = req.complete && req.readableLength === 0;
    if (chunk === null && !complete) return null;
    if (complete) this.body = 'done';
    if (chunk === null) return NO_BODY;
    return { type: 'http.request', body: chunk, more_body: !complete };
  }

  /** Hands waiting receive() calls what there is now. */
  private wake(): void {
    const waiters = this.waiters;
    while (waiters !== null && waiters.length > 0) {
      const event = this.nextEvent();
      if (event === null) return;
      (waiters.shift() as (event: ReceiveEvent) => void)(event);
    }
  }

  /** Listens for body bytes and for the client going away, once a receive() has to wait. */
  private watch(): void {
    if (this.listeners !== null) return;
    const wake = (): void => {
      this.wake();
    };
    // node:http hands body bytes over before it has seen the end of the body even when both came in
    // one read (its parser's callbacks run the tick queue in between), so a waiting receive() is
    // answered a turn later, when `req.complete` says whether more will come: a body that arrived
    // whole makes one http.request, not one plus an empty last one.
    let scheduled = false;
    const readable = (): void => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        this.wake();
      });
    };
    this.listeners = { wake, readable };
    this.req.on('readable', readable);
    this.req.on('end', wake);
    this.req.socket.on('close', wake);
  }

  private unwatch(): void {
    const listeners = this.listeners;
    if (listeners === null) return;
    this.listeners = null;
    this.req.off('readable', listeners.readable);
    this.req.off('end', listeners.wake);
    this.req.socket.off('close', listeners.wake);
  }
}
