import { spawn } from 'node:child_process';
import type { StartContext } from '../arbiter/reexec.js';
import { GuError } from '../errors.js';

/**
 * Set in the environment of the arbiter that `--daemon` started, so that it runs in the foreground
 * of its own session instead of detaching again; a USR2 upgrade started from it inherits it too.
 */
const DAEMON_VARIABLE = 'GU_DAEMONIZED';

/** This process is the arbiter a `gu --daemon` started, not the command that detaches. */
export function isDaemonized(env: NodeJS.ProcessEnv): boolean {
  return env[DAEMON_VARIABLE] === '1';
}

/**
 * `--daemon` (Gunicorn's `-D`): starts the same command again as the arbiter, in a new session
 * (setsid, through `detached`) with its standard streams on /dev/null, and leaves it running. The
 * variable above, not an edited argv, tells it not to detach again: `daemon` may also come from the
 * config file or GU_CMD_ARGS. Returns its pid.
 */
export function daemonize(context: StartContext): number {
  const { cwd, execArgv, argv, env } = context;
  const child = spawn(process.execPath, [...execArgv, ...argv], {
    cwd,
    env: { ...env, [DAEMON_VARIABLE]: '1' },
    detached: true,
    stdio: 'ignore',
  });
  // A failed spawn also emits 'error'; the throw below already says so.
  child.on('error', () => undefined);
  if (child.pid === undefined) throw new GuError('GU_ERR_INTERNAL', 'daemon (-D): could not start the arbiter in the background');
  child.unref();
  return child.pid;
}
