// Pins the load generator and the servers to separate CPUs (Linux, with taskset from util-linux).
// Unpinned on a 2-CPU machine, the scheduler sometimes puts the load generator and the server on
// the same CPU for a whole round, which halved req/s in one round out of three in our runs.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/**
 * The CPUs this process may run on, read once at start: pinning the process later narrows what
 * os.availableParallelism() reports, and a scenario run after a pinned one must still see them all.
 */
const startCpus = os.availableParallelism();

function tasksetWorks() {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The CPU lists to use, or undefined when pinning is not possible here (not Linux, no taskset,
 * fewer than 2 CPUs). The load generator takes CPU 0, the servers every other CPU.
 */
export function planPinning() {
  const cpus = startCpus;
  if (process.platform !== 'linux' || cpus < 2 || !tasksetWorks()) return undefined;
  return { load: '0', servers: cpus === 2 ? '1' : `1-${cpus - 1}` };
}

/** Gives this process back every CPU it started with (after pinThisProcess). */
export function unpinThisProcess() {
  pinThisProcess(`0-${startCpus - 1}`);
}

/** Moves every thread of this process (the load generator) onto `cpus`. */
export function pinThisProcess(cpus) {
  const result = spawnSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(process.pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`taskset could not pin the load generator: ${result.stderr.trim()}`);
}

/** `command args` wrapped so that it starts on `cpus` (taskset execs it: the PID stays the same). */
export function pinnedCommand(cpus, command, args) {
  return cpus === undefined ? { command, args } : { command: 'taskset', args: ['--cpu-list', cpus, command, ...args] };
}
