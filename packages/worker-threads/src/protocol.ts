import type { MessagePort } from 'node:worker_threads';

/**
 * The wire protocol between a worker process's main thread and its app threads.
 *
 * - piscina starts, replaces and terminates the threads; requests do not go through its tasks. Each
 *   thread, once its app is loaded, posts one {@link Hello} through piscina's `message` event,
 *   carrying the thread's own control port, and everything goes over that port in both directions:
 *   a round trip there cost 18 µs of CPU against 39 µs through `piscina.run` (its task records,
 *   async resources and atomics), on a dispatch budget of 40 µs. Never a MessageChannel per request
 *   (one costs about 100 µs).
 * - A request is a {@link WireTask}: the head and the peer as a tuple, which clones in 60 % of the
 *   time the same object takes. node:http's `headers` object goes too: node builds it before the
 *   handler runs (it reads `expect`), and a pre_request hook may have changed it.
 * - A response finished within the turn it started in (most of them) comes back whole as a
 *   {@link WireReply}; one written over time streams as {@link ResponsePart}s, acknowledged by the
 *   main thread once written to the socket, then `done`. A request that fails is `fail`.
 * - A request body streams in as {@link BodyPart}s after the thread asks for it (`pull`), and is
 *   acknowledged as the app reads it: both directions hold at most {@link WINDOW_BYTES} unacknowledged.
 */

/** Bytes one side may send the other before it waits for an acknowledgement. */
export const WINDOW_BYTES = 1 << 20;

/** Slots of the shared table where a thread records which request it runs (id % slots). */
export const RUNNING_SLOTS = 1 << 14;

/** Where the socket came from, as the app would read it from `req.socket`. */
export interface Peer {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  readonly encrypted: boolean;
  /** Under TLS, whether the client's certificate verified against `ca_certs` (`cert_reqs` 1 or 2). */
  readonly authorized: boolean;
}

export interface RequestTask {
  readonly id: number;
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly rawHeaders: readonly string[];
  /** node:http's own `req.headers` of the main thread: duplicates joined exactly as node joins them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly peer: Peer;
  /** False when the request has no body (no Content-Length above 0, no Transfer-Encoding). */
  readonly body: boolean;
}

/** A {@link RequestTask} on the wire: the only array the main thread sends. */
export type WireTask = readonly [
  id: number, method: string, url: string, httpVersion: string, rawHeaders: readonly string[],
  headers: Readonly<Record<string, string | string[] | undefined>>, body: boolean,
  remoteAddress: string | undefined, remotePort: number | undefined, remoteFamily: string | undefined,
  localAddress: string | undefined, localPort: number | undefined, encrypted: boolean, authorized: boolean,
];

export function decodeTask(wire: WireTask): RequestTask {
  const [id, method, url, httpVersion, rawHeaders, headers, body, remoteAddress, remotePort, remoteFamily, localAddress, localPort, encrypted, authorized] = wire;
  return { id, method, url, httpVersion, rawHeaders, headers, body, peer: { remoteAddress, remotePort, remoteFamily, localAddress, localPort, encrypted, authorized } };
}

/** A body chunk: bytes, or a string with the encoding the app wrote it in. */
export type Chunk = Uint8Array | string;

/** The measure both sides count a window in: bytes, or UTF-16 units for a string (no encoding needed). */
export function chunkSize(chunk: Chunk): number {
  return typeof chunk === 'string' ? chunk.length : chunk.byteLength;
}

/**
 * A chunk that clones as its own bytes: a structured clone copies a view's whole ArrayBuffer, and
 * node's Buffers are often views into a shared 8 KiB (or larger) slab.
 */
export function ownBytes<T extends Chunk>(chunk: T): T {
  if (typeof chunk === 'string' || (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength)) return chunk;
  return new Uint8Array(chunk) as T;
}

export interface Head {
  readonly status: number;
  readonly statusMessage: string | undefined;
  /** [name, value, name, value, …] in the app's case; a repeated header (Set-Cookie) stays repeated. */
  readonly rawHeaders: readonly string[];
}

/** A whole response, written at once. */
export interface Reply {
  readonly head: Head;
  readonly chunks: readonly Chunk[];
  readonly encodings: readonly (BufferEncoding | undefined)[];
}

/** A {@link Reply} on the wire: the only array a thread sends. */
export type WireReply = readonly [
  id: number, status: number, statusMessage: string | undefined, rawHeaders: readonly string[],
  chunks: readonly Chunk[], encodings: readonly (BufferEncoding | undefined)[],
];

export function encodeReply(id: number, reply: Reply): WireReply {
  const { head } = reply;
  return [id, head.status, head.statusMessage, head.rawHeaders, reply.chunks, reply.encodings];
}

export function isWireReply(message: ThreadMessage): message is WireReply {
  return Array.isArray(message);
}

export function isWireTask(message: MainMessage): message is WireTask {
  return Array.isArray(message);
}

export function decodeReply(wire: WireReply): Reply {
  const [, status, statusMessage, rawHeaders, chunks, encodings] = wire;
  return { head: { status, statusMessage, rawHeaders }, chunks, encodings };
}

/** What the thread loaded: the app, or the failure (its GU_ERR_ code kept, which a clone would lose). */
export interface Hello {
  readonly gu: 'hello';
  readonly threadId: number;
  readonly port: MessagePort;
  readonly loadError: ClonedError | null;
}

export interface ClonedError {
  readonly code: string | undefined;
  readonly message: string;
  readonly stack: string | undefined;
}

/** Thread → main on the control port. */
export type ThreadMessage =
  | WireReply
  | { readonly t: 'beat' }
  /** The request is over for the thread (a streamed response ended, or it was aborted). */
  | { readonly t: 'done'; readonly id: number }
  /** The app failed the request before its response ended. */
  | { readonly t: 'fail'; readonly id: number; readonly error: ClonedError }
  | { readonly t: 'pull'; readonly id: number }
  | { readonly t: 'ack'; readonly id: number; readonly bytes: number }
  | ResponsePart
  | { readonly t: 'late-error'; readonly id: number; readonly error: ClonedError }
  /** What the app reported outside a request (through @gu/adapters: Koa's error events…). */
  | { readonly t: 'log'; readonly level: 'info' | 'warning' | 'error'; readonly message: string; readonly error: ClonedError | null }
  /** The app's close() finished (see MainMessage `close`). */
  | { readonly t: 'closed' };

export interface ResponsePart {
  readonly t: 'res';
  readonly id: number;
  readonly head: Head | null;
  readonly chunks: readonly Chunk[];
  readonly encodings: readonly (BufferEncoding | undefined)[];
  readonly end: boolean;
}

/** Main → thread on the control port; `close`: the pool stops, close the app (answered `closed`). */
export type MainMessage = WireTask | RequestMessage | { readonly t: 'close' };

/** Main → thread about a request the thread runs. */
export type RequestMessage = BodyPart | { readonly t: 'ack'; readonly id: number; readonly bytes: number } | { readonly t: 'abort'; readonly id: number };

export type BodyPart =
  | { readonly t: 'body'; readonly id: number; readonly chunk: Uint8Array }
  /** The body's end, with the chunked trailers node:http parsed (raw, and as node joined them). */
  | { readonly t: 'end'; readonly id: number; readonly rawTrailers: readonly string[]; readonly trailers: Readonly<Record<string, string | undefined>> };

/** The settings a thread needs, passed as piscina's workerData. */
export interface ThreadData {
  readonly app: string;
  readonly chdir: string;
  readonly beatMs: number;
  /** Int32 pairs [threadId, requestId] per slot: which thread runs a request, for `timeout`. */
  readonly running: SharedArrayBuffer;
}

export function cloneError(error: unknown): ClonedError {
  if (error instanceof Error) {
    return { code: (error as { code?: unknown }).code as string | undefined, message: error.message, stack: error.stack };
  }
  return { code: undefined, message: String(error), stack: undefined };
}

/** Records in the shared table that `threadId` runs request `id` (threadId first: a reader matching the id sees it). */
export function recordRunning(table: Int32Array, id: number, threadId: number): void {
  const slot = (id % RUNNING_SLOTS) * 2;
  Atomics.store(table, slot, threadId);
  Atomics.store(table, slot + 1, id);
}

/** The thread running request `id`, or null when it has not started (or its slot was reused). */
export function runningThread(table: Int32Array, id: number): number | null {
  const slot = (id % RUNNING_SLOTS) * 2;
  if (Atomics.load(table, slot + 1) !== id) return null;
  return Atomics.load(table, slot);
}
