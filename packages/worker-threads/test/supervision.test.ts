// The threads worker under gu's supervision, as the sync and async workers are tested: graceful
// stop, max_requests counted over all threads, reload and the zero-loss guarantee, and handlers that
// throw, each under a load of keep-alive and new-connection clients bounded in count and time.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, moreRequests, startGu, startLoad, type GuProcess, type LoadReport } from '@gu/testkit';

// Core's e2e app answers with the worker's pid; the sync worker's CPU-bound app burns `?ms=N` ms.
const pidApp = join(import.meta.dirname, '../../core/test/fixtures/e2e/pid-app.mjs');
const cpuApp = join(import.meta.dirname, '../../worker-sync/test/fixtures/cpu-app.mjs');
const throwingApp = join(import.meta.dirname, 'fixtures', 'throwing-app.mjs');
const threads = ['-k', 'threads', '--threads', '2', '-w', '2', '-b', '127.0.0.1:0'];
const CLIENTS = { keepAliveClients: 4, freshClients: 4 };
/**
 * Each request waits 10 ms in its thread (core's pid app, `?delay=`), so that a stop always finds
 * requests inside the threads, not only on their way in or out. Each test stops its load itself
 * well before these bounds.
 */
const LOAD = { ...CLIENTS, path: '/?delay=10', maxRequests: 5_000, maxDurationMs: 10_000, requestTimeoutMs: 5_000 };
/** The load's time bound, the server's start and the checks after it. */
const LOAD_TEST_TIMEOUT = 15_000;
/** How long each step of a scenario may wait for its share of the load. */
const MORE_REQUESTS_MS = 8_000;

afterEach(cleanUp);

/** No request failed, and each was answered by the app itself: its body is a worker's pid. */
function expectNoFailure(report: LoadReport, gu: GuProcess): void {
  expect(report.failures).toEqual({});
  expect(report.failed).toBe(0);
  expect(report.byKind.keepAlive.sent).toBeGreaterThan(0);
  expect(report.byKind.fresh.sent).toBeGreaterThan(0);
  // A 4xx from gu instead of the app (a 408, say) would count as ok in the load.
  const pids = gu.workerPids;
  expect([...report.bodies.keys()].filter((body) => !pids.includes(Number(body)))).toEqual([]);
}

describe('@gu/worker-threads under supervision', () => {
  it('TERM lets an in-flight CPU-bound request finish in its thread, then exits 0', async () => {
    const gu = await startGu([cpuApp, ...threads], { workers: 2 });
    const inFlight = httpGet(`${gu.url}/?ms=1000`);
    await gu.waitForLog(/app: burning 1000 ms/);
    gu.signal('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(gu.workerPids).toContain(Number(res.body));
    expect(await gu.exited).toEqual({ code: 0, signal: null });
  });

  it('max_requests 20 under load until 10 workers recycled: none fails, the budget counts the requests of both threads', async () => {
    const gu = await startGu([pidApp, ...threads, '--max-requests', '20'], { workers: 2 });
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    // Each recycle boots a process and its 2 threads (0.5 to 1 s on a busy 2-core machine): 10 of them
    // fit the time bound, where the sync worker's 600 requests (30 recycles) would not.
    await gu.waitForLog(/Autorestarting worker after current request\./, 10, LOAD.maxDurationMs);
    const report = await load.stop();
    expectNoFailure(report, gu);
    expect(report.bodies.size).toBeGreaterThanOrEqual(10);
    // Counted over the process, not per thread (which would let a worker serve 40): its 20, plus
    // at most one request from each client already connected to it when the budget ran out.
    expect(Math.max(...report.bodies.values())).toBeLessThanOrEqual(20 + CLIENTS.keepAliveClients + CLIENTS.freshClients);
  }, LOAD_TEST_TIMEOUT);

  it('3 HUPs under load: no request fails and every worker pid changes', async () => {
    const gu = await startGu([pidApp, ...threads], { workers: 2 });
    const first = gu.workerPids;
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    for (let reload = 1; reload <= 3; reload += 1) {
      await moreRequests(load, 100, MORE_REQUESTS_MS);
      gu.signal('SIGHUP');
      await gu.waitForLog(/Reload done: generation \d+ is serving/, reload);
    }
    await gu.waitForLog(/Worker exiting \(pid: \d+\)/, 6);
    await moreRequests(load, 100, MORE_REQUESTS_MS);
    expectNoFailure(await load.stop(), gu);
    const last = gu.workerPids.slice(-2);
    for (let i = 0; i < 6; i += 1) {
      const { body } = await httpGet(`${gu.url}/`);
      expect(first).not.toContain(Number(body));
      expect(last).toContain(Number(body));
    }
  }, LOAD_TEST_TIMEOUT);

  it('TERM sent to one worker under load: it is replaced and no request fails', async () => {
    const gu = await startGu([pidApp, ...threads], { workers: 2 });
    const [termed] = gu.workerPids;
    const load = startLoad({ url: `${gu.url}/`, ...LOAD });
    await moreRequests(load, 100, MORE_REQUESTS_MS);
    process.kill(termed!, 'SIGTERM');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 3);
    await moreRequests(load, 200, MORE_REQUESTS_MS);
    const report = await load.stop();
    expectNoFailure(report, gu);
    expect(gu.workerPids).toHaveLength(3);
    const { body } = await httpGet(`${gu.url}/`);
    expect(gu.workerPids.slice(1)).toContain(Number(body));
  }, LOAD_TEST_TIMEOUT);

  it('handlers that throw or reject under load: those requests get 500, all others 200, nothing reset, no worker lost', async () => {
    const gu = await startGu([throwingApp, ...threads], { workers: 2 });
    const load = startLoad({ url: `${gu.url}/`, ...LOAD, path: '/', maxRequests: 600 });
    const report = await load.done;
    expect(report.sent).toBe(600);
    // Only the app's failures fail: no reset, hang-up or timeout, on keep-alive connections either.
    expect(Object.keys(report.failures)).toEqual(['status 500']);
    const failed = report.failures['status 500']!;
    // Each of the 4 threads fails 2 of every 10 requests it serves: of 600, 120 give or take 2 a thread.
    expect(failed).toBeGreaterThanOrEqual(120 - 4 * 2);
    expect(failed).toBeLessThanOrEqual(120 + 4);
    // Every 500 is one logged failure of the app, with its stack: none came from elsewhere.
    await gu.waitForLog(/Error handling request GET \/ HTTP\/1\.1\nError: (thrown|rejected) on request \d+ of thread \d+\n\s+at /, failed);
    expect(gu.matches(/Error handling request/g)).toHaveLength(failed);
    // The others were answered by the app: its body, the pid of one of the two first workers.
    expect(report.ok).toBe(600 - failed);
    expect(new Set(report.bodies.keys())).toEqual(new Set(gu.workerPids.map(String)));
    expect(gu.workerPids).toHaveLength(2);
    expect(gu.stderr).not.toMatch(/Worker exiting|A worker thread crashed|Worker \(pid:\d+\) exited/);
  }, LOAD_TEST_TIMEOUT);
});
