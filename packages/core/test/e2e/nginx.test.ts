// A real nginx in front of gu, as deployed: (1) nginx's http proxy over a unix socket, with
// X-Forwarded-For/-Proto, plain and TLS-terminating; (2) nginx's stream proxy over TCP with
// `proxy_protocol on` (nginx sends PROXY v1 only: no nginx release sends v2 upstream), to plain gu
// and to gu with certfile, nginx passing the client's TLS through. The app must see the original
// client (address and source port) and scheme. nginx comes from Debian's packages, which .ci/run
// installs when missing; without it this file skips, saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { join } from 'node:path';
import { cleanUp, findNginx, httpTempPaths, startGu, startNginx, tempDir, type GuProcess, type RunningNginx } from '@gu/testkit';
import { bodies } from '../support/proxy-protocol.js';
import { selfSigned } from '../support/tls-certs.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const worker = join(fixtures, 'minimal-worker.mjs');
const nginx = findNginx();
const skipReason = typeof nginx === 'string' ? nginx : nginx.streamModule === null ? 'nginx has no stream module (Debian: libnginx-mod-stream)' : null;

/**
 * The clients connect from 127.0.0.2 (any 127.x address is the loopback on Linux) and nginx connects
 * to gu from 127.0.0.1: an address the app reports is thereby the client's, not nginx's.
 */
const CLIENT = '127.0.0.2';

interface Seen {
  remoteAddress: string | null;
  remotePort: number | null;
  encrypted: boolean;
  forwardedFor: string | null;
  forwardedProto: string | null;
  ip: string;
  protocol: string;
}

/** A GET over `socket` (plain or TLS, already connected); resolves with what the app saw. */
async function getOver(socket: net.Socket, path: string): Promise<Seen> {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
  await closed;
  const [seen] = bodies(text);
  if (!seen) throw new Error(`no answer from the app: ${text}`);
  return seen as unknown as Seen;
}

function getPlain(port: number, path: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', localAddress: CLIENT, port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => { resolve(JSON.parse(body) as Seen); });
    }).on('error', reject);
  });
}

function getTls(port: number, path: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', localAddress: CLIENT, port, path, agent: false, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => { resolve(JSON.parse(body) as Seen); });
    }).on('error', reject);
  });
}

describe.skipIf(skipReason !== null)(`nginx in front of gu${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let proxy: RunningNginx | undefined;
  let plainGu: GuProcess;
  let tlsGu: GuProcess;
  let ports: Record<string, number> = {};

  beforeAll(async () => {
    if (typeof nginx === 'string') return;
    const dir = tempDir('gu-nginx-');
    copyFileSync(join(fixtures, 'peer-app.mjs'), join(dir, 'app.mjs'));
    const cert = selfSigned(dir, 'server', 'localhost');
    const socketPath = join(dir, 'gu.sock');
    const app = ['app.mjs', '-k', worker, '-w', '1'];
    plainGu = await startGu([...app, '-b', `unix:${socketPath}`, '-b', '127.0.0.1:0', '--proxy-protocol', 'v1'], { cwd: dir });
    tlsGu = await startGu([...app, '-b', '127.0.0.1:0', '--proxy-protocol', 'v1', '--certfile', cert.cert, '--keyfile', cert.key], { cwd: dir });
    /** The gu process's TCP listener as nginx names an upstream (its first listener may be a unix socket). */
    const upstream = (gu: GuProcess): string => new URL(gu.addresses.find((address) => /^https?:/.test(address)) ?? '').host;
    proxy = await startNginx(nginx, dir, ['http', 'https', 'stream', 'streamTls'], (p) => `
http {
  access_log off;
  ${httpTempPaths(dir)}
  server {
    listen 127.0.0.1:${p.http};
    listen 127.0.0.1:${p.https} ssl;
    ssl_certificate ${cert.cert};
    ssl_certificate_key ${cert.key};
    location / {
      proxy_pass http://unix:${socketPath}:;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
stream {
  server {
    listen 127.0.0.1:${p.stream};
    proxy_pass ${upstream(plainGu)};
    proxy_protocol on;
  }
  server {
    listen 127.0.0.1:${p.streamTls};
    proxy_pass ${upstream(tlsGu)};
    proxy_protocol on;
  }
}`, true);
    ports = proxy.ports;
  });

  afterAll(async () => {
    await proxy?.stop();
    await cleanUp();
  });

  it('http proxy to a unix socket: the app gets the forwarded client and scheme from a trusted (unix) peer', async () => {
    const plain = await getPlain(ports.http ?? 0, '/http');
    expect(plain).toMatchObject({ remoteAddress: null, forwardedFor: CLIENT, forwardedProto: 'http', ip: CLIENT, protocol: 'http' });
    const secure = await getTls(ports.https ?? 0, '/https');
    expect(secure).toMatchObject({ remoteAddress: null, encrypted: false, forwardedFor: CLIENT, forwardedProto: 'https', ip: CLIENT, protocol: 'https' });
  });

  it('stream proxy with proxy_protocol on: the app sees the client address and its source port, not nginx\'s', async () => {
    const client = net.connect({ port: ports.stream ?? 0, host: '127.0.0.1', localAddress: CLIENT });
    await new Promise<void>((resolve) => client.once('connect', resolve));
    const clientPort = client.localPort;
    const seen = await getOver(client, '/stream');
    expect(seen).toMatchObject({ remoteAddress: CLIENT, remotePort: clientPort, encrypted: false, ip: CLIENT, protocol: 'http' });
  });

  it('stream proxy passing TLS through: the PROXY header precedes the handshake, the app sees https and the client', async () => {
    const raw = net.connect({ port: ports.streamTls ?? 0, host: '127.0.0.1', localAddress: CLIENT });
    await new Promise<void>((resolve) => raw.once('connect', resolve));
    const clientPort = raw.localPort;
    const client = tls.connect({ socket: raw, rejectUnauthorized: false });
    await new Promise<void>((resolve) => client.once('secureConnect', resolve));
    const seen = await getOver(client, '/stream-tls');
    expect(seen).toMatchObject({ remoteAddress: CLIENT, remotePort: clientPort, encrypted: true, ip: CLIENT, protocol: 'https' });
  });

  it('nginx logged no upstream error', () => {
    expect(proxy?.errorLog() ?? '').not.toMatch(/\[(error|crit|alert|emerg)\]/);
  });
});
