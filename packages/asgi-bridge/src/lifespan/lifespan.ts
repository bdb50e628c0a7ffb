// PLACEHOLDER until the lifespan protocol lands (this session): no lifespan, empty state.
import type { Logger, Settings } from '@gu/core';
import type { AsgiApp, LifespanState } from '../types.js';

export interface Lifespan {
  readonly state: LifespanState;
  /** Runs lifespan shutdown (within graceful_timeout); resolves whatever the app does. */
  shutdown(): Promise<void>;
}

export function startLifespan(_app: AsgiApp, _deps: { settings: Readonly<Settings>; log: Logger }): Promise<Lifespan> {
  return Promise.resolve({ state: {}, shutdown: () => Promise.resolve() });
}
