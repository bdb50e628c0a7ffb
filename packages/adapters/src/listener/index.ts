import type { AdaptedApp, RequestListener } from '../types.js';

/** `class X {}` is a function too, but calling it throws: an exported class is no listener. */
export function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** A plain function is taken for a Node request listener `(req, res)` (http.createServer's). */
export function isRequestListener(value: unknown): value is RequestListener {
  return typeof value === 'function' && !isClass(value);
}

/** The listener served as it is: nothing wraps it, so it costs nothing per request. */
export function adaptListener(listener: RequestListener): AdaptedApp {
  return { framework: 'listener', listener };
}
