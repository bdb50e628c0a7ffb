// The load test: 500 connections trickling a request head one byte per second must not stop
// a normal client from getting answers quickly from one async worker, and all of them are closed
// once client_header_timeout passes.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, startGu } from '@gu/testkit';

const fixtures = join(import.meta.dirname, 'fixtures');
const TRICKLERS = 500;
const HEAD_DEADLINE_S = 3;
/** Sequential requests of the normal client, at most; it stops earlier once the tricklers are all closed. */
const MAX_REQUESTS = 600;

interface Trickler {
  status: string;
  answeredAfter: number | null;
  closedAfter: number | null;
  sent: number;
}

const children: { kill(): void }[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await cleanUp();
});

/** Starts the trickling clients; resolves once all are connected, with their report to come. */
async function startTricklers(url: string): Promise<{ report: Promise<Trickler[]> }> {
  const child = spawn(process.execPath, [join(fixtures, 'trickle-clients.mjs'), new URL(url).port, String(TRICKLERS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  let connected: () => void = () => undefined;
  const allConnected = new Promise<void>((resolve) => (connected = resolve));
  const report = new Promise<Trickler[]>((resolve) => {
    lines.on('line', (line) => {
      if (line === `connected ${TRICKLERS}`) connected();
      else if (line.startsWith('[')) resolve(JSON.parse(line) as Trickler[]);
    });
  });
  await allConnected;
  return { report };
}

/** One GET on the normal client's keep-alive connection; resolves with its latency in ms. */
function timedGet(agent: http.Agent, url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Infinity;

describe('500 slow clients on one async worker', () => {
  it('keep the p99 of a normal client under 50 ms, and are all closed at client_header_timeout', { timeout: 40_000 }, async () => {
    const started = performance.now();
    const gu = await startGu([join(fixtures, 'slow-app.mjs'), '-w', '1', '-b', '127.0.0.1:0', '--client-header-timeout', String(HEAD_DEADLINE_S)]);
    expect(gu.stderr).toContain('Using worker: async');
    const { report } = await startTricklers(gu.url);
    const tricklers = { done: false };
    void report.then(() => (tricklers.done = true));

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const latencies: number[] = [];
    // Through the whole life of the tricklers, their 408s and closes included.
    while (latencies.length < MAX_REQUESTS && !tricklers.done) {
      latencies.push(await timedGet(agent, `${gu.url}/?id=${latencies.length}`));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    agent.destroy();
    const closedTricklers = await report;

    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    console.log(`normal client: ${latencies.length} requests, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`);
    expect(latencies.length).toBeGreaterThanOrEqual(200);
    expect(p99).toBeLessThan(50);

    const closedAfter = closedTricklers.map((t) => t.closedAfter ?? Infinity).sort((a, b) => a - b);
    console.log(`tricklers: closed between ${closedAfter[0]?.toFixed(0)} and ${closedAfter.at(-1)?.toFixed(0)} ms after connecting`);
    expect(closedTricklers).toHaveLength(TRICKLERS);
    expect(closedTricklers.every((t) => t.status === 'HTTP/1.1 408')).toBe(true);
    // Each had sent about one byte per second, far from a whole head.
    expect(Math.max(...closedTricklers.map((t) => t.sent))).toBeLessThanOrEqual(HEAD_DEADLINE_S + 3);
    // Timed from before each connect: the server's clock, from its accept, started no earlier.
    expect(closedAfter[0]).toBeGreaterThan(HEAD_DEADLINE_S * 1000 - 50);
    expect(closedAfter.at(-1)).toBeLessThan(HEAD_DEADLINE_S * 1000 + 3000);
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
