import type { HttpScope, WebSocketScope } from '../types.js';
import { latin1 } from './latin1.js';

type ConnectionScope = HttpScope | WebSocketScope;

/** A WebSocket handshake is an HTTP request: Fetch has only http(s) URLs for a Request. */
const httpScheme: Readonly<Record<ConnectionScope['scheme'], 'http' | 'https'>> = {
  http: 'http',
  https: 'https',
  ws: 'http',
  wss: 'https',
};

function hostHeader(scope: ConnectionScope): string | null {
  for (const [name, value] of scope.headers) {
    if (name.byteLength === 4 && latin1(name) === 'host') return latin1(value);
  }
  return null;
}

/** A Host header that is a host[:port] and nothing more (no path, no user info), else null. */
function validHost(scheme: string, host: string): string | null {
  if (host === '') return null;
  try {
    const url = new URL(`${scheme}://${host}/`);
    const bare = url.pathname === '/' && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    return bare ? url.host : null;
  } catch {
    return null;
  }
}

function serverHost(scope: ConnectionScope): string {
  if (scope.server === null) return 'localhost';
  const [host, port] = scope.server;
  const name = host.includes(':') ? `[${host}]` : host;
  return port === null ? name : `${name}:${port}`;
}

/**
 * The request's absolute URL as a fetch-style app expects it: the scope's scheme (http(s) for a
 * WebSocket handshake), the Host header (the server's address when it is missing or malformed),
 * raw_path (so an encoded %2F stays encoded) and query_string.
 */
export function requestUrl(scope: ConnectionScope): string {
  const scheme = httpScheme[scope.scheme];
  const host = validHost(scheme, hostHeader(scope) ?? '') ?? serverHost(scope);
  const rawPath = scope.raw_path.byteLength > 0 ? latin1(scope.raw_path) : encodeURI(scope.path);
  // `*` (OPTIONS *) and an absolute-form target have no leading slash; a URL needs one.
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  const query = scope.query_string.byteLength > 0 ? `?${latin1(scope.query_string)}` : '';
  return `${scheme}://${host}${path}${query}`;
}

/** The ws(s):// URL of a WebSocket scope, as WebSocket's `url` has it. */
export function webSocketUrl(scope: WebSocketScope): string {
  return `${scope.scheme}${requestUrl(scope).slice(httpScheme[scope.scheme].length)}`;
}
