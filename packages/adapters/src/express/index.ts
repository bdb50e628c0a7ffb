import type { IncomingMessage, ServerResponse } from 'node:http';
import { logTargetFor, withLogTarget } from '../adapted.js';
import type { LogTarget } from '../log.js';
import type { AdaptedApp, AdaptOptions, RequestListener } from '../types.js';
import { catchAsyncErrors, isExpress4App } from './express4-async-errors.js';

type ErrorMiddleware = (error: unknown, req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: (error?: unknown) => void) => void;

interface ExpressApp extends RequestListener {
  handle: unknown;
  set: unknown;
  settings?: object | null;
  use(middleware: ErrorMiddleware): unknown;
}

/** An Express 4 or 5 app: the function `express()` returns, with its router and settings. */
export function isExpressApp(value: unknown): value is ExpressApp {
  if (typeof value !== 'function') return false;
  const app = value as Partial<ExpressApp>;
  return typeof app.handle === 'function' && typeof app.use === 'function' && typeof app.set === 'function' &&
    typeof app.settings === 'object' && app.settings !== null;
}

/** 4xx errors (a body-parser's 400, a 404 passed to next) are the client's: Express answers them, nothing to log. */
function isClientError(error: unknown): boolean {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 400 && code < 500;
}

/**
 * Appended after the app's own middleware and error handlers: an error none of them handled is
 * logged to gu's error log, then passed on to Express's final handler, which answers it (500, or
 * the error's own status) as it would under any server.
 */
function logUnhandledErrors(log: LogTarget): ErrorMiddleware {
  return function guLogUnhandledErrors(error, req, _res, next) {
    if (!isClientError(error)) log.exception(`Error in the Express app handling ${req.method ?? '-'} ${req.originalUrl ?? req.url ?? '-'}`, error);
    next(error);
  };
}

/**
 * Express 4 and 5: the app is the request listener, served as it is (no wrapper per request). An
 * error the app does not handle still gets its 500: Express 4 is taught to pass async handlers'
 * rejections to `next` (express4-async-errors.ts; Express 5 does it itself), and the error is
 * logged to gu's error log. Call once the app's routes are defined: the logger goes last.
 */
export function adaptExpress(app: ExpressApp, options: AdaptOptions = {}): AdaptedApp {
  const log = logTargetFor(options);
  if (isExpress4App(app) && !catchAsyncErrors(app)) {
    log.warning('@gu/adapters: this Express 4 router is not the shape it knows; a rejected async handler will not be answered 500');
  }
  app.use(logUnhandledErrors(log));
  return withLogTarget({ framework: 'express', listener: app }, log);
}
