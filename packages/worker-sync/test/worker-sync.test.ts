import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';
import { timedGet } from './timed-get.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const cpuApp = join(fixtures, 'cpu-app.mjs');
// The async worker's apps, served here one request at a time.
const asyncFixtures = join(import.meta.dirname, '../../worker-async/test/fixtures');
const slowApp = join(asyncFixtures, 'slow-app.mjs');
const sync = ['-k', 'sync', '-b', '127.0.0.1:0'];

afterEach(cleanUp);

describe('@gu/worker-sync', () => {
  it.each(['sync', '@gu/worker-sync'])('-k %s selects it; every response closes its connection', async (k) => {
    const gu = await startGu([cpuApp, '-k', k, '-b', '127.0.0.1:0', '--keep-alive', '5']);
    expect(gu.stderr).toContain(`Using worker: ${k}`);
    const res = await httpGet(`${gu.url}/`, { headers: { connection: 'keep-alive' } });
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(res.headers['keep-alive']).toBeUndefined();
  });

  it('serves one request at a time per process, even for a handler that waits asynchronously', async () => {
    const gu = await startGu([slowApp, ...sync, '-w', '1']);
    const started = performance.now();
    const answers = await Promise.all([0, 1, 2].map((id) => httpGet(`${gu.url}/?delay=300&id=${id}`)));
    expect(answers.map((answer) => answer.body).sort()).toEqual(['done 0', 'done 1', 'done 2']);
    // The app never had two requests at once, so three 300 ms requests took at least 900 ms.
    expect(answers.map((answer) => answer.headers['x-max-active'])).toEqual(['1', '1', '1']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('serves an Express 5 app, every answer (201, 404) with Connection: close', async () => {
    const gu = await startGu([`${join(asyncFixtures, 'express-app.mjs')}:app`, ...sync, '-w', '2'], { workers: 2 });
    const res = await httpGet(`${gu.url}/users/42`);
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.body)).toMatchObject({ id: '42' });
    const echoed = await fetch(`${gu.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":"gu"}' });
    expect(echoed.status).toBe(201);
    expect(echoed.headers.get('connection')).toBe('close');
    expect(await echoed.json()).toEqual({ hello: 'gu' });
    // Express's own 404 closes its connection too.
    const missing = await httpGet(`${gu.url}/missing`, { headers: { connection: 'keep-alive' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.connection).toBe('close');
  });

  // The guarantee: a busy worker holds no connection an idle worker could serve.
  it.each([0, 100])(
    '2 workers, a 2 s CPU-bound request, 5 quick requests %i ms later on new connections: each answered in < 300 ms',
    async (laterMs) => {
      const gu = await startGu([cpuApp, ...sync, '-w', '2'], { workers: 2 });
      // Warm both workers' paths once, so a first-request compile does not count.
      await Promise.all([timedGet(`${gu.url}/`), timedGet(`${gu.url}/`)]);
      const slow = timedGet(`${gu.url}/?ms=2000`);
      if (laterMs > 0) await new Promise((resolve) => setTimeout(resolve, laterMs));
      const quick = await Promise.all(Array.from({ length: 5 }, () => timedGet(`${gu.url}/`)));
      const slowAnswer = await slow;
      expect(slowAnswer.status).toBe(200);
      expect(slowAnswer.ms).toBeGreaterThanOrEqual(2000);
      for (const answer of quick) {
        expect(answer.status).toBe(200);
        expect(answer.connection).toBe('close');
      }
      expect(quick.map((answer) => Math.round(answer.ms)).filter((ms) => ms >= 300)).toEqual([]);
    },
  );

  // A worker whose loop is free while its request waits must not accept either (the CPU-bound cases
  // above cannot tell: a blocked loop accepts nothing, paused or not).
  it('2 workers, a 2 s request that waits asynchronously, 5 quick requests once it started: each answered in < 300 ms', async () => {
    const gu = await startGu([slowApp, ...sync, '-w', '2'], { workers: 2 });
    await Promise.all([timedGet(`${gu.url}/`), timedGet(`${gu.url}/`)]);
    const slow = timedGet(`${gu.url}/?delay=2000&id=slow`);
    await gu.waitForLog(/app: started \/\?delay=2000/);
    const quick = await Promise.all(Array.from({ length: 5 }, (_, id) => timedGet(`${gu.url}/?id=${id}`)));
    const slowAnswer = await slow;
    expect(slowAnswer.body).toBe('done slow');
    expect(slowAnswer.ms).toBeGreaterThanOrEqual(2000);
    expect(quick.map((answer) => answer.body)).toEqual(['done 0', 'done 1', 'done 2', 'done 3', 'done 4']);
    expect(quick.map((answer) => Math.round(answer.ms)).filter((ms) => ms >= 300)).toEqual([]);
  });

  it('a lower --client-header-timeout is the sync head deadline: a silent client is answered 408 after it', async () => {
    const gu = await startGu([cpuApp, ...sync, '-w', '1', '--client-header-timeout', '1']);
    const started = performance.now();
    const silent = await openConnection(Number(new URL(gu.url).port));
    try {
      expect(await silent.closed).toMatch(/^HTTP\/1\.1 408 /);
      // 1 s, and the sweep's tenth of it; 5 s (the sync cap) would fail this.
      expect(performance.now() - started).toBeLessThan(2500);
      expect((await timedGet(`${gu.url}/`)).status).toBe(200);
    } finally {
      silent.socket.destroy();
    }
  });

  it('a worker blocked past --timeout is killed and replaced: its client is cut, the next requests are served', async () => {
    const gu = await startGu([cpuApp, ...sync, '-w', '1', '--timeout', '2'], { workers: 1 });
    const [first] = gu.workerPids;
    const blocked = timedGet(`${gu.url}/?ms=60000`).then(
      () => 'answered',
      (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error),
    );
    await gu.waitForLog(/app: burning 60000 ms/);
    // Sent while the only worker is blocked: it waits in the backlog for the replacement.
    const next = timedGet(`${gu.url}/`);
    await gu.waitForLog(/WORKER TIMEOUT \(pid:\d+\)/);
    expect(await blocked).toMatch(/ECONNRESET|socket hang up/);
    const answer = await next;
    expect(answer.status).toBe(200);
    expect(Number(answer.body)).not.toBe(first);
    expect(Number((await httpGet(`${gu.url}/`)).body)).toBe(Number(answer.body));
  }, 30_000);

  // The clients keep their side open after the 408, as a slowloris does: the worker must not wait for them.
  it('2 idle connections (one silent, one trickling its head) cannot pin 2 workers past the 5 s head deadline', async () => {
    const gu = await startGu([cpuApp, ...sync, '-w', '2'], { workers: 2 });
    const port = Number(new URL(gu.url).port);
    const silent = await openConnection(port);
    const trickling = await openConnection(port);
    const trickle = setInterval(() => trickling.socket.write('X'), 200);
    trickling.socket.write('GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ');
    try {
      // Both workers hold one connection each; this request waits in the backlog.
      const answer = await timedGet(`${gu.url}/`);
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeLessThan(5000 + 1000);
      // The idle connections were cut at the deadline, the trickling one with a 408.
      expect(await silent.closed).toMatch(/^(HTTP\/1\.1 408 [\s\S]*)?$/);
      expect(await trickling.closed).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
      silent.socket.destroy();
      trickling.socket.destroy();
    }
  }, 20_000);
});

/**
 * A raw connection that has not sent anything and never closes its side (allowHalfOpen: the server's
 * FIN does not end it); `closed` resolves with what it received once the server closed its side.
 */
async function openConnection(port: number): Promise<{ socket: net.Socket; closed: Promise<string> }> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let received = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => {
    socket.once('end', () => { resolve(received); });
    socket.once('close', () => { resolve(received); });
  });
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, closed };
}
