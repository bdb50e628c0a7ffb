import { createSocket, type Socket } from 'node:dgram';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, httpGet, startGu } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const crashApp = join(fixtures, 'crash-app.mjs');
const base = ['-b', '127.0.0.1:0', '-k', join(fixtures, 'minimal-worker.mjs')];

/** A StatsD server in the test: every metric line it receives, in order. */
class StatsdListener {
  readonly lines: string[] = [];
  private readonly socket: Socket = createSocket('udp4');
  private waiting: { test: () => boolean; resolve: () => void } | null = null;

  async start(): Promise<string> {
    this.socket.on('message', (datagram) => {
      this.lines.push(...datagram.toString().split('\n').filter(Boolean));
      if (this.waiting?.test()) this.waiting.resolve();
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${this.socket.address().port}`;
  }

  /** Resolves once the lines received satisfy `test`; fails after `timeoutMs`. */
  until(test: (lines: readonly string[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (test(this.lines)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`StatsD lines so far:\n${this.lines.join('\n')}`)); }, timeoutMs);
      this.waiting = { test: () => test(this.lines), resolve: () => { clearTimeout(timer); resolve(); } };
    });
  }

  close(): void {
    this.socket.close();
  }
}

const listeners: StatsdListener[] = [];
afterEach(async () => {
  await cleanUp();
  for (const listener of listeners.splice(0)) listener.close();
});

async function statsdListener(): Promise<{ listener: StatsdListener; address: string }> {
  const listener = new StatsdListener();
  listeners.push(listener);
  return { listener, address: await listener.start() };
}

const count = (lines: readonly string[], line: string): number => lines.filter((l) => l === line).length;

describe('StatsD (statsd_host, statsd_prefix, dogstatsd_tags)', () => {
  it("sends Gunicorn's metrics: requests, duration and status from the workers, the worker gauge and log counters from the arbiter", async () => {
    const { listener, address } = await statsdListener();
    const gu = await startGu([crashApp, ...base, '-w', '2', '--statsd-host', address, '--statsd-prefix', 'app', '--dogstatsd-tags', 'env:test,team:web']);
    for (let i = 0; i < 3; i += 1) expect((await httpGet(`${gu.url}/ok/${i}`)).status).toBe(200);
    expect((await httpGet(`${gu.url}/throw`)).status).toBe(500);
    const tags = '|#env:test,team:web';
    await listener.until((lines) => count(lines, `app.gunicorn.requests:1|c${tags}`) === 4 && lines.includes(`app.gunicorn.log.exception:1|c${tags}`));
    expect(count(listener.lines, `app.gunicorn.request.status.200:1|c${tags}`)).toBe(3);
    expect(count(listener.lines, `app.gunicorn.request.status.500:1|c${tags}`)).toBe(1);
    const durations = listener.lines.filter((line) => line.startsWith('app.gunicorn.request.duration:'));
    expect(durations).toHaveLength(4);
    for (const line of durations) expect(line).toMatch(new RegExp(`^app\\.gunicorn\\.request\\.duration:\\d+(\\.\\d+)?\\|ms\\|#env:test,team:web$`));
    await listener.until((lines) => lines.includes(`app.gunicorn.workers:2|g${tags}`));
    // TTOU: the gauge follows the number of workers.
    gu.signal('SIGTTOU');
    await listener.until((lines) => lines.includes(`app.gunicorn.workers:1|g${tags}`));
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
  });

  it('names the metrics gu.* with --statsd-namespace gu, without prefix or tags by default', async () => {
    const { listener, address } = await statsdListener();
    const gu = await startGu([crashApp, ...base, '--statsd-host', address, '--statsd-namespace', 'gu']);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
    await listener.until((lines) => lines.includes('gu.requests:1|c') && lines.includes('gu.workers:1|g'));
    expect(listener.lines.some((line) => line.includes('gunicorn'))).toBe(false);
  });

  it('counts the arbiter\'s critical and error records (a WORKER TIMEOUT) as log.critical and log.error', async () => {
    const { listener, address } = await statsdListener();
    const gu = await startGu([join(fixtures, 'block-app.mjs'), ...base, '--timeout', '1', '--statsd-host', address]);
    void httpGet(`${gu.url}/block`, { timeoutMs: 20_000 }).catch(() => undefined);
    await gu.waitForLog(/WORKER TIMEOUT \(pid:\d+\)/);
    await listener.until((lines) => lines.includes('gunicorn.log.critical:1|c') && lines.includes('gunicorn.log.error:1|c'));
  });

  it('serves on when nothing listens at the StatsD address (UDP: nothing waits for it)', async () => {
    const { listener, address } = await statsdListener();
    listener.close();
    listeners.length = 0;
    const gu = await startGu([crashApp, ...base, '--statsd-host', address]);
    for (let i = 0; i < 20; i += 1) expect((await httpGet(`${gu.url}/n/${i}`)).status).toBe(200);
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
  });
});
