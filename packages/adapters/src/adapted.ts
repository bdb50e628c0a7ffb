import { LogTarget } from './log.js';
import type { AdaptedApp, AdaptOptions } from './types.js';

const logTargetKey = Symbol('gu.adapters.logTarget');

/**
 * Lets gu hand its error log to an app the user adapted themselves (`export default koa(app)`),
 * which was adapted when their module loaded, before any gu log existed.
 */
export function withLogTarget<T extends AdaptedApp>(adapted: T, target: LogTarget): T {
  Object.defineProperty(adapted, logTargetKey, { value: target });
  return adapted;
}

/** The log an adapter reports to: gu's when gu adapts, the console when the user's code does. */
export function logTargetFor(options: AdaptOptions): LogTarget {
  return new LogTarget(options.log);
}

/** An AdaptedApp is served as it is (read without touching `listener`, which may wait for ready()). */
export function isAdaptedApp(value: unknown): value is AdaptedApp {
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as { framework?: unknown }).framework === 'string' && 'listener' in value;
}

export function adoptAdaptedApp(adapted: AdaptedApp, options: AdaptOptions): AdaptedApp {
  const target = (adapted as { [logTargetKey]?: LogTarget })[logTargetKey];
  if (target && options.log) target.use(options.log);
  return adapted;
}
