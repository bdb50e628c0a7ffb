// user / group / initgroups: workers drop root, the arbiter keeps it (and the sockets).
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu, tempDir } from '@gu/testkit';
import { until } from './processes.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const minimalWorker = join(fixtures, 'minimal-worker.mjs');
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

afterEach(cleanUp);

/** `Uid:`, `Gid:` and `Groups:` of /proc/PID/status: real, effective, saved and fs ids (Linux). */
function idsOf(pid: number): { uid: string; gid: string; groups: string } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim().split(/\s+/).join(' ') ?? '';
  return { uid: field('Uid'), gid: field('Gid'), groups: field('Groups') };
}

/** A user listed as a member of some group in /etc/group (supplementary), if this machine has one. */
function groupMember(): { user: string; gid: string } | null {
  const users = new Set(readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':')[0]));
  for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
    const [, , gid, members] = line.split(':');
    const user = members?.split(',').find((name) => users.has(name));
    if (user && gid) return { user, gid };
  }
  return null;
}
const member = asRoot ? groupMember() : null;

/** A directory the workers can enter once they are nobody (mkdtemp makes it 0700). */
function project(): string {
  const dir = tempDir('gu-user-');
  chmodSync(dir, 0o755);
  return dir;
}

describe('user and group', () => {
  it.skipIf(!asRoot)('workers run as nobody and serve; the arbiter stays root; they own their log files', async () => {
    const dir = project();
    const accessLog = join(dir, 'access.log');
    const args = [app, '-w', '2', '-u', 'nobody', '-b', '127.0.0.1:0', '-k', minimalWorker, '--access-logfile', accessLog, '-t', '1'];
    const gu = await startGu(args, { cwd: dir, workers: 2 });
    expect(idsOf(gu.pid).uid).toBe('0 0 0 0');
    for (const pid of gu.workerPids) {
      // Without -g, the user's own primary group (nogroup), and root's supplementary groups are gone.
      expect(idsOf(pid)).toEqual({ uid: `${NOBODY} ${NOBODY} ${NOBODY} ${NOBODY}`, gid: `${NOBODY} ${NOBODY} ${NOBODY} ${NOBODY}`, groups: String(NOBODY) });
    }
    const response = await httpGet(`${gu.url}/`);
    expect(response.status).toBe(200);
    expect(gu.workerPids).toContain(Number(response.body));
    expect(statSync(accessLog)).toMatchObject({ uid: NOBODY, gid: NOBODY });
    await until(() => readFileSync(accessLog, 'utf8').includes('"GET / HTTP/1.1" 200'), 'the access log line');

    // The heartbeat works as nobody: no worker is killed for silence past a 1 s timeout.
    gu.signal('SIGHUP');
    await gu.waitForLog(/Reload done: generation 2 is serving/);
    expect(gu.stderr).not.toMatch(/WORKER TIMEOUT/);
  });

  it.skipIf(!asRoot)('takes numeric ids and a group of its own', async () => {
    const gu = await startGu([app, '-u', String(NOBODY), '-g', 'nogroup', '-b', '127.0.0.1:0', '-k', minimalWorker, '-t', '1'], { cwd: project() });
    const [worker] = gu.workerPids;
    expect(idsOf(worker!).uid.split(' ')[0]).toBe(String(NOBODY));
    expect(idsOf(worker!).gid.split(' ')[0]).toBe(String(NOBODY));
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
  });

  it.skipIf(member === null)('--initgroups adds the groups the user is a member of; without it there are none', async () => {
    const { user, gid } = member!;
    const base = [app, '-u', user, '-b', '127.0.0.1:0', '-k', minimalWorker];
    const withGroups = await startGu([...base, '--initgroups'], { cwd: project() });
    expect(idsOf(withGroups.workerPids[0]!).groups.split(' ')).toContain(gid);
    const without = await startGu(base, { cwd: project() });
    expect(idsOf(without.workerPids[0]!).groups.split(' ')).not.toContain(gid);
  });

  it('an unknown user or group stops gu with exit 2 before anything is bound, naming the setting', async () => {
    const user = await runGu([app, '-u', 'no-such-user-for-gu', '-b', '127.0.0.1:0'], { cwd: project() });
    expect(user.code).toBe(2);
    expect(user.stderr).toMatch(/user \(-u\).*no-such-user-for-gu.*expected a user name known to this system or a numeric uid/);
    expect(user.stderr).not.toMatch(/Listening at/);
    const group = await runGu([app, '-g', 'no-such-group-for-gu', '-b', '127.0.0.1:0'], { cwd: project() });
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/group \(-g\).*no-such-group-for-gu/);
  });
});
