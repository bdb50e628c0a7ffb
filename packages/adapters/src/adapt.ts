import { detectFramework } from './detect.js';
import { adaptFetchApp } from './fetch/index.js';
import { namesFetchFunction } from './fetch/fetch-spec.js';
import type { AdaptedApp, AdaptOptions } from './types.js';
import { fastifyRoutingAlone, isFastifyRouting, unknownShape } from './unknown-shape.js';

/**
 * What gu serves for `app`, whatever the user exported: the first entry of the detection table
 * (detect.ts) that matches adapts it. Throws an error with `code: 'GU_ERR_APP_LOAD'` and a one-line
 * message (what was found, what is accepted, an example of the fix) for anything else.
 */
export function adapt(app: unknown, options: AdaptOptions = {}): AdaptedApp {
  // `gu app.js:default.fetch`: the fetch function itself, called without the object it came from.
  if (typeof app === 'function' && namesFetchFunction(options.spec)) return adaptFetchApp({ fetch: app }, options);
  if (isFastifyRouting(app)) throw fastifyRoutingAlone(options.spec);
  const entry = detectFramework(app);
  if (entry === undefined) throw unknownShape(app, options.spec);
  return entry.adapt(app, options);
}
