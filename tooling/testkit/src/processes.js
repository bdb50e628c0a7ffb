// What tests ask of processes: is one alive, which are a parent's children, and waiting for
// either to change (polled: the kernel sends no event for another process's children).
import { readdirSync, readFileSync } from 'node:fs';

/** @param {number} pid */
export function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids whose parent is `parent`, from /proc (Linux). @param {number} parent */
export function childPids(parent) {
  /** @type {number[]} */
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields count from after it.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

/**
 * Resolves once `condition()` holds (checked every 20 ms); rejects with `what` after `timeoutMs`.
 * @param {() => boolean} condition @param {string} what
 */
export function until(condition, what, timeoutMs = 15_000) {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve(undefined);
      else if (performance.now() > deadline) reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}
