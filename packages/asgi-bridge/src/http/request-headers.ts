import type { Header } from '../types.js';

/**
 * Request header names most clients send. Their lower-cased bytes are made once and shared by every
 * request (apps read scope bytes, they do not write them); any other name costs a lower-casing and
 * a Buffer each time. The table is fixed: names a client makes up never grow it.
 */
const COMMON_NAMES = [
  'host', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'connection', 'content-type',
  'content-length', 'transfer-encoding', 'cookie', 'authorization', 'cache-control', 'pragma', 'referer',
  'origin', 'if-none-match', 'if-modified-since', 'upgrade-insecure-requests', 'x-forwarded-for',
  'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'x-request-id', 'forwarded', 'keep-alive',
  'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest', 'sec-fetch-user', 'sec-ch-ua', 'sec-ch-ua-mobile',
  'sec-ch-ua-platform', 'dnt', 'te', 'expect', 'range', 'priority', 'accept-charset',
];

function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** Each common name, as sent in lower case, Title-Case or upper case, to its lower-cased bytes. */
const nameBytes = new Map<string, Buffer>();
for (const name of COMMON_NAMES) {
  const bytes = Buffer.from(name, 'latin1');
  for (const spelling of [name, titleCase(name), name.toUpperCase()]) nameBytes.set(spelling, bytes);
}

/** Up to this length, a string's bytes are copied by a loop: Buffer.from costs more for short strings. */
const SHORT = 64;

/** The bytes of a string of latin1 characters (node:http's rendering of header bytes), as a Buffer. */
export function latin1Bytes(text: string): Buffer {
  const length = text.length;
  if (length > SHORT) return Buffer.from(text, 'latin1');
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export function lowerNameBytes(name: string): Buffer {
  return nameBytes.get(name) ?? latin1Bytes(name.toLowerCase());
}

/** How a request's headers say whether a body follows, and whether a trusted proxy said https. */
export interface HeaderFacts {
  /** Content-Length above 0, or any Transfer-Encoding: the app may have body bytes to receive. */
  hasBody: boolean;
  /** A `secure_scheme_headers` field with its https value (the front removed them from untrusted peers). */
  secure: boolean;
}

/** `secure_scheme_headers` prepared for a scan: lower-case name → https value, and their first characters. */
export interface SecureSchemeHeaders {
  readonly values: ReadonlyMap<string, string>;
  readonly firstChars: ReadonlySet<number>;
}

/** A name's first character, lower-cased for ASCII letters: enough to skip most names unread. */
function firstCharOf(name: string): number {
  return name.charCodeAt(0) | 0x20;
}

export function secureSchemeHeadersOf(settings: Readonly<Record<string, string>>): SecureSchemeHeaders {
  const values = new Map(Object.entries(settings).map(([name, value]) => [name.toLowerCase(), value.trim().toLowerCase()]));
  return { values, firstChars: new Set([...values.keys()].map(firstCharOf)) };
}

const CONTENT_LENGTH = 'content-length';
const TRANSFER_ENCODING = 'transfer-encoding';

/** Notes what `name: value` says of the body and the scheme (names of these lengths only are compared). */
function noteHeader(facts: HeaderFacts, name: string, value: string, schemes: SecureSchemeHeaders): void {
  const length = name.length;
  if (length === CONTENT_LENGTH.length && name.toLowerCase() === CONTENT_LENGTH) {
    if (value.trim() !== '0') facts.hasBody = true;
  } else if (length === TRANSFER_ENCODING.length && name.toLowerCase() === TRANSFER_ENCODING) {
    facts.hasBody = true;
  }
  if (!facts.secure && schemes.firstChars.has(firstCharOf(name))) {
    const secureValue = schemes.values.get(name.toLowerCase());
    if (secureValue !== undefined && value.trim().toLowerCase() === secureValue) facts.secure = true;
  }
}

/**
 * node's `rawHeaders` (names as sent, values as latin1 characters of their bytes) as ASGI headers:
 * [name, value] byte pairs, names lower-cased, in order, repeats kept apart. `facts` is filled in anew.
 */
export function requestHeaders(raw: readonly string[], schemes: SecureSchemeHeaders, facts: HeaderFacts): Header[] {
  facts.hasBody = false;
  facts.secure = false;
  const headers: Header[] = new Array<Header>(raw.length >> 1);
  for (let i = 0, j = 0; i < raw.length; i += 2, j++) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    headers[j] = [lowerNameBytes(name), latin1Bytes(value)];
    if (name.length === 14 || name.length === 17 || schemes.firstChars.has(firstCharOf(name))) noteHeader(facts, name, value, schemes);
  }
  return headers;
}
