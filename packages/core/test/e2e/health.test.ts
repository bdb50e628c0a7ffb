import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu, type GuProcess } from '@gu/testkit';
import { sendRaw } from '../support/raw-http.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const base = ['-b', '127.0.0.1:0', '-k', join(fixtures, 'minimal-worker.mjs')];

afterEach(cleanUp);

async function startWithHealth(extra: string[] = []): Promise<{ gu: GuProcess; health: string }> {
  const gu = await startGu([app, ...base, '--health-bind', '127.0.0.1:0', ...extra]);
  const [, port] = (await gu.waitForLog(/Health endpoints at: http:\/\/127\.0\.0\.1:(\d+)/))[0] ?? [];
  return { gu, health: `http://127.0.0.1:${port}` };
}

/** Whether a TCP connection to `url`'s port is accepted (it is closed at once). */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => { resolve(false); });
  });
}

/** The status of GET `url`, or 0 when nothing answers. */
async function statusOf(url: string): Promise<number> {
  try {
    return (await httpGet(url, { timeoutMs: 2000 })).status;
  } catch {
    return 0;
  }
}

describe('health endpoints (--health-bind)', () => {
  it('answers /livez and /readyz 200 while serving, 404 for anything else, and survives bad clients', async () => {
    const { health } = await startWithHealth();
    expect(await httpGet(`${health}/livez`)).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await httpGet(`${health}/readyz`)).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await httpGet(`${health}/readyz?verbose=1`)).status).toBe(200);
    expect((await httpGet(`${health}/metrics`)).status).toBe(404);
    expect((await httpGet(`${health}/livez`, { method: 'POST' })).status).toBe(404);

    // Garbage, an oversized head, and a client that opens and says nothing: each costs only itself.
    expect((await sendRaw(health, 'not http at all\r\n\r\n')).status).not.toBe(200);
    expect((await sendRaw(health, `GET /livez HTTP/1.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`)).status).not.toBe(200);
    const silent = net.connect(Number(new URL(health).port), '127.0.0.1');
    silent.on('error', () => undefined);
    try {
      expect(await httpGet(`${health}/livez`)).toMatchObject({ status: 200 });
    } finally {
      silent.destroy();
    }
  });

  it("turns /livez 503 while the arbiter's loop is stuck (a hook that does not return), and 200 once it turns again", async () => {
    const { gu, health } = await startWithHealth(['-t', '8', '-c', join(fixtures, '../hooks/stuck-reload.config.mjs')]);
    expect(await statusOf(`${health}/livez`)).toBe(200);
    gu.signal('SIGHUP');
    await expect.poll(() => statusOf(`${health}/livez`), { timeout: 10_000, interval: 250 }).toBe(503);
    // The arbiter gives the hook up after --timeout, and its loop turns again.
    await expect.poll(() => statusOf(`${health}/livez`), { timeout: 10_000, interval: 250 }).toBe(200);
  }, 30_000);

  it('turns /readyz 503 as TERM arrives, before the app port refuses, and keeps it 503 while draining', async () => {
    const { gu, health } = await startWithHealth();
    // An in-flight request keeps the worker draining (and the arbiter stopping) for a while.
    const slow = httpGet(`${gu.url}/?delay=1500`);
    await gu.waitForLog(/app: started \/\?delay=1500/);
    const observations: { appAccepts: boolean; ready: number }[] = [];
    let sent = false;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      // The app port first, then readiness: if the port already refuses, readiness must already say 503.
      const appAccepts = await accepts(gu.url);
      const ready = await statusOf(`${health}/readyz`);
      observations.push({ appAccepts, ready });
      if (!sent && observations.length >= 3) {
        gu.signal('SIGTERM');
        sent = true;
      }
      if (ready === 0) break;
    }
    expect((await slow).status).toBe(200);
    expect((await gu.exited).code).toBe(0);
    const firstUnready = observations.findIndex((o) => o.ready === 503);
    const firstRefused = observations.findIndex((o) => !o.appAccepts);
    expect(observations.slice(0, 3).every((o) => o.appAccepts && o.ready === 200)).toBe(true);
    expect(firstUnready).toBeGreaterThan(0);
    expect(firstRefused).toBeGreaterThan(0);
    expect(firstUnready).toBeLessThanOrEqual(firstRefused);
    // Never "ready" while the app port refuses.
    expect(observations.filter((o) => !o.appAccepts && o.ready === 200)).toEqual([]);
    // 503 while the worker drained its slow request, not only at the very end.
    expect(observations.filter((o) => o.ready === 503).length).toBeGreaterThan(1);
  });

  it('refuses a port in use (exit 5) and a unix address (exit 2), each in one line, before binding the app', async () => {
    const { health } = await startWithHealth();
    const taken = new URL(health).port;
    const inUse = await runGu([app, ...base, '--health-bind', `127.0.0.1:${taken}`]);
    expect(inUse.code).toBe(5);
    expect(inUse.stderr.trim().split('\n').at(-1)).toBe(`gu: error: health_bind (--health-bind): Connection in use: 127.0.0.1:${taken}`);
    expect(inUse.stderr).not.toContain('Listening at');

    const unix = await runGu([app, ...base, '--health-bind', 'unix:/tmp/health.sock']);
    expect(unix.code).toBe(2);
    expect(unix.stderr).toMatch(/health_bind.*invalid value "unix:\/tmp\/health\.sock" \(expected HOST:PORT or \[IPV6\]:PORT, or null\)/);
  });
});
