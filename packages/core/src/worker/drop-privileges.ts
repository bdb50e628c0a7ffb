import { ExitCode } from '../errors.js';
import type { Settings } from '../settings/types.js';
import { workerIdentity } from '../settings/worker-identity.js';
import type { ArbiterChannel } from './arbiter-channel.js';

/** Node has process.initgroups() on POSIX systems, but @types/node 24 no longer declares it. */
type InitgroupsProcess = NodeJS.Process & { initgroups?: (user: string | number, extraGroup: string | number) => void };

/**
 * `user`, `group`, `initgroups`: switches this worker to its identity before it opens or loads
 * anything (Gunicorn's set_owner_process). Groups first, since after setuid the process may no
 * longer change them; the supplementary groups inherited from root are replaced too, which Gunicorn
 * leaves as they are without initgroups. Throws the system's error (EPERM when not root).
 */
export function dropPrivileges(settings: Settings): void {
  const identity = workerIdentity(settings);
  if (identity === null || !process.setuid || !process.setgid || !process.setgroups) return;
  const { uid, gid } = identity;
  if (process.getuid?.() === uid && process.getgid?.() === gid) return;
  if (settings.initgroups && settings.user !== null) (process as InitgroupsProcess).initgroups?.(uid, gid);
  else process.setgroups([gid]);
  process.setgid(gid);
  process.setuid(uid);
}

/** dropPrivileges() at the start of a worker: a failure is a failed boot (exit 3) with its reason. */
export async function asWorkerUser(settings: Settings, channel: ArbiterChannel): Promise<void> {
  try {
    dropPrivileges(settings);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const identity = workerIdentity(settings);
    const message = `user (-u), group (-g): the worker could not switch to uid ${identity?.uid ?? '?'}, gid ${identity?.gid ?? '?'}: ${reason}`;
    await channel.sendAndFlush({ type: 'boot-error', exitCode: ExitCode.WORKER_BOOT, message });
    process.exit(ExitCode.WORKER_BOOT);
  }
}
