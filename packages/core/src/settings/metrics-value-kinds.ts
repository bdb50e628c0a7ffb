import { choice, ValueRejected, type ValueKind } from './value-kinds.js';

/** Where StatsD metrics go: a host (name, IPv4 or [IPv6]) and a UDP port. */
export interface StatsdAddress {
  readonly host: string;
  readonly port: number;
}

const ADDRESS_FORM = /^(?:\[(?<ipv6>[0-9A-Fa-f:.]+)\]|(?<host>[A-Za-z0-9.-]+)):(?<port>\d{1,5})$/;

/** `HOST:PORT` (or `[IPv6]:PORT`) → a StatsD address; anything else is rejected. */
export function parseStatsdAddress(text: string): StatsdAddress | null {
  const groups = ADDRESS_FORM.exec(text.trim())?.groups;
  const port = Number(groups?.port);
  const host = groups?.ipv6 ?? groups?.host;
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

/** `statsd_host`: `HOST:PORT` over UDP, or null (no StatsD). Kept as text: settings print as given. */
export const statsdHost: ValueKind<string | null> = {
  expected: 'HOST:PORT (a UDP address, e.g. localhost:8125 or [::1]:8125) or null',
  metavar: 'STATSD_ADDR',
  coerce(raw) {
    if (raw === null) return null;
    if (typeof raw !== 'string' || parseStatsdAddress(raw) === null) throw new ValueRejected(raw);
    return raw.trim();
  },
};

/** A string that may be empty: `statsd_prefix`'s default is none. */
export const prefixText: ValueKind<string> = {
  expected: 'a string (may be empty)',
  metavar: 'STATSD_PREFIX',
  coerce(raw) {
    if (typeof raw !== 'string') throw new ValueRejected(raw);
    return raw.trim();
  },
};

const TAG = /^[^,|#\s]+$/;

/** `dogstatsd_tags`: Gunicorn's comma-separated `key:value` text (a list in a config file too). */
export const tagList: ValueKind<string[]> = {
  expected: 'comma-separated DogStatsD tags such as env:prod,team:web (no spaces, | or #)',
  metavar: 'DOGSTATSD_TAGS',
  coerce(raw) {
    const items = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? (raw as unknown[]) : null;
    if (items === null) throw new ValueRejected(raw);
    const tags = items.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '');
    const bad = tags.find((tag) => typeof tag !== 'string' || !TAG.test(tag));
    if (bad !== undefined) throw new ValueRejected(bad);
    return tags as string[];
  },
};

/** The first part of every metric name: Gunicorn's, so its dashboards work, or gu's own. */
export type StatsdNamespace = 'gunicorn' | 'gu';

export const statsdNamespace: ValueKind<StatsdNamespace> = choice(['gunicorn', 'gu'], 'NAMESPACE');
