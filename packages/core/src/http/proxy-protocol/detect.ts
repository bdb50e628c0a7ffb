import type { ProxyProtocolMode } from '../../settings/http-value-kinds.js';
import type { ParseResult } from './header.js';
import { parseV1, V1_SIGNATURE } from './v1.js';
import { parseV2, V2_SIGNATURE } from './v2.js';

interface Version {
  readonly signature: Buffer;
  readonly parse: (bytes: Buffer) => ParseResult;
}

const v1: Version = { signature: V1_SIGNATURE, parse: parseV1 };
const v2: Version = { signature: V2_SIGNATURE, parse: parseV2 };

/** The header versions each mode recognises. */
const versionsOf: Readonly<Record<ProxyProtocolMode, readonly Version[]>> = {
  off: [],
  v1: [v1],
  v2: [v2],
  auto: [v1, v2],
};

/** `bytes` agree with `signature` as far as either goes. */
function agrees(bytes: Buffer, signature: Buffer): boolean {
  const length = Math.min(bytes.length, signature.length);
  return bytes.compare(signature, 0, length, 0, length) === 0;
}

/**
 * What the first bytes of a connection are: a header of a version `mode` recognises (its parser),
 * plain data (`none`: HTTP or TLS, which never start like a signature), or not known yet
 * (`undecided`: the bytes so far are the start of a signature). A plain request is told apart
 * within its first two bytes (POST, PUT and PATCH share only the P of `PROXY `; a TLS record starts
 * with 0x16, a v2 signature with CR).
 */
export function detect(bytes: Buffer, mode: ProxyProtocolMode): Version['parse'] | 'none' | 'undecided' {
  let undecided = false;
  for (const version of versionsOf[mode]) {
    if (!agrees(bytes, version.signature)) continue;
    if (bytes.length >= version.signature.length) return version.parse;
    undecided = true;
  }
  return undecided ? 'undecided' : 'none';
}
