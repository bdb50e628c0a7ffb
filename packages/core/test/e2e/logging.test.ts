import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, tempDir } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const crashApp = join(fixtures, 'crash-app.mjs');
const base = ['-b', '127.0.0.1:0', '-k', join(fixtures, 'minimal-worker.mjs')];

afterEach(cleanUp);

const gunicornLine = /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}\] \[\d+\] \[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\] .+$/;

describe('logs', () => {
  it("writes the error log in Gunicorn's shape to a file, honouring --log-level", async () => {
    const dir = tempDir('gu-log-');
    const errorlog = join(dir, 'error.log');
    const gu = await startGu([app, ...base, '--error-logfile', errorlog, '--log-level', 'info'], { workers: 0 });
    await waitFor(() => fileContains(errorlog, 'Booting worker'));
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    const lines = readFileSync(errorlog, 'utf8').trim().split('\n');
    for (const line of lines) expect(line).toMatch(gunicornLine);
    expect(lines.some((line) => line.includes(`[${gu.pid}] [INFO] Listening at: http://127.0.0.1:`))).toBe(true);
    expect(lines.some((line) => line.includes('[DEBUG]'))).toBe(false);
    expect(lines.at(-1)).toMatch(/\[INFO\] Shutting down: Arbiter$/);
    expect(gu.stderr).toBe('');
  });

  it('writes the access log to a file and keeps every line at shutdown', async () => {
    const dir = tempDir('gu-access-');
    const accesslog = join(dir, 'access.log');
    const gu = await startGu([app, ...base, '--access-logfile', accesslog]);
    for (let i = 0; i < 25; i += 1) await httpGet(`${gu.url}/n/${i}`);
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    const lines = readFileSync(accesslog, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(25);
    expect(lines[24]).toMatch(/"GET \/n\/24 HTTP\/1\.1" 200 \d+ "-" "-"$/);
  });

  it('--log-format json and --access-log-format json: one JSON object per line in both logs, errors with their stack', async () => {
    const gu = await startGu([crashApp, ...base, '--log-format', 'json', '--access-logfile', '-', '--access-log-format', 'json']);
    expect((await httpGet(`${gu.url}/n/1?q=x`, { headers: { 'user-agent': 'gu-test', referer: 'http://ref.example/' } })).status).toBe(200);
    expect((await httpGet(`${gu.url}/throw`)).status).toBe(500);
    await waitFor(() => gu.stdout.trim().split('\n').length >= 2 && gu.stderr.includes('sync boom'));
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);

    const records = gu.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) {
      expect(Object.keys(record).slice(0, 4)).toEqual(['time', 'level', 'pid', 'message']);
      expect(new Date(record.time as string).toISOString()).toBe(record.time);
    }
    expect(records).toContainEqual(expect.objectContaining({ level: 'info', pid: gu.pid, message: expect.stringMatching(/^Listening at: http:\/\/127\.0\.0\.1:\d+/) as unknown }));
    const failure = records.find((record) => record.level === 'error');
    expect(failure?.message).toBe('Error handling request GET /throw HTTP/1.1');
    expect(failure?.exception).toMatchObject({ type: 'Error', message: 'sync boom', stack: expect.stringContaining('crash-app.mjs') as unknown });

    const [first, second] = gu.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({
      remote_addr: '127.0.0.1', user: null, request: 'GET /n/1?q=x HTTP/1.1', method: 'GET', path: '/n/1', query: 'q=x',
      protocol: 'HTTP/1.1', status: 200, referer: 'http://ref.example/', user_agent: 'gu-test', scheme: 'http',
    });
    expect(typeof first?.bytes).toBe('number');
    expect(first?.duration_us).toBeGreaterThanOrEqual(0);
    expect(second).toMatchObject({ path: '/throw', status: 500, referer: null });
  });

  it('USR1 reopens the log files after rotation, in the arbiter and the workers', async () => {
    const dir = tempDir('gu-rotate-');
    const accesslog = join(dir, 'access.log');
    const gu = await startGu([app, ...base, '--access-logfile', accesslog]);
    await httpGet(`${gu.url}/before`);
    await waitFor(() => fileContains(accesslog, '/before'));
    renameSync(accesslog, `${accesslog}.1`);
    gu.signal('SIGUSR1');
    await gu.waitForLog(/Handling signal: usr1/);
    // The worker reopens on its own USR1; a request after it was delivered lands in the new file.
    await waitFor(async () => {
      await httpGet(`${gu.url}/after`);
      return fileContains(accesslog, '/after');
    });
    expect(readFileSync(`${accesslog}.1`, 'utf8')).toContain('/before');
    expect(readFileSync(accesslog, 'utf8')).not.toContain('/before');
  });
});

/** Retries `check` every 20 ms until it holds (at most `attempts` times). */
async function waitFor(check: () => boolean | Promise<boolean>, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}

function fileContains(path: string, text: string): boolean {
  return existsSync(path) && readFileSync(path, 'utf8').includes(text);
}
