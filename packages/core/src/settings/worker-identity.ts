import { GuError } from '../errors.js';
import type { Settings } from './types.js';
import { primaryGroupOf } from './accounts.js';
import { labelOf, type SettingOrigins } from './layer.js';

/** Who the workers run as. */
export interface WorkerIdentity {
  readonly uid: number;
  readonly gid: number;
}

/**
 * The uid and gid the workers switch to, or null when `user` and `group` are both unset (they stay
 * who the arbiter is). Without `group`, a `user`'s own primary group: Gunicorn keeps the arbiter's
 * group instead, which leaves `-u nobody` workers in group root.
 */
export function workerIdentity(settings: Pick<Settings, 'user' | 'group'>): WorkerIdentity | null {
  const { user, group } = settings;
  if (user === null && group === null) return null;
  const uid = user ?? process.getuid?.() ?? 0;
  const gid = group ?? (user === null ? null : primaryGroupOf(user)) ?? process.getgid?.() ?? 0;
  return { uid, gid };
}

/**
 * Before anything binds: only root can start workers as someone else, so a gu that is not root and
 * is asked for another user or group stops here (exit 2) rather than with every worker failing.
 */
export function checkWorkerIdentity(settings: Settings, origins: SettingOrigins): void {
  const identity = workerIdentity(settings);
  const uid = process.geteuid?.();
  if (identity === null || uid === undefined || uid === 0) return;
  if (identity.uid === uid && identity.gid === process.getegid?.()) return;
  const key = settings.user !== null && identity.uid !== uid ? 'user' : 'group';
  const label = labelOf(key, origins[key] ?? { kind: 'command line' });
  throw new GuError(
    'GU_ERR_INVALID_SETTING',
    `${label}: gu runs as uid ${uid} and cannot start workers as uid ${identity.uid}, gid ${identity.gid} (expected gu started as root, or no ${key})`,
  );
}
