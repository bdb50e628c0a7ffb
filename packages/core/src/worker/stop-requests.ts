import type { StopCause, StopMode } from './worker-class.js';

/** Signals a worker answers, as Gunicorn's workers do. */
const stopSignals: Readonly<Record<string, StopMode>> = {
  SIGTERM: 'graceful',
  SIGINT: 'quick',
  SIGQUIT: 'quick',
};

/**
 * Turns TERM, INT, QUIT and the loss of the arbiter into one stop request, from the worker's first
 * moment: a worker still waiting for its settings has nothing to finish and exits at once (and
 * SIGQUIT's default action, a core dump, never applies).
 */
export class StopRequests {
  private readonly controller = new AbortController();
  private handler: ((mode: StopMode, why: string) => void) | null = null;
  private stopCause: StopCause | null = null;

  constructor() {
    for (const [signal, mode] of Object.entries(stopSignals)) {
      process.on(signal, () => {
        this.request(mode, signal);
      });
    }
    // The IPC channel closes when the arbiter exits or dies: Gunicorn's "Parent changed".
    process.once('disconnect', () => {
      this.request('graceful', 'disconnect');
    });
  }

  /** Aborts once, with the StopMode as its reason. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * From now on stop requests go to `handler` instead of ending the process: once for the stop,
   * and once more if a quick stop follows a graceful one.
   */
  handleWith(handler: (mode: StopMode, why: string) => void): void {
    this.handler = handler;
  }

  /** Why the worker stops, once it does: the cause of the first request. */
  get cause(): StopCause | null {
    return this.stopCause;
  }

  /** The first request stops the worker; a quick one after a graceful one escalates it. */
  request(mode: StopMode, why: string, cause: StopCause = 'shutdown'): void {
    const current = this.controller.signal;
    if (current.aborted && !(current.reason === 'graceful' && mode === 'quick')) return;
    // Set before the abort: its listeners (the HTTP front's onDrain) read it.
    this.stopCause ??= cause;
    if (!current.aborted) this.controller.abort(mode);
    if (this.handler) this.handler(mode, why);
    else process.exit(0);
  }
}
