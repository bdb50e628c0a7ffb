import { lstat, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GuError } from '../errors.js';
import { probeUnixSocket } from '../sockets/unix-socket-file.js';

const SETTING = 'control_socket (--control-socket)';

/**
 * Makes `path` free for the control socket, before anything is bound: its directory must exist and
 * nothing but a socket may stand there. A socket file left by a killed gu (nobody listens) is
 * removed: `free`. A socket someone listens on belongs to a running gu and is left alone: `live`.
 */
export async function prepareControlSocketPath(path: string): Promise<'free' | 'live'> {
  const folder = dirname(path);
  if (!(await stat(folder).catch(() => null))?.isDirectory()) throw unusable(path, `directory ${folder} does not exist`);
  const existing = await lstat(path).catch(() => null);
  if (existing === null) return 'free';
  if (!existing.isSocket()) throw unusable(path, 'it exists and is not a socket; not removing it');
  const probe = await probeUnixSocket(path).catch((error: unknown) => {
    throw unusable(path, `cannot connect to the socket there (${errnoName(error)})`);
  });
  if (probe === 'live') return 'live';
  await unlink(path).catch((error: unknown) => {
    if (errnoName(error) !== 'ENOENT') throw unusable(path, `cannot remove the old socket file (${errnoName(error)})`);
  });
  return 'free';
}

/** The one line for a path gu cannot use (exit 2). */
export function unusable(path: string, problem: string): GuError {
  return new GuError('GU_ERR_CONTROL_SOCKET', `${SETTING}: cannot use ${JSON.stringify(path)}: ${problem}`);
}

function errnoName(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? 'error';
}
