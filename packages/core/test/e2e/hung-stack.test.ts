// --dump-stack-on-timeout: a hung worker's JavaScript stack is in the error log before the arbiter
// kills it, and only then.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanUp, httpGet, startGu, startLoad } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const minimalWorker = join(fixtures, 'minimal-worker.mjs');
const spinApp = join(fixtures, 'spin-app.mjs');
const base = ['-b', '127.0.0.1:0', '-k', minimalWorker, '--dump-stack-on-timeout'];

afterEach(cleanUp);

describe('hung-worker stacks', () => {
  it('logs where a busy-looping worker is stuck, then WORKER TIMEOUT; the worker is still replaced', async () => {
    const gu = await startGu([spinApp, '-w', '2', '-t', '2', ...base], { workers: 2 });
    httpGet(`${gu.url}/spin`, { timeoutMs: 20_000 }).catch(() => undefined);
    const [spinning] = await gu.waitForLog(/app: spinning (\d+)/);
    const pid = spinning![1]!;
    await gu.waitForLog(/WORKER TIMEOUT \(pid:(\d+)\) silent for [\d.]+ s/, 1, 10_000);

    const stuck = gu.stderr.indexOf(`[${pid}] [CRITICAL] Worker (pid:${pid}) stuck for `);
    const timeout = gu.stderr.indexOf(`WORKER TIMEOUT (pid:${pid})`);
    expect(stuck).toBeGreaterThanOrEqual(0);
    expect(stuck).toBeLessThan(timeout);
    const stack = gu.stderr.slice(stuck, timeout);
    // The frame that spins, then its caller, by the fixture's file and line.
    const file = pathToFileURL(spinApp).href;
    expect(stack).toContain(`\n    at spinForever (${file}:5:`);
    expect(stack).toContain(`\n    at spinApp (${file}:12:`);
    expect(gu.matches(/stuck for/g)).toHaveLength(1);

    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 3);
    expect(gu.workerPids).toHaveLength(3);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
  });

  it('logs no stack for a healthy worker under load', async () => {
    const gu = await startGu([spinApp, '-t', '2', ...base]);
    const load = startLoad({ url: `${gu.url}/`, keepAliveClients: 4, freshClients: 2, maxDurationMs: 4000 });
    const report = await load.done;
    expect(report.ok).toBeGreaterThan(100);
    expect(report.failed).toBe(0);
    expect(gu.stderr).not.toContain('stuck for');
    expect(gu.stderr).not.toContain('WORKER TIMEOUT');
    expect(gu.workerPids).toHaveLength(1);
  });

  it('logs no stack for a worker whose boot blocks longer than --timeout (boot_timeout applies then)', async () => {
    const gu = await startGu([join(fixtures, 'slow-boot-app.mjs'), '-t', '1', ...base]);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
    expect(gu.stderr).not.toContain('stuck for');
    expect(gu.workerPids).toHaveLength(1);
  });
});
