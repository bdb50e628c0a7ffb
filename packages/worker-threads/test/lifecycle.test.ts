import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';
import { timedRequest } from './support.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const plainApp = join(fixtures, 'plain-app.mjs');
const threads = ['-k', 'threads', '-b', '127.0.0.1:0'];

afterEach(cleanUp);

describe('@gu/worker-threads: the worker life cycle', () => {
  it('runs pre_request and post_request on the main thread around the dispatch', async () => {
    const gu = await startGu([join(fixtures, 'wedge-app.mjs'), ...threads, '-c', join(fixtures, 'hooks.config.mjs')]);
    const res = await httpGet(`${gu.url}/x`);
    // The header the pre_request hook set reached the app in its thread.
    expect(res.body.split(' ')[2]).toBe('pre');
    await gu.waitForLog(/pre_request GET \/x[\s\S]*post_request \/x 200/);
  });

  it('finishes an in-flight request on a graceful stop (TERM)', async () => {
    const gu = await startGu([plainApp, ...threads]);
    const slow = timedRequest(`${gu.url}/sleep?ms=800`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    gu.signal('SIGTERM');
    const res = await slow;
    expect([res.status, res.body.toString()]).toEqual([200, 'slept 800']);
    expect((await gu.exited).code).toBe(0);
  });

  it('counts max_requests over all threads and replaces the worker, losing no request', async () => {
    const gu = await startGu([plainApp, ...threads, '--threads', '2', '--max-requests', '6']);
    const first = gu.workerPids[0];
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++) {
      const batch = await Promise.all(Array.from({ length: 4 }, () => timedRequest(`${gu.url}/sleep?ms=20`)));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses).toEqual(Array(16).fill(200));
    await gu.waitForLog(/Autorestarting worker after current request/);
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    expect(gu.workerPids.filter((pid) => pid !== first).length).toBeGreaterThan(0);
  });

  it('reloads on HUP: a new generation of threads serves, the in-flight request finishes', async () => {
    const gu = await startGu([plainApp, ...threads, '--threads', '2']);
    const slow = timedRequest(`${gu.url}/sleep?ms=600`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    gu.signal('SIGHUP');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    expect((await slow).status).toBe(200);
    expect((await httpGet(`${gu.url}/hello`)).body).toBe('hello');
  });
});
