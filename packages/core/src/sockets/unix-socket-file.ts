import { lstatSync, unlinkSync } from 'node:fs';
import { lstat, stat, unlink } from 'node:fs/promises';
import net from 'node:net';
import { dirname } from 'node:path';
import { BindError } from '../errors.js';
import { bindErrorFor } from './bind-errors.js';

type Probe = 'live' | 'stale';

/** What a connect attempt to an existing socket file says about it, by result. */
const PROBE_BY_CODE: Readonly<Record<string, Probe>> = {
  // Nobody listens: the file is left over from a process that died without removing it.
  ECONNREFUSED: 'stale',
  // Someone listens but its backlog is full: very much alive.
  EAGAIN: 'live',
  // Removed meanwhile: nothing left to clean.
  ENOENT: 'stale',
};

/**
 * Makes `path` free for a new unix socket, as Gunicorn does before binding: a socket file left by a
 * dead process is removed. Unlike Gunicorn, a socket someone still listens on is an error rather
 * than silently stolen, and anything that is not a socket is never deleted.
 */
export async function prepareUnixSocketPath(path: string): Promise<void> {
  const address = { kind: 'unix', path } as const;
  await requireDirectory(path);
  const existing = await lstat(path).catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return null;
    throw bindErrorFor(address, errnoName(error), { cause: error });
  });
  if (existing === null) return;
  if (!existing.isSocket()) throw new BindError(`unix:${path} exists and is not a socket; not removing it`);
  const verdict = await probeUnixSocket(path).catch((error: unknown) => {
    throw bindErrorFor(address, errnoName(error), { cause: error });
  });
  if (verdict === 'live') throw bindErrorFor(address, 'EADDRINUSE');
  await unlink(path).catch((error: unknown) => {
    if (!isErrno(error, 'ENOENT')) throw bindErrorFor(address, errnoName(error), { cause: error });
  });
}

async function requireDirectory(path: string): Promise<void> {
  const folder = dirname(path);
  const found = await stat(folder).catch(() => null);
  // libuv reports a missing folder as EACCES; say what is really wrong.
  if (!found?.isDirectory()) throw new BindError(`unix:${path}: directory ${folder} does not exist`);
}

/**
 * Whether someone listens on the socket file at `path` (`live`) or it is left over (`stale`), by
 * connecting to it; rejects with the connect error when that says neither.
 */
export function probeUnixSocket(path: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    socket.once('connect', () => {
      // Hang up politely (no reset on the owner's side) and ignore whatever it still sends.
      socket.on('error', () => undefined);
      socket.resume();
      socket.end();
      resolve('live');
    });
    socket.once('error', (error) => {
      const verdict = PROBE_BY_CODE[errnoName(error)];
      if (verdict === undefined) reject(error);
      else resolve(verdict);
    });
  });
}

function errnoName(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'EIO';
}

function isErrno(error: unknown, code: string): boolean {
  return errnoName(error) === code;
}

/** Removes a unix socket file this process owns, if it is still a socket; never anything else. */
export function removeSocketFile(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Already gone, or not ours to remove.
  }
}
