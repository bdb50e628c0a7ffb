import { describe, expect, it } from 'vitest';
import { allowEntries, InvalidAllowEntry, peerTrust } from '../../src/http/peer-trust.js';

describe('forwarded_allow_ips matching', () => {
  const trusted = peerTrust(allowEntries('127.0.0.1, ::1, 10.1.0.0/16, fd00::/8'));

  it('matches IPv4 addresses and ranges', () => {
    expect(trusted('127.0.0.1')).toBe(true);
    expect(trusted('127.0.0.2')).toBe(false);
    expect(trusted('10.1.255.3')).toBe(true);
    expect(trusted('10.2.0.1')).toBe(false);
  });

  it('matches IPv6 addresses and ranges', () => {
    expect(trusted('::1')).toBe(true);
    expect(trusted('::2')).toBe(false);
    expect(trusted('fd12:3456::1')).toBe(true);
    expect(trusted('fe80::1')).toBe(false);
  });

  it('matches an IPv4-mapped IPv6 peer as its IPv4 address', () => {
    expect(trusted('::ffff:127.0.0.1')).toBe(true);
    expect(trusted('::FFFF:10.1.2.3')).toBe(true);
    expect(trusted('::ffff:127.0.0.2')).toBe(false);
    expect(peerTrust(['::ffff:192.168.0.1'])('192.168.0.1')).toBe(true);
  });

  it('trusts a unix-socket peer (no address), and every peer with *', () => {
    expect(trusted(undefined)).toBe(true);
    expect(peerTrust(['*'])('203.0.113.9')).toBe(true);
    expect(peerTrust([])('127.0.0.1')).toBe(false);
  });

  it('refuses what is not an address or range', () => {
    for (const entry of ['localhost', '10.0.0.0/33', '::/129', '10.0.0.1/8/1', '1.2.3', '10.0.0.0/x']) {
      expect(() => peerTrust([entry]), entry).toThrow(InvalidAllowEntry);
    }
  });
});

describe('forwarded_allow_ips answers', () => {
  it('stay right when peers alternate (the last answer is remembered)', () => {
    const trusted = peerTrust(['10.0.0.0/8']);
    expect(['10.0.0.1', '192.0.2.1', '192.0.2.1', '10.9.9.9', '::ffff:10.0.0.2', '::1'].map(trusted)).toEqual([
      true, false, false, true, true, false,
    ]);
  });
});
