import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu, type GuProcess } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'crash-app.mjs');
// Hands the app's listener to the HTTP front unwrapped, so an async handler's promise reaches it.
const base = ['-b', '127.0.0.1:0', '-k', join(fixtures, 'direct-worker.mjs')];

afterEach(cleanUp);

/** The error-log record of a failed request: the request line, then the stack of `message`. */
function handlerError(requestLine: string, message: string): RegExp {
  return new RegExp(`\\[ERROR\\] Error handling request ${requestLine}\\nError: ${message}\\n\\s+at `);
}

/** After a crash, the worker finishes `slow` (its own answer), is replaced, and the replacement serves. */
async function expectContained(gu: GuProcess, slow: ReturnType<typeof httpGet>, crashed: number): Promise<void> {
  await gu.waitForLog(new RegExp(`Worker \\(pid:${crashed}\\) stopping: graceful`));
  const res = await slow;
  expect(res.status).toBe(200);
  expect(res.body).toBe(String(crashed));
  expect(res.headers.connection).toBe('close');
  await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
  const next = await httpGet(`${gu.url}/`);
  expect(next.status).toBe(200);
  expect(next.body).not.toBe(String(crashed));
  await gu.waitForLog(new RegExp(`\\[${crashed}\\] \\[INFO\\] Worker exiting`));
}

describe('a request handler that fails', () => {
  it('throws: the client gets a plain 500 with Connection: close, the worker serves on', async () => {
    const gu = await startGu([app, '-w', '1', ...base, '--access-logfile', '-']);
    const res = await httpGet(`${gu.url}/throw`);
    expect(res.status).toBe(500);
    expect(res.body).toBe('Internal Server Error\n');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers.connection).toBe('close');
    expect((await httpGet(`${gu.url}/`)).body).toBe(String(gu.workerPids[0]));
    expect(gu.stderr).toMatch(handlerError('GET /throw HTTP/1\\.1', 'sync boom'));
    expect(gu.stdout).toContain('"GET /throw HTTP/1.1" 500 22');
  });

  it('returns a promise that rejects: 500, the worker serves on', async () => {
    const gu = await startGu([app, '-w', '1', ...base]);
    const res = await httpGet(`${gu.url}/reject?x=1`);
    expect(res.status).toBe(500);
    expect(res.headers.connection).toBe('close');
    expect((await httpGet(`${gu.url}/`)).body).toBe(String(gu.workerPids[0]));
    expect(gu.stderr).toMatch(handlerError('GET /reject\\?x=1 HTTP/1\\.1', 'async boom'));
  });

  it('throws after the headers went out: the connection is cut, the worker serves on', async () => {
    const gu = await startGu([app, '-w', '1', ...base]);
    await expect(httpGet(`${gu.url}/throw-after-headers`)).rejects.toThrow();
    expect((await httpGet(`${gu.url}/`)).body).toBe(String(gu.workerPids[0]));
    expect(gu.stderr).toMatch(handlerError('GET /throw-after-headers HTTP/1\\.1', 'late boom'));
  });
});

describe('an exception nothing catches', () => {
  it('from a timer: the worker finishes its other requests, exits and is replaced', async () => {
    const gu = await startGu([app, '-w', '1', ...base]);
    const [first] = gu.workerPids;
    const slow = httpGet(`${gu.url}/?delay=1500`);
    await gu.waitForLog(/app: started \/\?delay=1500/);
    expect((await httpGet(`${gu.url}/crash`)).status).toBe(200);
    await expectContained(gu, slow, first!);
    expect(gu.stderr).toMatch(/\[ERROR\] Uncaught exception in worker \(pid:\d+\)[^\n]*\nError: timer boom\n\s+at /);
    expect(gu.stderr).toContain(`Worker (pid:${first}) stopping: graceful (uncaught exception)`);
  });

  it('an unhandled rejection: the same', async () => {
    const gu = await startGu([app, '-w', '1', ...base]);
    const [first] = gu.workerPids;
    const slow = httpGet(`${gu.url}/?delay=1500`);
    await gu.waitForLog(/app: started \/\?delay=1500/);
    expect((await httpGet(`${gu.url}/unhandled`)).status).toBe(200);
    await expectContained(gu, slow, first!);
    expect(gu.stderr).toMatch(/\[ERROR\] Unhandled promise rejection in worker \(pid:\d+\)[^\n]*\nError: rejection boom\n\s+at /);
  });

  it('before the worker is ready: a boot failure, exit 3', async () => {
    const result = await runGu([`${join(fixtures, 'crash-before-ready.mjs')}:create()`, ...base]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('boom before ready');
  });
});
