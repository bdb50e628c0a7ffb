// PROXY protocol headers built by tests, as a proxy would send them.
import net, { isIPv4 } from 'node:net';
import tls from 'node:tls';

export const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** A v1 line: `PROXY TCP4 src dst sport dport\r\n`. */
export function proxyV1(source: string, sourcePort: number, destination = isIPv4(source) ? '127.0.0.1' : '::1', destinationPort = 8000): string {
  return `PROXY ${isIPv4(source) ? 'TCP4' : 'TCP6'} ${source} ${destination} ${sourcePort} ${destinationPort}\r\n`;
}

function addressBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  const [head = '', tail = ''] = address.split('::');
  const groups = (text: string): string[] => (text === '' ? [] : text.split(':'));
  const zeros = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array<string>(address.includes('::') ? zeros : 0).fill('0'), ...groups(tail)];
  return Buffer.from(all.map((group) => group.padStart(4, '0')).join(''), 'hex');
}

export interface V2Options {
  readonly command?: 'LOCAL' | 'PROXY';
  readonly source?: string;
  readonly sourcePort?: number;
  readonly destination?: string;
  readonly destinationPort?: number;
  /** Type-length-value records after the addresses, which a receiver skips. */
  readonly tlvs?: readonly { type: number; value: Buffer }[];
  /** Overrides the family/transport byte. */
  readonly familyByte?: number;
  /** Overrides the version/command byte. */
  readonly versionCommand?: number;
}

/** A v2 header (binary): by default PROXY over TCP from `source` to `destination`. */
export function proxyV2(options: V2Options = {}): Buffer {
  const { command = 'PROXY', source = '192.0.2.1', sourcePort = 40000, destinationPort = 8000, tlvs = [] } = options;
  const ipv4 = isIPv4(source);
  const destination = options.destination ?? (ipv4 ? '127.0.0.1' : '::1');
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(sourcePort, 0);
  ports.writeUInt16BE(destinationPort, 2);
  const tlvBytes = tlvs.map(({ type, value }) => Buffer.concat([Buffer.from([type, value.length >> 8, value.length & 0xff]), value]));
  const block = command === 'LOCAL' && tlvs.length === 0 ? Buffer.alloc(0) : Buffer.concat([addressBytes(source), addressBytes(destination), ports, ...tlvBytes]);
  const fixed = Buffer.alloc(4);
  fixed[0] = options.versionCommand ?? (command === 'LOCAL' ? 0x20 : 0x21);
  fixed[1] = options.familyByte ?? (command === 'LOCAL' ? 0x00 : ipv4 ? 0x11 : 0x21);
  fixed.writeUInt16BE(block.length, 2);
  return Buffer.concat([V2_SIGNATURE, fixed, block]);
}

/** Writes each piece in turn (waiting for it to leave) on a new connection and reads until the server closes it. */
export async function exchange(port: number, pieces: readonly (string | Buffer)[]): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  for (const piece of pieces) {
    if (socket.destroyed) break;
    await new Promise<void>((resolve) => socket.write(piece, () => resolve()));
  }
  await closed;
  return text;
}

/** Each piece of `bytes`, one byte long: a header and request split across many TCP packets. */
export function byteByByte(bytes: string | Buffer): Buffer[] {
  return [...(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes)].map((byte) => Buffer.from([byte]));
}

/** The JSON bodies of the responses in `text` (apps answering a flat JSON object). */
export function bodies(text: string): Record<string, unknown>[] {
  return [...text.matchAll(/\r\n\r\n(\{[^}]*\})/g)].map((match) => JSON.parse(match[1] ?? '{}') as Record<string, unknown>);
}

/**
 * Sends `header` in clear on a new connection, then does a TLS handshake on it (the ClientHello
 * follows at once, most often in the same segment) and sends `request`; resolves with the
 * decrypted answer, read until the server closes.
 */
export async function tlsAfterHeader(port: number, header: string | Buffer, request: string): Promise<string> {
  const raw = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => raw.once('connect', resolve));
  raw.write(header);
  const secure = tls.connect({ socket: raw, rejectUnauthorized: false });
  let text = '';
  secure.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  await new Promise<void>((resolve) => secure.once('secureConnect', resolve));
  secure.write(request);
  await new Promise<void>((resolve) => secure.on('close', () => resolve()));
  return text;
}
