import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { UnwritablePathError } from '../errors.js';
import { labelOf, type Origin } from './layer.js';

/** The settings that name a file gu writes to. */
export type FileSetting = 'accesslog' | 'errorlog' | 'pidfile';

const expectations: Readonly<Record<FileSetting, string>> = {
  accesslog: 'a file gu can create or append to, or - for standard output',
  errorlog: 'a file gu can create or append to, or - for standard error',
  pidfile: 'a regular file gu can create or replace, in a directory gu can write to',
};

export interface WriteNeeds {
  /**
   * The file is replaced (a temporary file beside it renamed over it, as the pidfile is), not
   * appended to: its directory must be writable even when the file exists, and an existing path
   * must be a regular file, or renaming over `/dev/null` as root would replace the device.
   */
  readonly replaces: boolean;
}

const appends: WriteNeeds = { replaces: false };
const commandLine: Origin = { kind: 'command line' };

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** stat, or null when nothing is there (ENOENT, or ENOTDIR: a file stands where a directory should). */
function statIfPresent(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** Why no file can be created in `dir`, or null when one can. */
function whyNoFileIn(dir: string): string | null {
  // Walk up to the closest thing that exists, to say whether a directory is missing or a file
  // stands where a directory should be.
  let existing = dir;
  let stats = statIfPresent(existing);
  while (stats === null && dirname(existing) !== existing) {
    existing = dirname(existing);
    stats = statIfPresent(existing);
  }
  if (stats !== null && !stats.isDirectory()) return `${existing} is not a directory`;
  if (stats === null || existing !== dir) return `directory ${dir} does not exist`;
  // W_OK to add an entry, X_OK to reach it. Root passes both whatever the mode bits say.
  if (!canAccess(dir, constants.W_OK | constants.X_OK)) return `directory ${dir} is not writable`;
  return null;
}

/**
 * Why this process cannot write `path`, or null when it can. Checks without creating anything, so
 * that `--check-config` leaves no trace and a refused start leaves no empty file behind. A log
 * file that exists only needs to be writable (`/dev/null` and `/dev/stdout` are fine); one that
 * does not needs a writable directory.
 */
export function whyNotWritable(path: string, needs: WriteNeeds = appends): string | null {
  try {
    const stats = statIfPresent(path);
    if (stats === null) return whyNoFileIn(dirname(path));
    if (stats.isDirectory()) return 'it is a directory';
    // open(2) of a unix socket fails (ENXIO) whatever its mode says.
    if (stats.isSocket()) return 'it is a socket';
    if (needs.replaces && !stats.isFile()) return 'it is not a regular file';
    if (!canAccess(path, constants.W_OK)) return 'the file is not writable';
    return needs.replaces ? whyNoFileIn(dirname(path)) : null;
  } catch (error) {
    // EACCES on a directory above it, ELOOP, ENAMETOOLONG: the system's own words say it best.
    return error instanceof Error ? error.message : String(error);
  }
}

/** What went wrong when opening or writing `path` failed: the checker's diagnosis, else the system's message. */
export function describeWriteFailure(path: string, error: unknown, needs: WriteNeeds = appends): string {
  return whyNotWritable(path, needs) ?? (error instanceof Error ? error.message : String(error));
}

/** The error for a file setting gu cannot write, naming the setting as the user gave it. */
export function unwritablePathError(
  setting: FileSetting,
  path: string,
  problem: string,
  origin: Origin = commandLine,
  options?: ErrorOptions,
): UnwritablePathError {
  return new UnwritablePathError(labelOf(setting, origin), path, problem, expectations[setting], options);
}

/** Throws UnwritablePathError when `path`, the value of `setting`, cannot be written. */
export function assertWritable(setting: FileSetting, path: string, origin: Origin = commandLine, needs: WriteNeeds = appends): void {
  const problem = whyNotWritable(path, needs);
  if (problem !== null) throw unwritablePathError(setting, path, problem, origin);
}
