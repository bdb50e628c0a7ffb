import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, lstatSync, openSync, readFileSync, readlinkSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GuError } from '../errors.js';
import { labelOf, type Origin } from '../settings/layer.js';
import { assertWritable, describeWriteFailure, unwritablePathError, type WriteNeeds } from '../settings/writable-paths.js';

/** The pidfile is replaced by a rename, never appended to or written in place. */
const replaced: WriteNeeds = { replaces: true };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function linkTarget(path: string): string {
  try {
    return ` (to ${readlinkSync(path)})`;
  } catch {
    return '';
  }
}

/**
 * Writes `text` to a new file beside `path` and renames it over `path`, as Gunicorn does: a reader
 * sees the old pid or the new one, never an empty file, and a link planted at `path` after the
 * check is replaced by the rename, not written through.
 */
function writeAtomically(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // 'wx' is O_EXCL: fails rather than follow whatever may already sit at the temporary name.
  const fd = openSync(temporary, 'wx', 0o644);
  try {
    try {
      writeSync(fd, text);
      // Gunicorn's 0644 whatever the umask: tools that read the pid often run as another user.
      fchmodSync(fd, 0o644);
    } finally {
      closeSync(fd);
    }
    // No fsync: after the machine crashes, the process the file names is gone anyway.
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * The pidfile (`-p`): refuses a symbolic link at its path and a pidfile naming a gu that still
 * runs; written atomically; removed on exit only if it still holds our pid. `check()` makes the
 * same refusals without writing, so that they stop gu before anything is bound.
 */
export class Pidfile {
  private currentPath: string;
  private readonly label: string;
  /** The pid create() wrote, which rename() carries to the new path. */
  private owner: number | null = null;

  constructor(
    path: string,
    private readonly origin: Origin = { kind: 'command line' },
  ) {
    this.currentPath = path;
    this.label = labelOf('pidfile', origin);
  }

  /** Where the pidfile is now (it moves with rename()). */
  get path(): string {
    return this.currentPath;
  }

  /** Throws what create() would throw, without writing anything. */
  check(pid: number): void {
    this.checkTarget(this.currentPath, pid);
  }

  create(pid: number): void {
    this.checkTarget(this.currentPath, pid);
    this.write(this.currentPath, pid);
    this.owner = pid;
  }

  /**
   * Moves our pidfile to `newPath` in one rename (Gunicorn's `<pidfile>.oldbin` and back during a
   * binary upgrade); from then on unlink() removes `newPath`. If our file is gone or was
   * overwritten, a fresh one is written at `newPath` instead, so that it always names us after.
   */
  rename(newPath: string): void {
    const pid = this.owner;
    if (pid === null) throw new Error('Pidfile.rename() called before create()');
    if (newPath === this.currentPath) return;
    this.checkTarget(newPath, pid);
    if (this.holds(pid)) this.move(newPath, pid);
    else this.write(newPath, pid);
    this.currentPath = newPath;
  }

  unlink(pid: number): void {
    if (!this.holds(pid)) return;
    try {
      unlinkSync(this.currentPath);
    } catch {
      // Already gone: nothing to clean.
    }
  }

  private holds(pid: number): boolean {
    return !isSymlink(this.currentPath) && readPid(this.currentPath) === pid;
  }

  private checkTarget(path: string, pid: number): void {
    if (isSymlink(path)) {
      throw new GuError(
        'GU_ERR_PIDFILE_SYMLINK',
        `${this.label}: ${JSON.stringify(path)} is a symbolic link${linkTarget(path)}; gu never writes its pid through a link (expected a regular file or no file at that path)`,
      );
    }
    const existing = readPid(path);
    if (existing !== null && existing !== pid && isAlive(existing)) {
      throw new GuError('GU_ERR_PIDFILE', `${this.label}: already running on PID ${existing} (or pid file '${path}' is stale)`);
    }
    assertWritable('pidfile', path, this.origin, replaced);
  }

  private write(path: string, pid: number): void {
    try {
      writeAtomically(path, `${pid}\n`);
    } catch (error) {
      throw unwritablePathError('pidfile', path, describeWriteFailure(path, error, replaced), this.origin, { cause: error });
    }
  }

  private move(newPath: string, pid: number): void {
    try {
      renameSync(this.currentPath, newPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
        throw unwritablePathError('pidfile', newPath, describeWriteFailure(newPath, error, replaced), this.origin, { cause: error });
      }
      // Another file system, which rename(2) cannot cross: write the new file, then remove ours.
      this.write(newPath, pid);
      this.unlink(pid);
    }
  }
}
