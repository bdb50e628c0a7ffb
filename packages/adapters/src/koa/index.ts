import { logTargetFor, withLogTarget } from '../adapted.js';
import { appLoadFailure, describeFound } from '../errors.js';
import type { AdaptedApp, AdaptOptions, RequestListener } from '../types.js';

interface KoaContext {
  method?: string;
  originalUrl?: string;
}

interface KoaApp {
  callback(): unknown;
  use: unknown;
  middleware: unknown[];
  context: object;
  silent?: boolean;
  on(event: 'error', listener: (error: unknown, ctx?: KoaContext) => void): unknown;
}

/** An object with a `callback()` that gives a request listener (Koa's shape, and others'). */
export interface CallbackApp {
  callback(): unknown;
}

/** A Koa 2 or 3 app (`new Koa()`): its middleware list, context prototype and callback(). */
export function isKoaApp(value: unknown): value is KoaApp {
  if (typeof value !== 'object' || value === null) return false;
  const app = value as Partial<KoaApp>;
  return typeof app.callback === 'function' && typeof app.use === 'function' && typeof app.on === 'function' &&
    Array.isArray(app.middleware) && typeof app.context === 'object';
}

export function hasCallback(value: unknown): value is CallbackApp {
  return typeof value === 'object' && value !== null && typeof (value as Partial<CallbackApp>).callback === 'function';
}

/** The listener `callback()` returns; one line naming what it returned otherwise. */
export function callbackListener(app: CallbackApp, options: AdaptOptions): RequestListener {
  const listener = app.callback();
  if (typeof listener === 'function') return listener as RequestListener;
  throw appLoadFailure(options.spec, `it is an object whose callback() returned ${describeFound(listener)}, not a request listener (req, res); a Koa app gives one: export const app = new Koa()`);
}

/** Errors Koa itself leaves unlogged (its `app.onerror`): 404s, errors meant for the client, a silent app. */
function isQuiet(app: KoaApp, error: unknown): boolean {
  const { status, expose } = (error ?? {}) as { status?: unknown; expose?: unknown };
  return status === 404 || expose === true || app.silent === true;
}

/**
 * Koa 2 and 3: the listener is `app.callback()`. Koa's `error` events go to gu's error log; with a
 * listener of ours, Koa no longer prints them to stderr itself (it does only when none listens).
 * The app's own `error` listeners still run.
 */
export function adaptKoa(app: KoaApp, options: AdaptOptions = {}): AdaptedApp {
  const log = logTargetFor(options);
  app.on('error', (error, ctx) => {
    if (!isQuiet(app, error)) log.exception(`Error in the Koa app handling ${ctx?.method ?? '-'} ${ctx?.originalUrl ?? '-'}`, error);
  });
  return withLogTarget({ framework: 'koa', listener: callbackListener(app, options) }, log);
}

/** Any other object with a `callback()` that gives a listener: served as that listener. */
export function adaptCallbackApp(app: CallbackApp, options: AdaptOptions = {}): AdaptedApp {
  return { framework: 'listener', listener: callbackListener(app, options) };
}
