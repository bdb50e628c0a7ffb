// --preload: the app is loaded once before anything is bound or forked, and again on each HUP.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu, tempDir } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const base = ['--preload', '-b', '127.0.0.1:0', '-k', join(fixtures, 'minimal-worker.mjs')];

afterEach(cleanUp);

/** A project folder with `app.mjs` answering its worker's pid. */
function project(): string {
  const dir = tempDir('gu-preload-');
  copyFileSync(join(fixtures, 'pid-app.mjs'), join(dir, 'app.mjs'));
  return dir;
}

describe('preload_app (--preload)', () => {
  it('stops a broken app with exit 4 and one line, before binding or forking', async () => {
    const result = await runGu([join(fixtures, 'broken-on-import.mjs'), ...base, '-w', '3']);
    expect(result.code).toBe(4);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^gu: error: Cannot load app "\S+broken-on-import\.mjs": importing \S+ threw Error: database URL is not set$/),
    ]);
  });

  it('names the exit code of an app that ends the process while loading', async () => {
    const result = await runGu([join(fixtures, 'exit-on-import.mjs'), ...base]);
    expect(result.code).toBe(4);
    expect(result.stderr.trim()).toMatch(/^gu: error: Cannot load app "\S+": the process loading it exited with code 1$/);
  });

  it('gives up on an app still loading after boot_timeout', async () => {
    const result = await runGu([join(fixtures, 'hangs-on-import.mjs'), ...base, '--boot-timeout', '1']);
    expect(result.code).toBe(4);
    expect(result.stderr.trim()).toMatch(/^gu: error: Cannot load app "\S+": not loaded within boot_timeout \(1 s\)$/);
  });

  it('serves an app that loads, the workers importing it themselves', async () => {
    const gu = await startGu(['app.mjs', ...base, '-w', '2'], { cwd: project(), workers: 2 });
    const res = await httpGet(`${gu.url}/`);
    expect(gu.workerPids).toContain(Number(res.body));
  });

  it('preloads again on HUP: a broken app fails in the arbiter and the old workers keep serving', async () => {
    const dir = project();
    const gu = await startGu(['app.mjs', ...base, '-w', '2'], { cwd: dir, workers: 2 });
    const first = gu.workerPids;
    copyFileSync(join(fixtures, 'broken-on-import.mjs'), join(dir, 'app.mjs'));
    gu.signal('SIGHUP');
    await gu.waitForLog(/Reload failed: /);
    const errors = gu.stderr.split('\n').filter((line) => line.includes('[ERROR]'));
    expect(errors).toEqual([
      expect.stringMatching(/Reload failed: Cannot load app "app\.mjs": importing \S+ threw Error: database URL is not set; the workers keep serving/),
    ]);
    expect(gu.stderr).not.toMatch(/Reloading: generation/);
    expect(gu.workerPids).toEqual(first);
    const res = await httpGet(`${gu.url}/`);
    expect(first).toContain(Number(res.body));
  });
});
