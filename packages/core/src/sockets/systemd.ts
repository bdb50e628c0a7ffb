import { BindError } from '../errors.js';
import type { ArbiterListener, OwnedListener } from './arbiter-listener.js';
import { listenerFromFd } from './fd-listener.js';

/** sd_listen_fds(3): the first passed fd; 0, 1 and 2 stay stdin, stdout and stderr. */
export const SD_LISTEN_FDS_START = 3;

const ACTIVATION_VARIABLES = ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES'] as const;

/**
 * The fds systemd passed to this process (socket activation), or null when it was not activated:
 * `LISTEN_PID` must name `pid` (the variables may be inherited from an ancestor) and `LISTEN_FDS`
 * count at least one fd. When they are ours, the variables are removed from `env` so that workers
 * do not take the sockets for theirs, as sd_listen_fds(unset_environment=1) and Gunicorn do.
 */
export function systemdListenFds(env: NodeJS.ProcessEnv, pid: number): number[] | null {
  if (env.LISTEN_PID === undefined || !/^\d+$/.test(env.LISTEN_PID) || Number(env.LISTEN_PID) !== pid) return null;
  const count = env.LISTEN_FDS ?? '0';
  for (const name of ACTIVATION_VARIABLES) Reflect.deleteProperty(env, name);
  if (!/^\d+$/.test(count)) {
    throw new BindError(`LISTEN_FDS=${JSON.stringify(count)} is not a number of file descriptors (systemd socket activation)`);
  }
  const fds = Array.from({ length: Number(count) }, (_, index) => SD_LISTEN_FDS_START + index);
  return fds.length > 0 ? fds : null;
}

/**
 * Listeners for the sockets systemd passed (see systemdListenFds), or null when not activated; gu
 * then ignores `bind`, as Gunicorn does. The sockets are already listening (systemd's Backlog=).
 * Throws a BindError naming the fd when one is not a socket; those already opened are closed.
 */
export function listenersFromSystemd(env: NodeJS.ProcessEnv, pid: number): ArbiterListener[] | null {
  const fds = systemdListenFds(env, pid);
  if (fds === null) return null;
  const listeners: OwnedListener[] = [];
  try {
    for (const fd of fds) listeners.push(listenerFromFd(fd, 'systemd'));
    return listeners;
  } catch (error) {
    for (const listener of listeners) listener.close();
    throw error;
  }
}
