import type { Logger, Settings } from '@gu/core';
import type { LifespanState } from './types.js';

/** What each part of the bridge (HTTP, WebSocket) gets from the worker. */
export interface BridgeContext {
  /** What lifespan startup left in its scope's state; each request scope gets a shallow copy. */
  readonly state: LifespanState;
  readonly settings: Readonly<Settings>;
  readonly log: Logger;
}
