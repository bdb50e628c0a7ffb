import { isIPv4, isIPv6 } from 'node:net';
import { INCOMPLETE, invalid, type ParseResult, type ProxyHeader } from './header.js';

/** The v1 header's first bytes. */
export const V1_SIGNATURE = Buffer.from('PROXY ', 'latin1');
/** The longest v1 line the specification allows, CRLF included (`PROXY TCP6` with two full IPv6 addresses). */
export const V1_MAX_LENGTH = 107;

const CRLF = Buffer.from('\r\n', 'latin1');
const PORT = /^(?:0|[1-9]\d{0,4})$/;

const familyChecks = {
  TCP4: { family: 'IPv4', isAddress: isIPv4 },
  TCP6: { family: 'IPv6', isAddress: isIPv6 },
} as const;

function portOf(text: string): number | null {
  const port = PORT.test(text) ? Number(text) : Number.NaN;
  return port <= 65535 ? port : null;
}

/** A field as a log line may quote it: JSON's quoting escapes the control bytes a peer could send. */
const quoted = (text: string): string => JSON.stringify(text);

/** Parses the fields after `PROXY ` of one complete line (without its CRLF). */
function parseLine(line: string): ProxyHeader | string {
  const fields = line.split(' ');
  const protocol = fields[1] ?? '';
  // "PROXY UNKNOWN" may be followed by anything up to the CRLF: the proxy does not know the client.
  if (protocol === 'UNKNOWN') return { kind: 'local' };
  if (protocol !== 'TCP4' && protocol !== 'TCP6') return `unknown protocol ${quoted(protocol)} (expected TCP4, TCP6 or UNKNOWN)`;
  if (fields.length !== 6) return `expected 6 fields separated by single spaces, got ${fields.length}`;
  const [, , source = '', destination = '', sourcePortText = '', destinationPortText = ''] = fields;
  const { family, isAddress } = familyChecks[protocol];
  if (!isAddress(source) || !isAddress(destination)) return `bad ${protocol} address in ${quoted(`${source} ${destination}`)}`;
  const sourcePort = portOf(sourcePortText);
  const destinationPort = portOf(destinationPortText);
  if (sourcePort === null || destinationPort === null) return `bad port in ${quoted(`${sourcePortText} ${destinationPortText}`)} (expected 0 to 65535)`;
  return { kind: 'proxied', family, sourceAddress: source, sourcePort, destinationAddress: destination, destinationPort };
}

/**
 * Parses a PROXY protocol v1 line at the start of `bytes` (which start with `PROXY `): incomplete
 * until its CRLF arrives, invalid past 107 bytes without one or when a field is wrong.
 */
export function parseV1(bytes: Buffer): ParseResult {
  const end = bytes.subarray(0, V1_MAX_LENGTH).indexOf(CRLF);
  if (end < 0) return bytes.length >= V1_MAX_LENGTH ? invalid(`no CRLF within ${V1_MAX_LENGTH} bytes`) : INCOMPLETE;
  const line = bytes.toString('latin1', 0, end);
  const parsed = parseLine(line);
  if (typeof parsed === 'string') return invalid(parsed);
  return { status: 'complete', header: parsed, length: end + CRLF.length };
}
