import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const base = ['-b', '127.0.0.1:0', '-k', join(fixtures, 'minimal-worker.mjs')];

afterEach(cleanUp);

interface Answer {
  pid: string;
  /** The server said `Connection: close`. */
  close: boolean;
  /** The request went out on a kept-alive connection of an earlier one. */
  reused: boolean;
}

/** One GET on `agent` (`false`: a fresh connection); rejects on any failure, within 5 s. */
function get(port: number, agent: http.Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode === 200) resolve({ pid: body, close: res.headers.connection === 'close', reused: req.reusedSocket });
        else reject(new Error(`status ${res.statusCode}`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/**
 * Clients sending GETs back to back until stopped: some on keep-alive connections (one per client,
 * reused while the server allows), some on a fresh connection per request.
 */
class Load {
  readonly answersByPid = new Map<string, number>();
  readonly failures: string[] = [];
  closesOnKeepAlive = 0;
  reused = 0;
  private running = true;
  private readonly agents: http.Agent[];
  private readonly loops: Promise<void>[];
  private readonly waiters = new Set<() => void>();

  constructor(port: number, keepAliveClients: number, freshClients: number) {
    // `timeout` makes the Agent honour the server's `Keep-Alive: timeout=N` hint (it takes the smaller).
    this.agents = Array.from({ length: keepAliveClients }, () => new http.Agent({ keepAlive: true, maxSockets: 1, timeout: 60_000 }));
    const agents: (http.Agent | false)[] = [...this.agents, ...Array<false>(freshClients).fill(false)];
    this.loops = agents.map((agent) => this.loop(port, agent));
  }

  /** Resolves once `test()` holds after some answer; rejects after `timeoutMs`. */
  until(test: () => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`load: condition not met within ${timeoutMs} ms; answers ${JSON.stringify([...this.answersByPid])}`));
      }, timeoutMs);
      const check = (): void => {
        if (!test()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  answeredBy(pid: number): number {
    return this.answersByPid.get(String(pid)) ?? 0;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    for (const agent of this.agents) agent.destroy();
  }

  private async loop(port: number, agent: http.Agent | false): Promise<void> {
    while (this.running) {
      try {
        this.count(await get(port, agent), agent !== false);
      } catch (error) {
        this.failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  }

  private count(answer: Answer, keepAlive: boolean): void {
    this.answersByPid.set(answer.pid, (this.answersByPid.get(answer.pid) ?? 0) + 1);
    if (keepAlive && answer.close) this.closesOnKeepAlive += 1;
    if (answer.reused) this.reused += 1;
    for (const check of [...this.waiters]) check();
  }
}

describe('graceful drain under load', () => {
  it('loses no request while the worker is replaced 3 times under keep-alive and new-connection clients', async () => {
    const gu = await startGu([app, '-w', '1', ...base, '--keep-alive', '2']);
    const load = new Load(Number(new URL(gu.url).port), 4, 4);
    let current = gu.workerPids[0]!;
    try {
      for (let replaced = 1; replaced <= 3; replaced += 1) {
        // Each worker is stopped while it is busy serving both kinds of client.
        await load.until(() => load.answeredBy(current) >= 50);
        process.kill(current, 'SIGTERM');
        await gu.waitForLog(/Worker \(pid:\d+\) ready/, replaced + 1);
        current = gu.workerPids.at(-1)!;
      }
      await load.until(() => load.answeredBy(current) >= 50);
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    expect([...load.answersByPid.keys()].map(Number).sort()).toEqual([...gu.workerPids].sort());
    // The keep-alive clients did reuse connections, and each draining worker told them to close.
    expect(load.reused).toBeGreaterThan(0);
    expect(load.closesOnKeepAlive).toBeGreaterThanOrEqual(3);
    await gu.waitForLog(/Worker exiting/, 3);
    expect(gu.stderr).not.toContain('Graceful timeout');
  });
});

/** The inode of the TCP socket listening on 127.0.0.1:`port` (from /proc/net/tcp). */
function listeningInode(port: number): string {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[3] === '0A') return fields[9]!;
  }
  throw new Error(`no listening socket on port ${port}`);
}

/** Whether process `pid` has a file descriptor of socket `inode`. */
function holdsSocket(pid: number, inode: string): boolean {
  return readdirSync(`/proc/${pid}/fd`).some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
    } catch {
      return false; // closed while we looked
    }
  });
}

describe('a draining worker', () => {
  it('keeps no fd of the listening socket while it finishes a request', async () => {
    const gu = await startGu([app, '-w', '1', ...base]);
    const [worker] = gu.workerPids;
    const inode = listeningInode(Number(new URL(gu.url).port));
    expect(holdsSocket(worker!, inode)).toBe(true);
    const slow = httpGet(`${gu.url}/?delay=1500`);
    await gu.waitForLog(/app: started \/\?delay=1500/);
    process.kill(worker!, 'SIGTERM');
    // The worker closes its copies before it says it is stopping.
    await gu.waitForLog(/stopping: graceful \(SIGTERM\)/);
    expect(holdsSocket(worker!, inode)).toBe(false);
    const res = await slow;
    expect(res.body).toBe(String(worker));
    expect(res.headers.connection).toBe('close');
  });

  it('with keep-alive off: answers close every connection, a silent one is closed 1 s after accept', async () => {
    const gu = await startGu([app, '-w', '1', ...base, '--keep-alive', '0']);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const port = Number(new URL(gu.url).port);
    const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => { res.resume(); resolve(res); }).on('error', reject);
    });
    agent.destroy();
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['keep-alive']).toBeUndefined();
    const silent = net.connect(port, '127.0.0.1');
    const connectedAt = Date.now();
    const closedAt = new Promise<number>((resolve) => silent.once('close', () => { resolve(Date.now()); }));
    await new Promise((resolve) => silent.once('connect', resolve));
    await httpGet(`${gu.url}/`); // the worker has accepted the silent connection by now
    const started = Date.now();
    gu.signal('SIGTERM');
    expect((await closedAt) - connectedAt).toBeGreaterThanOrEqual(900);
    expect((await gu.exited).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
