// The sync worker under gu's supervision, as the async worker is tested in @gu/core's e2e tests:
// graceful stop, max_requests, reload, TTIN/TTOU and the zero-loss guarantee, each bounded in count and time.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { childPids, cleanUp, httpGet, moreRequests, startGu, startLoad, until, type LoadReport } from '@gu/testkit';

// Core's e2e app, answering with the worker's pid.
const pidApp = join(import.meta.dirname, '../../core/test/fixtures/e2e/pid-app.mjs');
const cpuApp = join(import.meta.dirname, 'fixtures', 'cpu-app.mjs');
const sync = ['-k', 'sync', '-b', '127.0.0.1:0'];
const LOAD = { keepAliveClients: 4, freshClients: 4, maxRequests: 100_000, maxDurationMs: 40_000 };
const LOAD_TEST_TIMEOUT = 60_000;

afterEach(cleanUp);

function expectNoFailure(report: LoadReport): void {
  expect(report.failures).toEqual({});
  expect(report.failed).toBe(0);
  expect(report.byKind.keepAlive.sent).toBeGreaterThan(0);
  expect(report.byKind.fresh.sent).toBeGreaterThan(0);
}

describe('@gu/worker-sync under supervision', () => {
  it('TERM lets an in-flight CPU-bound request finish, then exits 0', async () => {
    const gu = await startGu([cpuApp, ...sync, '-w', '1']);
    const inFlight = httpGet(`${gu.url}/?ms=1000`);
    await gu.waitForLog(/app: burning 1000 ms/);
    gu.signal('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(res.body).toBe(String(gu.workerPids[0]));
    expect(await gu.exited).toEqual({ code: 0, signal: null });
  });

  it('recycles a worker after --max-requests without losing a request', async () => {
    const gu = await startGu([pidApp, ...sync, '-w', '1', '--max-requests', '3']);
    const [first] = gu.workerPids;
    const bodies: string[] = [];
    for (let i = 0; i < 3; i += 1) bodies.push((await httpGet(`${gu.url}/`)).body);
    expect(bodies).toEqual([String(first), String(first), String(first)]);
    await gu.waitForLog(/Autorestarting worker after current request\./);
    const next = await httpGet(`${gu.url}/`);
    expect(next.status).toBe(200);
    expect(next.body).not.toBe(String(first));
    expect(gu.stderr).not.toMatch(/Worker \(pid:\d+\) exited with code/);
  });

  it('max_requests 20 under 600 requests: none fails, at least 10 workers served', async () => {
    const gu = await startGu([pidApp, ...sync, '-w', '2', '--max-requests', '20'], { workers: 2 });
    const report = await startLoad({ url: `${gu.url}/`, ...LOAD, maxRequests: 600 }).done;
    expectNoFailure(report);
    expect(report.sent).toBe(600);
    expect(report.bodies.size).toBeGreaterThanOrEqual(10);
  }, LOAD_TEST_TIMEOUT);

  it('3 HUPs under load: no request fails and every worker pid changes', async () => {
    const gu = await startGu([pidApp, ...sync, '-w', '2'], { workers: 2 });
    const first = gu.workerPids;
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    for (let reload = 1; reload <= 3; reload += 1) {
      await moreRequests(load, 100);
      gu.signal('SIGHUP');
      await gu.waitForLog(/Reload done: generation \d+ is serving/, reload);
    }
    await gu.waitForLog(/Worker exiting \(pid: \d+\)/, 6);
    await moreRequests(load, 100);
    expectNoFailure(await load.stop());
    const last = gu.workerPids.slice(-2);
    for (let i = 0; i < 6; i += 1) {
      const { body } = await httpGet(`${gu.url}/`);
      expect(first).not.toContain(Number(body));
      expect(last).toContain(Number(body));
    }
  }, LOAD_TEST_TIMEOUT);

  it('TTIN then TTOU under load: the worker count follows and no request fails', async () => {
    const gu = await startGu([pidApp, ...sync, '-w', '2'], { workers: 2 });
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    gu.signal('SIGTTIN');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 3);
    await until(() => childPids(gu.pid).length === 3, 'three workers');
    await moreRequests(load, 200);
    gu.signal('SIGTTOU');
    await until(() => childPids(gu.pid).length === 2, 'two workers');
    await moreRequests(load, 200);
    expectNoFailure(await load.stop());
    // The oldest worker was the one retired, in the middle of its one-connection-at-a-time serving.
    expect(childPids(gu.pid)).not.toContain(gu.workerPids[0]);
  }, LOAD_TEST_TIMEOUT);

  it('TERM sent to one worker under load: it is replaced and no request fails', async () => {
    const gu = await startGu([pidApp, ...sync, '-w', '2'], { workers: 2 });
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    await moreRequests(load, 100);
    process.kill(gu.workerPids[0]!, 'SIGTERM');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 3);
    await moreRequests(load, 200);
    expectNoFailure(await load.stop());
  }, LOAD_TEST_TIMEOUT);
});
