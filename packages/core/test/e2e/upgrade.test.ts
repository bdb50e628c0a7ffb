// USR2 (binary upgrade) and WINCH, as Gunicorn's signals page describes them, under load.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, startLoad, tempDir } from '@gu/testkit';
import { childPids, isRunning, moreRequests, until } from './processes.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const minimalWorker = join(fixtures, 'minimal-worker.mjs');

afterEach(cleanUp);

function project(): string {
  const dir = tempDir('gu-upgrade-');
  copyFileSync(join(fixtures, 'pid-app.mjs'), join(dir, 'app.mjs'));
  return dir;
}

const readPid = (path: string): number => Number(readFileSync(path, 'utf8').trim());

describe('USR2 upgrade', () => {
  it('a new arbiter takes over the sockets and the pidfile; TERM to the old one loses nothing', async () => {
    const dir = project();
    const pidfile = join(dir, 'gu.pid');
    const socket = join(dir, 'gu.sock');
    const args = ['app.mjs', '-w', '2', '-k', minimalWorker, '-b', '127.0.0.1:0', '-b', `unix:${socket}`, '-p', pidfile];
    const gu = await startGu(args, { cwd: dir, workers: 2 });
    const load = startLoad({ url: `${gu.url}/`, keepAliveClients: 4, freshClients: 4, maxRequests: 200_000, maxDurationMs: 40_000 });
    gu.signal('SIGUSR2');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 4);
    const [, next] = gu.arbiterPids;
    expect(next).toBeDefined();
    expect(readPid(`${pidfile}.oldbin`)).toBe(gu.pid);
    expect(readPid(`${pidfile}.2`)).toBe(next);
    expect(existsSync(pidfile)).toBe(false);
    // Both arbiters serve the same sockets until the old one is told to go.
    expect(gu.addresses).toEqual([gu.url, `unix:${socket}`, gu.url, `unix:${socket}`]);
    await moreRequests(load, 300);

    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    await gu.waitForLog(/Arbiter promoted: the old arbiter \(pid: \d+\) has exited/);
    await until(() => existsSync(pidfile), 'the pidfile to move');
    await moreRequests(load, 300);
    const report = await load.stop();
    expect(report.failures).toEqual({});
    expect(report.failed).toBe(0);

    expect(readPid(pidfile)).toBe(next);
    expect(existsSync(`${pidfile}.2`)).toBe(false);
    expect(existsSync(`${pidfile}.oldbin`)).toBe(false);
    const newWorkers = childPids(next!);
    expect(newWorkers).toHaveLength(2);
    expect(newWorkers).toContain(Number((await httpGet(`${gu.url}/`)).body));
    // The old arbiter left the unix socket file to the new one.
    expect(Number((await httpGet({ socketPath: socket, path: '/' })).body)).toBeGreaterThan(0);

    process.kill(next!, 'SIGTERM');
    await until(() => !isRunning(next!), 'the new arbiter to exit');
    expect(existsSync(pidfile)).toBe(false);
    expect(existsSync(socket)).toBe(false);
  }, 45_000);

  it('refuses a second USR2 while the new arbiter runs, and in the new arbiter itself', async () => {
    const gu = await startGu(['app.mjs', '-k', minimalWorker, '-b', '127.0.0.1:0'], { cwd: project() });
    gu.signal('SIGUSR2');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    gu.signal('SIGUSR2');
    await gu.waitForLog(/USR2 signal ignored\. Child exists\./);
    process.kill(gu.arbiterPids[1]!, 'SIGUSR2');
    await gu.waitForLog(/USR2 signal ignored\. Parent exists\./);
  });

  it('when the new arbiter fails to boot, the old one keeps serving under its pidfile', async () => {
    const dir = project();
    const pidfile = join(dir, 'gu.pid');
    const gu = await startGu(['app.mjs', '-k', minimalWorker, '-b', '127.0.0.1:0', '-p', pidfile], { cwd: dir });
    copyFileSync(join(fixtures, 'broken-on-import.mjs'), join(dir, 'app.mjs'));
    gu.signal('SIGUSR2');
    await gu.waitForLog(/New arbiter \(pid:\d+\) exited \(code 4\); this one carries on/);
    await until(() => existsSync(pidfile), 'the pidfile to come back');
    expect(readPid(pidfile)).toBe(gu.pid);
    expect(Number((await httpGet(`${gu.url}/`)).body)).toBe(gu.workerPids[0]);
  });
});

describe('WINCH', () => {
  it('stops the workers gracefully while the arbiter keeps its socket; TTIN brings one back', async () => {
    const gu = await startGu(['app.mjs', '-w', '2', '-k', minimalWorker, '-b', '127.0.0.1:0'], { cwd: project(), workers: 2 });
    gu.signal('SIGWINCH');
    await gu.waitForLog(/Graceful stop of workers \(WINCH\)/);
    await until(() => childPids(gu.pid).length === 0, 'no workers');
    // The socket stays open: a request waits in the backlog for the next worker instead of being refused.
    const waiting = httpGet(`${gu.url}/`);
    gu.signal('SIGTTIN');
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(gu.workerPids.slice(0, 2)).not.toContain(Number(res.body));
  });
});
