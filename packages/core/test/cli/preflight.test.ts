import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkWritablePaths } from '../../src/cli/preflight.js';
import { loadSettings } from '../../src/settings/load-settings.js';
import type { SettingOrigins } from '../../src/settings/layer.js';
import type { Settings } from '../../src/settings/types.js';
import { useTempProject } from '../settings/temp-project.js';

const project = useTempProject();

/** Settings and origins as the CLI gets them for `argv`, run in the temporary project. */
async function load(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ settings: Settings; origins: SettingOrigins }> {
  const result = await loadSettings({ argv: [...argv, 'app.js'], env, cwd: project.dir() });
  if (result.kind !== 'run') throw new Error(`expected settings, got ${result.kind}`);
  return result;
}

async function problemWith(argv: readonly string[], env?: NodeJS.ProcessEnv): Promise<unknown> {
  const { settings, origins } = await load(argv, env);
  try {
    checkWritablePaths(settings, origins);
    return null;
  } catch (error) {
    return error;
  }
}

describe('checkWritablePaths', () => {
  it('accepts the standard streams, no access log and no pidfile, and creates nothing', async () => {
    expect(await problemWith(['--access-logfile', '-', '--error-logfile', '-'])).toBeNull();
    expect(await problemWith([])).toBeNull();
    const dir = project.dir();
    expect(await problemWith(['--access-logfile', 'a.log', '--error-logfile', 'e.log', '-p', 'gu.pid'])).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['accesslog (--access-logfile)', ['--access-logfile', '/nonexistent/dir/a.log']],
    ['errorlog (--error-logfile)', ['--error-logfile', '/nonexistent/dir/e.log']],
    ['errorlog (--error-logfile)', ['--log-file', '/nonexistent/dir/e.log']],
    ['pidfile (-p)', ['--pid', '/nonexistent/dir/gu.pid']],
  ])('names %s and the missing directory', async (label, argv) => {
    const error = await problemWith(argv);
    expect(error).toMatchObject({ code: 'GU_ERR_UNWRITABLE_PATH', exitCode: 2 });
    expect((error as Error).message).toMatch(new RegExp(`^${label.replace(/[()]/g, '\\$&')}: cannot write "/nonexistent/dir/[a-z.]+": directory /nonexistent/dir does not exist`));
  });

  it('names GU_CMD_ARGS and the config file when the value came from there', async () => {
    const fromEnv = await problemWith([], { GU_CMD_ARGS: '--access-logfile /nonexistent/a.log' });
    expect((fromEnv as Error).message).toMatch(/^accesslog \(--access-logfile in GU_CMD_ARGS\): /);
    const config = join(project.dir(), 'gu.config.mjs');
    writeFileSync(config, "export default { errorlog: '/nonexistent/e.log' };\n");
    expect((await problemWith([]) as Error).message).toMatch(new RegExp(`^errorlog in ${config}: `));
  });

  it('refuses a pidfile that is a symbolic link, and one naming a running process', async () => {
    const target = join(project.dir(), 'target');
    writeFileSync(target, 'keep\n');
    symlinkSync(target, join(project.dir(), 'gu.pid'));
    expect(await problemWith(['-p', 'gu.pid'])).toMatchObject({ code: 'GU_ERR_PIDFILE_SYMLINK', exitCode: 2 });
    writeFileSync(join(project.dir(), 'other.pid'), `${process.ppid}\n`);
    expect(await problemWith(['-p', 'other.pid'])).toMatchObject({ code: 'GU_ERR_PIDFILE', exitCode: 1 });
    expect(existsSync(join(project.dir(), 'other.pid'))).toBe(true);
  });
});
