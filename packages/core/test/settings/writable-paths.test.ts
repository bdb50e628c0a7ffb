import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { GuError } from '../../src/errors.js';
import { assertWritable, whyNotWritable } from '../../src/settings/writable-paths.js';
import { join, useTempDir } from '../logging/temp-dir.js';

const dir = useTempDir();
// access(2) grants root every permission whatever the mode bits: those cases cannot fail as root.
const isRoot = process.getuid?.() === 0;

describe('whyNotWritable', () => {
  it('accepts a file that does not exist yet, in a writable directory, and does not create it', () => {
    const path = join(dir.path, 'access.log');
    expect(whyNotWritable(path)).toBeNull();
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('accepts an existing writable file, and devices such as /dev/null for appending', () => {
    const path = join(dir.path, 'access.log');
    writeFileSync(path, 'old line\n');
    expect(whyNotWritable(path)).toBeNull();
    expect(whyNotWritable('/dev/null')).toBeNull();
  });

  it('names the missing directory', () => {
    const path = join(dir.path, 'missing', 'deeper', 'a.log');
    expect(whyNotWritable(path)).toBe(`directory ${join(dir.path, 'missing', 'deeper')} does not exist`);
    expect(whyNotWritable('/nonexistent/dir/a.log')).toBe('directory /nonexistent/dir does not exist');
  });

  it('refuses a path that is a directory', () => {
    expect(whyNotWritable(dir.path)).toBe('it is a directory');
  });

  it('refuses a unix socket, which open(2) cannot append to', async () => {
    const path = join(dir.path, 'gu.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      expect(whyNotWritable(path)).toBe('it is a socket');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('names a regular file that stands where a directory should be (ENOTDIR)', () => {
    const file = join(dir.path, 'plain');
    writeFileSync(file, '');
    expect(whyNotWritable(join(file, 'a.log'))).toBe(`${file} is not a directory`);
    expect(whyNotWritable(join(file, 'sub', 'a.log'))).toBe(`${file} is not a directory`);
  });

  it('for a file replaced by rename, wants a regular file', () => {
    expect(whyNotWritable('/dev/null', { replaces: true })).toBe('it is not a regular file');
    const path = join(dir.path, 'gu.pid');
    writeFileSync(path, '1\n');
    expect(whyNotWritable(path, { replaces: true })).toBeNull();
  });

  it.skipIf(isRoot)('refuses a directory without write permission', () => {
    const locked = join(dir.path, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    try {
      expect(whyNotWritable(join(locked, 'a.log'))).toBe(`directory ${locked} is not writable`);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it.skipIf(isRoot)('refuses an existing file without write permission', () => {
    const path = join(dir.path, 'read-only.log');
    writeFileSync(path, '', { mode: 0o444 });
    expect(whyNotWritable(path)).toBe('the file is not writable');
  });

  it.skipIf(isRoot)('for a file replaced by rename, wants its directory writable even when the file is', () => {
    const locked = join(dir.path, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'gu.pid'), '');
    chmodSync(locked, 0o555);
    try {
      expect(whyNotWritable(join(locked, 'gu.pid'))).toBeNull();
      expect(whyNotWritable(join(locked, 'gu.pid'), { replaces: true })).toBe(`directory ${locked} is not writable`);
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});

describe('assertWritable', () => {
  it('throws one line naming the setting with its flag, the path, the problem and the expectation', () => {
    const act = (): void => {
      assertWritable('accesslog', '/nonexistent/dir/a.log');
    };
    expect(act).toThrow(GuError);
    expect(act).toThrow(
      'accesslog (--access-logfile): cannot write "/nonexistent/dir/a.log": directory /nonexistent/dir does not exist (expected a file gu can create or append to, or - for standard output)',
    );
    try {
      act();
    } catch (error) {
      expect(error).toMatchObject({ code: 'GU_ERR_UNWRITABLE_PATH', exitCode: 2 });
    }
  });

  it('names the config file a value came from', () => {
    expect(() => {
      assertWritable('errorlog', '/nonexistent/e.log', { kind: 'config file', path: '/srv/app/gu.config.mjs' });
    }).toThrow(/^errorlog in \/srv\/app\/gu\.config\.mjs: cannot write "\/nonexistent\/e\.log": /);
  });

  it('names the pidfile by its short flag', () => {
    expect(() => {
      assertWritable('pidfile', dir.path, undefined, { replaces: true });
    }).toThrow(/^pidfile \(-p\): cannot write ".*": it is a directory \(expected /);
  });
});
