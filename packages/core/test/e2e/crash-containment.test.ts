import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'crash-app.mjs');
// Hands the app's listener to the HTTP front unwrapped, so an async handler's promise reaches it.
const base = ['-b', '127.0.0.1:0', '-k', join(fixtures, 'direct-worker.mjs')];

afterEach(cleanUp);

/** The error-log record of a failed request: the request line, then the stack of `message`. */
function handlerError(requestLine: string, message: string): RegExp {
  return new RegExp(`\\[ERROR\\] Error handling request ${requestLine}\\nError: ${message}\\n\\s+at `);
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
