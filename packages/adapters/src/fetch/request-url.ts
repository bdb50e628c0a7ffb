import type { IncomingMessage } from 'node:http';

/**
 * Gunicorn's default `secure_scheme_headers`: each lower-case name with the value that means https.
 * gu's front removes them (and every X-Forwarded-*) from peers not in `forwarded_allow_ips`, so one
 * that reaches the app came from a trusted proxy.
 */
const secureSchemeHeaders: readonly (readonly [string, string])[] = [
  ['x-forwarded-proto', 'https'],
  ['x-forwarded-ssl', 'on'],
  ['x-forwarded-protocol', 'ssl'],
];

/** A plain host[:port]: what nearly every request carries, used as it is. */
const plainHost = /^[a-z0-9.-]+(?::\d{1,5})?$/i;
/** A path with nothing a URL parser would change (no dot segments, no backslash, nothing to escape). */
const plainPath = /^\/[!#$&-;=?-[\]_a-z~]*$/i;
const dotSegment = /\/\.\.?(?:[/?#]|$)/;

function isSecure(req: IncomingMessage): boolean {
  if ((req.socket as { encrypted?: boolean } | null)?.encrypted === true) return true;
  const headers = req.headers;
  for (const [name, secureValue] of secureSchemeHeaders) {
    const value = headers[name];
    if (typeof value === 'string' && value.trim().toLowerCase() === secureValue) return true;
  }
  return false;
}

/** The server's own address, for a request without a usable Host header (HTTP/1.0). */
function socketHost(req: IncomingMessage): string {
  const address = req.socket.localAddress;
  if (address === undefined) return 'localhost';
  const name = address.includes(':') ? `[${address}]` : address;
  return req.socket.localPort === undefined ? name : `${name}:${req.socket.localPort}`;
}

/** A Host header that is a host[:port] and nothing more (no path, no user info), else null. */
function validHost(scheme: string, host: string | undefined): string | null {
  if (host === undefined || host === '') return null;
  if (plainHost.test(host)) return host;
  try {
    const url = new URL(`${scheme}://${host}/`);
    const bare = url.pathname === '/' && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    return bare ? url.host : null;
  } catch {
    return null;
  }
}

/**
 * The absolute URL a fetch-style app expects in `request.url`: https under TLS or when a trusted
 * proxy says so, the Host header (the socket's local address when it is missing or malformed),
 * then the request target. An absolute-form target (`GET http://host/x`) is taken as it is.
 */
export function requestUrl(req: IncomingMessage): string {
  const target = req.url ?? '/';
  if (target.startsWith('http://') || target.startsWith('https://')) return new URL(target).href;
  const scheme = isSecure(req) ? 'https' : 'http';
  const host = validHost(scheme, req.headers.host) ?? socketHost(req);
  const url = `${scheme}://${host}${target.startsWith('/') ? target : `/${target}`}`;
  return plainPath.test(target) && !dotSegment.test(target) ? url : new URL(url).href;
}
