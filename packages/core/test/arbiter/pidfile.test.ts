import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { Pidfile } from '../../src/arbiter/pidfile.js';
import { GuError } from '../../src/errors.js';
import { join, useTempDir } from '../logging/temp-dir.js';

const dir = useTempDir();
const me = process.pid;
/** A process that is certainly alive and is not us. */
const alive = process.ppid;

/** The pid of a process that has exited (a pid is not reused that quickly). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

function thrown(act: () => void): GuError {
  try {
    act();
  } catch (error) {
    if (error instanceof GuError) return error;
    throw error;
  }
  throw new Error('expected a GuError');
}

describe('Pidfile', () => {
  it('writes our pid, mode 0644, and leaves no temporary file behind', () => {
    const path = join(dir.path, 'gu.pid');
    new Pidfile(path).create(me);
    expect(readFileSync(path, 'utf8')).toBe(`${me}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir.path)).toEqual(['gu.pid']);
  });

  it('replaces a stale file by renaming over it, never writing into it (a hard link keeps its content)', () => {
    const path = join(dir.path, 'gu.pid');
    const other = join(dir.path, 'other');
    writeFileSync(other, `${deadPid()}\n`);
    linkSync(other, path);
    const before = readFileSync(other, 'utf8');
    new Pidfile(path).create(me);
    expect(readFileSync(path, 'utf8')).toBe(`${me}\n`);
    expect(readFileSync(other, 'utf8')).toBe(before);
    expect(statSync(path).ino).not.toBe(statSync(other).ino);
  });

  it('refuses to start over a running process, naming its pid, and leaves the file alone', () => {
    const path = join(dir.path, 'gu.pid');
    writeFileSync(path, `${alive}\n`);
    const error = thrown(() => {
      new Pidfile(path).create(me);
    });
    expect(error.code).toBe('GU_ERR_PIDFILE');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(`pidfile (-p): already running on PID ${alive} (or pid file '${path}' is stale)`);
    expect(readFileSync(path, 'utf8')).toBe(`${alive}\n`);
  });

  it('refuses a symbolic link at its path, even a dangling one, and leaves the target untouched', () => {
    const target = join(dir.path, 'precious');
    writeFileSync(target, 'do not touch\n');
    const path = join(dir.path, 'gu.pid');
    symlinkSync(target, path);
    const error = thrown(() => {
      new Pidfile(path).create(me);
    });
    expect(error.code).toBe('GU_ERR_PIDFILE_SYMLINK');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `pidfile (-p): "${path}" is a symbolic link (to ${target}); gu never writes its pid through a link (expected a regular file or no file at that path)`,
    );
    expect(readFileSync(target, 'utf8')).toBe('do not touch\n');
    expect(lstatSync(path).isSymbolicLink()).toBe(true);

    const dangling = join(dir.path, 'dangling.pid');
    symlinkSync(join(dir.path, 'nowhere'), dangling);
    expect(thrown(() => { new Pidfile(dangling).create(me); }).code).toBe('GU_ERR_PIDFILE_SYMLINK');
    expect(existsSync(join(dir.path, 'nowhere'))).toBe(false);
  });

  it('refuses a missing directory with one line naming the setting as it was given', () => {
    const path = join(dir.path, 'missing', 'gu.pid');
    const error = thrown(() => {
      new Pidfile(path, { kind: 'config file', path: '/srv/gu.config.mjs' }).create(me);
    });
    expect(error.code).toBe('GU_ERR_UNWRITABLE_PATH');
    expect(error.message).toMatch(/^pidfile in \/srv\/gu\.config\.mjs: cannot write ".*gu\.pid": directory .*missing does not exist \(expected /);
  });

  it('check() refuses what create() refuses, and writes nothing', () => {
    const path = join(dir.path, 'gu.pid');
    new Pidfile(path).check(me);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir.path)).toEqual([]);
    mkdirSync(path);
    expect(thrown(() => { new Pidfile(path).check(me); }).message).toMatch(/it is a directory/);
  });

  it('unlink() removes the file only while it still holds our pid', () => {
    const path = join(dir.path, 'gu.pid');
    const pidfile = new Pidfile(path);
    pidfile.create(me);
    writeFileSync(path, `${alive}\n`);
    pidfile.unlink(me);
    expect(readFileSync(path, 'utf8')).toBe(`${alive}\n`);
    writeFileSync(path, `${me}\n`);
    pidfile.unlink(me);
    expect(existsSync(path)).toBe(false);
  });

  describe('rename()', () => {
    it('moves our file to the new path in one rename; unlink() then removes the new path', () => {
      const path = join(dir.path, 'gu.pid');
      const oldbin = `${path}.oldbin`;
      const pidfile = new Pidfile(path);
      pidfile.create(me);
      const inode = statSync(path).ino;
      pidfile.rename(oldbin);
      expect(existsSync(path)).toBe(false);
      expect(readFileSync(oldbin, 'utf8')).toBe(`${me}\n`);
      expect(statSync(oldbin).ino).toBe(inode);
      expect(pidfile.path).toBe(oldbin);
      pidfile.unlink(me);
      expect(existsSync(oldbin)).toBe(false);
    });

    it('renames back over a stale file (the upgrade dance reversed)', () => {
      const path = join(dir.path, 'gu.pid');
      const pidfile = new Pidfile(path);
      pidfile.create(me);
      pidfile.rename(`${path}.oldbin`);
      writeFileSync(path, `${deadPid()}\n`);
      pidfile.rename(path);
      expect(readFileSync(path, 'utf8')).toBe(`${me}\n`);
      expect(readdirSync(dir.path)).toEqual(['gu.pid']);
    });

    it('writes a fresh file at the new path when ours was removed meanwhile', () => {
      const path = join(dir.path, 'gu.pid');
      const pidfile = new Pidfile(path);
      pidfile.create(me);
      writeFileSync(path, `${alive}\n`);
      pidfile.rename(`${path}.2`);
      expect(readFileSync(`${path}.2`, 'utf8')).toBe(`${me}\n`);
      // Not ours any more: left where it was.
      expect(readFileSync(path, 'utf8')).toBe(`${alive}\n`);
    });

    it('refuses a new path that names another running process, or is a symbolic link, and stays where it was', () => {
      const path = join(dir.path, 'gu.pid');
      const pidfile = new Pidfile(path);
      pidfile.create(me);
      writeFileSync(`${path}.2`, `${alive}\n`);
      expect(thrown(() => { pidfile.rename(`${path}.2`); }).code).toBe('GU_ERR_PIDFILE');
      symlinkSync(join(dir.path, 'elsewhere'), `${path}.oldbin`);
      expect(thrown(() => { pidfile.rename(`${path}.oldbin`); }).code).toBe('GU_ERR_PIDFILE_SYMLINK');
      expect(pidfile.path).toBe(path);
      expect(readFileSync(path, 'utf8')).toBe(`${me}\n`);
      expect(existsSync(join(dir.path, 'elsewhere'))).toBe(false);
    });

    it('is a programming error before create()', () => {
      expect(() => {
        new Pidfile(join(dir.path, 'gu.pid')).rename(join(dir.path, 'x'));
      }).toThrow(/before create/);
    });
  });
});
