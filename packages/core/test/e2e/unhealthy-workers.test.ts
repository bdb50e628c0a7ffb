// Workers that hang, never boot, die before ready or keep crashing: each is dealt with once, and
// none becomes a respawn storm.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const minimalWorker = join(fixtures, 'minimal-worker.mjs');
const pidApp = join(fixtures, 'pid-app.mjs');

afterEach(cleanUp);

describe('unhealthy workers', () => {
  it('kills a busy-looping worker within timeout + 1 s while the other keeps serving', async () => {
    const gu = await startGu([join(fixtures, 'block-app.mjs'), '-w', '2', '-t', '2', '-b', '127.0.0.1:0', '-k', minimalWorker], {
      workers: 2,
    });
    const sent = Date.now();
    httpGet(`${gu.url}/block`, { timeoutMs: 20_000 }).catch(() => undefined);
    const [blocking] = await gu.waitForLog(/app: blocking (\d+)/);
    // Served by the other worker while the first one is stuck.
    const during = await httpGet(`${gu.url}/`);
    const [match] = await gu.waitForLog(/WORKER TIMEOUT \(pid:(\d+)\) silent for [\d.]+ s/, 1, 10_000);
    const elapsed = Date.now() - sent;
    expect(elapsed).toBeLessThan(3000);
    expect(match![1]).toBe(blocking![1]);
    expect(during.status).toBe(200);
    expect(during.body).not.toBe(blocking![1]);
    expect(gu.stderr).toMatch(/\[CRITICAL\] WORKER TIMEOUT/);
    // Stacks are opt-in (--dump-stack-on-timeout): by default no watchdog thread runs.
    expect(gu.stderr).not.toContain('stuck for');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 3);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
    await gu.waitForLog(new RegExp(`Worker \\(pid:${blocking![1]}\\) was killed after its WORKER TIMEOUT`));
    expect(gu.stderr).not.toContain('Perhaps out of memory');
  });

  it('backs off a worker that crashes after every boot: fewer than 10 forks in 10 s', async () => {
    const gu = await startGu([pidApp, '-b', '127.0.0.1:0', '-k', join(fixtures, 'crash-after-ready-worker.mjs')], { workers: 0 });
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const forks = gu.workerPids.length;
    expect(forks).toBeGreaterThanOrEqual(4);
    expect(forks).toBeLessThan(10);
    const delays = gu.matches(/Workers keep crashing \(\d+ in a row\): next worker in ([\d.]+) s/).map((m) => Number(m[1]));
    expect(delays.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
    expect(gu.stderr).toContain('crash loop: the cache server is unreachable');
  }, 20_000);

  it('stops with exit 3 when a worker is not ready within --boot-timeout', async () => {
    const started = Date.now();
    const result = await runGu([pidApp, '-b', '127.0.0.1:0', '-k', join(fixtures, 'never-ready-worker.mjs'), '--boot-timeout', '1']);
    expect(result.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.stderr).toMatch(/\[CRITICAL\] WORKER BOOT TIMEOUT \(pid:\d+\) not ready after 1\.\d s \(boot_timeout 1\)/);
    expect(result.stderr).toContain('Worker failed to boot within boot_timeout.');
    expect(result.stderr.match(/Booting worker/g)).toHaveLength(1);
  });

  it('does not count a slow boot against --timeout', async () => {
    const gu = await startGu([join(fixtures, 'slow-boot-app.mjs'), '-t', '1', '-b', '127.0.0.1:0', '-k', minimalWorker]);
    expect(gu.stderr).not.toContain('WORKER TIMEOUT');
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
    expect(gu.workerPids).toHaveLength(1);
  });

  it('stops with exit 3, once, when a worker exits before ready for any reason', async () => {
    const result = await runGu([join(fixtures, 'exit-on-import.mjs'), '-w', '3', '-b', '127.0.0.1:0', '-k', minimalWorker]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Worker \(pid:\d+\) exited with code 1 before it was ready\./);
    expect(result.stderr.match(/Booting worker/g)).toHaveLength(3);
    expect(result.stderr.match(/before it was ready/g)).toHaveLength(1);
  });
});
