import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { GuError } from '../errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The pidfile (`-p`): refuses to start over a running gu, is removed on exit if still ours. */
export class Pidfile {
  constructor(private readonly path: string) {}

  create(pid: number): void {
    const existing = readPid(this.path);
    if (existing !== null && existing !== pid && isAlive(existing)) {
      throw new GuError('GU_ERR_PIDFILE', `pidfile (-p): already running on PID ${existing} (or pid file '${this.path}' is stale)`);
    }
    writeFileSync(this.path, `${pid}\n`, { mode: 0o644 });
  }

  unlink(pid: number): void {
    if (readPid(this.path) !== pid) return;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone: nothing to clean.
    }
  }
}
