import { lstat, stat, unlink } from 'node:fs/promises';
import { lstatSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { GuError } from '../errors.js';
import { probeUnixSocket } from '../sockets/unix-socket-file.js';

const SETTING = 'control_socket (--control-socket)';

/**
 * Makes `path` free for the control socket, before anything is bound: its directory must exist,
 * nothing but a socket may stand there, and a socket someone listens on belongs to a running gu —
 * refused, unless `takeOver` (a new arbiter started by USR2 takes its parent's path over; the old
 * one then leaves the file alone, see removeIfOurs). A socket file left by a killed gu is replaced.
 */
export async function prepareControlSocketPath(path: string, takeOver: boolean): Promise<void> {
  const folder = dirname(path);
  if (!(await stat(folder).catch(() => null))?.isDirectory()) throw unusable(path, `directory ${folder} does not exist`);
  const existing = await lstat(path).catch(() => null);
  if (existing === null) return;
  if (!existing.isSocket()) throw unusable(path, 'it exists and is not a socket; not removing it');
  const probe = await probeUnixSocket(path).catch((error: unknown) => {
    throw unusable(path, `cannot connect to the socket there (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  });
  if (probe === 'live' && !takeOver) throw unusable(path, 'a running gu already listens on it (gu ctl status tells which)');
  await unlink(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(path, `cannot remove the old socket file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  });
}

/** The inode of the socket file at `path`, to recognise it as ours later; null when there is none. */
export function socketInode(path: string): number | null {
  try {
    const found = lstatSync(path);
    return found.isSocket() ? found.ino : null;
  } catch {
    return null;
  }
}

/** Removes the socket file only if it is still the one we bound (a USR2 successor may have replaced it). */
export function removeIfOurs(path: string, inode: number | null): void {
  if (inode === null || socketInode(path) !== inode) return;
  try {
    unlinkSync(path);
  } catch {
    // Removed meanwhile.
  }
}

function unusable(path: string, problem: string): GuError {
  return new GuError('GU_ERR_CONTROL_SOCKET', `${SETTING}: cannot use ${JSON.stringify(path)}: ${problem}`);
}
