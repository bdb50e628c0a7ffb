import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@gu/core';
import { WebSocket, type RawData } from 'ws';
import type {
  AsgiApp,
  ReceiveEvent,
  SendEvent,
  WebSocketAccept,
  WebSocketClose,
  WebSocketHttpResponseBody,
  WebSocketHttpResponseStart,
  WebSocketScope,
  WebSocketSend,
} from '../types.js';
import { acceptFields, bodyFields, closeFields, sendPayload, type AcceptFields } from './app-messages.js';
import { CloseCode } from './close-codes.js';
import { denialHead, endDenial, writeDenialHead, writePlainDenial, type DenialHead } from './denial-response.js';
import { AsgiProtocolError, ClientDisconnectedError, isClientDisconnected, isProtocolError } from '../asgi-errors.js';
import { Inbox } from './inbox.js';
import type { WriteBatch } from './write-batch.js';

/**
 * Where a connection stands, as the app's messages move it: `connecting` until the app answers
 * websocket.connect; `denying` while its HTTP refusal is written; `open` once the 101 is out;
 * `closing` after a close frame went out (the app's, the bridge's); `closed` when the connection
 * is gone or refused.
 */
type Phase = 'connecting' | 'denying' | 'open' | 'closing' | 'closed';

/** ws's verifyClient callback, called with true to complete the handshake (refusals are written here). */
export type CompleteHandshake = (verified: boolean) => void;

/**
 * An app's sends resolve at once while the socket holds less than this unsent; past it, a send
 * resolves once its message is written out, so an app that sends faster than its client reads
 * waits instead of filling memory.
 */
export const OUTBOX_HIGH_WATER_BYTES = 64 * 1024;
/**
 * While the kernel takes every write at once, an app's `await send()` never leaves the microtask
 * queue: a loop of sends would starve the worker's event loop (other sockets, the heartbeat that
 * keeps it from being killed). So after this many sends that resolved at once, one resolves on the
 * next turn of the loop (setImmediate) instead; an echo, which sends once per message received,
 * pays it once per this many messages.
 */
const SENDS_PER_TURN = 256;

const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;
const RESOLVED = Promise.resolve();

type Handler<E extends SendEvent> = (session: WebSocketSession, event: E) => Promise<void>;

/** What each message the app sends does, by its type (anything else is the app's bug). */
const appMessages: Record<string, Handler<never>> = {
  'websocket.accept': (session, event: WebSocketAccept) => session.accept(event),
  'websocket.send': (session, event: WebSocketSend) => session.sendMessage(event),
  'websocket.close': (session, event: WebSocketClose) => session.close(event),
  'websocket.http.response.start': (session, event: WebSocketHttpResponseStart) => session.startDenial(event),
  'websocket.http.response.body': (session, event: WebSocketHttpResponseBody) => session.denialBody(event),
};

/**
 * One WebSocket connection between a client and the ASGI app (asgiref www.rst, "WebSocket"): runs
 * the app with the scope, answers its receive() and send(), and holds the handshake until the app
 * accepts or refuses. Started by ws's verifyClient, i.e. after ws has checked the handshake request.
 */
export class WebSocketSession {
  private phase: Phase = 'connecting';
  private connectDelivered = false;
  private ws: WebSocket | null = null;
  private complete: CompleteHandshake | null = null;
  private accepted: AcceptFields | null = null;
  private denial: { head: DenialHead; written: boolean } | null = null;
  /** The app's failure has been logged: at most one record per connection. */
  private reported = false;
  /** Set when a graceful stop began before the app answered the handshake. */
  private stopping: { code: number; reason: string } | null = null;
  /** Sends resolved without the event loop turning since (see SENDS_PER_TURN). */
  private sendsAtOnce = 0;
  /** A ping is out that no pong has answered yet. */
  private awaitingPong = false;
  /**
   * The last text message received, as the app got it and as it came: an app that sends that same
   * string back (an echo, a relay) sends the bytes already in hand instead of encoding it again.
   */
  private lastText: string | null = null;
  private lastTextBytes: Buffer | null = null;
  private readonly inbox: Inbox;

  constructor(
    private readonly req: IncomingMessage,
    private readonly socket: Duplex,
    private readonly scope: WebSocketScope,
    private readonly log: Logger,
    private readonly batch: WriteBatch,
  ) {
    this.inbox = new Inbox({ pause: () => this.ws?.pause(), resume: () => this.ws?.resume() });
  }

  /** Calls the app; the handshake waits for its answer to websocket.connect. */
  start(app: AsgiApp, complete: CompleteHandshake): void {
    this.complete = complete;
    this.socket.once('close', () => {
      if (this.phase === 'connecting' || this.phase === 'denying') this.end(CloseCode.ABNORMAL, '');
    });
    // async: a synchronous throw of the app becomes a rejection like any other.
    const running = (async () => { await app(this.scope, this.receive, this.send); })();
    running.then(() => { this.appReturned(); }, (error: unknown) => { this.appFailed(error); });
  }

  /** For ws's handleProtocols: the subprotocol the app accepted, if any. */
  get subprotocol(): string | false {
    return this.accepted?.subprotocol ?? false;
  }

  /** For ws's `headers` event: the app's extra headers go into the 101 response. */
  addAcceptHeaders(lines: string[]): void {
    if (this.accepted) lines.push(...this.accepted.headerLines);
  }

  /** ws completed the handshake on this connection. */
  opened(ws: WebSocket): void {
    this.ws = ws;
    this.phase = 'open';
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.received(data as Buffer, isBinary);
    });
    ws.on('pong', () => {
      this.awaitingPong = false;
    });
    ws.on('error', (error) => {
      this.log.debug(`WebSocket ${this.target}: ${error.message}`);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.end(code, reason.toString());
    });
    if (this.stopping) this.closeOpen(this.stopping.code, this.stopping.reason);
  }

  /**
   * The heartbeat's tick: terminates an open connection whose last ping went unanswered, then pings
   * again. One whose app is not reading is not judged: its pongs wait unread behind its messages.
   */
  checkAlive(): void {
    const ws = this.ws;
    if (this.phase !== 'open' || !ws) return;
    if (this.inbox.holdingBack) {
      this.awaitingPong = false;
      return;
    }
    if (this.awaitingPong) {
      this.log.debug(`WebSocket ${this.target}: no pong within the ping interval, terminating`);
      ws.terminate();
      return;
    }
    this.awaitingPong = true;
    ws.ping();
  }

  /**
   * A graceful stop: an open connection is closed with `code` after what the app already sent. One
   * the app is still deciding on is left to it: accepted, it is closed at once the same way (the
   * client learns why, and reconnects); refused, it gets the app's answer. The stop itself is
   * bounded by graceful_timeout.
   */
  stop(code: number, reason: string): void {
    if (this.phase === 'open') this.closeOpen(code, reason);
    else if (this.phase === 'connecting') this.stopping = { code, reason };
  }

  readonly receive = (): Promise<ReceiveEvent> => {
    if (!this.connectDelivered) {
      this.connectDelivered = true;
      return Promise.resolve({ type: 'websocket.connect' });
    }
    return this.inbox.next();
  };

  readonly send = (event: SendEvent): Promise<void> => {
    const type = typeOf(event);
    const handler = Object.hasOwn(appMessages, type) ? (appMessages[type] as Handler<SendEvent>) : undefined;
    try {
      if (!handler) throw new AsgiProtocolError(`unknown message type ${JSON.stringify(type)} on a WebSocket`);
      return handler(this, event);
    } catch (error) {
      return this.rejectSend(error);
    }
  };

  accept(event: WebSocketAccept): Promise<void> {
    if (this.phase !== 'connecting') return this.outOfOrder('websocket.accept', 'the handshake was answered');
    this.accepted = acceptFields(event, this.scope.subprotocols);
    const complete = this.complete;
    this.complete = null;
    complete?.(true);
    // ws completes the handshake synchronously, unless the client had already gone.
    return this.ws !== null ? RESOLVED : Promise.reject(new ClientDisconnectedError('websocket.accept: the WebSocket is closed'));
  }

  close(event: WebSocketClose): Promise<void> {
    if (this.phase === 'connecting') {
      this.refuse(403);
      return RESOLVED;
    }
    if (this.phase !== 'open') return this.outOfOrder('websocket.close', 'the handshake was refused');
    const { code, reason } = closeFields(event);
    this.closeOpen(code, reason);
    return RESOLVED;
  }

  sendMessage(event: WebSocketSend): Promise<void> {
    const ws = this.ws;
    if (this.phase !== 'open' || !ws) return this.outOfOrder('websocket.send', 'websocket.accept was not sent');
    const payload = sendPayload(event);
    if (ws.readyState !== WebSocket.OPEN) return Promise.reject(new ClientDisconnectedError('websocket.send: the WebSocket is closed'));
    // Text goes out as one buffer: ws would hand the string to the socket as it is, and node then
    // writes the frame's header and that string through its slower mixed-chunk writev.
    const [data, options] = typeof payload === 'string' ? [this.textBytes(payload), TEXT] : [payload, BINARY];
    if (ws.bufferedAmount < OUTBOX_HIGH_WATER_BYTES) {
      // Written at the end of this turn with the other replies it produced (write-batch.ts).
      this.batch.hold(this.socket);
      ws.send(data, options);
      if (++this.sendsAtOnce < SENDS_PER_TURN) return RESOLVED;
      this.sendsAtOnce = 0;
      return new Promise((resolve) => setImmediate(resolve));
    }
    this.sendsAtOnce = 0;
    return new Promise((resolve, reject) => {
      ws.send(data, options, (error) => {
        if (error) reject(new ClientDisconnectedError('websocket.send: the WebSocket is closed'));
        else resolve();
      });
    });
  }

  startDenial(event: WebSocketHttpResponseStart): Promise<void> {
    if (this.phase !== 'connecting') return this.outOfOrder('websocket.http.response.start', 'the handshake was answered');
    this.denial = { head: denialHead(event.status, event.headers), written: false };
    this.phase = 'denying';
    // ws gives up its part: the refusal is written here, and its callback is never called.
    this.complete = null;
    return RESOLVED;
  }

  denialBody(event: WebSocketHttpResponseBody): Promise<void> {
    const denial = this.denial;
    if (this.phase !== 'denying' || !denial) return this.outOfOrder('websocket.http.response.body', 'websocket.http.response.start was not sent');
    const { body, more } = bodyFields(event);
    if (!denial.written) writeDenialHead(this.socket, denial.head, more ? null : body.byteLength);
    denial.written = true;
    if (!more) {
      this.phase = 'closed';
      endDenial(this.socket, body);
      this.end(CloseCode.ABNORMAL, '');
      return RESOLVED;
    }
    if (body.byteLength === 0 || this.socket.write(body)) return RESOLVED;
    return new Promise((resolve) => {
      this.socket.once('drain', resolve);
      this.socket.once('close', resolve);
    });
  }

  private get target(): string {
    return this.req.url ?? '/';
  }

  /**
   * Refuses the handshake with one of the server's own answers; ws's verifyClient callback is
   * never called then (ws holds nothing else for the connection).
   */
  private refuse(status: number): void {
    this.complete = null;
    writePlainDenial(this.socket, status);
    this.end(CloseCode.ABNORMAL, '');
  }

  private closeOpen(code: number, reason: string): void {
    this.phase = 'closing';
    this.inbox.release();
    this.ws?.close(code, reason);
  }

  private received(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.inbox.push({ type: 'websocket.receive', bytes: data }, data.length);
      return;
    }
    const text = data.toString();
    this.lastText = text;
    this.lastTextBytes = data;
    this.inbox.push({ type: 'websocket.receive', text }, data.length);
  }

  /**
   * The UTF-8 bytes of `text`. ws checked the received message was valid UTF-8, so decoding it and
   * encoding it again gives the same bytes, and nothing writes to a received buffer after ws hands
   * it over (it unmasks before), so it can go out as it came.
   */
  private textBytes(text: string): Buffer {
    return text === this.lastText && this.lastTextBytes !== null ? this.lastTextBytes : Buffer.from(text);
  }

  /** The connection is over: the app's next receive() after what is queued is websocket.disconnect. */
  private end(code: number, reason: string): void {
    this.phase = 'closed';
    this.inbox.end({ type: 'websocket.disconnect', code, reason });
  }

  /** A message the phase does not allow: after the connection closed, ASGI's send error; else the app's bug. */
  private outOfOrder(type: string, because: string): Promise<void> {
    if (this.phase === 'closed' || this.phase === 'closing') return Promise.reject(new ClientDisconnectedError(`${type}: the WebSocket is closed`));
    throw new AsgiProtocolError(`${type} is not allowed now: ${because}`);
  }

  private rejectSend(error: unknown): Promise<void> {
    if (isProtocolError(error)) this.fail(`ASGI app error on WebSocket ${this.target}: ${error.message}`, null);
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  private appReturned(): void {
    if (this.phase === 'connecting') this.fail(`ASGI app returned without accepting or refusing the WebSocket ${this.target}`, null);
    else if (this.phase === 'denying') this.fail(`ASGI app returned before its websocket.http.response.body with more_body false on ${this.target}`, null);
    else if (this.phase === 'open') this.closeOpen(CloseCode.NORMAL, '');
  }

  private appFailed(error: unknown): void {
    if (isClientDisconnected(error)) {
      if (this.phase === 'open') this.closeOpen(CloseCode.NORMAL, '');
      return;
    }
    this.fail(`Error handling WebSocket ${this.target}`, error);
  }

  /**
   * The app's failure: logged once (with its stack when it threw), then the client is told as far
   * as the phase allows: 500 before the handshake, 1011 on an open socket, a cut connection when a
   * refusal was half written.
   */
  private fail(message: string, error: unknown): void {
    if (!this.reported) {
      this.reported = true;
      if (error === null) this.log.error(message);
      else this.log.exception(message, error);
    }
    if (this.phase === 'connecting' || (this.phase === 'denying' && !this.denial?.written)) {
      this.refuse(500);
    } else if (this.phase === 'denying') {
      this.socket.destroy();
      this.end(CloseCode.ABNORMAL, '');
    } else if (this.phase === 'open') {
      this.closeOpen(CloseCode.INTERNAL_ERROR, '');
    }
  }
}

function typeOf(event: unknown): string {
  const type = typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : String(type);
}
