// Every way a worker leaves, under a bounded load of keep-alive and new-connection clients: no
// request may fail. The load stops by itself (count and time), and cleanUp kills gu by pid.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, startLoad, tempDir, type LoadReport } from '@gu/testkit';
import { childPids, moreRequests, until } from './processes.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const minimalWorker = join(fixtures, 'minimal-worker.mjs');
const base = ['-b', '127.0.0.1:0', '-k', minimalWorker];
/** Long enough for any scenario here; each test stops its load itself well before. */
const LOAD = { keepAliveClients: 4, freshClients: 4, maxRequests: 200_000, maxDurationMs: 40_000 };
/** Each load test recycles many workers; a worker's boot takes a few hundred ms on a busy 2-core CI machine. */
const LOAD_TEST_TIMEOUT = 60_000;

afterEach(cleanUp);

/** A project folder with `app.mjs` answering its worker's pid (`fixture` to start from another app). */
function project(fixture = 'pid-app.mjs'): string {
  const dir = tempDir('gu-zero-loss-');
  copyFileSync(join(fixtures, fixture), join(dir, 'app.mjs'));
  return dir;
}

function expectNoFailure(report: LoadReport): void {
  expect(report.failures).toEqual({});
  expect(report.failed).toBe(0);
  expect(report.byKind.keepAlive.sent).toBeGreaterThan(0);
  expect(report.byKind.fresh.sent).toBeGreaterThan(0);
}

describe('zero-loss supervision under load', () => {
  it('5 HUPs: no request fails and every worker pid changes', async () => {
    const dir = project();
    const gu = await startGu(['app.mjs', '-w', '2', ...base], { cwd: dir, workers: 2 });
    const first = gu.workerPids;
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    for (let reload = 1; reload <= 5; reload += 1) {
      await moreRequests(load, 200);
      gu.signal('SIGHUP');
      await gu.waitForLog(/Reload done: generation \d+ is serving/, reload);
    }
    // Every worker of the first five generations has left.
    await gu.waitForLog(/Worker exiting \(pid: \d+\)/, 10);
    await moreRequests(load, 200);
    const report = await load.stop();
    expectNoFailure(report);
    const last = gu.workerPids.slice(-2);
    const answers = await Promise.all(Array.from({ length: 10 }, () => httpGet(`${gu.url}/`)));
    for (const { body } of answers) {
      expect(first).not.toContain(Number(body));
      expect(last).toContain(Number(body));
    }
  }, LOAD_TEST_TIMEOUT);

  it('HUP to an app that throws on import: the old workers keep serving, one error line', async () => {
    const dir = project();
    const gu = await startGu(['app.mjs', '-w', '2', ...base], { cwd: dir, workers: 2 });
    const first = gu.workerPids;
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    copyFileSync(join(fixtures, 'broken-on-import.mjs'), join(dir, 'app.mjs'));
    gu.signal('SIGHUP');
    await gu.waitForLog(/Reload failed: generation 2 could not boot/);
    await moreRequests(load, 300);
    const report = await load.stop();
    expectNoFailure(report);
    expect([...report.bodies.keys()].map(Number).sort()).toEqual([...first].sort());
    expect(gu.matches(/\[ERROR\]/)).toHaveLength(1);
    expect(gu.matches(/database URL is not set/)).toHaveLength(1);
    expect(gu.stderr).toContain('generation 1 keeps serving with the previous settings');
  }, LOAD_TEST_TIMEOUT);

  it('HUP with a setting that is now invalid keeps the running workers and settings', async () => {
    const dir = project();
    writeFileSync(join(dir, 'gu.config.mjs'), 'export default { workers: 2 };\n');
    const gu = await startGu(['app.mjs', ...base], { cwd: dir, workers: 2 });
    writeFileSync(join(dir, 'gu.config.mjs'), "export default { workers: 'many' };\n");
    gu.signal('SIGHUP');
    await gu.waitForLog(/Reload failed: workers in \S+gu\.config\.mjs: invalid value "many"/);
    expect(gu.stderr).toContain('the workers keep serving with the current settings');
    const res = await httpGet(`${gu.url}/`);
    expect(gu.workerPids).toContain(Number(res.body));
    expect(gu.workerPids).toHaveLength(2);
  }, LOAD_TEST_TIMEOUT);

  it('HUP applies a changed config: more workers, a new address bound, the old one kept open', async () => {
    const dir = project();
    writeFileSync(join(dir, 'gu.config.mjs'), "export default { workers: 1, bind: ['127.0.0.1:0'] };\n");
    const gu = await startGu(['app.mjs', '-k', minimalWorker], { cwd: dir });
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    writeFileSync(join(dir, 'gu.config.mjs'), "export default { workers: 3, bind: ['127.0.0.1:0', '[::1]:0'] };\n");
    gu.signal('SIGHUP');
    await gu.waitForLog(/Listening at: http:\/\/\[::1\]:\d+/);
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 4);
    await until(() => childPids(gu.pid).length === 3, 'three workers of the new generation');
    await moreRequests(load, 300);
    expectNoFailure(await load.stop());
    const added = gu.addresses.find((address) => address.includes('[::1]'));
    expect((await httpGet(`${added}/`)).status).toBe(200);
    // The IPv4 listener is the same socket: its port did not change.
    expect(gu.addresses.filter((address) => address.startsWith('http://127.0.0.1'))).toHaveLength(1);
  }, LOAD_TEST_TIMEOUT);

  it('TTIN then TTOU: the worker count follows and no request fails', async () => {
    const gu = await startGu(['app.mjs', '-w', '2', ...base], { cwd: project(), workers: 2 });
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    gu.signal('SIGTTIN');
    await gu.waitForLog(/Target number of workers now 3/);
    await until(() => childPids(gu.pid).length === 3, 'three workers');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 3);
    await moreRequests(load, 300);
    gu.signal('SIGTTOU');
    await gu.waitForLog(/Target number of workers now 2/);
    await until(() => childPids(gu.pid).length === 2, 'two workers');
    await moreRequests(load, 300);
    expectNoFailure(await load.stop());
    // The oldest worker was the one retired.
    expect(childPids(gu.pid)).not.toContain(gu.workerPids[0]);
  }, LOAD_TEST_TIMEOUT);

  it('max_requests 50 under 2,000 requests: none fails, at least 20 workers served', async () => {
    const gu = await startGu(['app.mjs', '-w', '2', '--max-requests', '50', ...base], { cwd: project(), workers: 2 });
    const load = startLoad({ url: `${gu.url}/`, ...LOAD, maxRequests: 2000 });
    const report = await load.done;
    expectNoFailure(report);
    expect(report.sent).toBe(2000);
    expect(report.bodies.size).toBeGreaterThanOrEqual(20);
  }, LOAD_TEST_TIMEOUT);

  it('a worker above --max-worker-memory is replaced once its successor is ready, losing nothing', async () => {
    const gu = await startGu(['app.mjs', '-w', '2', '-t', '10', '--max-worker-memory', '200', ...base], {
      cwd: project('memory-app.mjs'),
      workers: 2,
    });
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    const leaky = await httpGet(`${gu.url}/?grow=300`);
    await gu.waitForLog(new RegExp(`Worker \\(pid:${leaky.body}\\) uses \\d+ MB, above max_worker_memory 200 MB`));
    await until(() => !childPids(gu.pid).includes(Number(leaky.body)), 'the leaky worker to leave');
    await moreRequests(load, 300);
    expectNoFailure(await load.stop());
    expect(childPids(gu.pid)).toHaveLength(2);
    expect(gu.workerPids).toHaveLength(3);
  }, LOAD_TEST_TIMEOUT);

  it('TERM sent to one worker: it is replaced and no request fails', async () => {
    const gu = await startGu(['app.mjs', '-w', '2', ...base], { cwd: project(), workers: 2 });
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    await moreRequests(load, 200);
    process.kill(gu.workerPids[0]!, 'SIGTERM');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 3);
    await moreRequests(load, 300);
    expectNoFailure(await load.stop());
  }, LOAD_TEST_TIMEOUT);
});

describe('stop', () => {
  it('closes the listening socket at once: a client connecting after TERM is refused, not reset later', async () => {
    const gu = await startGu(['app.mjs', '-w', '2', ...base], { cwd: project(), workers: 2 });
    const slow = httpGet(`${gu.url}/?delay=1500`);
    await gu.waitForLog(/app: started \/\?delay=1500/);
    gu.signal('SIGTERM');
    await gu.waitForLog(/Worker \(pid:\d+\) stopping: graceful/, 2);
    const port = Number(new URL(gu.url).port);
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect((await slow).status).toBe(200);
    expect((await gu.exited).code).toBe(0);
  });
});
