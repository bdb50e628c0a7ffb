// The PROXY step on real sockets in this process, with node:http behind it: the bytes after the
// header reach node:http (plain) or TLS, the declared peer is what a request sees, and every refusal
// closes the connection. Pins the node behaviours the step relies on (unshift, resume, TLSSocket).
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { tempDir } from '@gu/testkit';
import type { Logger } from '../../../src/logging/logger.js';
import { peerTrust } from '../../../src/http/peer-trust.js';
import { declarePeer, peerGettersShadowable } from '../../../src/http/proxy-protocol/declared-peer.js';
import { readProxyHeader } from '../../../src/http/proxy-protocol/read-header.js';
import { emitAfterHeader } from '../../../src/http/proxy-protocol/proxy-step.js';
import type { ProxyProtocolMode } from '../../../src/settings/http-value-kinds.js';
import { bodies, byteByByte, exchange, proxyV1, proxyV2, tlsAfterHeader } from '../../support/proxy-protocol.js';
import { selfSigned } from '../../support/tls-certs.js';

interface Front {
  port: number;
  warnings: string[];
  debugs: string[];
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function recordingLog(warnings: string[], debugs: string[]): Logger {
  const ignore = (): void => undefined;
  return { debug: (m) => debugs.push(m), info: ignore, warning: (m) => warnings.push(m), error: ignore, critical: ignore, exception: ignore, reopen: ignore, close: () => Promise.resolve() };
}

/** A front as HttpFront builds it: the step, then TLS if `secureContext`, then node:http. */
async function startFront(options: { mode?: ProxyProtocolMode; allow?: string[]; timeoutMs?: number; secureContext?: tls.SecureContext } = {}): Promise<Front> {
  const warnings: string[] = [];
  const debugs: string[] = [];
  const server = http.createServer((req, res) => {
    const { remoteAddress, remotePort, remoteFamily } = req.socket;
    res.end(JSON.stringify({ url: req.url, remoteAddress, remotePort, remoteFamily, encrypted: 'encrypted' in req.socket }));
  });
  server.emit('listening');
  const reading = { mode: options.mode ?? 'auto', allowed: peerTrust(options.allow ?? ['127.0.0.1']), timeoutMs: options.timeoutMs ?? 2000, log: recordingLog(warnings, debugs) };
  const acceptor = net.createServer((accepted) => {
    readProxyHeader(accepted, reading, (header) => {
      const served = options.secureContext ? new tls.TLSSocket(accepted, { isServer: true, secureContext: options.secureContext }) : accepted;
      if (header?.kind === 'proxied') declarePeer(served, header);
      emitAfterHeader(server, accepted, served);
    });
  });
  await new Promise<void>((resolve) => acceptor.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    acceptor.close();
    server.closeAllConnections();
  });
  return { port: (acceptor.address() as net.AddressInfo).port, warnings, debugs };
}

const GET = (path: string, close = true): string => `GET ${path} HTTP/1.1\r\nHost: t\r\n${close ? 'Connection: close\r\n' : ''}\r\n`;

describe('the PROXY step before node:http', () => {
  it('lets node:http read the bytes that came with the header, and later ones on the same connection', async () => {
    const { port } = await startFront();
    const text = await exchange(port, [proxyV1('203.0.113.9', 4242) + GET('/a', false), GET('/b')]);
    expect(bodies(text)).toEqual([
      { url: '/a', remoteAddress: '203.0.113.9', remotePort: 4242, remoteFamily: 'IPv4', encrypted: false },
      { url: '/b', remoteAddress: '203.0.113.9', remotePort: 4242, remoteFamily: 'IPv4', encrypted: false },
    ]);
  });

  it('reads a header and request sent byte by byte, v1 and v2', async () => {
    const { port } = await startFront();
    const v1 = Buffer.from(proxyV1('2001:db8::7', 1) + GET('/v1'), 'latin1');
    expect(bodies(await exchange(port, byteByByte(v1)))).toMatchObject([{ url: '/v1', remoteAddress: '2001:db8::7', remoteFamily: 'IPv6' }]);
    const v2 = Buffer.concat([proxyV2({ source: '198.51.100.4', sourcePort: 65000 }), Buffer.from(GET('/v2'), 'latin1')]);
    expect(bodies(await exchange(port, byteByByte(v2)))).toMatchObject([{ url: '/v2', remoteAddress: '198.51.100.4', remotePort: 65000 }]);
  });

  it('serves a connection without a header as it is, with its real peer', async () => {
    const { port } = await startFront();
    expect(bodies(await exchange(port, [GET('/plain')]))).toMatchObject([{ url: '/plain', remoteAddress: '127.0.0.1' }]);
    expect(bodies(await exchange(port, ['P', 'OST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n']))).toMatchObject([{ url: '/p' }]);
  });

  it('keeps the real peer for LOCAL and UNKNOWN', async () => {
    const { port } = await startFront();
    expect(bodies(await exchange(port, [proxyV2({ command: 'LOCAL' }), GET('/local')]))).toMatchObject([{ remoteAddress: '127.0.0.1' }]);
    expect(bodies(await exchange(port, ['PROXY UNKNOWN\r\n' + GET('/unknown')]))).toMatchObject([{ remoteAddress: '127.0.0.1' }]);
  });

  it('closes, with a warning, a header from a peer not allowed and a malformed header', async () => {
    const notAllowed = await startFront({ allow: ['10.0.0.1'] });
    expect(await exchange(notAllowed.port, [proxyV1('203.0.113.9', 1) + GET('/')])).toBe('');
    expect(notAllowed.warnings).toEqual(['Closing the connection from 127.0.0.1: a PROXY protocol header from a peer not in proxy_allow_ips']);
    const front = await startFront();
    expect(await exchange(front.port, ['PROXY TCP4 203.0.113.9 127.0.0.1 99999 80\r\n' + GET('/')])).toBe('');
    expect(front.warnings).toEqual([expect.stringMatching(/^Closing the connection from 127\.0\.0\.1: invalid PROXY protocol header: bad port/)]);
  });

  it('closes a connection whose header does not come within the deadline', async () => {
    const front = await startFront({ timeoutMs: 200 });
    const started = performance.now();
    expect(await exchange(front.port, ['PROXY TCP4 '])).toBe('');
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(await exchange(front.port, [])).toBe('');
    expect(front.debugs).toEqual([
      expect.stringMatching(/the PROXY protocol header still incomplete 200 ms after the accept$/),
      expect.stringMatching(/nothing received 200 ms after the accept$/),
    ]);
  });

  it('hands the bytes after the header to TLS: the header precedes the handshake', async () => {
    const dir = tempDir('gu-proxy-tls-');
    const cert = selfSigned(dir, 'server', 'localhost');
    const secureContext = tls.createSecureContext({ cert: readFileSync(cert.cert), key: readFileSync(cert.key) });
    const { port } = await startFront({ secureContext });
    for (const header of [proxyV1('192.0.2.77', 7), proxyV2({ source: '192.0.2.77', sourcePort: 7 })]) {
      const text = await tlsAfterHeader(port, header, GET('/tls'));
      expect(bodies(text)).toEqual([{ url: '/tls', remoteAddress: '192.0.2.77', remotePort: 7, remoteFamily: 'IPv4', encrypted: true }]);
    }
  });
});

describe('declaring a socket peer (node internals)', () => {
  it('finds the peer getters on net.Socket.prototype, where an own property shadows them', () => {
    expect(peerGettersShadowable()).toBe(true);
  });

  it('changes only the socket declared, and only its peer', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const accepted: Socket[] = [];
    server.on('connection', (socket: Socket) => accepted.push(socket));
    const { port } = server.address() as net.AddressInfo;
    const clients = [net.connect(port, '127.0.0.1'), net.connect(port, '127.0.0.1')];
    await new Promise<void>((resolve) => { const check = (): void => { if (accepted.length === 2) resolve(); else setTimeout(check, 5); }; check(); });
    const [declared, other] = accepted as [Socket, Socket];
    declarePeer(declared, { kind: 'proxied', family: 'IPv6', sourceAddress: '2001:db8::1', sourcePort: 1, destinationAddress: '::1', destinationPort: 2 });
    expect([declared.remoteAddress, declared.remotePort, declared.remoteFamily]).toEqual(['2001:db8::1', 1, 'IPv6']);
    expect(other.remoteAddress).toBe('127.0.0.1');
    expect(declared.address()).toMatchObject({ address: '127.0.0.1', port });
    for (const client of clients) client.destroy();
    for (const socket of accepted) socket.destroy();
  });
});
