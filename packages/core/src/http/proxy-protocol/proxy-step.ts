import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../../logging/logger.js';
import type { Settings } from '../../settings/types.js';
import { peerTrust } from '../peer-trust.js';
import { assertPeerGettersShadowable } from './declared-peer.js';
import type { ProxyHeader } from './header.js';
import { readProxyHeader } from './read-header.js';

/**
 * How long a new connection has to deliver its PROXY header (or its first plain bytes, which say it
 * has none). A proxy writes the header as soon as it connects, so this is short. The request head's
 * deadline (client_header_timeout, client-deadlines.ts) also runs from the accept, not from here.
 */
export const PROXY_HEADER_TIMEOUT_MS = 5000;

/** Reads a connection's PROXY header, then calls `next` with it (or null) unless the connection was closed. */
export type ProxyStep = (socket: Socket, next: (header: ProxyHeader | null) => void) => void;

/** The step for this worker's front, or null when `proxy_protocol` is off. */
export function createProxyStep(settings: Pick<Settings, 'proxyProtocol' | 'proxyAllowIps'>, log: Logger): ProxyStep | null {
  const mode = settings.proxyProtocol;
  if (mode === 'off') return null;
  assertPeerGettersShadowable();
  const reading = { mode, allowed: peerTrust(settings.proxyAllowIps), timeoutMs: PROXY_HEADER_TIMEOUT_MS, log };
  return (socket, next) => {
    readProxyHeader(socket, reading, next);
  };
}

/**
 * Hands a connection whose PROXY header was read to node:http: `served` is `accepted` itself or the
 * TLSSocket over it. The step paused `accepted` to put back the bytes after the header; node:http
 * reads a plain socket only once it flows again, while a TLSSocket reads the bytes put back on its
 * own, and resuming the socket under it would hand them to nobody. Pinned in
 * test/http/proxy-protocol/hand-over.test.ts.
 */
export function emitAfterHeader(server: Server, accepted: Socket, served: Socket): void {
  server.emit('connection', served);
  if (served === accepted) accepted.resume();
}
