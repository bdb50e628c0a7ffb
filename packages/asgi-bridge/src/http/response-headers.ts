import { AsgiProtocolError } from '../asgi-errors.js';

/** A value as an error message names what was found instead of what ASGI expects. */
export function describeFound(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return 'a Uint8Array';
  switch (typeof value) {
    case 'string':
      return `a string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
    default:
      return typeof value;
  }
}

/** Bytes as the latin1 string node:http writes back byte for byte. */
export function latin1(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('latin1');
}

/** An app's headers, as node:http takes them, and what the bridge must know of them. */
export interface ResponseFields {
  /** [name, value, name, value…] as latin1 strings, in the app's order, repeats kept. */
  readonly flat: string[];
  /** The app's Content-Length (or the one the bridge declared for it), or -1. */
  contentLength: number;
  /** The app sent `Connection: close`. */
  readonly close: boolean;
}

const CONTENT_LENGTH = 'content-length';
const CONNECTION = 'connection';
const TRANSFER_ENCODING = 'transfer-encoding';
const DIGITS = /^\d{1,15}$/;

function invalid(what: string, detail: string): never {
  throw new AsgiProtocolError(`ASGI app sent ${what} with ${detail}`);
}

/** The [name, value] pair at `index`, both bytes, or a protocol error naming what it is instead. */
function pairAt(entry: unknown, index: number, what: string): readonly [Uint8Array, Uint8Array] {
  if (!Array.isArray(entry) || entry.length !== 2) {
    return invalid(what, `headers[${index}] ${describeFound(entry)}: expected a [name, value] pair of Uint8Array`);
  }
  const [name, value] = entry as unknown[];
  if (!(name instanceof Uint8Array)) return invalid(what, `headers[${index}] name ${describeFound(name)}: expected a Uint8Array`);
  if (!(value instanceof Uint8Array)) return invalid(what, `headers[${index}] value ${describeFound(value)}: expected a Uint8Array`);
  return [name, value];
}

/**
 * Reads an app's `headers` (absent: none). Where ASGI makes the server decide, the app's header is
 * taken out: Transfer-Encoding (the server must ignore it; node:http chunks a body without a
 * Content-Length) and Connection (`close` is honoured; keep-alive is the server's to decide, and a
 * draining worker closes every connection). Names and values are checked by node:http when written.
 */
export function responseFields(headers: unknown, what: string): ResponseFields {
  const flat: string[] = [];
  let contentLength = -1;
  let close = false;
  if (headers === undefined || headers === null) return { flat, contentLength, close };
  if (typeof headers !== 'object' || !(Symbol.iterator in headers)) {
    return invalid(what, `headers ${describeFound(headers)}: expected an iterable of [name, value] pairs of Uint8Array`);
  }
  let index = 0;
  for (const entry of headers as Iterable<unknown>) {
    const [nameBytes, valueBytes] = pairAt(entry, index++, what);
    const name = latin1(nameBytes);
    const value = latin1(valueBytes);
    const length = name.length;
    if (length === CONTENT_LENGTH.length && name.toLowerCase() === CONTENT_LENGTH) {
      const declared = DIGITS.test(value.trim()) ? Number(value.trim()) : NaN;
      if (Number.isNaN(declared) || (contentLength >= 0 && declared !== contentLength)) {
        return invalid(what, `content-length ${JSON.stringify(value)}: expected one number of bytes`);
      }
      contentLength = declared;
    } else if (length === CONNECTION.length && name.toLowerCase() === CONNECTION) {
      if (value.toLowerCase().includes('close')) close = true;
      continue;
    } else if (length === TRANSFER_ENCODING.length && name.toLowerCase() === TRANSFER_ENCODING) {
      continue;
    }
    flat.push(name, value);
  }
  return { flat, contentLength, close };
}
