import type { Logger } from '@gu/core';
import type { AsgiApp, LifespanScope, LifespanState, ReceiveEvent, Send, SendEvent } from '../types.js';

/** ASGI 3.0, lifespan spec 2.0 (startup.failed, shutdown.failed; `state`). */
const LIFESPAN_ASGI = Object.freeze({ version: '3.0', spec_version: '2.0' } as const);

/**
 * How lifespan startup ended: `complete`; `unsupported` (the app raised, or returned, before it
 * asked for lifespan.startup: ASGI says the server then goes on without lifespan); or `failed`, with
 * the reason the worker's boot fails with.
 */
export type StartupOutcome = { readonly kind: 'complete' } | { readonly kind: 'unsupported' } | { readonly kind: 'failed'; readonly reason: string };

/** How lifespan shutdown ended; `timeout` when the app did not answer within graceful_timeout. */
export type ShutdownOutcome = 'complete' | 'failed' | 'timeout' | 'skipped';

type Stage = 'startup' | 'running' | 'shutdown' | 'ended';

const STARTUP: ReceiveEvent = Object.freeze({ type: 'lifespan.startup' });
const SHUTDOWN: ReceiveEvent = Object.freeze({ type: 'lifespan.shutdown' });

/** The first line of what was thrown: a one-line reason; the stack goes to the debug log. */
function firstLineOf(thrown: unknown): string {
  const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

function messageOf(event: SendEvent): string {
  const { message } = event as { message?: unknown };
  return typeof message === 'string' && message !== '' ? message : '(no message)';
}

/**
 * The lifespan scope of one worker, as uvicorn's LifespanOn runs it: the app is called once with a
 * `lifespan` scope; its first receive() gets lifespan.startup, its next one waits for
 * lifespan.shutdown. What it sends, and how it ends (returns, raises), settles each stage.
 */
export class LifespanSession {
  readonly state: LifespanState = {};
  private stage: Stage = 'startup';
  private startupAsked = false;
  private shutdownAsked = false;
  private waitingForShutdown: ((event: ReceiveEvent) => void) | null = null;
  private settleStartup: (outcome: StartupOutcome) => void = () => undefined;
  private settleShutdown: (outcome: ShutdownOutcome) => void = () => undefined;
  readonly startup: Promise<StartupOutcome>;
  private readonly shutdownDone: Promise<ShutdownOutcome>;

  constructor(private readonly log: Logger) {
    this.startup = new Promise((resolve) => (this.settleStartup = resolve));
    this.shutdownDone = new Promise((resolve) => (this.settleShutdown = resolve));
  }

  /** Calls the app with the lifespan scope; resolves when it returns or raises, whatever it does. */
  async run(app: AsgiApp): Promise<void> {
    const scope: LifespanScope = { type: 'lifespan', asgi: LIFESPAN_ASGI, state: this.state };
    try {
      await app(scope, this.receive, this.send);
      this.onAppEnd(null);
    } catch (error) {
      this.onAppEnd({ error });
    }
  }

  /** Sends lifespan.shutdown and waits for the app's answer, at most `timeoutMs`. */
  async shutdown(timeoutMs: number): Promise<ShutdownOutcome> {
    if (this.stage !== 'running') return 'skipped';
    this.stage = 'shutdown';
    this.log.debug('Waiting for application shutdown.');
    const waiting = this.waitingForShutdown;
    if (waiting) this.deliverShutdown(waiting);
    else this.shutdownAsked = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<ShutdownOutcome>((resolve) => (timer = setTimeout(resolve, timeoutMs, 'timeout')));
    const outcome = await Promise.race([this.shutdownDone, timedOut]);
    clearTimeout(timer);
    this.stage = 'ended';
    return outcome;
  }

  private readonly receive = (): Promise<ReceiveEvent> => {
    if (!this.startupAsked) {
      this.startupAsked = true;
      return Promise.resolve(STARTUP);
    }
    return new Promise((resolve) => {
      if (this.shutdownAsked) this.deliverShutdown(resolve);
      // Asked again after lifespan.shutdown: there is nothing more to receive.
      else if (this.stage !== 'ended') this.waitingForShutdown = resolve;
    });
  };

  private deliverShutdown(resolve: (event: ReceiveEvent) => void): void {
    this.shutdownAsked = false;
    this.waitingForShutdown = null;
    resolve(SHUTDOWN);
  }

  private readonly send: Send = (event: unknown) => {
    const type = typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
    const expected = this.stage === 'startup' ? 'lifespan.startup.complete or lifespan.startup.failed' : 'lifespan.shutdown.complete or lifespan.shutdown.failed';
    if (this.stage === 'startup' && type === 'lifespan.startup.complete') {
      this.stage = 'running';
      this.settleStartup({ kind: 'complete' });
    } else if (this.stage === 'startup' && type === 'lifespan.startup.failed') {
      this.stage = 'ended';
      this.settleStartup({ kind: 'failed', reason: messageOf(event as SendEvent) });
    } else if (this.stage === 'shutdown' && type === 'lifespan.shutdown.complete') {
      this.settleShutdown('complete');
    } else if (this.stage === 'shutdown' && type === 'lifespan.shutdown.failed') {
      this.log.error(`ASGI lifespan shutdown failed: ${messageOf(event as SendEvent)}`);
      this.settleShutdown('failed');
    } else {
      return this.refuse(`ASGI app sent ${typeof type === 'string' ? type : 'a message without a type'} on the lifespan scope, where ${expected} was expected`);
    }
    return Promise.resolve();
  };

  /** A message out of turn: startup fails with it; later, it is logged once. send() rejects either way. */
  private refuse(reason: string): Promise<never> {
    if (this.stage === 'startup') {
      this.stage = 'ended';
      this.settleStartup({ kind: 'failed', reason });
    } else {
      this.log.error(reason);
    }
    const refused = Promise.reject(new Error(reason));
    refused.catch(() => undefined);
    return refused;
  }

  private onAppEnd(thrown: { error: unknown } | null): void {
    const stage = this.stage;
    this.stage = 'ended';
    if (stage === 'startup') {
      this.settleStartup(this.startupEnd(thrown));
    } else if (stage === 'shutdown') {
      if (thrown) this.log.exception('ASGI lifespan shutdown failed: the app raised', thrown.error);
      this.settleShutdown(thrown ? 'failed' : 'complete');
    } else if (stage === 'running' && thrown) {
      this.log.exception('ASGI lifespan: the app raised after startup; lifespan.shutdown will not be sent', thrown.error);
    }
  }

  /** What the app ending during startup means (see StartupOutcome). */
  private startupEnd(thrown: { error: unknown } | null): StartupOutcome {
    if (!this.startupAsked) {
      const why = thrown ? ` (it raised ${firstLineOf(thrown.error)} before receiving lifespan.startup)` : ' (it returned without receiving lifespan.startup)';
      this.log.info(`ASGI 'lifespan' protocol appears unsupported${why}.`);
      return { kind: 'unsupported' };
    }
    if (!thrown) return { kind: 'failed', reason: 'the app returned from the lifespan scope without sending lifespan.startup.complete' };
    const { error } = thrown;
    if (error instanceof Error && error.stack) this.log.debug(error.stack);
    return { kind: 'failed', reason: `the app raised ${firstLineOf(error)}` };
  }
}
