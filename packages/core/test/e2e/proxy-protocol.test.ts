// PROXY protocol (proxy_protocol, proxy_allow_ips) on the real gu binary, clients on raw sockets: the
// declared client is what the app and the access log see; refusals close the connection with a log
// line; the header precedes TLS. The nginx-in-front cases are in nginx.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu, tempDir, type GuProcess } from '@gu/testkit';
import { bodies, byteByByte, exchange, proxyV1, proxyV2, tlsAfterHeader } from '../support/proxy-protocol.js';
import { selfSigned } from '../support/tls-certs.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'peer-app.mjs');
const worker = join(fixtures, 'minimal-worker.mjs');

afterEach(cleanUp);

function startProxied(flags: string[]): Promise<GuProcess> {
  return startGu([app, '-k', worker, '-w', '1', '-b', '127.0.0.1:0', ...flags]);
}

function portOf(gu: GuProcess): number {
  return Number(new URL(gu.url).port);
}

const GET = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: t\r\n${extra}Connection: close\r\n\r\n`;

describe('proxy_protocol', () => {
  it('v1: the app and the access log see the client the header declares', async () => {
    const gu = await startProxied(['--proxy-protocol', 'v1', '--access-logfile', '-']);
    const [seen] = bodies(await exchange(portOf(gu), [proxyV1('203.0.113.9', 51234) + GET('/v1')]));
    expect(seen).toMatchObject({ remoteAddress: '203.0.113.9', remotePort: 51234, remoteFamily: 'IPv4', ip: '203.0.113.9' });
    await gu.waitForLog(/"GET \/v1 HTTP\/1\.1" 200/);
    expect(gu.stdout).toMatch(/^203\.0\.113\.9 - - \[.*"GET \/v1 HTTP\/1\.1" 200/m);
  });

  it('v2 sent byte by byte, IPv6 with TLVs: the app sees the declared client', async () => {
    const gu = await startProxied(['--proxy-protocol', 'v2']);
    const header = proxyV2({ source: '2001:db8::42', sourcePort: 4000, tlvs: [{ type: 0x02, value: Buffer.from('example.com') }] });
    const [seen] = bodies(await exchange(portOf(gu), byteByByte(Buffer.concat([header, Buffer.from(GET('/v2'))]))));
    expect(seen).toMatchObject({ remoteAddress: '2001:db8::42', remotePort: 4000, remoteFamily: 'IPv6' });
  });

  it('auto: reads either version, and serves a request without a header with its real peer', async () => {
    const gu = await startProxied(['--proxy-protocol', 'auto']);
    const port = portOf(gu);
    expect(bodies(await exchange(port, [proxyV1('192.0.2.1', 1) + GET('/a')]))).toMatchObject([{ remoteAddress: '192.0.2.1' }]);
    expect(bodies(await exchange(port, [proxyV2({ source: '192.0.2.2' }), GET('/b')]))).toMatchObject([{ remoteAddress: '192.0.2.2' }]);
    expect(JSON.parse((await httpGet(`${gu.url}/plain`)).body)).toMatchObject({ remoteAddress: '127.0.0.1' });
  });

  it('closes a header from a peer not in proxy_allow_ips, with a log line, and goes on serving', async () => {
    const gu = await startProxied(['--proxy-protocol', 'auto', '--proxy-allow-from', '10.0.0.0/8']);
    expect(await exchange(portOf(gu), [proxyV1('203.0.113.9', 1) + GET('/')])).toBe('');
    await gu.waitForLog(/\[WARNING\] Closing the connection from 127\.0\.0\.1: a PROXY protocol header from a peer not in proxy_allow_ips/);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
  });

  it('closes a malformed header with a log line; the worker lives on', async () => {
    const gu = await startProxied(['--proxy-protocol', 'v1']);
    expect(await exchange(portOf(gu), ['PROXY TCP4 203.0.113.9 127.0.0.1 65iii 80\r\n' + GET('/')])).toBe('');
    await gu.waitForLog(/\[WARNING\] Closing the connection from 127\.0\.0\.1: invalid PROXY protocol header: bad port/);
    const seen = JSON.parse((await httpGet(`${gu.url}/`)).body) as { pid: number };
    expect(seen.pid).toBe(gu.workerPids[0]);
  });

  it('checks forwarded_allow_ips against the declared client: a client behind a TCP proxy cannot forge X-Forwarded-*', async () => {
    const gu = await startProxied(['--proxy-protocol', 'v1']);
    const forged = 'X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-Proto: https\r\n';
    const [fromClient] = bodies(await exchange(portOf(gu), [proxyV1('203.0.113.9', 1) + GET('/', forged)]));
    expect(fromClient).toMatchObject({ remoteAddress: '203.0.113.9', forwardedFor: null, forwardedProto: null, ip: '203.0.113.9', protocol: 'http' });
    const [fromLocal] = bodies(await exchange(portOf(gu), [proxyV1('127.0.0.1', 1) + GET('/', forged)]));
    expect(fromLocal).toMatchObject({ forwardedFor: '198.51.100.1', forwardedProto: 'https' });
  });

  it('with certfile: the PROXY header comes first, in clear, then the TLS handshake', async () => {
    const dir = tempDir('gu-proxy-tls-');
    copyFileSync(app, join(dir, 'app.mjs'));
    const cert = selfSigned(dir, 'server', 'localhost');
    const gu = await startGu(['app.mjs', '-k', worker, '-w', '1', '-b', '127.0.0.1:0', '--certfile', cert.cert, '--keyfile', cert.key, '--proxy-protocol', 'v2'], { cwd: dir });
    const text = await tlsAfterHeader(portOf(gu), proxyV2({ source: '192.0.2.55', sourcePort: 555 }), GET('/tls'));
    expect(bodies(text)).toMatchObject([{ remoteAddress: '192.0.2.55', remotePort: 555, encrypted: true, protocol: 'https' }]);
  });

  it('off (the default) reads no header: the PROXY line reaches node:http, which answers 400, and the app is not called', async () => {
    const gu = await startProxied([]);
    const text = await exchange(portOf(gu), [proxyV1('203.0.113.9', 1) + GET('/')]);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).not.toContain('remoteAddress');
  });

  it('client_header_timeout runs from the accept: a proxy slow with its header gives the client no extra time', async () => {
    const gu = await startProxied(['--proxy-protocol', 'v1', '--client-header-timeout', '1']);
    const socket = net.connect(portOf(gu), '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
    const askedAt = performance.now();
    // The header after 900 ms, then a head that never ends: from the header, the deadline would fall at 1.9 s.
    await new Promise((resolve) => setTimeout(resolve, 900));
    socket.write(`${proxyV1('203.0.113.9', 1)}GET / HTTP/1.1\r\nHost: t\r\n`);
    const closedAfter = (await closed) - askedAt;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfter).toBeGreaterThan(950);
    expect(closedAfter).toBeLessThan(1800);
  });

  it('refuses a value it does not know, naming the setting, before binding', async () => {
    const result = await runGu([app, '-b', '127.0.0.1:0', '--proxy-protocol', 'v3']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/proxy_protocol.*v3.*off, v1, v2 or auto/);
  });
});
