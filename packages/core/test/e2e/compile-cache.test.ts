// With --preload, the run's module compile cache: a private directory the workers share, removed when gu exits.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, tempDir } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const args = [join(fixtures, 'env-app.mjs'), '-k', join(fixtures, 'minimal-worker.mjs'), '-b', '127.0.0.1:0', '-e', 'GU_TEST_REQUIRED=1'];

afterEach(cleanUp);

function cacheDirs(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('gu-compile-cache-'));
}

describe('compile cache', () => {
  it('gives the workers a private directory under worker_tmp_dir, filled by the preload, removed at exit', async () => {
    const tmp = tempDir('gu-compile-cache-test-');
    const gu = await startGu([...args, '--worker-tmp-dir', tmp, '-w', '2', '--preload'], { workers: 2 });
    const [name] = cacheDirs(tmp);
    expect(name).toBeDefined();
    const dir = join(tmp, name ?? '');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect((await httpGet(`${gu.url}/?name=NODE_COMPILE_CACHE`)).body).toBe(dir);
    // Node files its entries in a subdirectory per Node version, written when the preload exited.
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    gu.signal('SIGTERM');
    expect(await gu.exited).toEqual({ code: 0, signal: null });
    expect(cacheDirs(tmp)).toEqual([]);
  });

  it('removes the directory a gu killed with SIGKILL left behind', async () => {
    const tmp = tempDir('gu-compile-cache-test-');
    // No process has this pid (Linux pids stay below 2^22).
    mkdirSync(join(tmp, 'gu-compile-cache-999999999-abcdef', 'v24'), { recursive: true });
    const gu = await startGu([...args, '--worker-tmp-dir', tmp, '--preload']);
    expect(cacheDirs(tmp)).toEqual([expect.stringMatching(new RegExp(`^gu-compile-cache-${gu.pid}-`))]);
  });

  it('is not made without --preload', async () => {
    const tmp = tempDir('gu-compile-cache-test-');
    const gu = await startGu([...args, '--worker-tmp-dir', tmp]);
    expect(cacheDirs(tmp)).toEqual([]);
    expect((await httpGet(`${gu.url}/?name=NODE_COMPILE_CACHE`)).body).toBe('(unset)');
  });

  it("is left to Node when NODE_DISABLE_COMPILE_CACHE is set (Node's opt-out)", async () => {
    const tmp = tempDir('gu-compile-cache-test-');
    const gu = await startGu([...args, '--worker-tmp-dir', tmp, '--preload'], { env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(cacheDirs(tmp)).toEqual([]);
    expect((await httpGet(`${gu.url}/?name=NODE_COMPILE_CACHE`)).body).toBe('(unset)');
  });
});
