import { closeSync, fstatSync, futimesSync, openSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { monotonicSeconds } from './monotonic-clock.js';

/**
 * The heartbeat file (Gunicorn's WorkerTmp). The arbiter creates it, hands the open fd to the worker
 * and unlinks it at once, so nothing is left behind. The worker writes the monotonic clock into its
 * mtime (as Gunicorn's `os.utime(fd, (monotonic, monotonic))`); the arbiter reads the mtime, which
 * tells when the worker last beat even when the arbiter itself was busy, and compares it with its
 * own monotonic clock, so a wall-clock jump changes nothing.
 */
export class HeartbeatFile {
  private constructor(readonly fd: number) {}

  static create(dir: string = tmpdir()): HeartbeatFile {
    const path = join(dir, `gu-heartbeat-${process.pid}-${randomBytes(6).toString('hex')}`);
    const fd = openSync(path, 'w+', 0o600);
    unlinkSync(path);
    const file = new HeartbeatFile(fd);
    // The file's own mtime is wall-clock time: start from a monotonic reading.
    file.touch();
    return file;
  }

  static inherited(fd: number): HeartbeatFile {
    return new HeartbeatFile(fd);
  }

  touch(): void {
    const now = monotonicSeconds();
    futimesSync(this.fd, now, now);
  }

  /** The monotonic time of the last beat, in seconds. */
  lastBeat(): number {
    return fstatSync(this.fd).mtimeMs / 1000;
  }

  close(): void {
    closeSync(this.fd);
  }
}
