import type { IncomingMessage, ServerResponse } from 'node:http';
import { cloneError, type RequestMessage, type Reply, type RequestTask, type ResponsePart, type ThreadMessage } from '../protocol.js';
import { rebuildRequest } from './fake-request.js';
import { ThreadResponse, type ResponseSink } from './fake-response.js';

/** A request listener as apps write them: an async one returns a promise. */
type AnyListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Where a thread's requests report their end: one object for all of them, told the request's id.
 * Not closures made per request: V8's Maglev tier turns closures that capture a variable and are
 * stored on an object into garbage the young-generation collector keeps (measured: 11-22 % of what
 * a request allocates survived each scavenge, against 1-2 % with methods and bound functions).
 */
export interface Settle {
  resolve(id: number, reply: Reply | null): void;
  reject(id: number, error: unknown): void;
}

/**
 * One request inside a thread: the rebuilt req/res pair, the body streaming in (asked for on the
 * app's first read, acknowledged as the app reads), and the task's promise, settled once the
 * response has ended, the app failed, or the client went away.
 */
export class ThreadRequest implements ResponseSink {
  private readonly req: IncomingMessage;
  private readonly response: ThreadResponse;
  private pulled = false;
  private settled = false;
  /** Body bytes pushed while the stream was full: acknowledged when the app reads again. */
  private owed = 0;

  constructor(
    private readonly task: RequestTask,
    private readonly post: (message: ThreadMessage) => void,
    private readonly settle: Settle,
  ) {
    this.req = rebuildRequest(task, this.onRead.bind(this));
    this.response = new ThreadResponse(this.req, task.id, this);
  }

  /** The response, ended within the turn it started in. */
  whole(reply: Reply): void {
    this.finish(reply);
  }

  /** A part of a response written over time. */
  part(part: ResponsePart): void {
    this.post(part);
    if (part.end) this.finish(null);
  }

  start(app: AnyListener): void {
    try {
      // Apps may be async (or return a promise): its rejection fails the request, as in the front.
      const result = app(this.req, this.response.res);
      if (isThenable(result)) result.then(undefined, this.fail.bind(this));
    } catch (error) {
      this.fail(error);
    }
  }

  receive(message: RequestMessage): void {
    switch (message.t) {
      case 'body': {
        const chunk = Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength);
        if (this.req.push(chunk)) this.post({ t: 'ack', id: this.task.id, bytes: chunk.byteLength });
        else this.owed += chunk.byteLength;
        break;
      }
      case 'end':
        this.req.rawTrailers = message.rawTrailers as string[];
        this.req.trailers = message.trailers;
        this.req.complete = true;
        this.req.push(null);
        break;
      case 'ack':
        this.response.acknowledge(message.bytes);
        break;
      case 'abort':
        this.abort();
        break;
    }
  }

  private onRead(): void {
    if (!this.pulled) {
      this.pulled = true;
      if (this.task.body) this.post({ t: 'pull', id: this.task.id });
      return;
    }
    if (this.owed > 0) {
      this.post({ t: 'ack', id: this.task.id, bytes: this.owed });
      this.owed = 0;
    }
  }

  private abort(): void {
    const req = this.req;
    // Deprecated, but older middleware still reads it.
    (req as unknown as { aborted: boolean }).aborted = true;
    req.emit('aborted');
    req.destroy();
    this.response.abort();
    this.finish(null);
  }

  private fail(error: unknown): void {
    if (this.settled) {
      // Thrown after the response ended: the request is done, but the failure is still logged.
      this.post({ t: 'late-error', id: this.task.id, error: cloneError(error) });
      return;
    }
    this.settled = true;
    this.settle.reject(this.task.id, error);
  }

  private finish(reply: Reply | null): void {
    if (this.settled) return;
    this.settled = true;
    this.settle.resolve(this.task.id, reply);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
