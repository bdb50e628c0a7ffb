import { detectFramework } from './detect.js';
import type { AdaptedApp, AdaptOptions } from './types.js';
import { unknownShape } from './unknown-shape.js';

/**
 * What gu serves for `app`, whatever the user exported: the first entry of the detection table
 * (detect.ts) that matches adapts it. Throws an error with `code: 'GU_ERR_APP_LOAD'` and a one-line
 * message (what was found, what is accepted, an example of the fix) for anything else.
 */
export function adapt(app: unknown, options: AdaptOptions = {}): AdaptedApp {
  const entry = detectFramework(app);
  if (entry === undefined) throw unknownShape(app, options.spec);
  return entry.adapt(app, options);
}
