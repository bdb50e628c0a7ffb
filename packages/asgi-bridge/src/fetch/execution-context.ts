import type { FetchExecutionContext } from '../types.js';
import { FetchAppError } from './fetch-app-error.js';

/**
 * Hono's `c.executionCtx` (Cloudflare Workers' ExecutionContext): `waitUntil` work is awaited
 * after the response is sent, inside the ASGI call, as Starlette runs background tasks, so a
 * graceful stop waits for it too.
 */
export class ExecutionContext implements FetchExecutionContext {
  readonly props: Record<string, unknown> = {};
  readonly #pending: Promise<unknown>[] = [];

  waitUntil(promise: Promise<unknown>): void {
    this.#pending.push(Promise.resolve(promise));
  }

  passThroughOnException(): void {
    // Nothing stands behind the app to pass a request through to.
  }

  /** Waits for every waitUntil promise; the first rejection becomes the app's error. */
  async settle(): Promise<void> {
    // A promise may add another one while it runs: loop until none is left.
    for (let done = 0; done < this.#pending.length; ) {
      const batch = this.#pending.slice(done);
      done = this.#pending.length;
      const failed = (await Promise.allSettled(batch)).find((outcome) => outcome.status === 'rejected');
      if (failed) throw new FetchAppError(`a promise passed to ctx.waitUntil() rejected: ${String(failed.reason)}`, { cause: failed.reason });
    }
  }
}
