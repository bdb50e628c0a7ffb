/**
 * @gu/adapters: what a user exports (an Express, Fastify, Koa, fetch-style or NestJS app) turned into
 * what gu's worker classes serve. The public API is this module's exports.
 */
export type { AdaptedApp, AdaptOptions, AdapterLog, RequestListener, UpgradeListener } from './types.js';
export { adapt } from './adapt.js';
export { detectFramework, type FrameworkEntry } from './detect.js';
export { express, fastify, koa, nest } from './wrappers.js';
export type { FetchAdaptOptions, FetchApp, FetchEnv, FetchExecutionContext, FetchHandler, FetchSocketAddress } from './fetch/index.js';
export { adaptFetchApp, adaptFetchApp as fetchApp, adaptFetchApp as hono, isFetchApp } from './fetch/index.js';
