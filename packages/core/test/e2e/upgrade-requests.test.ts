// Upgrade requests through core's HTTP front (HttpFrontOptions.upgrade, onDrain, the stop's cause),
// on the real gu binary with a worker class that echoes upgraded connections, and raw `net` clients.
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, startGu, tempDir, type GuProcess } from '@gu/testkit';
import { sendRaw } from '../support/raw-http.js';
import { isRunning, until } from './processes.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const upgradeWorker = join(fixtures, 'upgrade-worker.mjs');

afterEach(cleanUp);

function startWith(args: string[], worker = upgradeWorker): Promise<GuProcess> {
  return startGu([app, '-w', '1', '-b', '127.0.0.1:0', '-k', worker, ...args]);
}

const upgradeHead = (target: string, extra: readonly string[] = []): string =>
  [`GET ${target} HTTP/1.1`, 'Host: t', 'Connection: Upgrade', 'Upgrade: echo', ...extra, '', ''].join('\r\n');

/** A raw client: everything it has read so far, and a way to wait for some of it. */
class RawClient {
  text = '';
  readonly socket: net.Socket;
  readonly closed: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.socket = net.connect(Number(port), hostname);
    this.socket.on('error', () => undefined);
    this.socket.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('latin1');
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => this.socket.once('close', () => {
      resolve();
      for (const wake of this.waiters.splice(0)) wake();
    }));
  }

  /** Resolves once what was read contains `part`; rejects if the connection closes first. */
  async waitFor(part: string, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!this.text.includes(part)) {
      if (this.socket.destroyed) throw new Error(`closed before ${JSON.stringify(part)}; read ${JSON.stringify(this.text)}`);
      if (performance.now() > deadline) throw new Error(`no ${JSON.stringify(part)} within ${timeoutMs} ms; read ${JSON.stringify(this.text)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

/** An upgraded connection: the 101 and the echo of the bytes sent with the head have arrived. */
async function upgraded(url: string, target = '/ws'): Promise<RawClient> {
  const client = new RawClient(url);
  client.socket.write(upgradeHead(target) + 'first');
  await client.waitFor('HTTP/1.1 101 Switching Protocols\r\n');
  await client.waitFor('first');
  return client;
}

describe('upgrade requests', () => {
  it('reach the upgrade handler with the bytes sent after the head, and the connection then echoes', async () => {
    const gu = await startWith([]);
    const client = await upgraded(gu.url, '/chat?room=1');
    expect(client.text).toContain('url:/chat?room=1\n');
    client.socket.write('ping');
    await client.waitFor('firstping');
    client.socket.end();
    await client.closed;
  });

  it('a bad upgrade head (two Host headers) gets 400 and never reaches the handler', async () => {
    const gu = await startWith([]);
    const answer = await sendRaw(gu.url, upgradeHead('/ws', ['Host: other']) + 'first');
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer.text).not.toContain('url:');
    expect(answer.text).not.toContain('first');
  });

  it('a head over limit_request_field_size gets 431 from the gate', async () => {
    const gu = await startWith(['--limit-request-field_size', '100']);
    const answer = await sendRaw(gu.url, upgradeHead('/ws', [`X-Big: ${'a'.repeat(200)}`]));
    expect(answer.status).toBe(431);
    expect(answer.text).not.toContain('url:');
  });

  it('an upgraded connection outlives client_header_timeout', async () => {
    const gu = await startWith(['--client-header-timeout', '1']);
    const client = await upgraded(gu.url);
    const openedAt = performance.now();
    while (performance.now() - openedAt < 2500) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(client.socket.destroyed).toBe(false);
    }
    expect(client.text).not.toContain('408');
    client.socket.write('still');
    await client.waitFor('firststill');
    client.socket.end();
  });

  it('is access-logged with status 101, and a refused one with its status', async () => {
    const accesslog = join(tempDir('gu-upgrade-log-'), 'access.log');
    const gu = await startWith(['--access-logfile', accesslog]);
    const client = await upgraded(gu.url, '/ws/log');
    client.socket.end();
    await client.closed;
    await sendRaw(gu.url, upgradeHead('/ws/bad', ['Host: other']));
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    const lines = readFileSync(accesslog, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/"GET \/ws\/log HTTP\/1\.1" 101 /);
    expect(lines[1]).toMatch(/"GET \/ws\/bad HTTP\/1\.1" 400 /);
  });

  it('counts for max_requests', async () => {
    const gu = await startWith(['--max-requests', '2']);
    const [first] = gu.workerPids;
    const one = await upgraded(gu.url);
    one.socket.end();
    await one.closed;
    expect(gu.matches(/Autorestarting worker/)).toHaveLength(0);
    const two = await upgraded(gu.url);
    await gu.waitForLog(/Autorestarting worker after current request\./);
    // The second upgrade is served (not refused as the stop it starts drains) and told to go.
    await gu.waitForLog(/onDrain cause=recycle stopCause=recycle open=\d/);
    await two.waitFor('bye:recycle\n');
    two.socket.end();
    await until(() => first !== undefined && !isRunning(first), 'the recycled worker to exit', 10_000);
  });

  it('without an upgrade option, an Upgrade request is an ordinary request for the app (pinned)', async () => {
    const gu = await startWith([], join(fixtures, 'direct-worker.mjs'));
    const pid = String(gu.workerPids[0]);
    // node:http hands it to the request handler, and the connection stays HTTP/1.1 keep-alive.
    const client = new RawClient(gu.url);
    client.socket.write(upgradeHead('/ws'));
    await client.waitFor(pid);
    expect(client.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(client.text).toContain('Connection: keep-alive\r\n');
    client.socket.write('GET /next HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    await client.closed;
    expect(client.text.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(2);
  });

  it('upgradeProtocols: an offer of another protocol (h2c) is an ordinary request on a keep-alive connection', async () => {
    const gu = await startWith([]);
    const pid = String(gu.workerPids[0]);
    const client = new RawClient(gu.url);
    // curl --http2's offer on an http:// URL.
    client.socket.write(['GET /plain HTTP/1.1', 'Host: t', 'Connection: Upgrade, HTTP2-Settings', 'Upgrade: h2c', 'HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA', '', ''].join('\r\n'));
    await client.waitFor(pid);
    expect(client.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(client.text).not.toContain('101');
    client.socket.write('GET /next HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    await client.closed;
    expect(client.text.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(2);
  });

  it('upgradeProtocols: the protocol is found in a list, with a version, in any case', async () => {
    const gu = await startWith([]);
    const client = new RawClient(gu.url);
    client.socket.write(upgradeHead('/ws', []).replace('Upgrade: echo', 'Upgrade: h2c, ECHO/2') + 'first');
    await client.waitFor('HTTP/1.1 101 Switching Protocols\r\n');
    await client.waitFor('first');
    client.socket.end();
    await client.closed;
  });
});

describe('graceful stop with upgraded connections', () => {
  it('TERM: onDrain runs with cause shutdown, and the worker exits only once the socket closes', async () => {
    const gu = await startWith(['--graceful-timeout', '20']);
    const [worker] = gu.workerPids;
    const client = await upgraded(gu.url);
    gu.signal('SIGTERM');
    await client.waitFor('bye:shutdown\n');
    await gu.waitForLog(/onDrain cause=shutdown stopCause=shutdown open=1/);
    // The drain waits for the upgraded connection: a second later the worker still runs.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(worker !== undefined && isRunning(worker)).toBe(true);
    const closedAt = performance.now();
    client.socket.end();
    expect((await gu.exited).code).toBe(0);
    expect(performance.now() - closedAt).toBeLessThan(10_000);
    expect(gu.stderr).not.toMatch(/Graceful timeout/);
  });

  it('HUP: the old worker drains with cause reload', async () => {
    const gu = await startWith(['--graceful-timeout', '20']);
    const [old] = gu.workerPids;
    const client = await upgraded(gu.url);
    gu.signal('SIGHUP');
    await client.waitFor('bye:reload\n');
    await gu.waitForLog(/onDrain cause=reload stopCause=reload open=1/);
    client.socket.end();
    await until(() => old !== undefined && !isRunning(old), 'the old worker to exit', 10_000);
  });

  it('an upgrade asked for while the worker drains is refused with 503', async () => {
    const gu = await startWith(['--graceful-timeout', '20', '--keep-alive', '10']);
    // A keep-alive connection, opened before the stop, asks for its upgrade after it.
    const client = new RawClient(gu.url);
    client.socket.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
    await client.waitFor(String(gu.workerPids[0]));
    const holder = await upgraded(gu.url);
    gu.signal('SIGTERM');
    await holder.waitFor('bye:shutdown\n');
    client.socket.write(upgradeHead('/late'));
    await client.closed;
    expect(client.text).toContain('HTTP/1.1 503 Service Unavailable\r\n');
    expect(client.text).not.toContain('url:/late');
    holder.socket.end();
    expect((await gu.exited).code).toBe(0);
  });
});
