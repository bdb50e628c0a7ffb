import { logTargetFor, withLogTarget } from '../adapted.js';
import { appLoadFailure, describeFound } from '../errors.js';
import { adaptExpress, isExpressApp } from '../express/index.js';
import { adaptFastify, isFastifyApp } from '../fastify/index.js';
import type { AdaptedApp, AdaptOptions } from '../types.js';

interface NestApp {
  init(): PromiseLike<unknown>;
  close(): PromiseLike<unknown>;
  getHttpAdapter(): { getInstance(): unknown };
  getHttpServer: unknown;
}

/** A NestJS application (`await NestFactory.create(AppModule)`), on either platform. */
export function isNestApp(value: unknown): value is NestApp {
  if (typeof value !== 'object' || value === null) return false;
  const app = value as Partial<NestApp>;
  return typeof app.getHttpAdapter === 'function' && typeof app.init === 'function' &&
    typeof app.close === 'function' && typeof app.getHttpServer === 'function';
}

/** The platform's own app (an Express app or a Fastify instance), adapted as it would be alone. */
function adaptPlatform(instance: unknown, options: AdaptOptions): AdaptedApp {
  if (isExpressApp(instance)) return adaptExpress(instance, options);
  if (isFastifyApp(instance)) return adaptFastify(instance, options);
  throw appLoadFailure(options.spec, `it is a NestJS app whose getHttpAdapter().getInstance() is ${describeFound(instance)}, neither Express nor Fastify; use @nestjs/platform-express or @nestjs/platform-fastify`);
}

/**
 * NestJS, through `app.getHttpAdapter()`, without depending on Nest: `ready()` runs `app.init()`
 * (modules, routes, onModuleInit) and then readies the platform's app, which serves the requests
 * as it would alone (Express or Fastify, see their adapters); `close()` is `app.close()`: Nest's
 * shutdown hooks, then the platform's close (Fastify's onClose hooks). `listener` and `upgrade`
 * exist once ready() resolved: Nest adds its routes to the platform's app in init().
 */
export function adaptNest(app: NestApp, options: AdaptOptions = {}): AdaptedApp {
  const log = logTargetFor(options);
  let platform: AdaptedApp | null = null;
  return withLogTarget({
    framework: 'nest',
    get listener() {
      if (platform === null) throw new Error('@gu/adapters: a NestJS app has its listener once ready() resolved');
      return platform.listener;
    },
    get upgrade() {
      return platform?.upgrade;
    },
    async ready() {
      await app.init();
      platform = adaptPlatform(app.getHttpAdapter().getInstance(), { spec: options.spec, log });
      await platform.ready?.();
    },
    async close() {
      await app.close();
    },
  }, log);
}
