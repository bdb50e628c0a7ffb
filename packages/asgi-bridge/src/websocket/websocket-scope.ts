import type { IncomingMessage } from 'node:http';
import type { Settings } from '@gu/core';
import type { BridgeContext } from '../bridge-context.js';
import type { Header, WebSocketScope } from '../types.js';

/**
 * The ASGI spec versions this scope speaks: www 2.5 (headers on accept, reasons on close and on
 * disconnect, `send` raising once the socket closed).
 */
const ASGI = { version: '3.0', spec_version: '2.5' } as const;
/** The denial-response extension: the app may refuse the upgrade with an HTTP response of its own. */
const EXTENSIONS = { 'websocket.http.response': {} } as const;

/** The `websocket` scope of an upgrade request (asgiref www.rst, "Websocket Connection Scope"). */
export function websocketScope(req: IncomingMessage, bridge: BridgeContext): WebSocketScope {
  const { path, query } = splitTarget(req.url ?? '/');
  return {
    type: 'websocket',
    asgi: ASGI,
    http_version: req.httpVersion === '1.0' ? '1.0' : '1.1',
    scheme: isSecure(req, bridge.settings) ? 'wss' : 'ws',
    path: decodePath(path),
    raw_path: Buffer.from(path, 'latin1'),
    query_string: Buffer.from(query, 'latin1'),
    root_path: '',
    headers: headersOf(req.rawHeaders),
    client: clientOf(req),
    server: serverOf(req),
    subprotocols: offeredSubprotocols(req),
    state: { ...bridge.state },
    extensions: EXTENSIONS,
  };
}

/** The path and query of a request target; an absolute-form target (`ws://host/p`) loses its origin. */
function splitTarget(target: string): { path: string; query: string } {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i.exec(target);
  const rest = origin ? target.slice(origin[0].length) || '/' : target;
  const mark = rest.indexOf('?');
  return mark === -1 ? { path: rest, query: '' } : { path: rest.slice(0, mark), query: rest.slice(mark + 1) };
}

const utf8 = new TextDecoder('utf-8');

/**
 * Percent-decoded, then read as UTF-8, as ASGI's `path` is: leniently, as Python's `unquote` does
 * (a `%` not followed by two hex digits stays as it is, bytes that are not UTF-8 become U+FFFD),
 * where decodeURIComponent would throw on a path a client may well send.
 */
function decodePath(path: string): string {
  if (!path.includes('%')) return path;
  const bytes = Buffer.from(path.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  return utf8.decode(bytes);
}

/** Header lines as byte pairs, names lower-cased, in the client's order (repeats kept apart). */
function headersOf(raw: readonly string[]): Header[] {
  const headers: Header[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers.push([Buffer.from((raw[i] ?? '').toLowerCase(), 'latin1'), Buffer.from(raw[i + 1] ?? '', 'latin1')]);
  }
  return headers;
}

/** The subprotocols the client offered, in its order (`Sec-WebSocket-Protocol`, repeats joined). */
function offeredSubprotocols(req: IncomingMessage): string[] {
  const offered = req.headersDistinct['sec-websocket-protocol'] ?? [];
  return offered.flatMap((line) => line.split(',')).map((token) => token.trim()).filter((token) => token !== '');
}

/**
 * wss when the connection is TLS, or when a trusted proxy says its client used TLS through one of
 * `secure_scheme_headers` (core has already removed those headers from untrusted peers, and refused
 * a request whose scheme headers disagree).
 */
function isSecure(req: IncomingMessage, settings: Readonly<Settings>): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted === true) return true;
  return Object.entries(settings.secureSchemeHeaders).some(
    ([name, value]) => req.headers[name.toLowerCase()]?.toString().toLowerCase() === value.toLowerCase(),
  );
}

/**
 * The client as the nearest trusted proxy reports it (the last `X-Forwarded-For` hop, port 0 as
 * Uvicorn reports it), else the connection's peer (which the PROXY protocol may have declared).
 */
function clientOf(req: IncomingMessage): readonly [string, number] | null {
  const forwarded = req.headers['x-forwarded-for'];
  const lastHop = typeof forwarded === 'string' ? forwarded.split(',').at(-1)?.trim() : undefined;
  if (lastHop) return [lastHop, 0];
  const { remoteAddress, remotePort } = req.socket;
  return remoteAddress === undefined ? null : [remoteAddress, remotePort ?? 0];
}

function serverOf(req: IncomingMessage): readonly [string, number | null] | null {
  const { localAddress, localPort } = req.socket;
  return localAddress === undefined ? null : [localAddress, localPort ?? null];
}
