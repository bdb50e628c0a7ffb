import { performance } from 'node:perf_hooks';
import type { MessagePort, Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger, Settings } from '@gu/core';
import { Outbox } from '../outbox.js';
import { RUNNING_SLOTS, isWireReply, runningThread, type ClonedError, type Hello, type MainMessage, type ThreadData, type ThreadMessage } from '../protocol.js';

/** A live thread as the main thread sees it: its control port, its load, and when it last beat. */
export interface ThreadLink {
  readonly threadId: number;
  readonly port: MessagePort;
  readonly outbox: Outbox<MainMessage>;
  lastBeat: number;
  /** Requests sent to it that it has not finished (replied, done or failed). */
  inFlight: number;
}

/** What the pool tells the dispatcher: thread messages, and threads that came or went. */
export interface PoolEvents {
  message(message: ThreadMessage, link: ThreadLink): void;
  /** A thread loaded the app and can take requests. */
  ready(): void;
  /** A thread exited: the requests sent to it will never be answered by it. */
  gone(link: ThreadLink): void;
  /** A replacement thread could not load the app. */
  loadFailure(error: Error): void;
}

const threadEntry = new URL('../thread/entry.js', import.meta.url).href;

/**
 * The piscina pool of one worker process and the control port of each of its threads. Piscina
 * replaces a thread that exits (crash or terminate); each new one loads the app and says hello.
 */
export class ThreadPool {
  readonly piscina: Piscina;
  private readonly links = new Map<number, ThreadLink>();
  private readonly running: Int32Array;
  private readonly firstSeen = new WeakMap<Worker, number>();
  /** Threads terminate() was called for, until they exit. */
  private readonly terminatingIds = new Set<number>();
  private events: PoolEvents | null = null;
  private onLoadFailure: (error: Error) => void = () => undefined;
  private bootWaiter: { threads: number; resolve: () => void } | null = null;
  /** Threads asked to close their app, until they answer `closed` (or exit). */
  private readonly closing = new Map<number, () => void>();

  constructor(
    settings: Readonly<Settings>,
    private readonly log: Logger,
    beatMs: number,
  ) {
    const running = new SharedArrayBuffer(RUNNING_SLOTS * 2 * Int32Array.BYTES_PER_ELEMENT);
    this.running = new Int32Array(running);
    const workerData: ThreadData = { app: settings.app ?? '', chdir: settings.chdir, beatMs, running };
    // piscina keeps `threads` threads alive and replaces one that exits; requests go over each
    // thread's control port (protocol.ts), never as piscina tasks, so its atomics are off: 'sync'
    // would park a thread in Atomics.wait, where its event loop (the requests, its beat) stops.
    this.piscina = new Piscina({
      filename: threadEntry,
      minThreads: settings.threads,
      maxThreads: settings.threads,
      idleTimeout: Infinity,
      atomics: 'disabled',
      recordTiming: false,
      workerData,
    });
    this.piscina.on('message', (message: unknown) => {
      if (isHello(message)) this.hello(message);
    });
    // A thread that crashed with no request in it: piscina replaces it; say why it died.
    this.piscina.on('error', (error: unknown) => {
      this.log.exception('A worker thread crashed', error);
    });
  }

  /** Resolves once every thread has loaded the app; rejects with the first load failure (code kept). */
  booted(threads: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.onLoadFailure = reject;
      this.bootWaiter = { threads, resolve };
      // A thread that dies before it could even say hello would be started again and again.
      this.piscina.once('error', reject);
      this.checkBooted();
    });
  }

  private checkBooted(): void {
    if (!this.bootWaiter || this.links.size < this.bootWaiter.threads) return;
    const { resolve } = this.bootWaiter;
    this.bootWaiter = null;
    resolve();
  }

  /** After boot: where thread messages and comings and goings are told. */
  serve(events: PoolEvents): void {
    this.events = events;
    this.onLoadFailure = (error) => {
      events.loadFailure(error);
    };
  }

  /**
   * The live thread with the fewest requests in flight, if it carries fewer than `concurrency`
   * (a thread being terminated takes none).
   */
  leastBusy(concurrency: number): ThreadLink | null {
    let best: ThreadLink | null = null;
    for (const link of this.links.values()) {
      if (link.inFlight < concurrency && (!best || link.inFlight < best.inFlight) && !this.terminatingIds.has(link.threadId)) best = link;
    }
    return best;
  }

  send(link: ThreadLink, message: MainMessage): void {
    link.outbox.push(message);
  }

  /** The thread running request `id`, or null when none has started it. */
  runningThread(id: number): number | null {
    return runningThread(this.running, id);
  }

  /** Terminates a thread; piscina starts another once it has exited. */
  terminate(threadId: number): void {
    const worker = this.piscina.threads.find((thread) => thread.threadId === threadId);
    if (!worker || this.terminatingIds.has(threadId)) return;
    this.terminatingIds.add(threadId);
    worker.once('exit', () => this.terminatingIds.delete(threadId));
    void worker.terminate();
  }

  /** True once terminate() was called for this thread, until it has exited. */
  terminating(threadId: number): boolean {
    return this.terminatingIds.has(threadId);
  }

  /**
   * Threads silent for longer than `silentMs` (a thread still loading the app counts from when it
   * was first seen, against `bootMs`): stuck in a loop, or gone where no signal reaches.
   */
  silentThreads(now: number, silentMs: number, bootMs: number): number[] {
    const silent: number[] = [];
    for (const worker of this.piscina.threads) {
      const link = this.links.get(worker.threadId);
      if (link) {
        if (now - link.lastBeat > silentMs) silent.push(worker.threadId);
        continue;
      }
      const seen = this.firstSeen.get(worker) ?? now;
      this.firstSeen.set(worker, seen);
      if (bootMs > 0 && now - seen > bootMs) silent.push(worker.threadId);
    }
    return silent;
  }

  /**
   * Closes the app in every thread (its close(): Fastify's onClose hooks…), waiting up to
   * `appCloseMs` for them, then the threads themselves.
   */
  async close(appCloseMs = 0): Promise<void> {
    if (appCloseMs > 0) await this.closeApps(appCloseMs);
    for (const link of this.links.values()) link.port.close();
    await this.piscina.destroy();
  }

  private async closeApps(timeoutMs: number): Promise<void> {
    const closed = [...this.links.values()].map((link) => new Promise<void>((resolve) => {
      this.closing.set(link.threadId, resolve);
      link.outbox.push({ t: 'close' });
    }));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(closed), timedOut]);
    clearTimeout(timer);
  }

  private closedApp(threadId: number): void {
    this.closing.get(threadId)?.();
    this.closing.delete(threadId);
  }

  private hello(message: Hello): void {
    if (message.loadError) {
      message.port.close();
      this.onLoadFailure(asError(message.loadError));
      return;
    }
    const link: ThreadLink = { threadId: message.threadId, port: message.port, outbox: new Outbox(message.port), lastBeat: performance.now(), inFlight: 0 };
    this.links.set(link.threadId, link);
    // A replacement (after a crash, a timeout or a silent thread): the boot itself is logged by core.
    if (!this.bootWaiter) this.log.info(`Worker thread ${link.threadId} ready`);
    this.checkBooted();
    link.port.on('message', (batch: readonly ThreadMessage[]) => {
      for (const threadMessage of batch) {
        if (!isWireReply(threadMessage) && threadMessage.t === 'beat') link.lastBeat = performance.now();
        else if (!isWireReply(threadMessage) && threadMessage.t === 'closed') this.closedApp(link.threadId);
        else this.events?.message(threadMessage, link);
      }
    });
    link.port.unref();
    const worker = this.piscina.threads.find((thread) => thread.threadId === link.threadId);
    worker?.once('exit', () => {
      this.closedApp(link.threadId);
      this.links.delete(link.threadId);
      link.port.close();
      this.events?.gone(link);
    });
    this.events?.ready();
  }
}

function isHello(message: unknown): message is Hello {
  return typeof message === 'object' && message !== null && (message as Partial<Hello>).gu === 'hello';
}

/** A thread's failure as an Error again, its GU_ERR_ code kept: an app-load failure still exits 4. */
export function asError(cloned: ClonedError): Error {
  const error = new Error(cloned.message) as Error & { code?: string };
  if (cloned.code !== undefined) error.code = cloned.code;
  if (cloned.stack !== undefined) error.stack = cloned.stack;
  return error;
}
