import { allowEntries, InvalidAllowEntry, peerTrust } from '../http/peer-trust.js';
import { ValueRejected, type ValueKind } from './value-kinds.js';

const ALLOW_ENTRY = 'an IP address, a CIDR range or *';

/** `forwarded_allow_ips`: Gunicorn's comma-separated text, or a list in the config file. */
export const allowList: ValueKind<string[]> = {
  expected: `${ALLOW_ENTRY}, comma-separated or as a list`,
  metavar: 'STRING',
  coerce(raw) {
    if (typeof raw !== 'string' && !(Array.isArray(raw) && raw.every((item) => typeof item === 'string'))) {
      throw new ValueRejected(raw);
    }
    const entries = allowEntries(raw);
    try {
      peerTrust(entries);
    } catch (error) {
      if (error instanceof InvalidAllowEntry) throw new ValueRejected(error.entry, ALLOW_ENTRY);
      throw error;
    }
    return entries;
  },
};

/** Which PROXY protocol headers a connection may open with: Gunicorn's names. */
export type ProxyProtocolMode = 'off' | 'v1' | 'v2' | 'auto';

const proxyProtocolModes: readonly ProxyProtocolMode[] = ['off', 'v1', 'v2', 'auto'];

/**
 * `proxy_protocol`: off, v1, v2 or auto (either). A boolean from a config file written for
 * Gunicorn before 24.1, when the setting was a switch, is taken as Gunicorn takes it: true is auto.
 */
export const proxyProtocolMode: ValueKind<ProxyProtocolMode> = {
  expected: 'off, v1, v2 or auto',
  metavar: 'MODE',
  coerce(raw) {
    if (typeof raw === 'boolean') return raw ? 'auto' : 'off';
    const word = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    const mode = proxyProtocolModes.find((name) => name === word);
    if (mode === undefined) throw new ValueRejected(raw);
    return mode;
  },
};

/** A header name as RFC 9110 allows it (a token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `secure_scheme_headers`: header name → the value that means https. Names are kept upper-case, as Gunicorn writes them. */
export const headerValueMap: ValueKind<Record<string, string>> = {
  expected: 'an object of header names to values, e.g. {"X-FORWARDED-PROTO": "https"}',
  metavar: 'JSON',
  coerce(raw) {
    let value: unknown = raw;
    if (typeof raw === 'string') {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new ValueRejected(raw);
      }
    }
    if (!isPlainObject(value)) throw new ValueRejected(raw);
    const map: Record<string, string> = {};
    for (const [name, text] of Object.entries(value)) {
      if (!TOKEN.test(name) || typeof text !== 'string') throw new ValueRejected({ [name]: text });
      map[name.toUpperCase()] = text;
    }
    return map;
  },
};
