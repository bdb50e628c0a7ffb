import type { IncomingMessage } from 'node:http';
import { peerTrust } from './peer-trust.js';

/** Returns 0 to let the request through, or the status to refuse it with. */
export type ProxyHeaderCheck = (req: IncomingMessage) => number;

const FORWARDED_PREFIX = 'x-forwarded-';

/** A name's first character, lower-cased for ASCII letters (enough to tell names apart cheaply). */
function firstCharOf(name: string): number {
  return name.charCodeAt(0) | 0x20;
}

/**
 * The index in `rawHeaders` of the first proxy header's name, or -1 (the common case: nothing to
 * do). Only names starting with a proxy header's first letter are lower-cased and compared.
 */
function firstProxyHeader(raw: readonly string[], firstChars: ReadonlySet<number>, isProxyHeader: (lowerName: string) => boolean): number {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (firstChars.has(firstCharOf(name)) && isProxyHeader(name.toLowerCase())) return i;
  }
  return -1;
}

/**
 * Removes proxy headers from a request in place, from `rawHeaders` (any case), `headers` and
 * `headersDistinct`. node builds the latter two lazily from `rawHeaders` but only up to the count of
 * fields it parsed (an internal counter), so both are built first and then edited; shortening
 * `rawHeaders` before would make them read past its end. Pinned in test/http/proxy-headers.test.ts.
 */
function stripHeaders(req: IncomingMessage, firstChars: ReadonlySet<number>, isProxyHeader: (lowerName: string) => boolean): void {
  const raw = req.rawHeaders;
  let i = firstProxyHeader(raw, firstChars, isProxyHeader);
  if (i < 0) return;
  const { headers, headersDistinct } = req;
  let kept = i;
  for (; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const lower = name.toLowerCase();
    if (isProxyHeader(lower)) {
      Reflect.deleteProperty(headers, lower);
      Reflect.deleteProperty(headersDistinct, lower);
      continue;
    }
    raw[kept] = name;
    raw[kept + 1] = raw[i + 1] ?? '';
    kept += 2;
  }
  raw.length = kept;
}

/** `secure_scheme_headers` prepared for a scan: each lower-case name's https value, and their first characters. */
export interface SchemeHeaders {
  readonly secureValues: ReadonlyMap<string, string>;
  readonly firstChars: ReadonlySet<number>;
}

export function schemeHeadersOf(schemeHeaders: Readonly<Record<string, string>>): SchemeHeaders {
  const secureValues = new Map(Object.entries(schemeHeaders).map(([name, value]) => [name.toLowerCase(), value.trim().toLowerCase()]));
  return { secureValues, firstChars: new Set([...secureValues.keys()].map(firstCharOf)) };
}

/**
 * True when two scheme header fields disagree (one says https, another http), as Gunicorn refuses
 * them; each field counts, a repeated one too. Reads `rawHeaders` (names of any case, as sent), not
 * `headers`, which node builds on first use: most requests never need it.
 */
export function schemesDisagree(rawHeaders: readonly string[], schemes: SchemeHeaders): boolean {
  let secure: boolean | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (!schemes.firstChars.has(firstCharOf(name))) continue;
    const secureValue = schemes.secureValues.get(name.toLowerCase());
    if (secureValue === undefined) continue;
    const says = (rawHeaders[i + 1] ?? '').trim().toLowerCase() === secureValue;
    if (secure === undefined) secure = says;
    else if (secure !== says) return true;
  }
  return false;
}

/**
 * `forwarded_allow_ips` and `secure_scheme_headers`. From a trusted peer (a proxy), proxy headers
 * pass to the app, where frameworks read them (Express with `trust proxy`); scheme headers that
 * disagree are refused with 400. From any other peer, `Forwarded`, every `X-Forwarded-*` and the
 * scheme headers are removed, so a client talking to gu directly cannot pose as its own proxy.
 */
export function proxyHeaderCheck(allowIps: readonly string[], schemeHeaders: Readonly<Record<string, string>>): ProxyHeaderCheck {
  const trusted = peerTrust(allowIps);
  const schemes = schemeHeadersOf(schemeHeaders);
  const schemeNames = new Set(schemes.secureValues.keys());
  const isProxyHeader = (lower: string): boolean =>
    lower.startsWith(FORWARDED_PREFIX) || lower === 'forwarded' || schemeNames.has(lower);
  const firstChars = new Set([FORWARDED_PREFIX, 'forwarded', ...schemeNames].map(firstCharOf));
  return (req) => {
    if (trusted(req.socket.remoteAddress)) return schemesDisagree(req.rawHeaders, schemes) ? 400 : 0;
    stripHeaders(req, firstChars, isProxyHeader);
    return 0;
  };
}
