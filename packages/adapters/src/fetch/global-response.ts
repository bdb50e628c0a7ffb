import { LightResponse } from './light-response.js';

/**
 * Makes LightResponse the global Response of this process (a gu worker, or a thread of one), as
 * @hono/node-server does by default: apps (Hono's c.text, c.json) build their Responses with the
 * global at the time they answer, so an app loaded before the adapter benefits too. Idempotent.
 * `instanceof Response` keeps working for real Responses (fetch()'s, Response.json()'s).
 */
export function installLightResponse(): void {
  if (globalThis.Response === (LightResponse as unknown as typeof Response)) return;
  Object.defineProperty(globalThis, 'Response', { value: LightResponse, writable: true, configurable: true, enumerable: false });
}
