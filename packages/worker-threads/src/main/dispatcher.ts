import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger, Settings } from '@gu/core';
import { WINDOW_BYTES, ownBytes, type ThreadMessage } from '../protocol.js';
import { answerInstead } from './answers.js';
import { taskOf, writePart, writeReply } from './relay.js';
import { asError, type ThreadLink, type ThreadPool } from './thread-pool.js';

/** One request on its way through a thread. */
interface Dispatch {
  readonly id: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly arrivedAt: number;
  /** Set while it waits for a free thread: starts it. */
  start: (() => void) | null;
  /** True once gu answered it itself (503, 504): whatever the thread does next is ignored. */
  answered: boolean;
  /** The thread that asked for its body, which also takes the client's abort. */
  link: ThreadLink | null;
  bodyUnacked: number;
}

const RETRY_AFTER = { 'Retry-After': '1' };
/** How often a request no thread started is handed to another one. */
const MAX_RETRIES = 2;

/**
 * The request handler the HTTP front calls on the main thread: hands each request to a thread,
 * at most threads × thread_concurrency at once; up to thread_queue more wait, FIFO, and beyond
 * that a request is answered 503 at once. Each request's `timeout` runs from its arrival.
 */
export class Dispatcher {
  private lastId = 0;
  private inFlight = 0;
  private readonly capacity: number;
  private readonly maxWaiting: number;
  /** Live requests, by id: running, waiting, or still streaming their response. */
  private readonly live = new Map<number, Dispatch>();
  private readonly waiting = new Set<Dispatch>();

  constructor(
    private readonly pool: ThreadPool,
    settings: Readonly<Settings>,
    private readonly log: Logger,
  ) {
    this.capacity = settings.threads * settings.threadConcurrency;
    this.maxWaiting = settings.threadQueue;
  }

  readonly handler = (req: IncomingMessage, res: ServerResponse): Promise<void> | undefined => {
    if (this.inFlight >= this.capacity && this.waiting.size >= this.maxWaiting) {
      answerInstead(res, 503, RETRY_AFTER);
      return undefined;
    }
    const dispatch: Dispatch = { id: this.nextId(), req, res, arrivedAt: performance.now(), start: null, answered: false, link: null, bodyUnacked: 0 };
    this.live.set(dispatch.id, dispatch);
    res.once('close', () => {
      this.closed(dispatch);
    });
    if (this.inFlight < this.capacity) return this.run(dispatch);
    return new Promise<void>((resolve, reject) => {
      dispatch.start = () => {
        this.run(dispatch).then(resolve, reject);
      };
      this.waiting.add(dispatch);
    });
  };

  /** Messages from the thread running a request. */
  readonly route = (message: ThreadMessage, link: ThreadLink): void => {
    if (message.t === 'beat') return;
    const dispatch = this.live.get(message.id);
    if (message.t === 'late-error') {
      this.log.exception(`Error after the response to request ${message.id} ended`, asError(message.error));
      return;
    }
    if (!dispatch) {
      // The client left before the thread asked for the body (its abort found no thread to tell):
      // tell it now, or the app would wait for a body that never comes.
      if (message.t === 'pull') this.pool.send(link, { t: 'abort', id: message.id });
      return;
    }
    if (dispatch.answered) return;
    if (message.t === 'res') {
      writePart(dispatch.res, message, (bytes) => {
        this.pool.send(link, { t: 'ack', id: message.id, bytes });
      });
    } else if (message.t === 'pull') {
      this.pumpBody(dispatch, link);
    } else {
      dispatch.bodyUnacked -= message.bytes;
      if (dispatch.bodyUnacked < WINDOW_BYTES && dispatch.req.isPaused()) dispatch.req.resume();
    }
  };

  /**
   * Requests older than `timeoutMs`: one still waiting for a thread is answered 503 (no thread is
   * to blame); one running is answered 504 (or its connection cut, if its response had started)
   * and the thread running it is terminated (see terminateThread).
   */
  expire(now: number, timeoutMs: number): void {
    for (const dispatch of this.live.values()) {
      if (dispatch.answered || now - dispatch.arrivedAt < timeoutMs) continue;
      if (this.waiting.delete(dispatch)) {
        dispatch.answered = true;
        answerInstead(dispatch.res, 503, RETRY_AFTER);
        continue;
      }
      const { method, url } = dispatch.req;
      const threadId = this.pool.runningThread(dispatch.id);
      const why = `Request ${method ?? '-'} ${url ?? '-'} still running after ${Math.round(timeoutMs / 1000)} s`;
      if (threadId === null) {
        // Handed to piscina but not started: no thread to blame.
        this.log.error(why);
        dispatch.answered = true;
        answerInstead(dispatch.res, 504);
      } else {
        this.terminateThread(threadId, `${why}: terminating worker thread ${threadId}`);
      }
    }
  }

  /**
   * Terminates a thread (piscina starts another). Every request it was running is answered 504
   * (or cut): it was as stuck as the thread, since a thread runs one piece of JavaScript at a time.
   */
  terminateThread(threadId: number, why: string): void {
    this.log.error(why);
    for (const dispatch of this.live.values()) {
      if (dispatch.answered || this.waiting.has(dispatch) || this.pool.runningThread(dispatch.id) !== threadId) continue;
      dispatch.answered = true;
      answerInstead(dispatch.res, 504);
    }
    this.pool.terminate(threadId);
  }

  private run(dispatch: Dispatch, retries = MAX_RETRIES): Promise<void> {
    this.inFlight++;
    return this.pool.run(taskOf(dispatch.id, dispatch.req)).then(
      (reply) => {
        this.release();
        if (reply && !dispatch.answered) writeReply(dispatch.res, reply);
      },
      (error: unknown) => {
        this.release();
        // Answered already (504), or the client left: the thread's end is no news.
        if (dispatch.answered || dispatch.res.destroyed) return undefined;
        // Given to a thread that ended (terminated, crashed) before it started the request: piscina
        // does not know a thread is going until it has gone. The app never saw it: try another.
        if (retries > 0 && this.pool.runningThread(dispatch.id) === null) return this.run(dispatch, retries - 1);
        throw error;
      },
    );
  }

  private release(): void {
    this.inFlight--;
    const next = this.waiting.values().next();
    if (next.done) return;
    this.waiting.delete(next.value);
    next.value.start?.();
  }

  private pumpBody(dispatch: Dispatch, link: ThreadLink): void {
    dispatch.link = link;
    const { req, id } = dispatch;
    req.on('data', (chunk: Buffer) => {
      dispatch.bodyUnacked += chunk.byteLength;
      this.pool.send(link, { t: 'body', id, chunk: ownBytes(chunk) });
      if (dispatch.bodyUnacked >= WINDOW_BYTES) req.pause();
    });
    req.on('end', () => {
      this.pool.send(link, { t: 'end', id, rawTrailers: req.rawTrailers, trailers: req.trailers });
    });
  }

  /** The response is done, or the client left: a thread still at work on it is told. */
  private closed(dispatch: Dispatch): void {
    this.live.delete(dispatch.id);
    if (this.waiting.delete(dispatch)) {
      dispatch.start = null;
      return;
    }
    if (dispatch.res.writableFinished || dispatch.answered) return;
    const link = dispatch.link ?? this.pool.linkRunning(dispatch.id);
    if (link) this.pool.send(link, { t: 'abort', id: dispatch.id });
  }

  private nextId(): number {
    this.lastId = this.lastId === 0x7fffffff ? 1 : this.lastId + 1;
    return this.lastId;
  }
}
