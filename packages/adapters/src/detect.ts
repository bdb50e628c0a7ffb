import { adoptAdaptedApp, isAdaptedApp } from './adapted.js';
import { adaptExpress, isExpressApp } from './express/index.js';
import { adaptFastify, isFastifyApp } from './fastify/index.js';
import { adaptFetchApp, isFetchApp } from './fetch/index.js';
import { adaptCallbackApp, adaptKoa, hasCallback, isKoaApp } from './koa/index.js';
import { adaptListener, isRequestListener } from './listener/index.js';
import { adaptNest, isNestApp } from './nest/index.js';
import type { AdaptedApp, AdaptOptions } from './types.js';

/** One shape gu recognises in what a user exports, and how it is served. */
export interface FrameworkEntry {
  /** As in AdaptedApp.framework. */
  readonly framework: string;
  matches(app: unknown): boolean;
  adapt(app: unknown, options: AdaptOptions): AdaptedApp;
}

/**
 * Every shape @gu/adapters serves, tried in this order; the first that matches adapts the app.
 * The order matters where shapes overlap: an Express app is also a function (a listener), a Koa
 * app an object with callback(), and a NestJS app holds an Express or Fastify app.
 */
export const frameworks: readonly FrameworkEntry[] = [
  // What an explicit wrapper (`export default koa(app)`) or the user built: served as it is.
  { framework: 'adapted', matches: isAdaptedApp, adapt: (app, options) => adoptAdaptedApp(app as AdaptedApp, options) },
  { framework: 'nest', matches: isNestApp, adapt: (app, options) => adaptNest(app as Parameters<typeof adaptNest>[0], options) },
  { framework: 'fastify', matches: isFastifyApp, adapt: (app, options) => adaptFastify(app as Parameters<typeof adaptFastify>[0], options) },
  { framework: 'express', matches: isExpressApp, adapt: (app, options) => adaptExpress(app as Parameters<typeof adaptExpress>[0], options) },
  { framework: 'koa', matches: isKoaApp, adapt: (app, options) => adaptKoa(app as Parameters<typeof adaptKoa>[0], options) },
  // Fetch-style apps (`{ fetch(request) }`, Hono, `export default app`): after the frameworks, before the plain listener.
  { framework: 'fetch', matches: isFetchApp, adapt: (app, options) => adaptFetchApp(app, options) },
  { framework: 'listener', matches: isRequestListener, adapt: (app) => adaptListener(app as Parameters<typeof adaptListener>[0]) },
  { framework: 'callback', matches: hasCallback, adapt: (app, options) => adaptCallbackApp(app as Parameters<typeof adaptCallbackApp>[0], options) },
];

/** The entry for `app`, or undefined when it is none of the shapes gu serves. */
export function detectFramework(app: unknown): FrameworkEntry | undefined {
  return frameworks.find((entry) => entry.matches(app));
}
