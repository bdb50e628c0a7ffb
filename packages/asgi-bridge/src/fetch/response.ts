import { describeValue } from './describe.js';
import { FetchAppError } from './fetch-app-error.js';

/**
 * A Response by its shape, not by instanceof: a Response made by another copy of undici (the npm
 * package, a polyfill) is as good as the global one.
 */
function isResponse(value: unknown): value is Response {
  if (value instanceof Response) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Response>;
  return typeof candidate.status === 'number' && typeof candidate.headers?.get === 'function' && 'body' in candidate;
}

/** What `fetch` returned, checked: a Response, or a FetchAppError naming what came instead. */
export function checkResponse(returned: unknown, request: Request, hint = ''): Response {
  if (isResponse(returned)) return returned;
  const { pathname, search } = new URL(request.url);
  const forgot = returned === undefined ? ' (does every route return its Response?)' : '';
  throw new FetchAppError(`fetch(request) for ${request.method} ${pathname}${search} returned ${describeValue(returned)}, not a Response${forgot}${hint}`);
}

export type EmitChunk = (chunk: Uint8Array, moreBody: boolean) => Promise<void>;

const emptyChunk = new Uint8Array(0);
const notYet = Symbol('not yet');

/** The promise's outcome if it settles within this turn of the event loop, else `notYet`. */
function settledThisTurn<T>(promise: Promise<T>): Promise<T | typeof notYet> {
  let timer: NodeJS.Immediate | undefined;
  const turn = new Promise<typeof notYet>((resolve) => {
    timer = setImmediate(resolve, notYet);
  });
  return Promise.race([promise, turn]).finally(() => {
    clearImmediate(timer);
  });
}

function bodyChunk(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new FetchAppError(`the Response body stream yielded ${describeValue(value)}; a body stream must yield Uint8Array chunks`);
}

/**
 * Streams a response body to `emit` chunk by chunk, as the app produces it (each send resolves
 * before the next chunk is read: back-pressure). The last chunk goes with moreBody false when the
 * stream is seen to end within the same event-loop turn, so a body that is all there at once (a
 * string, JSON) is one message and the server can give it a Content-Length instead of chunking.
 */
export async function streamBody(body: ReadableStream<Uint8Array> | null, emit: EmitChunk): Promise<void> {
  if (body === null) return emit(emptyChunk, false);
  const reader = body.getReader();
  try {
    let result = await reader.read();
    while (!result.done) {
      const chunk = bodyChunk(result.value);
      const next = reader.read();
      const early = await settledThisTurn(next);
      if (early !== notYet && early.done) {
        await emit(chunk, false);
        return;
      }
      if (chunk.byteLength > 0) await emit(chunk, true);
      result = early === notYet ? await next : early;
    }
    await emit(emptyChunk, false);
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
}
