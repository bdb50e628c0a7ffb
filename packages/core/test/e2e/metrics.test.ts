import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, type GuProcess } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const base = ['-b', '127.0.0.1:0', '-k', join(fixtures, 'minimal-worker.mjs')];

afterEach(cleanUp);

async function startWithMetrics(app: string, extra: string[] = [], workers = 1): Promise<{ gu: GuProcess; metricsUrl: string }> {
  const gu = await startGu([join(fixtures, app), ...base, '--metrics-bind', '127.0.0.1:0', ...extra], { workers });
  const [, port] = (await gu.waitForLog(/Metrics at: http:\/\/127\.0\.0\.1:(\d+) \(\/metrics, \/livez, \/readyz\)/))[0] ?? [];
  return { gu, metricsUrl: `http://127.0.0.1:${port}` };
}

/** One scrape: each sample line `name{labels} value` → value (a repeated name+labels is an error). */
async function scrape(metricsUrl: string): Promise<Map<string, number>> {
  const answer = await httpGet(`${metricsUrl}/metrics`, { timeoutMs: 5000 });
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  const samples = new Map<string, number>();
  for (const line of answer.body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    const key = line.slice(0, cut);
    expect(samples.has(key), `${key} appears twice`).toBe(false);
    samples.set(key, Number(line.slice(cut + 1)));
  }
  return samples;
}

describe('Prometheus metrics (--metrics-bind)', () => {
  it('sums requests by method and status class over the workers, with durations, workers, memory and loop delay', async () => {
    const { gu, metricsUrl } = await startWithMetrics('crash-app.mjs', ['-w', '2'], 2);
    for (let i = 0; i < 6; i += 1) expect((await httpGet(`${gu.url}/n/${i}`)).status).toBe(200);
    expect((await httpGet(`${gu.url}/n`, { method: 'HEAD' })).status).toBe(200);
    expect((await httpGet(`${gu.url}/throw`)).status).toBe(500);
    const samples = await scrape(metricsUrl);
    expect(samples.get('gu_requests_total{method="GET",status="2xx"}')).toBe(6);
    expect(samples.get('gu_requests_total{method="HEAD",status="2xx"}')).toBe(1);
    expect(samples.get('gu_requests_total{method="GET",status="5xx"}')).toBe(1);
    expect(samples.get('gu_request_duration_seconds_count{method="GET"}')).toBe(7);
    expect(samples.get('gu_request_duration_seconds_bucket{le="+Inf",method="GET"}')).toBe(7);
    expect(samples.get('gu_workers')).toBe(2);
    expect(samples.get('gu_requests_in_flight')).toBe(0);
    for (const pid of gu.workerPids) {
      expect(samples.get(`gu_worker_up{pid="${pid}"}`)).toBe(1);
      expect(samples.get(`gu_worker_resident_memory_bytes{pid="${pid}"}`)).toBeGreaterThan(10 * 1024 * 1024);
      expect(samples.get(`gu_worker_event_loop_delay_seconds{pid="${pid}",stat="p99"}`)).toBeGreaterThanOrEqual(0);
      // An idle worker's delay, not the 20 ms interval Node samples it at.
      expect(samples.get(`gu_worker_event_loop_delay_seconds{pid="${pid}",stat="mean"}`)).toBeLessThan(0.015);
    }
    expect(samples.get(`gu_listen_backlog{listener="${gu.url}"}`)).toBe(0);
    // The same port answers the health probes.
    expect((await httpGet(`${metricsUrl}/readyz`)).status).toBe(200);
    expect((await httpGet(`${metricsUrl}/nothing`)).status).toBe(404);
  });

  it('keeps counters monotonic when a worker is replaced, and counts the exit by cause', async () => {
    const { gu, metricsUrl } = await startWithMetrics('pid-app.mjs', ['--max-requests', '5']);
    for (let i = 0; i < 4; i += 1) expect((await httpGet(`${gu.url}/a/${i}`)).status).toBe(200);
    const before = await scrape(metricsUrl);
    expect(before.get('gu_requests_total{method="GET",status="2xx"}')).toBe(4);
    // The 5th request recycles the worker (max_requests); later ones reach its replacement.
    for (let i = 0; i < 3; i += 1) expect((await httpGet(`${gu.url}/b/${i}`)).status).toBe(200);
    await gu.waitForLog(/Booting worker with pid: \d+/, 2);
    const after = await scrape(metricsUrl);
    expect(after.get('gu_requests_total{method="GET",status="2xx"}')).toBe(7);
    expect(after.get('gu_request_duration_seconds_count{method="GET"}')).toBe(7);
    await expect.poll(async () => (await scrape(metricsUrl)).get('gu_worker_restarts_total{cause="max_requests"}'), { timeout: 10_000 }).toBe(1);
  });

  it('counts each restart cause as the arbiter meets it (crash, reload, memory, timeout), never going backwards', async () => {
    const { gu, metricsUrl } = await startWithMetrics('restart-causes-app.mjs', ['--timeout', '2', '--max-worker-memory', '150']);
    let served = 0;
    const get = async (path: string): Promise<void> => {
      expect((await httpGet(`${gu.url}${path}`)).status).toBe(200);
      served += 1;
    };
    let lastTotal = 0;
    /** Waits until `cause` has been counted `count` times; each scrape's request total is at least the last one's. */
    const counted = (cause: string, count: number) =>
      expect
        .poll(
          async () => {
            const samples = await scrape(metricsUrl);
            const total = samples.get('gu_requests_total{method="GET",status="2xx"}') ?? 0;
            expect(total).toBeGreaterThanOrEqual(lastTotal);
            lastTotal = total;
            return samples.get(`gu_worker_restarts_total{cause="${cause}"}`);
          },
          { timeout: 15_000, interval: 200 },
        )
        .toBe(count);

    await get('/');
    await get('/crash');
    await counted('crash', 1);
    await get('/');
    gu.signal('SIGHUP');
    await counted('reload', 1);
    await get('/?grow=200');
    await gu.waitForLog(/above max_worker_memory 150 MB/);
    await counted('memory', 1);
    await get('/');
    // A worker killed for its timeout sends no final figures: what it counted stays as of its last
    // answer, so the request above must be in one before it hangs.
    expect((await scrape(metricsUrl)).get('gu_requests_total{method="GET",status="2xx"}')).toBe(served);
    void httpGet(`${gu.url}/block`, { timeoutMs: 20_000 }).catch(() => undefined);
    await gu.waitForLog(/app: blocking \d+/);
    await counted('timeout', 1);

    const samples = await scrape(metricsUrl);
    for (const [cause, count] of Object.entries({ crash: 1, reload: 1, memory: 1, timeout: 1, max_requests: 0, boot: 0, other: 0 })) {
      expect(samples.get(`gu_worker_restarts_total{cause="${cause}"}`), cause).toBe(count);
    }
    // Every request answered 200 stays counted, whichever worker served it and however it left.
    expect(samples.get('gu_requests_total{method="GET",status="2xx"}')).toBe(served);
  }, 60_000);

  it('answers the scrape when a worker is stuck, showing it as down with the others intact', async () => {
    const { gu, metricsUrl } = await startWithMetrics('block-app.mjs', ['-w', '2', '--timeout', '60'], 2);
    for (let i = 0; i < 4; i += 1) expect((await httpGet(`${gu.url}/`)).status).toBe(200);
    expect((await scrape(metricsUrl)).get('gu_requests_total{method="GET",status="2xx"}')).toBe(4);
    void httpGet(`${gu.url}/block`, { timeoutMs: 20_000 }).catch(() => undefined);
    const [, stuck] = (await gu.waitForLog(/app: blocking (\d+)/))[0] ?? [];
    const started = performance.now();
    const samples = await scrape(metricsUrl);
    expect(performance.now() - started).toBeLessThan(4000);
    expect(samples.get(`gu_worker_up{pid="${stuck}"}`)).toBe(0);
    const other = gu.workerPids.find((pid) => String(pid) !== stuck);
    expect(samples.get(`gu_worker_up{pid="${other}"}`)).toBe(1);
    // Its last known figures still count: nothing goes backwards while it is silent.
    expect(samples.get('gu_requests_total{method="GET",status="2xx"}')).toBe(4);
  });

  it('reports the connections waiting in the kernel for a worker to accept them as gu_listen_backlog', async () => {
    const { gu, metricsUrl } = await startWithMetrics('block-app.mjs', ['-w', '1', '--timeout', '60']);
    void httpGet(`${gu.url}/block`, { timeoutMs: 20_000 }).catch(() => undefined);
    await gu.waitForLog(/app: blocking (\d+)/);
    const { port } = new URL(gu.url);
    // The only worker accepts nothing more: the kernel completes these handshakes and queues them.
    const waiting: Socket[] = await Promise.all(Array.from({ length: 3 }, () => new Promise<Socket>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => { resolve(socket); });
      socket.once('error', reject);
    })));
    try {
      expect((await scrape(metricsUrl)).get(`gu_listen_backlog{listener="${gu.url}"}`)).toBe(3);
    } finally {
      for (const socket of waiting) socket.destroy();
    }
  });
});
