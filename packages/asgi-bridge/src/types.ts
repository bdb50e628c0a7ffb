/**
 * ASGI 3.0 in JavaScript: the protocol between @gu/asgi-bridge and an app, after asgiref's specs
 * (www 2.4, lifespan 2.0, extensions). Field names are ASGI's own (snake_case), so the specs read
 * as this package's documentation. Bytes are Uint8Array; a header is a [name, value] pair of bytes,
 * names lower-cased by the server, in the order the client sent them (repeats kept apart).
 */

export type Bytes = Uint8Array;
export type Header = readonly [name: Bytes, value: Bytes];

export interface AsgiVersion {
  readonly version: '3.0';
  readonly spec_version: string;
}

/** State the app sets up in lifespan startup; a shallow copy goes into each request scope. */
export type LifespanState = Record<string, unknown>;

interface ConnectionScope {
  readonly asgi: AsgiVersion;
  readonly http_version: '1.0' | '1.1';
  readonly path: string;
  readonly raw_path: Bytes;
  readonly query_string: Bytes;
  readonly root_path: string;
  readonly headers: readonly Header[];
  /** [host, port] of the client, as trusted proxies report it (forwarded_allow_ips). */
  readonly client: readonly [string, number] | null;
  readonly server: readonly [string, number | null] | null;
  readonly state?: LifespanState;
  readonly extensions?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface HttpScope extends ConnectionScope {
  readonly type: 'http';
  readonly method: string;
  readonly scheme: 'http' | 'https';
}

export interface WebSocketScope extends ConnectionScope {
  readonly type: 'websocket';
  readonly scheme: 'ws' | 'wss';
  readonly subprotocols: readonly string[];
}

export interface LifespanScope {
  readonly type: 'lifespan';
  readonly asgi: AsgiVersion;
  readonly state: LifespanState;
}

export type Scope = HttpScope | WebSocketScope | LifespanScope;

// HTTP: server → app
export interface HttpRequestEvent {
  readonly type: 'http.request';
  readonly body: Bytes;
  readonly more_body: boolean;
}
export interface HttpDisconnectEvent {
  readonly type: 'http.disconnect';
}

// HTTP: app → server
export interface HttpResponseStart {
  readonly type: 'http.response.start';
  readonly status: number;
  readonly headers?: Iterable<Header>;
  /** With the `http.response.trailers` extension: trailers follow the body. */
  readonly trailers?: boolean;
}
export interface HttpResponseBody {
  readonly type: 'http.response.body';
  readonly body?: Bytes;
  readonly more_body?: boolean;
}
/** Extension `http.response.trailers`. */
export interface HttpResponseTrailers {
  readonly type: 'http.response.trailers';
  readonly headers?: Iterable<Header>;
  readonly more_trailers?: boolean;
}
/** Extension `http.response.early_hint`: a 103 Early Hints response before the real one. */
export interface HttpResponseEarlyHint {
  readonly type: 'http.response.early_hint';
  readonly links: readonly Bytes[];
}
/** Extension `http.response.pathsend`: the body is this file, sent by the server. */
export interface HttpResponsePathsend {
  readonly type: 'http.response.pathsend';
  readonly path: string;
}

// WebSocket: server → app
export interface WebSocketConnectEvent {
  readonly type: 'websocket.connect';
}
export interface WebSocketReceiveEvent {
  readonly type: 'websocket.receive';
  readonly bytes?: Bytes;
  readonly text?: string;
}
export interface WebSocketDisconnectEvent {
  readonly type: 'websocket.disconnect';
  readonly code: number;
  readonly reason?: string;
}

// WebSocket: app → server
export interface WebSocketAccept {
  readonly type: 'websocket.accept';
  readonly subprotocol?: string | null;
  readonly headers?: Iterable<Header>;
}
export interface WebSocketSend {
  readonly type: 'websocket.send';
  readonly bytes?: Bytes | null;
  readonly text?: string | null;
}
export interface WebSocketClose {
  readonly type: 'websocket.close';
  readonly code?: number;
  readonly reason?: string;
}
/** Extension `websocket.http.response`: deny the upgrade with a real HTTP response. */
export interface WebSocketHttpResponseStart {
  readonly type: 'websocket.http.response.start';
  readonly status: number;
  readonly headers?: Iterable<Header>;
}
export interface WebSocketHttpResponseBody {
  readonly type: 'websocket.http.response.body';
  readonly body?: Bytes;
  readonly more_body?: boolean;
}

// Lifespan
export interface LifespanStartupEvent {
  readonly type: 'lifespan.startup';
}
export interface LifespanShutdownEvent {
  readonly type: 'lifespan.shutdown';
}
export interface LifespanStartupComplete {
  readonly type: 'lifespan.startup.complete';
}
export interface LifespanStartupFailed {
  readonly type: 'lifespan.startup.failed';
  readonly message?: string;
}
export interface LifespanShutdownComplete {
  readonly type: 'lifespan.shutdown.complete';
}
export interface LifespanShutdownFailed {
  readonly type: 'lifespan.shutdown.failed';
  readonly message?: string;
}

export type ReceiveEvent =
  | HttpRequestEvent | HttpDisconnectEvent
  | WebSocketConnectEvent | WebSocketReceiveEvent | WebSocketDisconnectEvent
  | LifespanStartupEvent | LifespanShutdownEvent;

export type SendEvent =
  | HttpResponseStart | HttpResponseBody | HttpResponseTrailers | HttpResponseEarlyHint | HttpResponsePathsend
  | WebSocketAccept | WebSocketSend | WebSocketClose | WebSocketHttpResponseStart | WebSocketHttpResponseBody
  | LifespanStartupComplete | LifespanStartupFailed | LifespanShutdownComplete | LifespanShutdownFailed;

export type Receive = () => Promise<ReceiveEvent>;
export type Send = (event: SendEvent) => Promise<void>;

/** An ASGI 3.0 application. */
export type AsgiApp = (scope: Scope, receive: Receive, send: Send) => Promise<void>;

/**
 * A fetch-style app (`export default { fetch(request) }`, a Hono app): a Fetch API Request in,
 * a Response out. `websocket` is the optional WebSocket handler of the same object (see README).
 * `fetch` is called as Bun calls it, `fetch(request, server, ctx)`: `server` is a FetchServer
 * (Hono's `c.env`), `ctx` a FetchExecutionContext (Hono's `c.executionCtx`).
 */
export interface FetchApp {
  fetch(request: Request, ...rest: unknown[]): Response | Promise<Response>;
  readonly websocket?: FetchWebSocketHandler;
}

/** What a fetch-style app's `websocket` object may hold (README: compared with Bun's and Deno's). */
export interface FetchWebSocketHandler {
  open?(socket: BridgedWebSocket): void | Promise<void>;
  message?(socket: BridgedWebSocket, data: string | Bytes): void | Promise<void>;
  close?(socket: BridgedWebSocket, code: number, reason: string): void | Promise<void>;
}

/** The socket a fetch-style app's WebSocket handler gets. */
export interface BridgedWebSocket {
  readonly url: string;
  readonly protocol: string;
  /** What the app passed as `data` to `server.upgrade(request, { data })`, as Bun's `ws.data`. */
  readonly data: unknown;
  /** WebSocket's constants: 1 open, 2 closing (the app called close()), 3 closed. */
  readonly readyState: 1 | 2 | 3;
  /** The client's address, as the scope's `client` has it ('' when unknown). */
  readonly remoteAddress: string;
  send(data: string | Bytes | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}

/** The second argument of a fetch-style app's `fetch`: the part of Bun's `Server` the bridge has. */
export interface FetchServer {
  /**
   * Accepts the WebSocket handshake `request` asks for, once `fetch` returns (whatever it returns):
   * true when `request` is a WebSocket handshake of this bridge and the app has a `websocket`
   * handler, false for any other request.
   */
  upgrade(request: Request, options?: FetchUpgradeOptions): boolean;
  /** The client's address, from the scope's `client`; null when the server does not know it. */
  requestIP(request: Request): FetchSocketAddress | null;
}

export interface FetchUpgradeOptions {
  /** Becomes the socket's `data`. */
  readonly data?: unknown;
  /** Headers for the 101 answer; `Sec-WebSocket-Protocol` picks the subprotocol. */
  readonly headers?: RequestInit['headers'];
}

export interface FetchSocketAddress {
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6' | '';
  readonly port: number;
}

/** The third argument of `fetch`, what Hono calls the ExecutionContext (Cloudflare Workers' shape). */
export interface FetchExecutionContext {
  /** The ASGI call (and so the request's slot) lasts until `promise` settles; a rejection is the app's error. */
  waitUntil(promise: Promise<unknown>): void;
  /** There is no origin to pass through to: a no-op kept so apps written for Workers run. */
  passThroughOnException(): void;
  readonly props: Record<string, unknown>;
}
