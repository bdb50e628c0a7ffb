import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Settings } from '@gu/core';
import type { AsgiVersion, HttpScope, LifespanState } from '../types.js';
import { decodePath, splitTarget } from './request-target.js';
import { latin1Bytes, requestHeaders, secureSchemeHeadersOf, type HeaderFacts, type SecureSchemeHeaders } from './request-headers.js';

/** ASGI 3.0, HTTP spec 2.4: `send()` on a closed connection raises. */
export const HTTP_ASGI: AsgiVersion = Object.freeze({ version: '3.0', spec_version: '2.4' });

/** The extensions the bridge serves (README: The protocol); shared, frozen, by every scope. */
export const HTTP_EXTENSIONS = Object.freeze({
  'http.response.trailers': Object.freeze({}),
  'http.response.early_hint': Object.freeze({}),
  'http.response.pathsend': Object.freeze({}),
});

const EMPTY = Buffer.alloc(0);

/** The `server` of connections that have no port: the unix socket gu listens on, when it is the only one. */
function unixServerOf(bind: readonly string[]): readonly [string, null] | null {
  const paths = bind.filter((address) => address.startsWith('unix:')).map((address) => address.slice('unix:'.length));
  return paths.length === 1 ? [paths[0] as string, null] : null;
}

/**
 * Builds the `http` scope of each request from what node:http parsed. `client` is the peer the
 * connection reports: the proxy's client when a PROXY header declared one (`proxy_protocol`), the
 * connection's peer otherwise, as the access log's `%(h)s`. `scheme` is https under TLS, or when a
 * trusted proxy says so in a `secure_scheme_headers` field (as Gunicorn sets `wsgi.url_scheme`).
 */
export class HttpScopeBuilder {
  private readonly schemes: SecureSchemeHeaders;
  private readonly unixServer: readonly [string, null] | null;
  /** What the headers of the request last built said (read right after `build`). */
  readonly facts: HeaderFacts = { hasBody: false, secure: false };

  constructor(settings: Readonly<Settings>, private readonly state: LifespanState) {
    this.schemes = secureSchemeHeadersOf(settings.secureSchemeHeaders);
    this.unixServer = unixServerOf(settings.bind);
  }

  build(req: IncomingMessage): HttpScope {
    const facts = this.facts;
    const headers = requestHeaders(req.rawHeaders, this.schemes, facts);
    const { rawPath, query } = splitTarget(req.url ?? '/');
    const socket = req.socket;
    const { remoteAddress, remotePort, localAddress, localPort } = socket;
    return {
      type: 'http',
      asgi: HTTP_ASGI,
      http_version: req.httpVersion === '1.0' ? '1.0' : '1.1',
      method: req.method ?? 'GET',
      scheme: facts.secure || (socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http',
      path: decodePath(rawPath),
      raw_path: latin1Bytes(rawPath),
      query_string: query === '' ? EMPTY : latin1Bytes(query),
      root_path: '',
      headers,
      client: remoteAddress === undefined || remotePort === undefined ? null : [remoteAddress, remotePort],
      server: localAddress === undefined || localPort === undefined ? this.unixServer : [localAddress, localPort],
      state: { ...this.state },
      extensions: HTTP_EXTENSIONS,
    };
  }
}
