import { INCOMPLETE, invalid, type ParseResult, type ProxyHeader } from './header.js';

/** The v2 header's twelve first bytes. */
export const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** Signature, version and command, family and transport, and the length of what follows. */
const FIXED_LENGTH = 16;

const COMMAND_LOCAL = 0x0;
const COMMAND_PROXY = 0x1;
const TRANSPORT_UNSPEC = 0x0;
const TRANSPORT_STREAM = 0x1;

/** The address families carrying a client address: their block's size and how to read it. */
const addressFamilies: Readonly<Record<number, { family: 'IPv4' | 'IPv6'; size: number; read: (block: Buffer, at: number) => string }>> = {
  0x1: { family: 'IPv4', size: 12, read: (block, at) => [...block.subarray(at, at + 4)].join('.') },
  0x2: { family: 'IPv6', size: 36, read: readIPv6 },
};

/** An IPv6 address as eight hexadecimal groups, leading zeros dropped (node's own form shortens runs of zeros, see `canonicalIPv6`). */
function readIPv6(block: Buffer, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(block.readUInt16BE(at + i).toString(16));
  return canonicalIPv6(groups);
}

/**
 * The form node reports socket addresses in (RFC 5952): the first longest run of two or more zero
 * groups becomes `::`, and an IPv4-mapped address ends in dotted IPv4 (`::ffff:192.0.2.1`).
 */
function canonicalIPv6(groups: readonly string[]): string {
  if (groups.slice(0, 5).every((group) => group === '0') && groups[5] === 'ffff') {
    const [high = 0, low = 0] = groups.slice(6).map((group) => Number.parseInt(group, 16));
    return `::ffff:${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < groups.length; ) {
    let end = start;
    while (end < groups.length && groups[end] === '0') end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end === start ? start + 1 : end;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

/** Reads the address block of a PROXY command; TLVs after it are skipped. */
function proxiedHeader(familyByte: number, block: Buffer): ProxyHeader | string {
  const transport = familyByte & 0x0f;
  const familyCode = familyByte >> 4;
  // UNSPEC, or AF_UNIX: no IP client to declare; the real peer stays, as the specification allows.
  if (familyCode === 0x0 || familyCode === 0x3) return { kind: 'local' };
  const address = addressFamilies[familyCode];
  if (!address) return `unknown address family ${familyCode}`;
  if (transport !== TRANSPORT_STREAM && transport !== TRANSPORT_UNSPEC) return `transport ${transport} is not a stream (TCP)`;
  if (block.length < address.size) return `an ${address.family} address block needs ${address.size} bytes, got ${block.length}`;
  const half = (address.size - 4) / 2;
  return {
    kind: 'proxied',
    family: address.family,
    sourceAddress: address.read(block, 0),
    destinationAddress: address.read(block, half),
    sourcePort: block.readUInt16BE(address.size - 4),
    destinationPort: block.readUInt16BE(address.size - 2),
  };
}

/**
 * Parses a PROXY protocol v2 header at the start of `bytes` (which start with its signature):
 * incomplete until the length it announces has arrived; invalid for another version, an unknown
 * command, family or transport, or an address block too short for its family.
 */
export function parseV2(bytes: Buffer): ParseResult {
  if (bytes.length < FIXED_LENGTH) return INCOMPLETE;
  const versionCommand = bytes[12] ?? 0;
  const familyByte = bytes[13] ?? 0;
  const length = FIXED_LENGTH + bytes.readUInt16BE(14);
  if (versionCommand >> 4 !== 2) return invalid(`version ${versionCommand >> 4} (expected 2)`);
  const command = versionCommand & 0x0f;
  if (command !== COMMAND_LOCAL && command !== COMMAND_PROXY) return invalid(`unknown command ${command}`);
  if (bytes.length < length) return INCOMPLETE;
  // LOCAL: the proxy's own connection (a health check); whatever address block it has is ignored.
  if (command === COMMAND_LOCAL) return { status: 'complete', header: { kind: 'local' }, length };
  const header = proxiedHeader(familyByte, bytes.subarray(FIXED_LENGTH, length));
  if (typeof header === 'string') return invalid(header);
  return { status: 'complete', header, length };
}
