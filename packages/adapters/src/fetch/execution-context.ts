import type { AdapterLog } from '../types.js';
import type { FetchExecutionContext } from './fetch-app.js';

/**
 * The `ctx` every request of one app gets (Hono's `c.executionCtx`). `waitUntil` work runs on after
 * the response; a graceful stop (AdaptedApp.close) waits for what is still pending, and a rejection
 * is logged, as the app's error. `passThroughOnException` has nothing behind gu to pass to.
 */
export class ExecutionContext implements FetchExecutionContext {
  readonly props: Record<string, unknown> = Object.freeze({});
  readonly #pending = new Set<Promise<unknown>>();
  readonly #report: (message: string, error: unknown) => void;

  constructor(log: AdapterLog | undefined) {
    this.#report = log ? (message, error) => log.exception(message, error) : (message, error) => console.error(message, error);
  }

  readonly waitUntil = (promise: Promise<unknown>): void => {
    const tracked = Promise.resolve(promise).then(
      () => undefined,
      (error: unknown) => this.#report('A promise passed to ctx.waitUntil() rejected', error),
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  };

  readonly passThroughOnException = (): void => undefined;

  /** Resolves once every waitUntil promise so far, and any they added meanwhile, settled. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
