import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { WINDOW_BYTES, chunkSize, ownBytes, type Chunk, type Head, type Reply, type ResponsePart } from '../protocol.js';

type Callback = (error?: Error | null) => void;
type Encoding = BufferEncoding | undefined;

/** Where a response goes: whole, as the task's result, or in parts over the control port. */
export interface ResponseSink {
  whole(reply: Reply): void;
  part(part: ResponsePart): void;
}

/**
 * A real `http.ServerResponse` whose writing methods are replaced by own properties (they survive
 * Express and Koa swapping the prototype). setHeader, getHeader, appendHeader, statusCode and the
 * rest are node's own: the head is read back from them in the app's case, repeats kept apart.
 *
 * Writes collect until the end of the current turn: a response ended within it goes back whole;
 * one that is still open then streams, one part per turn in which the app wrote, so chunks written
 * over time leave the thread as they are written. `write` returns false once a window of bytes
 * awaits the main thread's acknowledgement, and 'drain' follows it.
 */
export class ThreadResponse {
  readonly res: ServerResponse;
  private chunks: Chunk[] = [];
  private encodings: Encoding[] = [];
  private headSent = false;
  private streaming = false;
  private flushScheduled = false;
  private unacked = 0;
  private blocked = false;
  private finishCallbacks: Callback[] = [];

  constructor(
    req: IncomingMessage,
    private readonly id: number,
    private readonly sink: ResponseSink,
  ) {
    const res = new ServerResponse(req);
    this.res = res;
    const own = res as unknown as Record<string, unknown>;
    own.writeHead = this.writeHead.bind(this);
    own.write = this.write.bind(this);
    own.end = this.end.bind(this);
    own.flushHeaders = this.flushHeaders.bind(this);
    own.writeContinue = nothing;
    own.writeProcessing = nothing;
    own.assignSocket = nothing;
  }

  private flushHeaders(): void {
    this.commitHead();
    this.scheduleFlush();
  }

  /** The main thread wrote `bytes` more to the client. */
  acknowledge(bytes: number): void {
    this.unacked -= bytes;
    if (this.blocked && this.unacked < WINDOW_BYTES) {
      this.blocked = false;
      this.res.emit('drain');
    }
  }

  /** The client went away: the app sees 'close' without 'finish', as on a real connection. */
  abort(): void {
    if (this.res.writableEnded) return;
    (this.res as { destroyed: boolean }).destroyed = true;
    this.res.emit('close');
  }

  private writeHead(status: number, message?: string | OutgoingHttpHeaders | unknown[], headers?: OutgoingHttpHeaders | unknown[]): ServerResponse {
    const res = this.res;
    if (this.headSent) throw Object.assign(new Error('Cannot write headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
    let fields = headers;
    if (typeof message === 'string') res.statusMessage = message;
    else fields = message;
    res.statusCode = status;
    if (Array.isArray(fields)) applyRawHeaders(res, fields);
    else if (fields) for (const [name, value] of Object.entries(fields)) if (value !== undefined) res.setHeader(name, value);
    this.commitHead();
    return res;
  }

  private write(chunk: unknown, encoding?: Encoding | Callback, callback?: Callback): boolean {
    const [enc, done] = typeof encoding === 'function' ? [undefined, encoding] : [encoding, callback];
    if (this.res.writableEnded) {
      const error = Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
      if (done) queueMicrotask(() => { done(error); });
      return false;
    }
    this.commitHead();
    this.push(chunk, enc);
    if (done) this.finishCallbacks.push(done);
    this.scheduleFlush();
    if (this.unacked >= WINDOW_BYTES) this.blocked = true;
    return !this.blocked;
  }

  private end(chunk?: unknown, encoding?: Encoding | Callback, callback?: Callback): ServerResponse {
    const res = this.res;
    if (typeof chunk === 'function') [chunk, encoding, callback] = [undefined, undefined, chunk as Callback];
    const [enc, done] = typeof encoding === 'function' ? [undefined, encoding] : [encoding, callback];
    if (res.writableEnded) return res;
    this.commitHead();
    if (chunk !== undefined && chunk !== null) this.push(chunk, enc);
    (res as { finished: boolean }).finished = true;
    if (done) this.finishCallbacks.push(done);
    if (this.streaming) this.sink.part(this.takePart(true));
    else this.sink.whole({ head: this.head(), chunks: this.chunks, encodings: this.encodings });
    process.nextTick(emitFinish, this);
    return res;
  }

  /** After end(), as node does once the last byte is handed to the socket: callbacks, 'finish', 'close'. */
  emitFinished(): void {
    for (const finished of this.finishCallbacks) finished();
    this.res.emit('finish');
    this.res.emit('close');
  }

  private push(chunk: unknown, encoding: Encoding): void {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) {
      this.chunks.push(ownBytes(chunk));
      this.encodings.push(typeof chunk === 'string' ? encoding : undefined);
      this.unacked += chunkSize(chunk);
    } else {
      throw Object.assign(new TypeError('The "chunk" argument must be of type string or an instance of Buffer or Uint8Array'), { code: 'ERR_INVALID_ARG_TYPE' });
    }
  }

  /** Makes `headersSent` true, as node does once the head is written. */
  private commitHead(): void {
    if (this.headSent) return;
    this.headSent = true;
    (this.res as unknown as { _header: string })._header = 'gu-threads';
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(flushWritten, this);
  }

  /** The end of a turn in which the app wrote but did not end: what it wrote leaves as a part. */
  flushWritten(): void {
    this.flushScheduled = false;
    if (this.res.writableEnded || this.res.destroyed) return;
    this.streaming = true;
    this.sink.part(this.takePart(false));
  }

  private takePart(end: boolean): ResponsePart {
    const part: ResponsePart = { t: 'res', id: this.id, head: this.pendingHead(), chunks: this.chunks, encodings: this.encodings, end };
    this.chunks = [];
    this.encodings = [];
    return part;
  }

  private headTaken = false;
  private pendingHead(): Head | null {
    if (this.headTaken) return null;
    this.headTaken = true;
    return this.head();
  }

  private head(): Head {
    const res = this.res;
    const rawHeaders: string[] = [];
    // node's own list of the names in the case the app wrote them (missing from @types/node).
    for (const name of (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
      const value = res.getHeader(name);
      if (Array.isArray(value)) for (const item of value) rawHeaders.push(name, item);
      else if (value !== undefined) rawHeaders.push(name, String(value));
    }
    // Unset unless the app set one: the main thread's node then writes its own for the status.
    return { status: res.statusCode, statusMessage: res.statusMessage || undefined, rawHeaders };
  }
}

// Module functions handed the response, not closures made per response (see Settle in thread-request.ts).
function nothing(): undefined {
  return undefined;
}

function emitFinish(response: ThreadResponse): void {
  response.emitFinished();
}

function flushWritten(response: ThreadResponse): void {
  response.flushWritten();
}

/** writeHead(status, [name, value, name, value…]) or [[name, value], …]: repeats kept apart. */
function applyRawHeaders(res: ServerResponse, fields: unknown[]): void {
  const pairs: [string, unknown][] = Array.isArray(fields[0])
    ? (fields as [string, unknown][])
    : Array.from({ length: fields.length / 2 }, (_, i) => [String(fields[2 * i]), fields[2 * i + 1]]);
  for (const [name] of pairs) res.removeHeader(name);
  for (const [name, value] of pairs) res.appendHeader(name, value as string);
}
