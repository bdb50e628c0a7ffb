import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cleanUp, httpGet, runGu, startGu, tempDir } from '@gu/testkit';

const run = promisify(execFile);

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const worker = ['-k', join(fixtures, 'minimal-worker.mjs')];

const opened: net.Server[] = [];
afterEach(async () => {
  await cleanUp();
  for (const server of opened.splice(0)) server.close();
});


function hasIpv6Loopback(): boolean {
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.family === 'IPv6' && i.internal));
}

interface RawHandle {
  fd: number;
  getsockname(out: { port?: number }): number;
  close(): void;
}

/**
 * A bound TCP socket that this test process never listens or accepts on, whose fd a child inherits
 * (as systemd passes sockets): node:net's internal bind-without-listen, the one gu uses too.
 */
function inheritableSocket(): { fd: number; port: number; close: () => void } {
  const create = (net as unknown as { _createServerHandle: (h: string, p: number, t: number) => RawHandle | number })
    ._createServerHandle;
  const handle = create('127.0.0.1', 0, 4);
  if (typeof handle === 'number') throw new Error(`bind failed: ${handle}`);
  const out: { port?: number } = {};
  handle.getsockname(out);
  return { fd: handle.fd, port: out.port ?? 0, close: () => { handle.close(); } };
}

describe('listening sockets', () => {
  it('serves on several binds at once: TCP and a unix socket, which is removed on exit', async () => {
    const dir = tempDir('gu-sock-');
    const path = join(dir, 'gu.sock');
    writeFileSync(join(dir, 'placeholder'), '');
    const gu = await startGu([app, ...worker, '-b', '127.0.0.1:0', '-b', `unix:${path}`]);
    expect(gu.addresses).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), `unix:${path}`]);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
    const viaUnix = await httpGet({ socketPath: path, path: '/' });
    expect(viaUnix.status).toBe(200);
    expect(viaUnix.body).toBe(String(gu.workerPids[0]));
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it.skipIf(!hasIpv6Loopback())('serves on an IPv6 bind', async () => {
    const gu = await startGu([app, ...worker, '-b', '[::1]:0']);
    expect(gu.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
  });

  it('serves on an inherited fd given as fd://N', async () => {
    const socket = inheritableSocket();
    const gu = await startGu([app, ...worker, '-b', 'fd://3'], { stdio: ['ignore', 'pipe', 'pipe', socket.fd] });
    socket.close();
    expect(gu.addresses).toEqual(['fd://3']);
    const res = await httpGet(`http://127.0.0.1:${socket.port}/`);
    expect(res.body).toBe(String(gu.workerPids[0]));
  });

  it('serves on systemd-activated sockets (LISTEN_PID, LISTEN_FDS) instead of --bind', async () => {
    const socket = inheritableSocket();
    // LISTEN_PID must be gu's own pid: a shell sets it to $$ and execs gu in its place.
    const gu = await startGu([app, ...worker], {
      stdio: ['ignore', 'pipe', 'pipe', socket.fd],
      shellEnv: 'LISTEN_PID=$$ LISTEN_FDS=1',
    });
    socket.close();
    expect(gu.addresses).toEqual([`http://127.0.0.1:${socket.port}`]);
    const res = await httpGet(`http://127.0.0.1:${socket.port}/`);
    expect(res.body).toBe(String(gu.workerPids[0]));
  });

  it('exits 5 with a clear message when the address is in use', async () => {
    const taken = net.createServer();
    opened.push(taken);
    await new Promise<void>((resolve) => taken.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const { port } = taken.address() as net.AddressInfo;
    const result = await runGu([app, ...worker, '-b', `127.0.0.1:${port}`]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`Connection in use: 127.0.0.1:${port}`);
    expect(result.stderr).not.toContain('Booting worker');
  });

  it('listens with the --backlog it is given', async () => {
    const gu = await startGu([app, ...worker, '-b', '127.0.0.1:0', '--backlog', '37']);
    const port = new URL(gu.url).port;
    // For a listening socket, ss shows the accept queue's maximum (the backlog) as Send-Q.
    const { stdout } = await run('ss', ['-ltnH', `sport = :${port}`]);
    expect(stdout.trim().split(/\s+/)[2]).toBe('37');
  });
});
