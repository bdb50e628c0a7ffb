import type { IncomingMessage, ServerResponse } from 'node:http';

/** The execution context fetch-style apps get as their third argument (Cloudflare Workers' shape, which Hono reads as `c.executionCtx`). */
export interface FetchExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  readonly props: Record<string, unknown>;
}

/** A peer's address, as Bun's `server.requestIP()` gives it. */
export interface FetchSocketAddress {
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
}

/**
 * What gu passes as the second argument (`env`, Hono's `c.env`): the node request and response, as
 * @hono/node-server's bindings, and Bun's `requestIP(request)`.
 */
export interface FetchEnv {
  readonly incoming: IncomingMessage;
  readonly outgoing: ServerResponse;
  requestIP(request?: Request): FetchSocketAddress | null;
}

export type FetchHandler = (request: Request, env: FetchEnv, ctx: FetchExecutionContext) => unknown;

/** A fetch-style app: `{ fetch(request, env, ctx) }`, a Hono app, Bun's and Deno's `export default { fetch }`. */
export interface FetchApp {
  fetch: FetchHandler;
  /** Bun's WebSocket handlers; served by `-k asgi` (@gu/asgi-bridge), not by this adapter. */
  readonly websocket?: unknown;
}

function hasFetch(value: unknown): value is FetchApp {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { fetch?: unknown }).fetch === 'function';
}

/**
 * The fetch app in `value`: `value` itself when it has a `fetch` method, or its `default` export
 * when `value` is a module namespace (`import * as app`) whose default has one; else undefined.
 */
export function fetchAppOf(value: unknown): FetchApp | undefined {
  if (hasFetch(value)) return value;
  if (typeof value === 'object' && value !== null && (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module' && hasFetch((value as { default?: unknown }).default)) {
    return (value as { default: FetchApp }).default;
  }
  return undefined;
}

/** True for what adaptFetchApp serves: an object (or function) with a `fetch` method, or a module whose default export is one. */
export function isFetchApp(value: unknown): boolean {
  return fetchAppOf(value) !== undefined;
}
