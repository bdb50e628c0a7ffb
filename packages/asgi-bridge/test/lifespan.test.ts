// Lifespan (asgiref lifespan spec 2.0) under -k asgi on the real gu binary: startup before the
// worker reports ready, its state in every request scope, shutdown on a graceful stop within
// graceful_timeout, a failed startup halting gu once, and apps without lifespan still served.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, httpGet, runGu, startGu } from '@gu/testkit';
import { join } from 'node:path';
import { asgi, fixtures } from './http-support.js';

const app = join(fixtures, 'lifespan-app.mjs');
const withMode = (mode: string): { env: NodeJS.ProcessEnv } => ({ env: { LIFESPAN_MODE: mode } });

afterEach(cleanUp);

/** Lines of `output` at a level other than DEBUG that contain `text`. */
function loggedLines(output: string, text: string): string[] {
  return output.split('\n').filter((line) => line.includes(text) && !line.includes('[DEBUG]'));
}

describe('lifespan startup', () => {
  it('runs before the worker serves: the first request already sees the state startup left, as a shallow copy', async () => {
    const gu = await startGu([app, ...asgi]);
    expect(gu.stdout).toContain('[lifespan-app] received lifespan.startup');
    const first = await httpGet(`${gu.url}/`);
    expect(JSON.parse(first.body)).toEqual({ state: { pool: { name: 'pool', pid: gu.workerPids[0] }, startedAt: 'startup' } });
    // The first request overwrote a key of its copy; the next request gets a fresh copy.
    const second = await httpGet(`${gu.url}/`);
    expect(JSON.parse(second.body)).toMatchObject({ state: { startedAt: 'startup' } });
    expect(gu.stderr).toContain('Application startup complete.');
  });

  it.each([
    ['startup-failed', 'ASGI lifespan startup failed: database unreachable at db:5432'],
    ['startup-raises', 'ASGI lifespan startup failed: the app raised Error: cannot open the connection pool'],
    ['startup-returns', 'ASGI lifespan startup failed: the app returned from the lifespan scope without sending lifespan.startup.complete'],
  ])('%s: gu halts once with the boot-error code and the app\'s reason, without respawning', async (mode, reason) => {
    const result = await runGu([app, ...asgi, '-w', '1'], withMode(mode));
    expect(result.code).toBe(3);
    expect(loggedLines(result.stderr, reason)).toEqual([expect.stringContaining(`[ERROR] ${reason}`)]);
    expect(result.stderr).toContain('Reason: Worker failed to boot.');
    expect(result.stderr.match(/Booting worker with pid/g)).toHaveLength(1);
  });

  it('serves an app that raises on the lifespan scope before receiving (no lifespan support), with an info line', async () => {
    const gu = await startGu([app, ...asgi], withMode('unsupported'));
    expect(loggedLines(gu.stderr, "ASGI 'lifespan' protocol appears unsupported")).toEqual([
      expect.stringMatching(/\[INFO\] ASGI 'lifespan' protocol appears unsupported \(it raised Error: unsupported scope type lifespan before receiving lifespan\.startup\)\.$/),
    ]);
    const res = await httpGet(`${gu.url}/`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ state: {} });
  });
});

describe('lifespan shutdown', () => {
  it('sends lifespan.shutdown on a graceful stop and waits for shutdown.complete', async () => {
    const gu = await startGu([app, ...asgi]);
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    expect(gu.stdout).toContain('[lifespan-app] received lifespan.shutdown');
    expect(gu.stderr).toContain('Application shutdown complete.');
  });

  it('logs lifespan.shutdown.failed with the app\'s message, and the worker still exits', async () => {
    const gu = await startGu([app, ...asgi], withMode('shutdown-failed'));
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    expect(loggedLines(gu.stderr, 'ASGI lifespan shutdown failed')).toEqual([expect.stringContaining('[ERROR] ASGI lifespan shutdown failed: could not flush the queue')]);
  });

  it('waits for an app that never answers shutdown at most graceful_timeout', async () => {
    const gu = await startGu([app, ...asgi, '--graceful-timeout', '1'], withMode('shutdown-hangs'));
    const stopAt = performance.now();
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    expect(gu.stdout).toContain('[lifespan-app] shutdown received, never answering');
    expect(gu.stderr).toContain('[WARNING] ASGI lifespan shutdown: no lifespan.shutdown.complete within graceful_timeout (1 s)');
    expect(performance.now() - stopAt).toBeLessThan(5000);
  });
});
