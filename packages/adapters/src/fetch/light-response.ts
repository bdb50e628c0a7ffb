import { delegateToNative } from './delegate.js';

const NativeResponse = globalThis.Response;

/** Fetch's null body statuses: a Response with one of these may have no body. */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/** Headers given as an object literal (`{ 'content-type': 'application/json' }`, Hono's c.json). */
export type PlainHeaders = Readonly<Record<string, unknown>>;

/** What a LightResponse can hand over to node as it is, without a real Response. */
export interface ResponseParts {
  readonly status: number;
  readonly statusText: string;
  /** The init's Headers or plain record as given (read when sent, as @hono/node-server does), or the built `headers`. */
  readonly headers: Headers | PlainHeaders | undefined;
  /** null, or a string (Content-Type text/plain;charset=UTF-8 unless set) or bytes. */
  readonly body: string | Uint8Array | null;
}

function plainBody(body: unknown): string | Uint8Array | null | undefined {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined;
}

/** Init headers the adapter can send without building a Headers: a Headers or a plain record (not a list of pairs). */
function sendableHeaders(headers: ResponseInit['headers']): Headers | PlainHeaders | undefined {
  if (headers === undefined || headers instanceof Headers) return headers;
  return Array.isArray(headers) ? new Headers(headers) : headers;
}

/**
 * A Response that keeps its body and init as given and builds the real Response only if something
 * asks for more than status, statusText, ok and headers. Installed as the global Response (see
 * global-response.ts), it lets the adapter send what apps return most (a string or bytes, as Hono's
 * c.text/c.json make) in one write, without Fetch's body stream. `instanceof Response` holds both
 * ways. Validation matches Fetch's where it is cheap (status range, null body statuses); a bad
 * header name or value is caught when the response is sent (a 500) rather than by the constructor.
 */
export class LightResponse {
  #body: unknown;
  #init: ResponseInit | undefined;
  #headers: Headers | undefined;
  #native: Response | undefined;

  constructor(body?: unknown, init?: ResponseInit) {
    const status = init?.status;
    if (status !== undefined) {
      if (!(status >= 200 && status <= 599)) throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
      if (body !== null && body !== undefined && nullBodyStatuses.has(status)) throw new TypeError('Response constructor: Invalid response status code ' + String(status));
    }
    this.#body = body ?? null;
    this.#init = init;
    // A body kind only the real Response knows (Blob, FormData, a stream…): build it now.
    if (plainBody(this.#body) === undefined || (init?.statusText !== undefined && init.statusText !== '')) this.#materialize();
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    if (this === LightResponse) return value instanceof NativeResponse;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  get status(): number {
    return this.#native?.status ?? this.#init?.status ?? 200;
  }

  get statusText(): string {
    return this.#native?.statusText ?? '';
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get headers(): Headers {
    if (this.#native !== undefined) return this.#native.headers;
    if (this.#headers === undefined) {
      this.#headers = new Headers(this.#init?.headers);
      if (typeof this.#body === 'string' && !this.#headers.has('content-type')) this.#headers.set('content-type', 'text/plain;charset=UTF-8');
    }
    return this.#headers;
  }

  /** Whether `value` is a LightResponse (instanceof says true for real Responses too). */
  static isLight(value: unknown): value is LightResponse {
    return typeof value === 'object' && value !== null && #init in value;
  }

  /** The parts to send as they are, or undefined once a real Response was built (send that one). */
  static parts(response: LightResponse): ResponseParts | undefined {
    if (response.#native !== undefined) return undefined;
    const init = response.#init;
    return { status: init?.status ?? 200, statusText: '', headers: response.#headers ?? sendableHeaders(init?.headers), body: plainBody(response.#body) ?? null };
  }

  /** The real Response, built once. */
  static native(response: LightResponse): Response {
    return response.#materialize();
  }

  #materialize(): Response {
    if (this.#native !== undefined) return this.#native;
    const init = this.#headers === undefined ? this.#init : { ...this.#init, headers: this.#headers };
    this.#native = new NativeResponse(this.#body as ConstructorParameters<typeof Response>[0], init);
    this.#body = undefined;
    this.#headers = undefined;
    return this.#native;
  }
}

// Everything else of Response.prototype (body, text(), clone(), …) goes to the real Response;
// statics (Response.json, redirect, error) are the real ones and give real Responses.
delegateToNative(LightResponse, NativeResponse, (response) => LightResponse.native(response));
Object.setPrototypeOf(LightResponse, NativeResponse);
