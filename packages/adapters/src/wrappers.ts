import { appLoadFailure, describeFound } from './errors.js';
import { adaptExpress, isExpressApp } from './express/index.js';
import { adaptFastify, isFastifyApp } from './fastify/index.js';
import { adaptKoa, isKoaApp } from './koa/index.js';
import { adaptNest, isNestApp } from './nest/index.js';
import type { AdaptedApp, AdaptOptions } from './types.js';

/** A wrapper that says what it was given when that is not its framework's app. */
function explicit<T>(name: string, example: string, matches: (app: unknown) => app is T, adaptApp: (app: T, options: AdaptOptions) => AdaptedApp) {
  return (app: unknown, options: AdaptOptions = {}): AdaptedApp => {
    if (!matches(app)) throw appLoadFailure(options.spec, `${name}() was given ${describeFound(app)}, not ${example}`);
    return adaptApp(app, options);
  };
}

/**
 * Explicit wrappers, for users who prefer to say what their app is: `export default fastify(app)`.
 * gu serves what they return as it is, handing over its error log when it loads the app.
 */
export const express = explicit('express', 'an Express app (express(express()))', isExpressApp, adaptExpress);
export const fastify = explicit('fastify', 'a Fastify instance (fastify(Fastify()))', isFastifyApp, adaptFastify);
export const koa = explicit('koa', 'a Koa app (koa(new Koa()))', isKoaApp, adaptKoa);
export const nest = explicit('nest', 'a NestJS app (nest(await NestFactory.create(AppModule)))', isNestApp, adaptNest);
