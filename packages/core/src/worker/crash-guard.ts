import type { Logger } from '../logging/logger.js';

/** What the guard needs from the worker runtime. */
export interface CrashGuardHooks {
  /** Whether the worker told the arbiter it is ready: before that, a crash is a failed boot. */
  booted(): boolean;
  /** Ends the worker as a failed boot (exit 3, or 4 for an AppLoadError), as any failure before ready does. */
  failBoot(error: unknown): void;
  /** Asks for a graceful stop: stop accepting, finish the other requests in flight, exit. */
  stop(why: string): void;
}

/** Crashes logged while already draining, beyond the first: a loop that throws must not flood the log. */
const MAX_LOGGED_DURING_DRAIN = 10;

/**
 * Contains an exception nothing caught (thrown from a timer or an event handler) and an unhandled
 * rejection (which Node raises as an uncaught exception with origin `unhandledRejection`, unless the
 * app handles 'unhandledRejection' itself or Node runs with `--unhandled-rejections=warn`). Node's
 * state is undefined after one, so the worker does not serve on: it logs the stack, stops
 * accepting, lets the requests already in flight finish (up to graceful_timeout) and exits 1, and
 * the arbiter starts a replacement as soon as the worker reports it is stopping. Gunicorn's workers
 * die at once instead, with every request they were serving.
 */
export class CrashGuard {
  private crashes = 0;

  constructor(
    private readonly log: Logger,
    private readonly hooks: CrashGuardHooks,
  ) {}

  /** Whether the worker is stopping because of a crash: it then exits 1, not 0. */
  get crashed(): boolean {
    return this.crashes > 0;
  }

  /** Takes over process 'uncaughtException' (Node's default would exit at once, dropping every request in flight). */
  install(): void {
    process.on('uncaughtException', (error, origin) => {
      this.onCrash(error, origin);
    });
  }

  onCrash(error: unknown, origin: NodeJS.UncaughtExceptionOrigin): void {
    const what = origin === 'unhandledRejection' ? 'Unhandled promise rejection' : 'Uncaught exception';
    if (!this.hooks.booted()) {
      this.hooks.failBoot(error);
      return;
    }
    this.crashes += 1;
    if (this.crashes === 1) {
      this.log.exception(`${what} in worker (pid:${process.pid}); it stops accepting and exits once its requests finish`, error);
      this.hooks.stop(origin === 'unhandledRejection' ? 'unhandled rejection' : 'uncaught exception');
      return;
    }
    // Already draining. Exiting now would drop the requests still in flight for the sake of a
    // state that the first crash already made suspect; graceful_timeout still bounds the drain.
    if (this.crashes <= MAX_LOGGED_DURING_DRAIN + 1) this.log.exception(`${what} while stopping after a crash`, error);
    if (this.crashes === MAX_LOGGED_DURING_DRAIN + 1) this.log.error('Further uncaught exceptions are not logged');
  }
}
