import type { ArbiterListener, OwnedListener } from './arbiter-listener.js';
import { parseBindAddress } from './bind-address.js';
import { listenerFromUpgradeFd } from './fd-listener.js';

/**
 * What an arbiter tells the new arbiter it starts on USR2, as Gunicorn's GUNICORN_FD and
 * GUNICORN_PID: the listening fds (in the new process), the bind value of each, and its own pid.
 */
const FDS = 'GU_FD';
const BINDS = 'GU_BINDS';
const PID = 'GU_PID';

/** The environment entries for a new arbiter whose fds `firstFd`, `firstFd + 1`, … are `listeners`. */
export function upgradeEnvironment(listeners: readonly ArbiterListener[], firstFd: number, pid: number): Record<string, string> {
  return {
    [FDS]: listeners.map((_, index) => firstFd + index).join(','),
    [BINDS]: JSON.stringify(listeners.map((listener) => listener.key)),
    [PID]: String(pid),
  };
}

/** This arbiter was started by USR2 from its parent, which still holds its own sockets and paths. */
export function startedByUpgrade(env: NodeJS.ProcessEnv, parentPid: number): boolean {
  return env[FDS] !== undefined && Number(env[PID]) === parentPid;
}

export interface InheritedListeners {
  readonly listeners: OwnedListener[];
  /** The arbiter that started this one; it is the parent until it exits. */
  readonly oldArbiterPid: number;
}

/**
 * The sockets an old arbiter passed to this one (USR2), or null when this arbiter was not started
 * so. The variables are removed from `env` at once: workers must not take them for theirs, and a
 * later USR2 sets them anew. They count only when the old arbiter is this process's parent, since
 * they might have leaked into an unrelated environment.
 */
export function listenersFromUpgrade(env: NodeJS.ProcessEnv, parentPid: number): InheritedListeners | null {
  const fds = env[FDS];
  const binds = env[BINDS];
  const pid = Number(env[PID]);
  for (const name of [FDS, BINDS, PID]) Reflect.deleteProperty(env, name);
  if (fds === undefined || binds === undefined || pid !== parentPid) return null;
  const keys = JSON.parse(binds) as unknown;
  const numbers = fds.split(',').map(Number);
  if (!Array.isArray(keys) || keys.length !== numbers.length) return null;
  const listeners: OwnedListener[] = [];
  try {
    numbers.forEach((fd, index) => listeners.push(listenerFromUpgradeFd(fd, parseBindAddress(bindValueOf(String(keys[index]))))));
  } catch (error) {
    for (const listener of listeners) listener.close({ keepFile: true });
    throw error;
  }
  return { listeners, oldArbiterPid: pid };
}

/** A listener key (`http://127.0.0.1:8000`) back to the bind value it was made from. */
function bindValueOf(key: string): string {
  return key.replace(/^http:\/\//, '');
}
