import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu } from '@gu/testkit';
import { timedRequest } from './support.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const plainApp = join(fixtures, 'plain-app.mjs');
const threads = ['-k', 'threads', '-b', '127.0.0.1:0'];

afterEach(cleanUp);

describe('@gu/worker-threads: concurrency, queue and timeouts', () => {
  it('carries thread_concurrency awaiting requests in one thread at once, and one at a time with 1', async () => {
    const wide = await startGu([plainApp, ...threads, '--threads', '1', '--thread-concurrency', '4']);
    const together = await Promise.all(Array.from({ length: 4 }, () => timedRequest(`${wide.url}/sleep?ms=600`)));
    expect(together.map((r) => r.body.toString())).toEqual(Array(4).fill('slept 600'));
    // Four 600 ms waits in one thread overlap: well under the 2.4 s they would take in turn.
    expect(Math.max(...together.map((r) => r.elapsedMs))).toBeLessThan(1800);

    const narrow = await startGu([plainApp, ...threads, '--threads', '1', '--thread-concurrency', '1']);
    const inTurn = await Promise.all(Array.from({ length: 3 }, () => timedRequest(`${narrow.url}/sleep?ms=300`)));
    expect(Math.max(...inTurn.map((r) => r.elapsedMs))).toBeGreaterThanOrEqual(850);
  });

  it('answers 503 with Retry-After at once when the queue in front of the threads is full', async () => {
    const gu = await startGu([plainApp, ...threads, '--threads', '1', '--thread-concurrency', '1', '--thread-queue', '1']);
    const running = timedRequest(`${gu.url}/sleep?ms=1500`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const queued = timedRequest(`${gu.url}/sleep?ms=10`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const refused = await timedRequest(`${gu.url}/sleep?ms=10`);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    // At once: not after the running request.
    expect(refused.elapsedMs).toBeLessThan(700);
    expect((await running).status).toBe(200);
    const served = await queued;
    expect([served.status, served.body.toString()]).toEqual([200, 'slept 10']);
  });

  it('answers 504 for a request still running after timeout, replaces its thread, and serves others meanwhile', async () => {
    const gu = await startGu([plainApp, ...threads, '--threads', '2', '--thread-concurrency', '1', '-t', '2']);
    const hung = timedRequest(`${gu.url}/hang`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = await httpGet(`${gu.url}/hello`);
    expect(during.body).toBe('hello');
    const answer = await hung;
    expect(answer.status).toBe(504);
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(1900);
    expect(answer.elapsedMs).toBeLessThan(4500);
    await gu.waitForLog(/GET \/hang still running after 2 s: terminating worker thread \d+|Worker thread \d+ silent for 2 s/);
    await gu.waitForLog(/Worker thread \d+ ready/);
    // The process was not killed: the same worker serves, on two threads again.
    const both = await Promise.all([1, 2].map(() => timedRequest(`${gu.url}/sleep?ms=300`)));
    expect(new Set(both.map((r) => r.headers['x-thread'])).size).toBe(2);
    expect(gu.matches(/Booting worker with pid/g)).toHaveLength(1);
  });

  it('answers 500 for the requests of a thread that crashes, logs the stack, and replaces the thread', async () => {
    const gu = await startGu([plainApp, ...threads, '--threads', '1']);
    const crashed = await timedRequest(`${gu.url}/crash`);
    expect(crashed.status).toBe(500);
    await gu.waitForLog(/Error: crash outside any request\n\s+at /);
    const after = await httpGet(`${gu.url}/hello`);
    expect(after.body).toBe('hello');
    const thrown = await timedRequest(`${gu.url}/throw`);
    expect(thrown.status).toBe(500);
    await gu.waitForLog(/Error handling request GET \/throw HTTP\/1\.1\nError: boom in the handler\n\s+at /);
  });

  it('owns its heartbeat: a thread wedged outside any request is found silent and replaced, the process kept', async () => {
    const gu = await startGu([join(fixtures, 'wedge-app.mjs'), ...threads, '--threads', '1', '-t', '2']);
    const [pid, thread] = (await httpGet(`${gu.url}/`)).body.split(' ');
    expect((await httpGet(`${gu.url}/wedge`)).body).toBe('wedging');
    await gu.waitForLog(new RegExp(`Worker thread ${thread} silent for 2 s: terminating it`));
    const after = (await httpGet(`${gu.url}/`, { timeoutMs: 8000 })).body.split(' ');
    expect(after[0]).toBe(pid);
    expect(after[1]).not.toBe(thread);
    expect(gu.stderr).not.toMatch(/WORKER TIMEOUT/);
  });

  it('stops with exit 4 and the app’s message once when the app fails to load in the threads', async () => {
    const result = await runGu([join(fixtures, 'broken-app.mjs'), ...threads, '-w', '2', '--threads', '2']);
    expect(result.code).toBe(4);
    const reasons = result.stderr.split('\n').filter((line) => line.includes('the database URL is not set'));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/Cannot load app ".*broken-app\.mjs": importing .* threw Error: the database URL is not set/);
    expect(result.stderr).toContain('Reason: App failed to load.');
  });
});
