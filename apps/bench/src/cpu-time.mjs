// CPU time, from /proc (Linux). A server's own time tells whether it was the bottleneck of a round
// (near 100 % of one CPU) and what a request costs it, a figure that other load skews far less
// than req/s; the machine's total minus ours tells how much other load disturbed the round.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** User + system CPU seconds of `pid`, or 0 once it is gone (or off Linux). */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** Total CPU seconds of `pids`; undefined where /proc is not available. */
export function cpuSeconds(pids) {
  if (process.platform !== 'linux') return undefined;
  return pids.reduce((total, pid) => total + cpuSecondsOf(pid), 0);
}

/** CPU seconds spent by the whole machine (every CPU, every process) since boot; undefined off Linux. */
export function machineBusySeconds() {
  try {
    const [cpuLine] = readFileSync('/proc/stat', 'utf8').split('\n', 1);
    // user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
    const [user, nice, system, , , irq, softirq, steal] = cpuLine.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + (steal || 0)) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by this process (the harness and its load generator). */
export function ownCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
