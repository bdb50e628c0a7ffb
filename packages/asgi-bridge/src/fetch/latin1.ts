import type { Bytes, Header } from '../types.js';

/** HTTP field bytes as a ByteString, one char per byte (what Fetch's Headers hold). */
export function latin1(bytes: Bytes): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function latin1Bytes(text: string): Bytes {
  return Buffer.from(text, 'latin1');
}

/**
 * A Headers object as ASGI's byte pairs. Set-Cookie values are kept apart (getSetCookie), since
 * joining them with commas, as Headers does for every other repeated field, would break them.
 */
export function headerPairs(headers: Headers): Header[] {
  const pairs: Header[] = [];
  for (const [name, value] of headers) {
    if (name !== 'set-cookie') pairs.push([latin1Bytes(name), latin1Bytes(value)]);
  }
  for (const cookie of headers.getSetCookie()) pairs.push([latin1Bytes('set-cookie'), latin1Bytes(cookie)]);
  return pairs;
}
