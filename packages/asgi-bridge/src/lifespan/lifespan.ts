import { WorkerBootError, type Logger, type Settings } from '@gu/core';
import type { AsgiApp, LifespanState } from '../types.js';
import { LifespanSession } from './lifespan-session.js';

export interface Lifespan {
  readonly state: LifespanState;
  /** Runs lifespan shutdown (within graceful_timeout); resolves whatever the app does. */
  shutdown(): Promise<void>;
}

const NO_LIFESPAN: Lifespan = { state: {}, shutdown: () => Promise.resolve() };

/**
 * Lifespan startup, before the worker listens and reports ready: resolves once the app sent
 * lifespan.startup.complete (or turned out not to support lifespan, as ASGI lets it). A startup that
 * fails (lifespan.startup.failed, or a raise after receiving lifespan.startup) rejects with a
 * WorkerBootError carrying the app's reason: the worker exits with the boot-error code and the
 * arbiter halts once with that line, instead of respawning a worker that would fail again.
 */
export async function startLifespan(app: AsgiApp, deps: { settings: Readonly<Settings>; log: Logger }): Promise<Lifespan> {
  const { log, settings } = deps;
  const session = new LifespanSession(log);
  log.debug('Waiting for application startup.');
  void session.run(app);
  const outcome = await session.startup;
  if (outcome.kind === 'failed') throw new WorkerBootError(`ASGI lifespan startup failed: ${outcome.reason}`);
  if (outcome.kind === 'unsupported') return NO_LIFESPAN;
  log.info('Application startup complete.');
  return {
    state: session.state,
    async shutdown() {
      const result = await session.shutdown(settings.gracefulTimeout * 1000);
      if (result === 'complete') log.info('Application shutdown complete.');
      else if (result === 'timeout') log.warning(`ASGI lifespan shutdown: no lifespan.shutdown.complete within graceful_timeout (${settings.gracefulTimeout} s)`);
    },
  };
}
