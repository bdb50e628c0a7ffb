// deploy/nginx/: the shipped site configs in front of gu, run by the real nginx (Debian's, which
// .ci/run installs) with their /run/gu/ paths and listen ports swapped for the test's, and gu run
// with the command each file documents. The clients connect from 127.0.0.2, so an address the app
// reports is the client's; a forged header or a connection that bypasses nginx must not change it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, findNginx, guCommand, httpTempPaths, startGu, startNginx, tempDir, type GuProcess, type RunningNginx } from '@gu/testkit';
import { documentedGuArgs, withWorkers } from './support/recipe-command.js';
import { appDir, recipe } from './support/recipes.js';

const CLIENT = '127.0.0.2';
const FORGED = '203.0.113.9';
const nginx = findNginx();
const skipReason = typeof nginx === 'string' ? nginx : nginx.streamModule === null ? 'nginx has no stream module (Debian: libnginx-mod-stream)' : null;
const httpConf = recipe('nginx', 'gu-http.conf');
const streamConf = recipe('nginx', 'gu-stream.conf');

interface Seen { status: number; remoteAddress: string | null; remotePort: number | null; forwardedFor: string | null; forwardedProto: string | null }

/** The recipe file with its /run/gu/ paths in `dir`. */
const localized = (text: string, dir: string): string => text.replaceAll('/run/gu/', `${dir}/`);

/** A GET from CLIENT, with `headers`; resolves with the status and what the app saw. */
function get(target: { port: number } | { socketPath: string }, headers: Record<string, string> = {}): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const where = 'port' in target ? { host: '127.0.0.1', port: target.port, localAddress: CLIENT } : target;
    http.get({ ...where, path: '/', headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
        const seen = (res.statusCode === 200 ? JSON.parse(body) : {}) as Omit<Seen, 'status'>;
        resolve({ ...seen, status: res.statusCode ?? 0 });
      });
    }).on('error', reject);
  });
}

/** Raw bytes from CLIENT to `port`; resolves with all the answer once the peer closes. */
function exchange(port: number, bytes: string, onConnect?: (socket: net.Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: CLIENT }, () => {
      onConnect?.(socket);
      socket.write(bytes);
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1'))).on('close', () => resolve(answer)).on('error', reject);
  });
}

const NOBODY = 65534;

/** The error a process of `uid` and `gid` gets connecting to `path`, or 'connected'. */
function connectAs(uid: number, gid: number, path: string): string {
  const script = `require('net').connect(${JSON.stringify(path)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); })`;
  return spawnSync(guCommand[0] ?? process.execPath, ['-e', script], { uid, gid, encoding: 'utf8', timeout: 10_000 }).stdout.trim();
}

describe.skipIf(skipReason !== null)(`deploy/nginx over unix sockets${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dir = '';
  let proxy: RunningNginx | undefined;
  let ports: Record<string, number> = {};

  beforeAll(async () => {
    if (typeof nginx === 'string') return;
    dir = tempDir('gu-nginx-recipe-');
    // Traversable by anyone, so that only the sockets' own modes decide who may connect.
    chmodSync(dir, 0o755);
    await Promise.all([httpConf, streamConf].map((conf) => startGu(localized(withWorkers(documentedGuArgs(conf), 1).join('\n'), dir).split('\n'), { cwd: appDir })));
    proxy = await startNginx(nginx, dir, ['http', 'stream'], (p) => `
http {
  access_log off;
  ${httpTempPaths(dir)}
  ${localized(readFileSync(httpConf, 'utf8'), dir).replace(/^(\s*)listen 80;/m, `$1listen 127.0.0.1:${p.http};`)}
}
stream {
  ${localized(readFileSync(streamConf, 'utf8'), dir).replace(/^(\s*)listen 8080;/m, `$1listen 127.0.0.1:${p.stream};`)}
}`, true);
    ports = proxy.ports;
  });

  afterAll(cleanUp);

  it('http proxy: the app gets the client in X-Forwarded-For, not the one the client forged', async () => {
    const seen = await get({ port: ports.http ?? 0 }, { 'X-Forwarded-For': FORGED });
    expect(seen).toMatchObject({ status: 200, remoteAddress: null, forwardedFor: CLIENT, forwardedProto: 'http' });
  });

  it('stream proxy with proxy_protocol on: the app sees the client address and source port', async () => {
    let clientPort = 0;
    const answer = await exchange(ports.stream ?? 0, 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', (socket) => (clientPort = socket.localPort ?? 0));
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ remoteAddress: CLIENT, remotePort: clientPort });
  });

  it('stream proxy: a PROXY header the client sends itself is not believed', async () => {
    const answer = await exchange(ports.stream ?? 0, `PROXY TCP4 ${FORGED} 127.0.0.1 1234 80\r\nGET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
    expect(answer).not.toContain(FORGED);
    expect(answer).not.toMatch(/^HTTP\/1\.1 200 /);
  });

  it.skipIf(process.getuid?.() !== 0)('--umask 007: a user in gu\'s group (nginx\'s) may connect, any other local user cannot bypass nginx', () => {
    for (const socket of ['gu.sock', 'gu-proxy.sock']) {
      const path = join(dir, socket);
      const group = statSync(path).gid;
      expect(connectAs(NOBODY, group, path)).toBe('connected');
      expect(connectAs(NOBODY, NOBODY, path)).toBe('EACCES');
    }
  });

  it('nginx logged no upstream error', () => {
    expect(proxy?.errorLog() ?? '').not.toMatch(/\[(error|crit|alert|emerg)\]/);
  });
});

describe.skipIf(skipReason !== null)(`deploy/nginx/gu-http.conf over TCP, gu trusting nginx's address only${skipReason ? ' (skipped)' : ''}`, () => {
  let gu: GuProcess;
  let proxy: RunningNginx | undefined;

  beforeAll(async () => {
    if (typeof nginx === 'string') return;
    const dir = tempDir('gu-nginx-tcp-');
    // nginx reaches gu from 127.0.0.1 here: the address of the nginx host in --forwarded-allow-ips.
    gu = await startGu(['app.js', '--workers', '1', '--bind', '127.0.0.1:0', '--forwarded-allow-ips', '127.0.0.1'], { cwd: appDir });
    const upstream = new URL(gu.url).host;
    proxy = await startNginx(nginx, dir, ['http'], (p) => `
http {
  access_log off;
  ${httpTempPaths(dir)}
  ${readFileSync(httpConf, 'utf8').replace(/server unix:\/run\/gu\/gu\.sock/, `server ${upstream}`).replace(/^(\s*)listen 80;/m, `$1listen 127.0.0.1:${p.http};`)}
}`);
  });

  afterAll(cleanUp);

  it('through nginx the app gets the client; straight to gu, a forged X-Forwarded-For is removed', async () => {
    expect(await get({ port: proxy?.ports.http ?? 0 }, { 'X-Forwarded-For': FORGED })).toMatchObject({ status: 200, forwardedFor: CLIENT });
    const direct = await get({ port: Number(new URL(gu.url).port) }, { 'X-Forwarded-For': FORGED, 'X-Forwarded-Proto': 'https' });
    expect(direct).toMatchObject({ status: 200, remoteAddress: CLIENT, forwardedFor: null, forwardedProto: null });
  });
});
