import { Socket } from 'node:net';
import type { ProxyHeader } from './header.js';

/**
 * The peer getters node:net defines on Socket.prototype (they read `_getpeername()`, cached from
 * the handle). A TLSSocket inherits them. An own property of the same name on one socket shadows
 * them for that socket only: node:http, the access log, `forwarded_allow_ips` and Express's
 * `req.ip` all read these getters. Pinned in test/http/proxy-protocol/hand-over.test.ts.
 */
const PEER_GETTERS = ['remoteAddress', 'remotePort', 'remoteFamily'] as const;

/** Whether node:net still has the shape this module relies on: each getter an accessor on the prototype. */
export function peerGettersShadowable(): boolean {
  return PEER_GETTERS.every((name) => {
    const descriptor = Object.getOwnPropertyDescriptor(Socket.prototype, name);
    return typeof descriptor?.get === 'function' && descriptor.set === undefined;
  });
}

/** Throws, naming the setting, where this Node no longer lets a socket's peer be declared. */
export function assertPeerGettersShadowable(): void {
  if (!peerGettersShadowable()) {
    throw new Error(`proxy_protocol: this Node (${process.version}) no longer defines ${PEER_GETTERS.join(', ')} as getters on net.Socket.prototype; gu cannot declare the client address`);
  }
}

/** Makes `socket` report the client a PROXY header declared, instead of the proxy it is connected to. */
export function declarePeer(socket: Socket, header: Extract<ProxyHeader, { kind: 'proxied' }>): void {
  const values = { remoteAddress: header.sourceAddress, remotePort: header.sourcePort, remoteFamily: header.family };
  for (const name of PEER_GETTERS) {
    Object.defineProperty(socket, name, { value: values[name], configurable: true, enumerable: false, writable: false });
  }
}
