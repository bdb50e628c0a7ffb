import { guErrorCodeOf } from '../errors.js';
import { appLoadFailure, firstLineOf } from './app-load-failure.js';
import { describeFoundValue } from './describe-value.js';
import { toRequestListener } from './request-listener.js';
import { importAdapters, type AdaptersLog } from './resolve-adapters.js';
import type { AdaptedApp, RequestListener } from './types.js';

/** What an adapter returned, as far as core relies on it before ready(). */
interface Adapted {
  readonly framework: string;
  readonly listener: RequestListener;
  readonly upgrade?: AdaptedApp['upgrade'];
  ready?(): Promise<void>;
  close?(): Promise<void>;
}

function isAdapted(value: unknown): value is Adapted {
  return typeof value === 'object' && value !== null && typeof (value as { framework?: unknown }).framework === 'string' && 'listener' in value;
}

/** The lifecycle as worker classes get it: ready() fails as an app load (exit 4), close() only logs. */
function withLifecycle(adapted: Adapted, spec: string, log: AdaptersLog): AdaptedApp {
  const { framework } = adapted;
  return {
    framework,
    get listener() {
      return adapted.listener;
    },
    get upgrade() {
      return adapted.upgrade;
    },
    async ready() {
      try {
        await adapted.ready?.();
      } catch (error) {
        if (guErrorCodeOf(error) !== null) throw error;
        throw appLoadFailure(spec, `the ${framework} app failed to get ready: ${firstLineOf(error)}`, error);
      }
    },
    async close() {
      try {
        await adapted.close?.();
      } catch (error) {
        log.exception(`Error closing the ${framework} app`, error);
      }
    },
  };
}

/**
 * The loaded app as a worker class serves it. With @gu/adapters installed, its `adapt` serves
 * every shape it knows (Express, Koa, Fastify, NestJS, fetch-style apps); without it, core serves
 * what it always has: a function as a listener, an object's `callback()` (Koa), and refuses the
 * rest with one line that says to install @gu/adapters when the app looks like one it serves.
 */
export async function adaptApp(app: unknown, spec: string, cwd: string, log: AdaptersLog): Promise<AdaptedApp> {
  const adapters = await importAdapters(cwd, spec);
  if (adapters === null) return withLifecycle({ framework: 'listener', listener: toRequestListener(app, spec, cwd) }, spec, log);
  const adapted = adapters.adapt(app, { spec, log });
  if (!isAdapted(adapted)) throw appLoadFailure(spec, `@gu/adapters' adapt() returned ${describeFoundValue(adapted)}, not an adapted app`);
  return withLifecycle(adapted, spec, log);
}
