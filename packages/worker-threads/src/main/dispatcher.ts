import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger, Settings } from '@gu/core';
import { WINDOW_BYTES, decodeReply, isWireReply, ownBytes, type ThreadMessage, type WireReply } from '../protocol.js';
import { answerInstead } from './answers.js';
import { IdTable } from '../id-table.js';
import { wireTask, writePart, writeReply } from './relay.js';
import { asError, type ThreadLink, type ThreadPool } from './thread-pool.js';
import { WaitingLine } from './waiting-line.js';

/** One request on its way through a thread. */
interface Dispatch {
  readonly id: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly arrivedAt: number;
  /** Settles the promise the handler returned to the front; null once settled. */
  settle: { resolve(): void; reject(error: Error): void } | null;
  /** True once gu answered it itself (503, 504): whatever the thread does next is ignored. */
  answered: boolean;
  /** The thread it was sent to, until that thread finishes it; null while it waits for one. */
  link: ThreadLink | null;
  /** How many more times it may be sent to another thread if its thread exits before starting it. */
  retries: number;
  /** True while it is in the line of requests waiting for a thread. */
  waiting: boolean;
  bodyUnacked: number;
}

const RETRY_AFTER = { 'Retry-After': '1' };

/**
 * The request handler the HTTP front calls on the main thread: sends each request to the least
 * busy thread that carries fewer than thread_concurrency; up to thread_queue more wait, FIFO, and
 * beyond that a request is answered 503 at once. Each request's `timeout` runs from its arrival.
 */
export class Dispatcher {
  private lastId = 0;
  private readonly concurrency: number;
  private readonly maxWaiting: number;
  /** Live requests, by id: running, waiting, or still streaming their response. */
  private readonly live = new IdTable<Dispatch>();
  /** Requests sent to a thread that it has not finished, by id (their clients may have left). */
  private readonly inThreads = new IdTable<Dispatch>();
  private readonly waiting = new WaitingLine<Dispatch>();

  constructor(
    private readonly pool: ThreadPool,
    settings: Readonly<Settings>,
    private readonly log: Logger,
  ) {
    this.concurrency = settings.threadConcurrency;
    this.maxWaiting = settings.threadQueue;
  }

  readonly handler = (req: IncomingMessage, res: ServerResponse): Promise<void> | undefined => {
    const link = this.pool.leastBusy(this.concurrency);
    if (!link && this.waiting.size >= this.maxWaiting) {
      answerInstead(res, 503, RETRY_AFTER);
      return undefined;
    }
    const dispatch: Dispatch = { id: this.nextId(), req, res, arrivedAt: performance.now(), settle: null, answered: false, link: null, retries: 2, waiting: false, bodyUnacked: 0 };
    this.live.set(dispatch.id, dispatch);
    // Bound, not an arrow: see Settle in thread-request.ts for what closures per request cost.
    res.on('close', this.closed.bind(this, dispatch));
    const handled = new Promise<void>((resolve, reject) => {
      dispatch.settle = { resolve, reject };
    });
    if (link) this.send(dispatch, link);
    else this.waiting.add(dispatch);
    return handled;
  };

  /** Messages from a thread about a request it was sent. */
  message(message: ThreadMessage, link: ThreadLink): void {
    if (isWireReply(message)) {
      this.replied(message, link);
      return;
    }
    if (message.t === 'beat') return;
    if (message.t === 'late-error') {
      this.log.exception(`Error after the response to request ${message.id} ended`, asError(message.error));
      return;
    }
    if (message.t === 'log') {
      if (message.error) this.log.exception(message.message, asError(message.error));
      else this.log[message.level](message.message);
      return;
    }
    if (message.t === 'closed') return;
    if (message.t === 'done' || message.t === 'fail') {
      const dispatch = this.finished(link, message.id);
      if (dispatch) settle(dispatch, message.t === 'fail' ? asError(message.error) : undefined);
      return;
    }
    const dispatch = this.live.get(message.id);
    if (!dispatch) {
      // The client left before the thread asked for the body (its abort found it not started):
      // tell it again, or the app would wait for a body that never comes.
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
  }

  /** A thread can take requests: those waiting go to it. */
  ready(): void {
    this.startWaiting();
  }

  /**
   * A thread exited (terminated, crashed). A request it never started goes to another thread; one
   * it was running fails (500, unless gu answered it already): the app may have seen it.
   */
  gone(link: ThreadLink): void {
    for (const dispatch of this.inThreads.values()) {
      if (dispatch.link !== link) continue;
      this.inThreads.delete(dispatch.id);
      dispatch.link = null;
      if (dispatch.answered || dispatch.res.destroyed) {
        settle(dispatch);
      } else if (dispatch.retries > 0 && this.pool.runningThread(dispatch.id) !== link.threadId) {
        dispatch.retries--;
        this.waiting.add(dispatch);
      } else {
        settle(dispatch, new Error(`Worker thread ${link.threadId} exited while running request ${dispatch.req.method ?? '-'} ${dispatch.req.url ?? '-'}`));
      }
    }
    this.startWaiting();
  }

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
        settle(dispatch);
        continue;
      }
      const { method, url } = dispatch.req;
      const threadId = this.pool.runningThread(dispatch.id);
      const why = `Request ${method ?? '-'} ${url ?? '-'} still running after ${Math.round(timeoutMs / 1000)} s`;
      if (threadId === null) {
        // Sent to a thread that has not started it (busy with another request): no code of its to blame.
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
   * Those it had not started go to another thread once it has exited (gone).
   */
  terminateThread(threadId: number, why: string): void {
    this.log.error(why);
    for (const dispatch of this.live.values()) {
      if (dispatch.answered || dispatch.link?.threadId !== threadId || this.pool.runningThread(dispatch.id) !== threadId) continue;
      dispatch.answered = true;
      answerInstead(dispatch.res, 504);
    }
    this.pool.terminate(threadId);
  }

  private send(dispatch: Dispatch, link: ThreadLink): void {
    dispatch.link = link;
    link.inFlight++;
    this.inThreads.set(dispatch.id, dispatch);
    this.pool.send(link, wireTask(dispatch.id, dispatch.req));
  }

  private replied(wire: WireReply, link: ThreadLink): void {
    const dispatch = this.finished(link, wire[0]);
    if (!dispatch) return;
    if (!dispatch.answered && !dispatch.res.destroyed) writeReply(dispatch.res, decodeReply(wire));
    settle(dispatch);
  }

  /** The thread is done with request `id`: it can take another. Returns the request, if still known. */
  private finished(link: ThreadLink, id: number): Dispatch | undefined {
    link.inFlight--;
    const dispatch = this.inThreads.get(id);
    this.inThreads.delete(id);
    if (dispatch) dispatch.link = null;
    this.startWaiting();
    return dispatch;
  }

  private startWaiting(): void {
    while (this.waiting.size > 0) {
      const link = this.pool.leastBusy(this.concurrency);
      if (!link) return;
      const dispatch = this.waiting.shift();
      if (!dispatch) return;
      this.send(dispatch, link);
    }
  }

  private pumpBody(dispatch: Dispatch, link: ThreadLink): void {
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
      settle(dispatch);
      return;
    }
    if (dispatch.res.writableFinished || dispatch.answered || !dispatch.link) return;
    this.pool.send(dispatch.link, { t: 'abort', id: dispatch.id });
  }

  private nextId(): number {
    this.lastId = this.lastId === 0x7fffffff ? 1 : this.lastId + 1;
    return this.lastId;
  }
}

/**
 * Settles the handler's promise once: with the thread's failure (the front answers 500 and logs
 * it), or done. A failure nobody can be answered for any more (gu answered, or the client left)
 * is no news.
 */
function settle(dispatch: Dispatch, error?: Error): void {
  const pending = dispatch.settle;
  dispatch.settle = null;
  if (error && !dispatch.answered && !dispatch.res.destroyed) pending?.reject(error);
  else pending?.resolve();
}
