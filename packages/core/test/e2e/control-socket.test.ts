import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, guBin, httpGet, runGu, startGu, tempDir, type GuProcess } from '@gu/testkit';
import { isRunning, until } from './processes.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const base = ['-b', '127.0.0.1:0', '-k', join(fixtures, 'minimal-worker.mjs')];

afterEach(cleanUp);

async function startWithSocket(workers: number, extra: string[] = []): Promise<{ gu: GuProcess; socket: string; dir: string }> {
  const dir = tempDir('gu-ctl-');
  const socket = join(dir, 'gu.ctl');
  const gu = await startGu([app, ...base, '-w', String(workers), '--control-socket', socket, ...extra], { workers });
  return { gu, socket, dir };
}

/** Runs `gu ctl ARGS` to completion (bounded): its exit code and output. */
function runCtl(args: readonly string[], timeoutMs = 15_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [guBin, 'ctl', ...args], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function ctlJson<T>(socket: string, ...command: string[]): Promise<T> {
  const result = await runCtl(['--control-socket', socket, ...command, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Sends raw bytes to the control socket and collects everything it answers until it closes (bounded). */
function rawExchange(socket: string, payload: string | Buffer | null, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = net.connect(socket);
    let received = '';
    const timer = setTimeout(() => {
      client.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${JSON.stringify(received)}`));
    }, timeoutMs);
    client.setEncoding('utf8');
    client.on('data', (chunk: string) => (received += chunk));
    client.on('error', () => undefined);
    client.once('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    if (payload !== null) client.write(payload);
  });
}

/** One request line on a fresh connection; resolves with the first answer line, parsed. */
function rawRequest(socket: string, line: string): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const client = net.connect(socket);
    let received = '';
    client.setEncoding('utf8');
    client.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end === -1) return;
      client.destroy();
      resolve(JSON.parse(received.slice(0, end)) as never);
    });
    client.once('error', reject);
    client.write(line);
  });
}

function socketFdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
}

interface WorkerRow { pid: number; requests?: number; inFlight?: number; rss?: number; answered: boolean; lastBeat: number }
interface Stats { requests: number; inFlight: number; exits: Record<string, number>; workers: WorkerRow[] }

describe('gu ctl over the control socket', () => {
  it('shows status and per-worker figures; the socket is 0600 and removed on exit', async () => {
    // With --metrics-bind the workers also send prom-client's JSON: /metrics reads it, gu ctl does not show it.
    const { gu, socket } = await startWithSocket(2, ['--metrics-bind', '127.0.0.1:0']);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    for (let i = 0; i < 20; i += 1) expect((await httpGet(`${gu.url}/`)).status).toBe(200);

    const status = await ctlJson<{ pid: number; generation: number; workers: number; target: number; settingsDigest: string }>(socket, 'status');
    expect(status).toMatchObject({ pid: gu.pid, generation: 1, workers: 2, target: 2 });
    expect(status.settingsDigest).toMatch(/^[0-9a-f]{12}$/);

    const stats = await ctlJson<Stats>(socket, 'stats');
    expect(stats.requests).toBe(20);
    expect(stats.inFlight).toBe(0);
    expect(stats.workers.map((worker) => worker.pid).sort()).toEqual([...gu.workerPids].sort());
    expect(stats.workers.reduce((sum, worker) => sum + (worker.requests ?? 0), 0)).toBe(20);
    for (const worker of stats.workers) {
      expect(Object.keys(worker).sort()).toEqual(['age', 'answered', 'generation', 'inFlight', 'lastBeat', 'loopDelay', 'pid', 'ready', 'requests', 'rss', 'serving', 'uptime']);
      expect(worker.answered).toBe(true);
      expect(worker.rss).toBeGreaterThan(10 * 1024 * 1024);
      expect(worker.lastBeat).toBeLessThan(5);
    }

    const table = await runCtl(['--control-socket', socket, 'workers']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^PID\s+AGE\s+GEN\s+UPTIME\s+STATE\s+REQUESTS\s+IN_FLIGHT\s+RSS_MB/);
    for (const pid of gu.workerPids) expect(table.stdout).toMatch(new RegExp(`^${pid}\\s+\\d+\\s+1\\s+`, 'm'));
    // The tables people read: the status lines, and the totals above the same worker rows.
    const statusTable = await runCtl(['--control-socket', socket, 'status']);
    expect(statusTable.code).toBe(0);
    expect(statusTable.stdout).toMatch(new RegExp(`^pid:\\s+${gu.pid}$`, 'm'));
    expect(statusTable.stdout).toMatch(/^workers:\s+2 \(target 2\)$/m);
    expect(statusTable.stdout).toMatch(/^settings digest: [0-9a-f]{12}$/m);
    const statsTable = await runCtl(['--control-socket', socket, 'stats']);
    expect(statsTable.code).toBe(0);
    expect(statsTable.stdout).toMatch(/^requests:\s+20$/m);
    expect(statsTable.stdout).toMatch(/^in flight:\s+0$/m);
    expect(statsTable.stdout).toMatch(/^worker exits: reload 0, max_requests 0, memory 0, timeout 0, crash 0, boot 0, other 0$/m);
    for (const pid of gu.workerPids) expect(statsTable.stdout).toMatch(new RegExp(`^${pid}\\s+\\d+\\s+1\\s+`, 'm'));
    expect(statsTable.stdout).toMatch(/^2 worker\(s\)$/m);

    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });

  it('counts an in-flight request, and keeps request totals across a worker it was told to kill', async () => {
    const { gu, socket } = await startWithSocket(1);
    for (let i = 0; i < 5; i += 1) await httpGet(`${gu.url}/`);
    const slow = httpGet(`${gu.url}/?delay=1500`);
    await gu.waitForLog(/app: started \/\?delay=1500/);
    expect((await ctlJson<Stats>(socket, 'stats')).inFlight).toBe(1);
    await slow;

    const [victim] = gu.workerPids;
    const killed = await ctlJson<{ pid: number }>(socket, 'worker', 'kill', String(victim));
    expect(killed.pid).toBe(victim);
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    await until(() => !isRunning(victim!), `worker ${victim} to exit`);
    const stats = await ctlJson<Stats>(socket, 'stats');
    // Its 6 requests stay in the total although the worker that served them is gone.
    expect(stats.requests).toBe(6);
    expect(stats.exits.other).toBe(1);
    expect(stats.workers.map((worker) => worker.pid)).not.toContain(victim);
  });

  it('scales, reloads, and refuses bad commands with the documented exit codes', async () => {
    const { gu, socket } = await startWithSocket(1);
    expect(await ctlJson(socket, 'scale', '3')).toEqual({ previous: 1, target: 3 });
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 3);
    expect((await ctlJson<{ workers: number }>(socket, 'status')).workers).toBe(3);

    const reload = await ctlJson<{ generation: number }>(socket, 'reload');
    expect(reload.generation).toBe(2);

    const refusals: [string[], number, RegExp][] = [
      [['scale', '0'], 2, /scale: invalid worker count 0 \(expected an integer from 1 to 256\)/],
      [['scale', '100000'], 2, /expected an integer from 1 to 256/],
      [['scale', 'many'], 2, /scale N: expected one integer/],
      [['worker', 'kill', String(gu.pid)], 1, /GU_ERR_CTL_REFUSED: refused: pid \d+ is not a serving worker of this arbiter/],
      [['frobnicate'], 2, /unknown command "frobnicate"/],
      [['status', '--bogus'], 2, /unknown option --bogus/],
    ];
    for (const [command, code, message] of refusals) {
      const result = await runCtl(['-s', socket, ...command]);
      expect(result.code, command.join(' ')).toBe(code);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    const missing = await runCtl(['-s', join(tempDir(), 'none.ctl'), 'status']);
    expect(missing.code).toBe(6);
    expect(missing.stderr).toMatch(/cannot reach an arbiter at .*none\.ctl: no such socket/);
    const help = await runCtl(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: gu ctl [--control-socket PATH]');
    expect(help.stdout).toContain('worker kill PID');
  });

  it('answers bad input with one error line and closes, and many clients cost the workers nothing', async () => {
    const { gu, socket } = await startWithSocket(1, ['--health-bind', '127.0.0.1:0']);
    const [, healthPort] = (await gu.waitForLog(/Health endpoints at: http:\/\/127\.0\.0\.1:(\d+)/))[0] ?? [];

    expect(await rawRequest(socket, 'hello\n')).toMatchObject({ ok: false, error: { code: 'GU_ERR_CTL_REQUEST' } });
    expect(await rawRequest(socket, '{"command":"nope"}\n')).toMatchObject({ ok: false, error: { code: 'GU_ERR_CTL_COMMAND' } });
    expect(await rawRequest(socket, '[1,2]\n')).toMatchObject({ ok: false, error: { code: 'GU_ERR_CTL_REQUEST' } });

    const huge = await rawExchange(socket, Buffer.alloc(10 * 1024 * 1024, 'a'));
    const hugeAnswer = JSON.parse(huge.trim()) as { ok: boolean; error: { code: string; message: string } };
    expect(hugeAnswer).toMatchObject({ ok: false, error: { code: 'GU_ERR_CTL_REQUEST' } });
    expect(hugeAnswer.error.message).toMatch(/longer than 65536 bytes/);

    // A client that connects and says nothing is told so and closed.
    const idle = rawExchange(socket, null);
    // Clients that hang on: past 16, each gets one refusal line and is closed.
    const hanging = Array.from({ length: 40 }, () => net.connect(socket));
    const refusalLines = hanging.map(
      (client) =>
        new Promise<string>((resolve) => {
          let text = '';
          client.setEncoding('utf8');
          client.on('data', (chunk: string) => (text += chunk));
          client.on('error', () => undefined);
          client.once('close', () => { resolve(text); });
        }),
    );
    try {
      for (let i = 0; i < 10; i += 1) expect((await httpGet(`${gu.url}/`)).status).toBe(200);
      expect((await httpGet(`http://127.0.0.1:${healthPort}/livez`)).status).toBe(200);
      const idleAnswer = JSON.parse((await idle).trim()) as { error: { message: string } };
      expect(idleAnswer.error.message).toMatch(/none came within 5 s/);
    } finally {
      for (const client of hanging) client.destroy();
    }
    const answers = await Promise.all(refusalLines);
    const refused = answers.filter((text) => text.includes('GU_ERR_CTL_REFUSED'));
    expect(refused.length).toBeGreaterThanOrEqual(40 - 16);
    // The arbiter still answers, and still serves.
    expect((await ctlJson<{ workers: number }>(socket, 'status')).workers).toBe(1);
    expect(gu.stderr).not.toMatch(/Traceback|internal error|Control command failed/);
  });

  it('keeps one control socket and one listening fd across HUPs (Gunicorn #3648) and still answers', async () => {
    const { gu, socket, dir } = await startWithSocket(2);
    const before = socketFdCount(gu.pid);
    for (let i = 1; i <= 3; i += 1) {
      gu.signal('SIGHUP');
      await gu.waitForLog(/Reload done: generation \d+ is serving/, i);
    }
    const bootedBeforeLast = gu.workerPids.slice(0, -2);
    await until(() => bootedBeforeLast.every((pid) => !isRunning(pid)), 'the replaced workers to exit');
    // Same workers count, so the same IPC channels: any extra socket would be a leak.
    await until(() => socketFdCount(gu.pid) === before, `the arbiter's socket fds back to ${before}`, 5000);
    expect(readdirSync(dir)).toEqual(['gu.ctl']);
    expect((await ctlJson<{ generation: number }>(socket, 'status')).generation).toBe(4);
  });

  it('refuses an unusable path before binding anything (exit 2, one line), and replaces a stale socket', async () => {
    const dir = tempDir('gu-ctl-');
    const noDir = await runGu([app, ...base, '--control-socket', join(dir, 'missing', 'gu.ctl')]);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr.trim().split('\n').at(-1)).toMatch(/^gu: error: control_socket \(--control-socket\): cannot use ".*gu\.ctl": directory .*missing does not exist$/);
    expect(noDir.stderr).not.toContain('Listening at');

    const socket = join(dir, 'gu.ctl');
    const first = await startGu([app, ...base, '--control-socket', socket]);
    const second = await runGu([app, ...base, '--control-socket', socket]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/control_socket \(--control-socket\): cannot use .*: a running gu already listens on it/);
    expect(second.stderr).not.toContain('Listening at');
    first.signal('SIGTERM');
    await first.exited;

    // A socket file whose owner was killed (nobody listens) is replaced.
    const holder = spawn(process.execPath, ['-e', 'require("net").createServer().listen(process.argv[1])', socket], { stdio: 'ignore' });
    try {
      await until(() => existsSync(socket), 'the stale socket file');
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(existsSync(socket)).toBe(true);
    const third = await startGu([app, ...base, '--control-socket', socket]);
    expect((await ctlJson<{ pid: number }>(socket, 'status')).pid).toBe(third.pid);
  });

  it('after USR2, the new arbiter takes the control socket and the health port once the old one exits', async () => {
    const dir = tempDir('gu-ctl-');
    const socket = join(dir, 'gu.ctl');
    // A port the kernel just gave out and took back: the health port must be the same for both arbiters.
    const healthPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => { resolve(port); });
      });
    });
    const gu = await startGu([app, ...base, '--control-socket', socket, '--health-bind', `127.0.0.1:${healthPort}`]);
    gu.signal('SIGUSR2');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    await gu.waitForLog(/control_socket: .* is still the old arbiter's; taking it when it exits/);
    await gu.waitForLog(/health_bind: .* is still the old arbiter's; taking it when it exits/);
    const [, next] = gu.arbiterPids;
    expect((await ctlJson<{ pid: number }>(socket, 'status')).pid).toBe(gu.pid);

    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    await gu.waitForLog(/Control socket at: /, 2);
    expect((await ctlJson<{ pid: number }>(socket, 'status')).pid).toBe(next);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    await gu.waitForLog(/Health endpoints at: /, 2);
    expect((await httpGet(`http://127.0.0.1:${healthPort}/readyz`)).status).toBe(200);

    process.kill(next!, 'SIGTERM');
    await until(() => !isRunning(next!), 'the new arbiter to exit');
    expect(existsSync(socket)).toBe(false);
  }, 30_000);
});
