import { closeSync, fchownSync, openSync } from 'node:fs';
import type { Settings } from '../settings/types.js';
import { workerIdentity, type WorkerIdentity } from '../settings/worker-identity.js';
import type { HeartbeatFile } from '../worker/heartbeat.js';

/**
 * With `user`/`group`, gives a new worker the files it must write once it has dropped root: its
 * heartbeat file (futimes with explicit times needs the owner) and the log files, created if missing,
 * as Gunicorn chowns its log files, so that the worker can open them and reopen them on USR1. Only a
 * root arbiter can, and needs to. A log file that cannot be given away is left as it is: the worker
 * then says why it cannot open it.
 */
export function handOverFiles(settings: Settings, heartbeat: HeartbeatFile): void {
  const identity = workerIdentity(settings);
  if (identity === null || process.geteuid?.() !== 0) return;
  try {
    fchownSync(heartbeat.fd, identity.uid, identity.gid);
  } catch (error) {
    heartbeat.close();
    throw error;
  }
  for (const path of [settings.errorlog, settings.accesslog]) {
    if (path !== null && path !== '-') giveLogFile(path, identity);
  }
}

function giveLogFile(path: string, { uid, gid }: WorkerIdentity): void {
  try {
    const fd = openSync(path, 'a', 0o644);
    try {
      fchownSync(fd, uid, gid);
    } finally {
      closeSync(fd);
    }
  } catch {
    // See above: the worker reports it.
  }
}
