import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/http/proxy-protocol/detect.js';
import { parseV1 } from '../../../src/http/proxy-protocol/v1.js';
import { parseV2 } from '../../../src/http/proxy-protocol/v2.js';
import { proxyV2 } from '../../support/proxy-protocol.js';

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const REQUEST = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';

describe('PROXY protocol v1', () => {
  it('reads a TCP4 line and says where the request starts', () => {
    const line = 'PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n';
    expect(parseV1(latin1(line + REQUEST))).toEqual({
      status: 'complete',
      length: line.length,
      header: { kind: 'proxied', family: 'IPv4', sourceAddress: '192.0.2.1', sourcePort: 56324, destinationAddress: '198.51.100.2', destinationPort: 443 },
    });
  });

  it('reads a TCP6 line, the longest one allowed (107 bytes) included', () => {
    const full = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    const line = `PROXY TCP6 ${full} ${full} 65535 65535\r\n`;
    expect(line).toHaveLength(104);
    expect(parseV1(latin1(line))).toMatchObject({ status: 'complete', length: 104, header: { family: 'IPv6', sourceAddress: full, sourcePort: 65535 } });
    expect(parseV1(latin1('PROXY TCP6 2001:db8::1 ::1 1 0\r\n'))).toMatchObject({ status: 'complete', header: { sourceAddress: '2001:db8::1', destinationPort: 0 } });
  });

  it('keeps the real peer for UNKNOWN, whatever follows it on the line', () => {
    expect(parseV1(latin1('PROXY UNKNOWN\r\n'))).toEqual({ status: 'complete', length: 15, header: { kind: 'local' } });
    expect(parseV1(latin1('PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n'))).toMatchObject({ status: 'complete', header: { kind: 'local' } });
  });

  it('waits for the CRLF, whatever the bytes so far', () => {
    const line = 'PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n';
    for (let end = 6; end < line.length; end++) expect(parseV1(latin1(line.slice(0, end))).status).toBe('incomplete');
  });

  it.each([
    ['a line with no CRLF within 107 bytes', `PROXY TCP4 ${'1'.repeat(120)}`],
    ['a CRLF only after 107 bytes', `PROXY UNKNOWN ${'x'.repeat(100)}\r\n`],
    ['an unknown protocol', 'PROXY UDP4 192.0.2.1 198.51.100.2 1 2\r\n'],
    ['a truncated line (corpus invalid/pp_01)', 'PROXY TCP4 192.168.0.1 192.16...\r\n'],
    ['too few fields', 'PROXY TCP4 192.0.2.1 198.51.100.2 1\r\n'],
    ['too many fields', 'PROXY TCP4 192.0.2.1 198.51.100.2 1 2 3\r\n'],
    ['two spaces between fields', 'PROXY TCP4  192.0.2.1 198.51.100.2 1 2\r\n'],
    ['a port that is not a number (corpus invalid/pp_02)', 'PROXY TCP4 192.168.0.1 192.168.0.11 65iii 100000\r\n'],
    ['a port above 65535', 'PROXY TCP4 192.0.2.1 198.51.100.2 65536 2\r\n'],
    ['a negative port', 'PROXY TCP4 192.0.2.1 198.51.100.2 -1 2\r\n'],
    ['a port with a leading zero', 'PROXY TCP4 192.0.2.1 198.51.100.2 080 2\r\n'],
    ['a name for an address (corpus invalid/pp_03)', 'PROXY TCP4 not-an-ip 192.168.0.11 56324 443\r\n'],
    ['an IPv6 address in TCP4', 'PROXY TCP4 ::1 ::1 1 2\r\n'],
    ['an IPv4 address in TCP6', 'PROXY TCP6 192.0.2.1 198.51.100.2 1 2\r\n'],
    ['an IPv4 address out of range', 'PROXY TCP4 192.0.2.256 198.51.100.2 1 2\r\n'],
    ['a bare LF', 'PROXY TCP4 192.0.2.1 198.51.100.2 1 2\n' + REQUEST],
  ])('refuses %s', (_what, line) => {
    expect(parseV1(latin1(line)).status).toBe('invalid');
  });
});

describe('PROXY protocol v1 refusals, as logged', () => {
  it('quote what the peer sent, so its control bytes cannot forge a log line', () => {
    const result = parseV1(latin1('PROXY TCP4 192.0.2.1\n[WARNING]forged 198.51.100.2 1 2\r\n'));
    expect(result).toMatchObject({ status: 'invalid', reason: expect.stringContaining('\\n[WARNING]forged') as unknown });
    expect(result.status === 'invalid' && result.reason.includes('\n')).toBe(false);
  });
});

describe('PROXY protocol v2', () => {
  it('reads an IPv4 PROXY header and says where the request starts', () => {
    const header = proxyV2({ source: '192.0.2.1', sourcePort: 12345, destination: '198.51.100.2', destinationPort: 443 });
    expect(header).toHaveLength(28);
    expect(parseV2(Buffer.concat([header, latin1(REQUEST)]))).toEqual({
      status: 'complete',
      length: 28,
      header: { kind: 'proxied', family: 'IPv4', sourceAddress: '192.0.2.1', sourcePort: 12345, destinationAddress: '198.51.100.2', destinationPort: 443 },
    });
  });

  it('reads IPv6 addresses in the form node reports them', () => {
    const cases: [string, string][] = [
      ['2001:db8::1', '2001:db8::1'],
      ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
      ['::1', '::1'],
      ['fe80:0:0:1:2:0:0:3', 'fe80::1:2:0:0:3'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
      ['::ffff:c000:201', '::ffff:192.0.2.1'],
    ];
    for (const [sent, seen] of cases) {
      expect(parseV2(proxyV2({ source: sent, destination: '::1' }))).toMatchObject({ status: 'complete', header: { family: 'IPv6', sourceAddress: seen } });
    }
  });

  it('skips TLVs after the addresses', () => {
    const tlvs = [{ type: 0x01, value: latin1('h2') }, { type: 0x20, value: Buffer.from([0x01, 0, 0, 0, 0]) }];
    const header = proxyV2({ source: '192.0.2.9', sourcePort: 1, tlvs });
    const parsed = parseV2(Buffer.concat([header, latin1(REQUEST)]));
    expect(parsed).toMatchObject({ status: 'complete', length: header.length, header: { sourceAddress: '192.0.2.9', sourcePort: 1 } });
  });

  it('keeps the real peer for LOCAL (with or without an address block), UNSPEC and AF_UNIX', () => {
    expect(parseV2(proxyV2({ command: 'LOCAL' }))).toEqual({ status: 'complete', length: 16, header: { kind: 'local' } });
    expect(parseV2(proxyV2({ command: 'LOCAL', tlvs: [{ type: 0x04, value: Buffer.alloc(2) }] }))).toMatchObject({ status: 'complete', header: { kind: 'local' } });
    expect(parseV2(proxyV2({ familyByte: 0x00 }))).toMatchObject({ status: 'complete', header: { kind: 'local' } });
    expect(parseV2(proxyV2({ familyByte: 0x31 }))).toMatchObject({ status: 'complete', header: { kind: 'local' } });
  });

  it('waits for all the bytes it announces', () => {
    const header = proxyV2({ source: '2001:db8::1', destination: '::1', tlvs: [{ type: 0x02, value: latin1('example.com') }] });
    for (let end = 0; end < header.length; end++) expect(parseV2(header.subarray(0, end)).status).toBe('incomplete');
    expect(parseV2(header).status).toBe('complete');
  });

  it.each([
    ['version 1', proxyV2({ versionCommand: 0x11 })],
    ['version 3', proxyV2({ versionCommand: 0x31 })],
    ['an unknown command', proxyV2({ versionCommand: 0x22 })],
    ['an unknown address family', proxyV2({ familyByte: 0x41 })],
    ['a datagram (UDP) transport', proxyV2({ familyByte: 0x12 })],
    ['an IPv4 block shorter than 12 bytes', Buffer.concat([proxyV2().subarray(0, 14), Buffer.from([0, 8]), Buffer.alloc(8)])],
    ['an IPv6 block shorter than 36 bytes', Buffer.concat([proxyV2().subarray(0, 13), Buffer.from([0x21, 0, 12]), Buffer.alloc(12)])],
  ])('refuses %s', (_what, bytes) => {
    expect(parseV2(bytes).status).toBe('invalid');
  });
});

describe('telling a header from plain data', () => {
  it('knows plain data at its first byte that no signature shares, HTTP and TLS alike', () => {
    expect(detect(latin1('G'), 'auto')).toBe('none');
    expect(detect(Buffer.from([0x16, 0x03]), 'auto')).toBe('none');
    expect(detect(latin1('POST'), 'auto')).toBe('none');
  });

  it('waits while the bytes could still be a signature, byte by byte', () => {
    expect(detect(latin1('PROXY'), 'auto')).toBe('undecided');
    expect(detect(Buffer.from([0x0d, 0x0a, 0x0d]), 'auto')).toBe('undecided');
    expect(detect(latin1('PROXY '), 'auto')).toBe(parseV1);
    expect(detect(proxyV2().subarray(0, 12), 'auto')).toBe(parseV2);
  });

  it('recognises only the versions its mode names', () => {
    expect(detect(latin1('PROXY '), 'v2')).toBe('none');
    expect(detect(proxyV2(), 'v1')).toBe('none');
    expect(detect(latin1('PROXY '), 'v1')).toBe(parseV1);
    expect(detect(proxyV2(), 'v2')).toBe(parseV2);
    expect(detect(latin1('PROXY '), 'off')).toBe('none');
  });

  it('refuses a broken v2 signature as plain data (node:http then refuses it)', () => {
    const broken = proxyV2();
    broken[11] = 0x0b;
    expect(detect(broken, 'v2')).toBe('none');
  });
});
