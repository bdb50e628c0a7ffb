import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, startGu, tempDir, timedRequest, type GuProcess } from '@gu/testkit';
import { matrixApps, type MatrixApp } from './apps.js';

export const fixtures = join(import.meta.dirname, '../fixtures');

/**
 * The matrix of issue 11 for one worker class: every framework app served by the real gu (one
 * server per framework, shared by its cases), then a graceful TERM during a slow request, last.
 * gu runs in test/fixtures, where @gu/adapters resolves (the package's own name, from inside it).
 */
export function defineMatrix(workerClass: string, extraArgs: readonly string[] = []): void {
  describe.each(matrixApps)(`-k ${workerClass}: $name`, (app: MatrixApp) => {
    let gu: GuProcess;
    let closeFile: string;

    beforeAll(async () => {
      closeFile = join(tempDir('gu-matrix-'), 'closed.txt');
      gu = await startGu(
        [app.spec, '-k', workerClass, ...extraArgs, '-b', '127.0.0.1:0', '--forwarded-allow-ips', '127.0.0.1', '--graceful-timeout', '10'],
        { cwd: fixtures, env: { NODE_ENV: 'production', CLOSE_FILE: closeFile, ...app.env } },
      );
    });
    afterAll(cleanUp);

    it('GET, JSON POST and the framework\'s own 404', async () => {
      const hello = await fetch(`${gu.url}/hello`);
      expect(hello.status).toBe(200);
      expect(await hello.text()).toBe('hello');
      const echo = await fetch(`${gu.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'gu', n: [1, 2] }) });
      expect(echo.status).toBe(201);
      expect(await echo.json()).toEqual({ received: { hello: 'gu', n: [1, 2] } });
      const missing = await fetch(`${gu.url}/missing`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toMatch(app.notFound);
    });

    it.each(['/throw', '/reject'])('an error the route does not handle (%s) is a 500, and the worker serves on', async (path) => {
      const failed = await fetch(`${gu.url}${path}`);
      expect(failed.status).toBe(500);
      await failed.arrayBuffer();
      if (app.errorLog) await gu.waitForLog(app.errorLog(path));
      expect((await fetch(`${gu.url}/hello`)).status).toBe(200);
      expect(gu.workerPids).toHaveLength(1);
    });

    it('a streamed response arrives as it is written', async () => {
      const stream = await timedRequest(`${gu.url}/stream`);
      expect(stream.status).toBe(200);
      expect(stream.body.toString()).toBe('tick 0\ntick 1\ntick 2\n');
      expect(stream.arrivals.length).toBeGreaterThanOrEqual(3);
      // Three writes 100 ms apart (200 ms in all): far less between first and last would mean one buffered body.
      expect(stream.arrivals.at(-1)! - stream.arrivals[0]!).toBeGreaterThan(100);
    });

    it('headers, query and the client address behind a trusted proxy, as the framework sees them', async () => {
      const seen = await fetch(`${gu.url}/inspect?q=gu&n=2`, { headers: { 'x-probe': 'probed', 'x-forwarded-for': '203.0.113.7' } });
      expect(seen.status).toBe(200);
      expect(await seen.json()).toEqual({ query: { q: 'gu', n: '2' }, probe: 'probed', ip: '203.0.113.7' });
    });

    it('a graceful TERM during a slow request: the request completes 200, then gu exits 0', async () => {
      const pending = fetch(`${gu.url}/slow?ms=700`);
      await gu.waitForLog(/slow request started/);
      gu.signal('SIGTERM');
      const slow = await pending;
      expect(slow.status).toBe(200);
      expect(await slow.text()).toBe('slow done');
      expect((await gu.exited).code).toBe(0);
      if (app.closeLines) expect(readFileSync(closeFile, 'utf8').split('\n')).toEqual(expect.arrayContaining([...app.closeLines]));
    });
  });
}
