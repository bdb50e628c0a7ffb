// Gunicorn's server hooks, set in the config file: each called in the right process, with the right
// arguments; async ones awaited; failing ones logged without taking the server down.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu, tempDir } from '@gu/testkit';
import { isRunning, until } from './processes.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const app = join(fixtures, 'e2e/pid-app.mjs');
const base = ['-b', '127.0.0.1:0', '-k', join(fixtures, 'e2e/minimal-worker.mjs')];

afterEach(cleanUp);

interface Line {
  readonly hook: string;
  readonly pid: number;
  readonly [detail: string]: unknown;
}

/** Starts gu with the recording config; `lines()` reads what the hooks wrote so far. */
async function recorded(extra: string[] = []): Promise<{ gu: Awaited<ReturnType<typeof startGu>>; lines: () => Line[] }> {
  const log = join(tempDir('gu-hooks-'), 'hooks.jsonl');
  const gu = await startGu([app, ...base, '-c', join(fixtures, 'hooks/recording.config.mjs'), ...extra], { env: { HOOK_LOG: log } });
  const lines = (): Line[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Line)
      : [];
  return { gu, lines };
}

const named = (lines: Line[], hook: string): Line[] => lines.filter((line) => line.hook === hook);

describe('server hooks', () => {
  it('runs the arbiter hooks in the arbiter and the worker hooks in the worker, in order', async () => {
    const { gu, lines } = await recorded();
    const [worker] = gu.workerPids;
    await httpGet(`${gu.url}/hello`);
    await until(() => named(lines(), 'postRequest').length === 1, 'post_request');
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);

    const order = lines().map((line) => line.hook);
    expect(order.slice(0, 6)).toEqual(['onStarting', 'nworkersChanged', 'whenReady', 'preFork', 'postFork', 'postWorkerInit']);
    expect(order.slice(-3)).toEqual(['workerExit', 'childExit', 'onExit']);
    for (const hook of ['onStarting', 'whenReady', 'preFork', 'childExit', 'nworkersChanged', 'onExit']) {
      expect(named(lines(), hook)[0]!.pid, hook).toBe(gu.pid);
    }
    for (const hook of ['postFork', 'postWorkerInit', 'preRequest', 'postRequest', 'workerExit']) {
      expect(named(lines(), hook)[0]!.pid, hook).toBe(worker);
    }
    expect(named(lines(), 'whenReady')[0]).toMatchObject({ arbiter: gu.pid, workers: 1, generation: 1, live: 0 });
    expect(named(lines(), 'preFork')[0]).toMatchObject({ worker: 0, age: 1, generation: 1, timeout: 30 });
    expect(named(lines(), 'postFork')[0]).toMatchObject({ arbiter: gu.pid, worker, age: 1 });
    expect(named(lines(), 'preRequest')[0]).toMatchObject({ worker, url: '/hello' });
    expect(named(lines(), 'postRequest')[0]).toMatchObject({ worker, url: '/hello', status: 200 });
    expect(named(lines(), 'childExit')[0]).toMatchObject({ arbiter: gu.pid, worker });
    expect(named(lines(), 'nworkersChanged')[0]).toMatchObject({ now: 1, before: null });
  });

  it('runs nworkers_changed on TTIN and on_reload on HUP', async () => {
    const { gu, lines } = await recorded();
    gu.signal('SIGTTIN');
    await until(() => named(lines(), 'nworkersChanged').length === 2, 'nworkers_changed');
    expect(named(lines(), 'nworkersChanged')[1]).toMatchObject({ pid: gu.pid, now: 2, before: 1 });
    gu.signal('SIGHUP');
    await until(() => named(lines(), 'onReload').length === 1, 'on_reload');
    // The new settings (workers: 1 from the config file) are in place when on_reload runs.
    expect(named(lines(), 'onReload')[0]).toMatchObject({ pid: gu.pid, generation: 2, workers: 1 });
  });

  it('runs worker_int on INT and worker_abort on SIGABRT, in the worker', async () => {
    const { gu, lines } = await recorded(['-w', '2']);
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    const [first, second] = gu.workerPids;
    process.kill(first!, 'SIGABRT');
    await until(() => named(lines(), 'workerAbort').length === 1, 'worker_abort');
    expect(named(lines(), 'workerAbort')[0]).toMatchObject({ pid: first, worker: first });
    expect(isRunning(first!)).toBe(true);
    process.kill(second!, 'SIGINT');
    await until(() => named(lines(), 'workerInt').length === 1, 'worker_int');
    expect(named(lines(), 'workerInt')[0]).toMatchObject({ pid: second, worker: second });
  });

  it('runs pre_exec in the old arbiter on USR2', async () => {
    const { gu, lines } = await recorded();
    gu.signal('SIGUSR2');
    await until(() => named(lines(), 'preExec').length === 1, 'pre_exec');
    expect(named(lines(), 'preExec')[0]).toMatchObject({ pid: gu.pid });
    await gu.waitForLog(/Arbiter booted/, 2);
  });

  it('logs a hook that throws or hangs, and keeps serving', async () => {
    const gu = await startGu([app, ...base, '-t', '1', '-c', join(fixtures, 'hooks/failing.config.mjs')]);
    expect(gu.stderr).toMatch(/\[ERROR\] Exception in when_ready hook\n[\s\S]*Error: when_ready exploded/);
    gu.signal('SIGTTIN');
    await gu.waitForLog(/nworkers_changed hook still running after 1 s: going on without it/, 1);
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
  });

  it('treats a post_worker_init that throws as a failed boot', async () => {
    const result = await runGu([app, ...base, '-c', join(fixtures, 'hooks/post-worker-init-throws.config.mjs')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('the cache warm-up failed');
    expect(result.stderr.match(/Booting worker/g)).toHaveLength(1);
  });

  it('shows which hooks are set in --print-config', async () => {
    const result = await runGu([app, '--print-config', '-c', join(fixtures, 'hooks/failing.config.mjs')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^when_ready\s+= function whenReady$/m);
    expect(result.stdout).toMatch(/^nworkers_changed\s+= function nworkersChanged$/m);
    expect(result.stdout).toMatch(/^on_starting\s+= -$/m);
  });
});
