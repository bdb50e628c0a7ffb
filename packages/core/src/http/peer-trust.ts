import { BlockList, isIP } from 'node:net';

/** Decides, from a connection's peer address, whether its proxy headers are believed. */
export type PeerTrust = (remoteAddress: string | undefined) => boolean;

/** Why an entry of `forwarded_allow_ips` was refused; the settings layer names the setting. */
export class InvalidAllowEntry extends Error {
  constructor(readonly entry: string) {
    super(`not an IP address, CIDR range or *: ${entry}`);
    this.name = 'InvalidAllowEntry';
  }
}

const MAPPED_IPV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/**
 * An IPv4 client of a dual-stack listener shows up as `::ffff:a.b.c.d`: it is matched as the IPv4
 * address it is, so `127.0.0.1` in the allow list covers it (and `::ffff:…` entries match IPv4 peers).
 */
function plainAddress(address: string): string {
  return MAPPED_IPV4.exec(address)?.[1] ?? address;
}

function familyOf(address: string): 'ipv4' | 'ipv6' | null {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : null;
}

/** Adds one entry (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`) to `list`; throws InvalidAllowEntry otherwise. */
function addEntry(list: BlockList, entry: string): void {
  const [rawAddress = '', prefixText, extra] = entry.split('/');
  const address = plainAddress(rawAddress);
  const family = familyOf(address);
  if (family === null || extra !== undefined) throw new InvalidAllowEntry(entry);
  if (prefixText === undefined) {
    list.addAddress(address, family);
    return;
  }
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix <= (family === 'ipv4' ? 32 : 128))) throw new InvalidAllowEntry(entry);
  list.addSubnet(address, prefix, family);
}

/** Splits Gunicorn's comma-separated form (or takes a list) into trimmed, non-empty entries. */
export function allowEntries(raw: string | readonly string[]): string[] {
  const items = typeof raw === 'string' ? raw.split(',') : raw;
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/**
 * Builds the trust test for `forwarded_allow_ips`: addresses and CIDR ranges, IPv4 or IPv6, or `*`
 * for every peer. A peer without an address (a unix socket) is trusted, as Gunicorn trusts it: only
 * a local process, such as the proxy itself, can reach it. Throws InvalidAllowEntry on a bad entry.
 */
export function peerTrust(entries: readonly string[]): PeerTrust {
  if (entries.includes('*')) return () => true;
  const list = new BlockList();
  for (const entry of entries) addEntry(list, entry);
  const check = (remoteAddress: string): boolean => {
    const address = plainAddress(remoteAddress);
    const family = familyOf(address);
    return family !== null && list.check(address, family);
  };
  // Behind a proxy, request after request comes from the same few addresses: remembering the last
  // answer spares parsing the address each time.
  let lastAddress: string | undefined;
  let lastAnswer = false;
  return (remoteAddress) => {
    if (remoteAddress === undefined) return true;
    if (remoteAddress !== lastAddress) {
      lastAnswer = check(remoteAddress);
      lastAddress = remoteAddress;
    }
    return lastAnswer;
  };
}
