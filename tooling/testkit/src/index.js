// Runs the real `gu` binary (the built @gu/core) for end-to-end tests, and stops every process it
// started by PID, also when a test fails: call `cleanUp()` in afterEach.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopOtherServers } from './other-servers.js';

// By path, not by package: @gu/core's own tests use this kit, and a dependency would be a cycle.
export const guBin = join(import.meta.dirname, '../../../packages/core/dist/cli/bin.js');

/** The argv that runs gu: node and the built binary. */
export const guCommand = Object.freeze([process.execPath, guBin]);

/** @type {Set<GuProcess>} */
const running = new Set();

export class GuProcess {
  /** @param {import('node:child_process').ChildProcess} child */
  constructor(child) {
    this.child = child;
    this.pid = child.pid;
    this.stdout = '';
    this.stderr = '';
    /** @type {{ pattern: RegExp, count: number, resolve: (m: RegExpMatchArray[]) => void }[]} */
    this.waiters = [];
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(this);
        resolve({ code, signal });
        for (const waiter of this.waiters.splice(0)) waiter.reject?.(new Error(`gu exited (code ${code}, signal ${signal}) before logging ${waiter.pattern}\n--- stderr ---\n${this.stderr}`));
      });
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk) => {
      this.stdout += chunk;
      this.check();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk) => {
      this.stderr += chunk;
      this.check();
    });
  }

  /** All matches of `pattern` (global) in stdout + stderr so far. */
  matches(pattern) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    return [...`${this.stderr}\n${this.stdout}`.matchAll(global)];
  }

  /** Resolves once `pattern` has appeared `count` times in the output. */
  waitForLog(pattern, count = 1, timeoutMs = 15_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count}× ${pattern}\n--- stderr ---\n${this.stderr}\n--- stdout ---\n${this.stdout}`)), timeoutMs);
      this.waiters.push({
        pattern,
        count,
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.check();
    });
  }

  check() {
    for (const waiter of [...this.waiters]) {
      const found = this.matches(waiter.pattern);
      if (found.length >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(found);
      }
    }
  }

  /** The addresses gu logged as `Listening at: ADDR (pid)`, in bind order. */
  get addresses() {
    return this.matches(/Listening at: (\S+) \(/).map((m) => m[1]);
  }

  /** `http://127.0.0.1:PORT` of the first listener. */
  get url() {
    return this.addresses[0];
  }

  /** Pids of the workers booted so far. */
  get workerPids() {
    return this.matches(/Booting worker with pid: (\d+)/).map((m) => Number(m[1]));
  }

  /** Pids of every arbiter that logged here: this one and those started by USR2. */
  get arbiterPids() {
    return this.matches(/Arbiter booted \(pid: (\d+)\)/).map((m) => Number(m[1]));
  }

  signal(name) {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.pid, name);
  }
}

/**
 * Starts `gu ...args` with `--log-level debug` (unless the args set a level) and resolves once
 * `workers` workers report ready (0: don't wait).
 */
export async function startGu(args, { cwd, env, workers = 1, stdio, shellEnv, command: guArgv = guCommand } = {}) {
  const withLevel = args.some((a) => a.startsWith('--log-level')) ? args : [...args, '--log-level', 'debug'];
  // shellEnv: assignments a shell evaluates before it execs gu in its own place (LISTEN_PID=$$).
  const [command = process.execPath, ...argv] = shellEnv
    ? ['sh', '-c', `${shellEnv} exec "$0" "$@"`, ...guArgv, ...withLevel]
    : [...guArgv, ...withLevel];
  const child = spawn(command, argv, {
    cwd,
    env: { ...process.env, ...env },
    stdio: stdio ?? ['ignore', 'pipe', 'pipe'],
  });
  const gu = new GuProcess(child);
  running.add(gu);
  if (workers > 0) await gu.waitForLog(/Worker \(pid:\d+\) ready/, workers);
  return gu;
}

/** Runs gu to completion (for commands that exit: errors, --help, --check-config). */
export async function runGu(args, { cwd, env, timeoutMs = 15_000, command } = {}) {
  const gu = await startGu(args, { cwd, env, workers: 0, command });
  const timer = setTimeout(() => gu.signal('SIGKILL'), timeoutMs);
  const { code, signal } = await gu.exited;
  clearTimeout(timer);
  return { code, signal, stdout: gu.stdout, stderr: gu.stderr, pid: gu.pid };
}

/** Kills every gu (and, through its process group's absence, its workers by pid) still running. */
export async function stopAllGu() {
  const all = [...running];
  for (const gu of all) {
    for (const pid of [...gu.workerPids, ...gu.arbiterPids]) {
      if (pid === gu.pid) continue;
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    gu.signal('SIGKILL');
  }
  await Promise.all(all.map((gu) => gu.exited));
}

export { httpGet } from './http-get.js';
export { timedRequest } from './timed-request.js';
export { moreRequests, startLoad } from './load.js';
export { childPids, isRunning, until } from './processes.js';
export { findNginx, freePort, httpTempPaths, startNginx } from './nginx.js';
export { fakeSystemd } from './notify-socket.js';
export { stopOnCleanUp } from './other-servers.js';

/** @type {string[]} */
const tempDirs = [];

/** A fresh temporary directory, removed by `cleanUp()`. */
export function tempDir(prefix = 'gu-test-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** For afterEach: stops every gu still running (by PID) and removes the temporary directories. */
export async function cleanUp() {
  await stopOtherServers();
  await stopAllGu();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
