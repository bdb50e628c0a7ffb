import { closeSync, fstatSync, futimesSync, openSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The heartbeat file (Gunicorn's WorkerTmp). The arbiter creates it, hands the open fd to the worker
 * and unlinks it at once, so nothing is left behind. The worker touches its mtime; the arbiter reads
 * the mtime, which tells the real time of the last beat even when the arbiter itself was busy.
 */
export class HeartbeatFile {
  private constructor(readonly fd: number) {}

  static create(dir: string = tmpdir()): HeartbeatFile {
    const path = join(dir, `gu-heartbeat-${process.pid}-${randomBytes(6).toString('hex')}`);
    const fd = openSync(path, 'w+', 0o600);
    unlinkSync(path);
    return new HeartbeatFile(fd);
  }

  static inherited(fd: number): HeartbeatFile {
    return new HeartbeatFile(fd);
  }

  touch(): void {
    const now = Date.now() / 1000;
    futimesSync(this.fd, now, now);
  }

  /** Milliseconds since the epoch of the last beat. */
  lastBeat(): number {
    return fstatSync(this.fd).mtimeMs;
  }

  close(): void {
    closeSync(this.fd);
  }
}
