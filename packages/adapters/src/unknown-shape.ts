import { appLoadFailure, describeFound, type AppLoadFailure } from './errors.js';
import { isClass } from './listener/index.js';

const accepted = 'gu serves a request listener (req, res), an Express, Koa, Fastify or NestJS app, or a fetch-style app ({ fetch(request) }, Hono)';

/** A hint for shapes users export by mistake, each with a one-line example of the fix. */
const hints: readonly { readonly matches: (app: unknown) => boolean; readonly fix: string }[] = [
  {
    matches: (app) => typeof (app as { then?: unknown } | null)?.then === 'function',
    fix: 'export the app itself, or a factory gu calls and awaits: export async function create() { … return app } with gu app.js:create()',
  },
  {
    matches: isClass,
    fix: 'export an app, not a class: for NestJS, export const create = () => NestFactory.create(AppModule) with gu app.js:create()',
  },
  {
    matches: (app) => typeof app === 'object' && app !== null && 'default' in app,
    fix: 'name the app inside it: gu app.js:default.app, or export default app',
  },
];

const defaultFix = 'export the app as created, e.g. export const app = express() with gu app.js:app';

/** The one line for an export that is none of the shapes gu serves: what it is, what is accepted, a fix. */
export function unknownShape(app: unknown, spec: string | undefined): AppLoadFailure {
  const fix = hints.find((hint) => hint.matches(app))?.fix ?? defaultFix;
  const found = isClass(app) ? `the class ${(app as { name: string }).name || '(anonymous)'}` : describeFound(app);
  return appLoadFailure(spec, `it is ${found}; ${accepted}; ${fix}`);
}

/**
 * Fastify's `app.routing` exported on its own (`export const routing = app.routing`): a (req, res)
 * function, but one that fails every request until `app.ready()` has run, which only the app can
 * be asked to do. Told by its name, `preRouting` in Fastify 4 and 5.
 */
export function isFastifyRouting(app: unknown): boolean {
  return typeof app === 'function' && app.name === 'preRouting';
}

export function fastifyRoutingAlone(spec: string | undefined): AppLoadFailure {
  return appLoadFailure(spec, "it is Fastify's app.routing, which fails every request until app.ready() has run; export the Fastify app itself, e.g. export default app with gu app.js, and gu readies it, routes through it and closes it");
}
