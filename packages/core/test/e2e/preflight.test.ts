import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, runGu, startGu, tempDir } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const base = [app, '-k', join(fixtures, 'minimal-worker.mjs'), '-b', '127.0.0.1:0'];
/** The brief's bound: a path gu cannot write stops it well before any worker would have booted. */
const QUICK_MS = 1000;

afterEach(cleanUp);

/** Runs gu to its end and measures how long it took, from spawn to exit. */
async function timedRun(args: string[], options?: { cwd?: string }): Promise<Awaited<ReturnType<typeof runGu>> & { ms: number }> {
  const started = performance.now();
  const result = await runGu(args, options);
  return { ...result, ms: performance.now() - started };
}

/** Exit 2 within QUICK_MS, one line on stderr naming the setting and the path, nothing bound or forked. */
function expectRefusedBeforeBinding(result: Awaited<ReturnType<typeof timedRun>>, label: string, path: string): void {
  expect(result.code).toBe(2);
  expect(result.ms).toBeLessThan(QUICK_MS);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^gu: error: /);
  expect(lines[0]).toContain(`${label}: cannot write ${JSON.stringify(path)}: `);
  const output = result.stdout + result.stderr;
  expect(output).not.toContain('Booting worker');
  expect(output).not.toContain('Listening at');
}

describe('paths gu will write are checked before anything is bound or forked', () => {
  it.each([
    ['accesslog (--access-logfile)', '--access-logfile', '/nonexistent/dir/a.log'],
    ['errorlog (--error-logfile)', '--error-logfile', '/nonexistent/dir/e.log'],
    ['pidfile (-p)', '--pid', '/nonexistent/dir/x.pid'],
  ])('%s in a missing directory: exit 2 at once, one line', async (label, flag, path) => {
    const result = await timedRun([...base, flag, path]);
    expectRefusedBeforeBinding(result, label, path);
    expect(result.stderr).toContain('directory /nonexistent/dir does not exist');
  });

  it('refuses a log path that is a directory, or under a regular file, and creates nothing', async () => {
    const dir = tempDir('gu-preflight-');
    const asDirectory = await timedRun([...base, '--access-logfile', dir]);
    expectRefusedBeforeBinding(asDirectory, 'accesslog (--access-logfile)', dir);
    expect(asDirectory.stderr).toContain('it is a directory');

    const file = join(dir, 'plain');
    writeFileSync(file, '');
    const underFile = await timedRun([...base, '--error-logfile', join(file, 'e.log')]);
    expectRefusedBeforeBinding(underFile, 'errorlog (--error-logfile)', join(file, 'e.log'));
    expect(underFile.stderr).toContain(`${file} is not a directory`);
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  it('checks under --check-config too, and names the config file a value came from', async () => {
    const dir = tempDir('gu-preflight-');
    const checked = await timedRun([...base, '--check-config', '--access-logfile', '/nonexistent/dir/a.log']);
    expectRefusedBeforeBinding(checked, 'accesslog (--access-logfile)', '/nonexistent/dir/a.log');
    expect(checked.stdout).not.toContain('Config OK');

    const config = join(dir, 'gu.config.mjs');
    writeFileSync(config, "export default { accesslog: '/nonexistent/dir/a.log' };\n");
    const fromConfig = await timedRun(base, { cwd: dir });
    expectRefusedBeforeBinding(fromConfig, `accesslog in ${config}`, '/nonexistent/dir/a.log');
  });

  it('accepts - (the standard streams) for both logs', async () => {
    const result = await runGu([...base, '--check-config', '--access-logfile', '-', '--error-logfile', '-']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Config OK');
  });

  it('refuses a pidfile that is a symbolic link and leaves the link and its target untouched', async () => {
    const dir = tempDir('gu-preflight-');
    const target = join(dir, 'precious');
    writeFileSync(target, 'do not overwrite\n');
    const pidfile = join(dir, 'gu.pid');
    symlinkSync(target, pidfile);
    const result = await timedRun([...base, '-p', pidfile]);
    expect(result.code).toBe(2);
    expect(result.ms).toBeLessThan(QUICK_MS);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      `gu: error: pidfile (-p): "${pidfile}" is a symbolic link (to ${target}); gu never writes its pid through a link (expected a regular file or no file at that path)`,
    ]);
    expect(result.stdout + result.stderr).not.toContain('Booting worker');
    expect(readFileSync(target, 'utf8')).toBe('do not overwrite\n');
    expect(lstatSync(pidfile).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['gu.pid', 'precious']);
  });

  it('still writes a good pidfile, with no temporary file beside it, and removes it on exit', async () => {
    const dir = tempDir('gu-preflight-');
    const pidfile = join(dir, 'gu.pid');
    const checked = await runGu([...base, '--check-config', '-p', pidfile]);
    expect(checked.code).toBe(0);
    // --check-config serves nothing, so it writes no pidfile.
    expect(existsSync(pidfile)).toBe(false);

    const gu = await startGu([...base, '-p', pidfile]);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${gu.pid}\n`);
    expect(readdirSync(dir)).toEqual(['gu.pid']);
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    expect(existsSync(pidfile)).toBe(false);
  });
});
