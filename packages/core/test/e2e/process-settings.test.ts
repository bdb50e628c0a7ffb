// raw_env (-e) and umask (-m), with the real binary.
import { afterEach, describe, expect, it } from 'vitest';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu, tempDir } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const worker = ['-k', join(fixtures, 'minimal-worker.mjs')];
const envApp = join(fixtures, 'env-app.mjs');

afterEach(cleanUp);

describe('raw_env (-e, --env)', () => {
  it('sets variables in the workers and in the preload process, values holding = kept whole', async () => {
    const gu = await startGu([envApp, ...worker, '-b', '127.0.0.1:0', '--preload', '-e', 'GU_TEST_REQUIRED=1', '--env', 'GU_TEST_X=a=b']);
    expect((await httpGet(`${gu.url}/?name=GU_TEST_X`)).body).toBe('a=b');
    expect((await httpGet(`${gu.url}/?name=GU_TEST_REQUIRED`)).body).toBe('1');
  });

  it('takes a list from the config file', async () => {
    const dir = tempDir('gu-raw-env-');
    const config = join(dir, 'gu.config.mjs');
    writeFileSync(config, "export default { rawEnv: ['GU_TEST_REQUIRED=yes', 'GU_TEST_EMPTY='] };\n");
    const gu = await startGu([envApp, ...worker, '-b', '127.0.0.1:0', '-c', config]);
    expect((await httpGet(`${gu.url}/?name=GU_TEST_REQUIRED`)).body).toBe('yes');
    expect((await httpGet(`${gu.url}/?name=GU_TEST_EMPTY`)).body).toBe('');
  });

  it('applies to the app --check-config loads', async () => {
    const result = await runGu([envApp, ...worker, '--check-config', '-e', 'GU_TEST_REQUIRED=1']);
    expect(result).toMatchObject({ code: 0, stdout: 'Config OK\n' });
  });

  it('refuses a value without = before anything starts (exit 2), naming the flag', async () => {
    const result = await runGu([envApp, ...worker, '-b', '127.0.0.1:0', '-e', 'GU_TEST_REQUIRED']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('gu: error: raw_env (-e): invalid value "GU_TEST_REQUIRED" (expected KEY=VALUE)');
  });
});

describe('umask (-m, --umask)', () => {
  it('applies to the unix socket and the log files gu creates', async () => {
    const dir = tempDir('gu-umask-');
    const socket = join(dir, 'gu.sock');
    const accessLog = join(dir, 'access.log');
    await startGu([envApp, ...worker, '-e', 'GU_TEST_REQUIRED=1', '-b', `unix:${socket}`, '--umask', '077', '--access-logfile', accessLog]);
    expect((await httpGet({ socketPath: socket, path: '/?name=GU_TEST_REQUIRED' })).body).toBe('1');
    expect(statSync(socket).mode & 0o077).toBe(0);
    expect(statSync(accessLog).mode & 0o777).toBe(0o600);
  });

  it('refuses a mask beyond 0o777 (exit 2)', async () => {
    const result = await runGu([envApp, ...worker, '-m', '0o1000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('umask (-m): invalid value "0o1000" (expected an integer from 0 to 0o777');
  });
});
