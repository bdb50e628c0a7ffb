// --daemon (-D): the command returns at once and the arbiter goes on in the background.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, tempDir } from '@gu/testkit';
import { childPids, until } from './processes.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const minimalWorker = join(fixtures, 'minimal-worker.mjs');

/** Fields of /proc/PID/stat after the command name: state, ppid, pgrp, session… (Linux). */
function statOf(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Gone, or a zombie: the daemon's parent exited, and whoever adopted it may be slow to reap. */
const hasExited = (pid: number): boolean => [undefined, 'Z'].includes(statOf(pid)?.[0]);

const daemons: number[] = [];
afterEach(async () => {
  for (const pid of daemons.splice(0)) {
    for (const worker of childPids(pid)) process.kill(worker, 'SIGKILL');
    if (!hasExited(pid)) process.kill(pid, 'SIGKILL');
  }
  await cleanUp();
});

describe('daemon', () => {
  it('gu -D returns at once; the arbiter in the pidfile serves in its own session and stops on TERM', async () => {
    const dir = tempDir('gu-daemon-');
    const pidfile = join(dir, 'gu.pid');
    const log = join(dir, 'error.log');
    const started = Date.now();
    const result = await runGu([app, '-D', '-p', pidfile, '--error-logfile', log, '-b', '127.0.0.1:0', '-k', minimalWorker], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(Date.now() - started).toBeLessThan(5000);

    await until(() => existsSync(pidfile), 'the pidfile');
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    daemons.push(pid);
    expect(pid).not.toBe(result.pid);
    // setsid: the arbiter leads a session of its own, away from the terminal's.
    expect(statOf(pid)?.[3]).toBe(String(pid));
    await until(() => /Worker \(pid:\d+\) ready/.test(readFileSync(log, 'utf8')), 'a worker to be ready');
    const url = /Listening at: (http:\/\/\S+)/.exec(readFileSync(log, 'utf8'))?.[1];
    const response = await httpGet(`${url ?? ''}/`);
    expect(response.status).toBe(200);
    expect(childPids(pid)).toContain(Number(response.body));

    process.kill(pid, 'SIGTERM');
    await until(() => hasExited(pid), 'the daemon to exit');
    expect(existsSync(pidfile)).toBe(false);
    expect(readFileSync(log, 'utf8')).toMatch(/Shutting down: Arbiter/);
  });

  it('reports bad settings on the terminal before detaching', async () => {
    const result = await runGu([app, '-D', '-w', 'lots'], { cwd: tempDir('gu-daemon-') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/workers \(-w\)/);
  });
});
