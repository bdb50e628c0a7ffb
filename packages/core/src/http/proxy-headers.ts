import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { peerTrust } from './peer-trust.js';

/** One of `secure_scheme_headers`: the header's lower-case name and the value that means https. */
interface SchemeHeader {
  readonly name: string;
  readonly secureValue: string;
}

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

/** True when two scheme headers disagree (one says https, another http), as Gunicorn refuses them. */
export function schemesDisagree(headers: IncomingHttpHeaders, schemes: readonly SchemeHeader[]): boolean {
  let secure: boolean | undefined;
  for (const { name, secureValue } of schemes) {
    const value = headers[name];
    if (value === undefined) continue;
    const says = String(value).trim().toLowerCase() === secureValue;
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
  const schemes = Object.entries(schemeHeaders).map(([name, value]) => ({
    name: name.toLowerCase(),
    secureValue: value.trim().toLowerCase(),
  }));
  const schemeNames = new Set(schemes.map(({ name }) => name));
  const isProxyHeader = (lower: string): boolean =>
    lower.startsWith(FORWARDED_PREFIX) || lower === 'forwarded' || schemeNames.has(lower);
  const firstChars = new Set([FORWARDED_PREFIX, 'forwarded', ...schemeNames].map(firstCharOf));
  return (req) => {
    if (trusted(req.socket.remoteAddress)) return schemesDisagree(req.headers, schemes) ? 400 : 0;
    stripHeaders(req, firstChars, isProxyHeader);
    return 0;
  };
}
