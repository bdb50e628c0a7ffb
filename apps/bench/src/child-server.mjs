// One server under test, run as a child process: started, awaited until it serves, and stopped by
// PID. Its output is read line by line to learn its URL and readiness, and kept (a short tail) so
// that a crash can be explained.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const startTimeoutMs = 30_000;
const termGraceMs = 10_000;
const tailLines = 30;

/**
 * Spawns `command args` in `cwd` and returns at once, so that the caller holds the PID to stop
 * even while the server boots; await `server.untilReady(signal)` before loading it.
 * `watcher.onLine(line)` sees every output line (stdout and stderr) and sets `watcher.url` and
 * `watcher.ready`; `watcher.extraPids` lists processes the child started (killed too on stop).
 */
export function spawnChildServer({ label, command, args, cwd, env, watcher }) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new ChildServer(label, child, watcher);
}

class ChildServer {
  constructor(label, child, watcher) {
    this.label = label;
    this.child = child;
    this.watcher = watcher;
    this.tail = [];
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.spawnFailed = new Promise((resolve) => child.once('error', resolve));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
  }

  get pid() {
    return this.child.pid;
  }

  /** The child and the processes it reported starting (gu's workers). */
  get pids() {
    return [this.pid, ...(this.watcher.extraPids ?? [])];
  }

  get url() {
    return this.watcher.url;
  }

  onLine(line) {
    this.tail.push(line);
    if (this.tail.length > tailLines) this.tail.shift();
    this.watcher.onLine(line);
    if (this.watcher.ready) this.resolveReady?.();
  }

  /** Resolves once ready; rejects if the child exits, `signal` aborts, or 30 s pass first. */
  untilReady(signal) {
    if (this.watcher.ready) return Promise.resolve();
    const ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(resolve, startTimeoutMs);
    });
    const failure = (why) => new Error(`${this.label} did not start: ${why}${this.describeTail()}`);
    return Promise.race([
      ready,
      this.spawnFailed.then((error) => Promise.reject(failure(error.message))),
      this.exited.then(({ code, signal }) => Promise.reject(failure(`exited (${signal ?? `code ${code}`})`))),
      timedOut.then(() => Promise.reject(failure(`not ready after ${startTimeoutMs / 1000} s`))),
      aborted(signal).then(() => Promise.reject(failure('interrupted'))),
    ]).finally(() => clearTimeout(timer));
  }

  describeTail() {
    return this.tail.length === 0 ? '' : `\n  last output:\n    ${this.tail.join('\n    ')}`;
  }

  /** The exit of the child so far, or undefined while it runs. */
  get exitStatus() {
    return this.child.exitCode ?? this.child.signalCode ?? undefined;
  }

  /**
   * SIGTERM by PID, SIGKILL after 10 s if still running; then SIGKILL any process it started that
   * outlived it (a worker orphaned by a crashed arbiter must not keep a core busy).
   */
  async stop() {
    if (this.exitStatus === undefined && signalPid(this.pid, 'SIGTERM')) {
      let timer;
      const gaveUp = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), termGraceMs);
      });
      const outcome = await Promise.race([this.exited, gaveUp]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        signalPid(this.pid, 'SIGKILL');
        await this.exited;
      }
    }
    for (const pid of this.watcher.extraPids ?? []) signalPid(pid, 'SIGKILL');
  }

  /** SIGKILL by PID, now, for the child and what it started: the way out of a stop that hangs. */
  kill() {
    for (const pid of this.pids) signalPid(pid, 'SIGKILL');
  }
}

/** Resolves when `signal` aborts (never without one). */
function aborted(signal) {
  if (signal === undefined) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
}

/** Sends `signal` to `pid`; false when the process is already gone. */
function signalPid(pid, signal) {
  if (pid === undefined) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if (error.code === 'ESRCH') return false;
    throw error;
  }
}
