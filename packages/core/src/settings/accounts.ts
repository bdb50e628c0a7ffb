import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One line of the passwd or group database, split on `:` (name, password, id, then the rest). */
type Entry = readonly string[];

/**
 * Looks `key` (a name, or an id when numeric) up in a database as getent(1) would. The files in
 * /etc come first (no process to start); getent then covers what NSS adds (LDAP, systemd's dynamic
 * users). Node has no getpwnam(3) of its own.
 */
function lookup(database: 'passwd' | 'group', key: string): Entry | null {
  const numeric = /^\d+$/.test(key);
  const matches = (fields: Entry): boolean => (numeric ? fields[2] === key : fields[0] === key);
  for (const line of readLines(`/etc/${database}`)) {
    const fields = line.split(':');
    if (fields.length >= 4 && matches(fields)) return fields;
  }
  try {
    const line = execFileSync('getent', [database, key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
    return line ? line.split(':') : null;
  } catch {
    // getent exits 2 for a key it does not know, and may be missing altogether.
    return null;
  }
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n');
  } catch {
    return [];
  }
}

/** The uid of a user name, or of a numeric uid (kept even when no account has it, as Gunicorn does). */
export function findUserId(key: string): number | null {
  if (/^\d+$/.test(key)) return Number(key);
  const id = lookup('passwd', key)?.[2];
  return id === undefined ? null : Number(id);
}

/** The gid of a group name, or of a numeric gid. */
export function findGroupId(key: string): number | null {
  if (/^\d+$/.test(key)) return Number(key);
  const id = lookup('group', key)?.[2];
  return id === undefined ? null : Number(id);
}

/** The primary group of a uid, from its passwd entry; null when no account has that uid. */
export function primaryGroupOf(uid: number): number | null {
  const gid = lookup('passwd', String(uid))?.[3];
  return gid === undefined ? null : Number(gid);
}
