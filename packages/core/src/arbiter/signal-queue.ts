import type { Wakeup } from './wakeup.js';

/** Signals the arbiter handles; each has a `handle<SIG>` entry in the arbiter's table. */
export const arbiterSignals = [
  'SIGTERM',
  'SIGINT',
  'SIGQUIT',
  'SIGTTIN',
  'SIGTTOU',
  'SIGUSR1',
  'SIGHUP',
  'SIGUSR2',
  'SIGWINCH',
] as const;
export type ArbiterSignal = (typeof arbiterSignals)[number];

/** Stop signals are never dropped: a burst of TTINs must not swallow the TERM behind it. */
const stopSignals: ReadonlySet<ArbiterSignal> = new Set(['SIGTERM', 'SIGINT', 'SIGQUIT']);

/** Gunicorn keeps at most five pending signals; more of them in a burst are dropped. */
const MAX_PENDING = 5;

/** Signal handlers only enqueue and wake the loop; the loop dispatches (as Gunicorn's arbiter). */
export class SignalQueue {
  private readonly pending: ArbiterSignal[] = [];
  private readonly installed = new Map<ArbiterSignal, () => void>();
  /** Set the moment a stop signal arrives, before the loop handles it: `/readyz` turns 503 at once. */
  stopRequested = false;

  constructor(private readonly wakeup: Wakeup) {}

  install(): void {
    for (const signal of arbiterSignals) {
      const handler = (): void => {
        this.push(signal);
      };
      this.installed.set(signal, handler);
      process.on(signal, handler);
    }
  }

  uninstall(): void {
    for (const [signal, handler] of this.installed) process.off(signal, handler);
    this.installed.clear();
  }

  push(signal: ArbiterSignal): void {
    if (stopSignals.has(signal)) this.stopRequested = true;
    const keep = stopSignals.has(signal) ? !this.pending.includes(signal) : this.pending.length < MAX_PENDING;
    if (keep) this.pending.push(signal);
    this.wakeup.wakeup();
  }

  next(): ArbiterSignal | undefined {
    return this.pending.shift();
  }
}

/** `SIGTERM` → `term`, as Gunicorn logs "Handling signal: term". */
export function signalName(signal: ArbiterSignal): string {
  return signal.slice(3).toLowerCase();
}
