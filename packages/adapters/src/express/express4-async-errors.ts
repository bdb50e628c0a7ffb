/**
 * The one place @gu/adapters changes Express 4 internals. Express 4's router Layer calls a handler
 * inside try/catch but drops the promise an async handler returns: its rejection reaches no error
 * handler, the response never comes (a hung socket) and the rejection ends the worker. Express 5
 * passes it to `next(error)`; this gives Express 4 the same, as express-async-errors does, by
 * replacing `Layer.prototype.handle_request` and `handle_error` with Express 5's behaviour.
 *
 * The Layer class is reached through the app (`app._router.stack[0]`), so the user's own copy of
 * Express is patched, whichever it is. The shape guard refuses a Layer that is not Express 4's as
 * this module knows it; test/express4-async-errors.test.ts pins it against Express 4.
 */

type Next = (error?: unknown) => void;
type Handle = (...args: unknown[]) => unknown;

interface Layer4Prototype {
  handle_request(this: { handle: Handle }, req: unknown, res: unknown, next: Next): void;
  handle_error(this: { handle: Handle }, error: unknown, req: unknown, res: unknown, next: Next): void;
}

interface Express4App {
  lazyrouter(): void;
  _router?: { stack?: unknown[] };
}

const patched = Symbol.for('gu.adapters.express4AsyncErrors');

/** True for an Express 4 app (Express 5 has no `lazyrouter` and handles promises itself). */
export function isExpress4App(app: unknown): app is Express4App {
  return typeof (app as Partial<Express4App>).lazyrouter === 'function';
}

/** Express 4's Layer, as lib/router/layer.js defines it: the two methods, their arity and what they call. */
function isLayer4Prototype(value: unknown): value is Layer4Prototype {
  if (typeof value !== 'object' || value === null) return false;
  const { handle_request: request, handle_error: error } = value as Partial<Record<keyof Layer4Prototype, unknown>>;
  return (
    typeof request === 'function' && request.length === 3 && /fn\.length > 3/.test(String(request)) &&
    typeof error === 'function' && error.length === 4 && /fn\.length !== 4/.test(String(error))
  );
}

/** Express 4's Layer.prototype, reached through the app's router; null when it is not the known shape. */
export function layerPrototypeOf(app: Express4App): Layer4Prototype | null {
  app.lazyrouter();
  const first = app._router?.stack?.[0];
  const prototype: unknown = typeof first === 'object' && first !== null ? Object.getPrototypeOf(first) : null;
  return isLayer4Prototype(prototype) ? prototype : null;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** What Express 5's router does with a handler's result: a rejection becomes `next(error)`. */
function forwardRejection(result: unknown, next: Next): void {
  if (!isThenable(result)) return;
  result.then(undefined, (error: unknown) => {
    next(error ?? new Error('Rejected promise'));
  });
}

/**
 * Makes the Express 4 that `app` was made with pass async handlers' rejections to `next(error)`,
 * for every app of that copy of Express (once per copy). False when the Layer is not the shape
 * this module knows: nothing is changed then.
 */
export function catchAsyncErrors(app: Express4App): boolean {
  const prototype = layerPrototypeOf(app);
  if (prototype === null) return false;
  const marks = prototype as { [patched]?: true };
  if (marks[patched]) return true;
  marks[patched] = true;
  prototype.handle_request = function handle(req, res, next) {
    const fn = this.handle;
    if (fn.length > 3) {
      next();
      return;
    }
    try {
      forwardRejection(fn(req, res, next), next);
    } catch (error) {
      next(error);
    }
  };
  prototype.handle_error = function handle_error(error, req, res, next) {
    const fn = this.handle;
    if (fn.length !== 4) {
      next(error);
      return;
    }
    try {
      forwardRejection(fn(error, req, res, next), next);
    } catch (thrown) {
      next(thrown);
    }
  };
  return true;
}
